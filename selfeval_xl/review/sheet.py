"""The 复核底稿: one workbook, an index sheet, the draw, the 口径 list, and a sheet per project.

Why formulas: the reviewer works in Excel, WPS or LibreOffice, and the 复核得分 must move as a 复核完成值
or a 口径 is entered. Each 复核得分 is the one rule (:mod:`selfeval_xl.core.excel_rules`: the same formula the
templates use, on the value scored — 复核完成值, else 自评完成值 — a 定性 自评得分 kept while inside
its tier's band), then the 口径's effect (:func:`excel_rules.review_score`, the keep share and the points
looked up in the 口径 sheet), and 偏离度 (:func:`excel_rules.deviation`), 复核总分, 复核等级 and
自评 − 复核 in the cells. A reviewer may type over a 复核得分 (an override); ``review report`` then
holds the typed score to its 口径. Text from the tables is written through
:func:`~selfeval_xl.core.sanitize.write_openpyxl`: nothing of a submission becomes a formula.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from ..core import excel_rules
from ..core.model import quote_sheet
from ..core.rules import total_score
from ..files.outputs import replacing
from ..files.ownfiles import mark_openpyxl
from ..core.sanitize import clean_text, write_openpyxl
from ..core.textwidth import lines_needed
from .columns import (
    BASES, BASIS_COLUMNS, BASIS_WIDTHS, COLUMNS, DRAW, FIRST_ROW, HEAD, HEAD_LABELS, HEAD_TOP, HEADER_ROW, INDEX,
    LAST_PRINTED, LETTER, META, META_COLUMNS, NOTE_ROW, PERCENT, sheet_name,
)
from .config import ReviewRules
from .projects import KIND_NAMES, Project, SourceRow
from .sample import Draw
from .style import Style

KIND = "复核底稿"                       # our output property's value (ownfiles)
FACTOR_NAMES = {"amount": "资金量", "all_full": "全部满分", "gap": "总分差", "findings": "问题数", "qualitative": "定性占比"}
NOTE = ("填写浅黄色单元格：复核完成值（不填即采用自评完成值）、口径（下拉选择）、复核意见。复核得分按评分规则和口径自动计算；"
        "“酌情评分”口径或标明“请人工复核”的行，直接在复核得分中填分并写明意见。偏离度 =（自评得分 − 复核得分）÷ 权重。")


@dataclass(frozen=True)
class Written:
    path: Path
    projects: int
    rows: int
    manual: int


def write_sheet(projects: list[Project], path: str | Path, rules: ReviewRules, draw: Draw | None = None,
                date: datetime.date | None = None) -> Written:
    """Write the 底稿 of ``projects`` (in the order given) to ``path`` (whole or not at all)."""
    from openpyxl import Workbook

    wb = Workbook()
    style = Style()
    day = date or datetime.date.today()
    index = wb.active
    index.title = INDEX
    bases_ws = wb.create_sheet(BASES)
    lookup = _bases(bases_ws, rules, style, day)
    names, rows, manual = [], 0, 0
    meta = []
    for n, project in enumerate(projects, start=1):
        ws = wb.create_sheet(clean_text(sheet_name(n, project.name or project.path)))
        last, total_row = _project(ws, project, lookup, style, day)
        names.append(ws.title)
        rows += len(project.rows)
        manual += sum(not r.reviewable for r in project.rows)
        meta.append((ws.title, FIRST_ROW, last, total_row, project.system, project.path, project.unit, project.name,
                     _self_total(project), project.grade, project.kind))
    _index(index, projects, names, draw, rules, style, day)
    if draw is not None:
        _draw(wb.create_sheet(DRAW, 1), draw, style, day)
    _meta(wb.create_sheet(META), meta)
    wb.calculation.fullCalcOnLoad = True
    wb.properties.creator = "selfeval-xl"
    wb.properties.title = KIND
    mark_openpyxl(wb, KIND)
    with replacing(path) as temporary:
        wb.save(temporary)
    return Written(Path(path), len(projects), rows, manual)


def _self_total(project: Project) -> float | None:
    """The 自评总分 the 单位 stated, else the sum of its 自评得分."""
    if project.stated_total is not None:
        return project.stated_total
    scores = [r.self_score for r in project.rows if r.self_score is not None]
    return float(total_score(scores)) if scores else None


def _put(ws, ref: str, value, style: Style, kind: str = "source", fmt: str | None = None, formula: bool = False,
         align=None) -> None:
    from openpyxl.styles import Protection

    cell = ws[ref]
    if formula:
        cell.value = value
    else:
        write_openpyxl(cell, value)
    cell.border = style.border
    cell.font = style.bold if kind in ("label",) else style.font
    if kind == "head":
        cell.font = style.head_font
    if align is None:
        numeric = fmt not in (None, "General") or isinstance(value, (int, float)) and not isinstance(value, bool)
        align = style.center if kind in ("head", "label") else style.right if numeric else style.left
    cell.alignment = align
    cell.fill = style.fills.get(kind, style.fills["source"])
    cell.protection = Protection(locked=kind not in ("input",))
    if fmt:
        cell.number_format = fmt


def _title(ws, text: str, last: str, style: Style) -> None:
    ws.merge_cells(f"A1:{last}1")
    write_openpyxl(ws["A1"], text)
    ws["A1"].font, ws["A1"].alignment = style.title, style.center
    ws.row_dimensions[1].height = 28


def _bases(ws, rules: ReviewRules, style: Style, day: datetime.date) -> tuple[str, str]:
    """The 口径 sheet; returns the range the formulas look a 口径 up in (口径 … 扣减分) and the
    drop-down's list (the 口径 column)."""
    from openpyxl.utils import get_column_letter

    from ..report.printing import setup_print

    for i, (header, width) in enumerate(zip(BASIS_COLUMNS, BASIS_WIDTHS), start=1):
        _put(ws, f"{get_column_letter(i)}1", header, style, "head")
        ws.column_dimensions[get_column_letter(i)].width = width
    for r, b in enumerate(rules.bases, start=2):
        values = (b.code, b.label, b.keep, b.deduct, b.effect_words, b.level, b.dimension, b.wording, b.advice, b.source)
        for i, value in enumerate(values, start=1):
            _put(ws, f"{get_column_letter(i)}{r}", value, style, fmt="0%" if i == 3 else None)
        _fit(ws, r, dict(zip(BASIS_COLUMNS, values)), dict(zip(BASIS_COLUMNS, BASIS_WIDTHS)))
    ws.freeze_panes = "A2"
    setup_print(ws, f"复核口径：{rules.title}", landscape=True, header_rows="1:1", date=day)
    end = len(rules.bases) + 1
    return f"{quote_sheet(BASES)}!$B$2:$D${end}", f"{quote_sheet(BASES)}!$B$2:$B${end}"


def _project(ws, project: Project, lookup: tuple[str, str], style: Style, day: datetime.date) -> tuple[int, int]:
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..report.printing import setup_print

    formulas = excel_rules.NativeFormulas(project.settings, tuple(_banded(project).items()))
    _title(ws, f"{KIND_NAMES[project.kind]}绩效自评复核底稿：{project.name}", LAST_PRINTED, style)
    L = LETTER
    first, last = FIRST_ROW, FIRST_ROW + len(project.rows) - 1
    total_row = last + 1
    heads = {"unit": project.unit, "department": project.department, "year": project.year,
             "budget": project.budget, "spent": project.spent, "self_total": _self_total(project),
             "self_grade": project.grade, "source": Path(project.path).name, "reviewer": None, "date": None}
    review_total = f"{L['review_score']}{total_row}"
    heads_formula = {"review_total": f"={review_total}",
                     "review_grade": "=" + formulas.grade(HEAD["review_total"][1]),
                     "gap": f'=IF(OR({HEAD["review_total"][1]}="",{HEAD["self_total"][1]}=""),"",'
                            f'ROUND({HEAD["self_total"][1]}-{HEAD["review_total"][1]},2))'}
    for key, (label_ref, value_ref, label_end, value_end) in HEAD.items():
        _put(ws, label_ref, HEAD_LABELS[key], style, "label")
        if key in heads_formula:
            _put(ws, value_ref, heads_formula[key], style, "formula", "0.00" if key != "review_grade" else None,
                 formula=True, align=style.center)
        else:
            kind = "input" if key in ("reviewer", "date") else "source"
            _put(ws, value_ref, heads[key], style, kind,
                 "#,##0.00" if key in ("budget", "spent") else "0.00" if key == "self_total" else None,
                 align=style.center)
        for first_ref, last_ref in ((label_ref, label_end), (value_ref, value_end)):
            if first_ref != last_ref:
                _merge(ws, first_ref, last_ref, style)
    for r in range(HEAD_TOP, NOTE_ROW):
        ws.row_dimensions[r].height = 18
    ws.merge_cells(f"A{NOTE_ROW}:{LAST_PRINTED}{NOTE_ROW}")
    write_openpyxl(ws[f"A{NOTE_ROW}"], NOTE)
    ws[f"A{NOTE_ROW}"].font, ws[f"A{NOTE_ROW}"].alignment = style.note, style.left
    ws.row_dimensions[NOTE_ROW].height = 26
    for i, column in enumerate(COLUMNS, start=1):
        _put(ws, f"{L[column.key]}{HEADER_ROW}", column.header, style, "head")
        ws.column_dimensions[L[column.key]].width = column.width
        if column.kind == "helper":
            ws.column_dimensions[L[column.key]].hidden = True
    ws.row_dimensions[HEADER_ROW].height = 28
    for r, row in enumerate(project.rows, start=first):
        _row(ws, r, r - first + 1, row, formulas, lookup[0], style)
    _totals(ws, first, last, total_row, style)
    validation = DataValidation(type="list", formula1=lookup[1], allow_blank=True, showErrorMessage=True, errorTitle="口径",
                                error="请从下拉列表中选择口径（口径表可在“口径”工作表查看）")
    ws.add_data_validation(validation)
    validation.add(f"{L['basis']}{first}:{L['basis']}{last}")
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.protection.sheet = True
    for what in ("formatCells", "formatColumns", "formatRows"):
        setattr(ws.protection, what, False)
    for ref in (HEAD["reviewer"][1], HEAD["date"][1]):
        ws[ref].protection = Protection(locked=False)
    setup_print(ws, f"复核底稿：{project.unit} {project.name}", landscape=True,
                header_rows=f"{HEADER_ROW}:{HEADER_ROW}", date=day)
    ws.print_area = f"A1:{LAST_PRINTED}{total_row}"
    return last, total_row


def _banded(project: Project) -> dict:
    return {r.name: r.bands for r in project.rows if r.bands}


def _merge(ws, first: str, last: str, style: Style) -> None:
    """Merge a span and border every cell of it (a merged range prints the borders of its own cells)."""
    ws.merge_cells(f"{first}:{last}")
    for row in ws[f"{first}:{last}"]:
        for cell in row:
            cell.border = style.border


def _row(ws, r: int, n: int, row: SourceRow, formulas: excel_rules.NativeFormulas, lookup: str, style: Style) -> None:
    from openpyxl.styles import Protection

    L = LETTER
    value_fmt = PERCENT if row.percent and row.direction != "定性" else None
    source = {"n": n, "level1": row.level1, "level2": row.level2, "name": row.name, "direction": row.direction,
              "target": row.target, "high": row.high, "unit": row.unit, "weight": row.weight, "actual": row.actual,
              "self_score": row.self_score}
    for key, value in source.items():
        fmt = value_fmt if key in ("target", "high", "actual") else next(c.fmt for c in COLUMNS if c.key == key)
        _put(ws, f"{L[key]}{r}", value, style, "source", fmt)
    qualitative = row.direction == "定性"
    for key in ("review_actual", "basis", "opinion"):
        _put(ws, f"{L[key]}{r}", None, style, "input", value_fmt if key == "review_actual" else None,
             align=style.left if key != "review_actual" or qualitative else style.right)
    ref = {k: f"{L[k]}{r}" for k in L}
    adopted = f'=IF(AND({ref["review_actual"]}="",{ref["actual"]}=""),"",IF({ref["review_actual"]}="",' \
              f'{ref["actual"]},{ref["review_actual"]}))'
    _put(ws, ref["adopted"], adopted, style, "formula", value_fmt, formula=True)
    if row.reviewable:
        cells = excel_rules.IndicatorCells(ref["direction"], ref["target"], ref["high"], ref["adopted"], ref["weight"],
                                           ref["name"], ref["self_score"])
        _put(ws, ref["rule_score"], "=" + formulas.indicator(cells), style, "formula", "0.00", formula=True)
    else:
        _put(ws, ref["rule_score"], None, style, "formula")
    basis = ref["basis"]
    _put(ws, ref["keep"], f'=IF({basis}="",1,VLOOKUP({basis},{lookup},2,FALSE))', style, "formula", formula=True)
    _put(ws, ref["deduct"], f'=IF({basis}="",0,VLOOKUP({basis},{lookup},3,FALSE))', style, "formula", formula=True)
    rule = ref["rule_score"]
    if row.reviewable:
        score = (f'=IF({rule}="","",IF(ISNUMBER({rule}),'
                 f'{excel_rules.review_score(rule, ref["keep"], ref["deduct"])},{rule}))')
        _put(ws, ref["review_score"], score, style, "formula", "0.00", formula=True)
        ws[ref["review_score"]].protection = Protection(locked=False)     # a reviewer may type over it
    else:                                   # the rule cannot score it: the reviewer does, and says why
        from openpyxl.comments import Comment

        _put(ws, ref["review_score"], None, style, "input", "0.00")
        ws[ref["review_score"]].fill = style.fills["manual"]
        ws[ref["review_score"]].comment = Comment(row.note, "selfeval")
    dev = ref["deviation"]
    deviation = (f'=IF(AND(ISNUMBER({ref["review_score"]}),ISNUMBER({ref["self_score"]}),ISNUMBER({ref["weight"]})),'
                 f'IF({ref["weight"]}=0,"",{excel_rules.deviation(ref["self_score"], ref["review_score"], ref["weight"])}),"")')
    _put(ws, dev, deviation, style, "formula", "0.0%", formula=True)
    texts = {key: source[key] for key in ("level1", "level2", "name", "actual", "target")}
    if qualitative:        # room for the longest tier phrase a reviewer may type as 复核完成值
        texts["review_actual"] = max((n for t in formulas.settings.tiers for n in t.names), key=len)
    _fit(ws, r, texts)


def _fit(ws, r: int, texts: dict[str, object], widths: dict[str, float] | None = None) -> None:
    """Make row ``r`` tall enough for its wrapped text (LibreOffice does not size rows it opens)."""
    widths = widths or {c.key: c.width for c in COLUMNS}
    lines = max((lines_needed(str(v), int(widths[k]) - 1) for k, v in texts.items() if isinstance(v, str)), default=1)
    if lines > 1:
        ws.row_dimensions[r].height = 13.5 * min(lines, 8)


def _totals(ws, first: int, last: int, total_row: int, style: Style) -> None:
    L = LETTER
    ws.merge_cells(f"A{total_row}:{L['unit']}{total_row}")
    _put(ws, f"A{total_row}", "合计", style, "label")
    for key in ("weight", "self_score", "review_score"):
        span = f"{L[key]}{first}:{L[key]}{last}"
        _put(ws, f"{L[key]}{total_row}", "=" + excel_rules.total(span), style, "formula", "0.00", formula=True)
    for key in ("actual", "review_actual", "basis", "deviation", "opinion"):
        _put(ws, f"{L[key]}{total_row}", None, style, "formula")


def _index(ws, projects: list[Project], names: list[str], draw: Draw | None, rules: ReviewRules, style: Style,
           day: datetime.date) -> None:
    from openpyxl.utils import get_column_letter

    from ..report.printing import setup_print

    headers = ("序号", "单位", "项目", "抽取方式", "风险权重", "全年预算数（万元）", "自评总分", "自评等级", "复核总分",
               "复核等级", "自评 − 复核", "工作表")
    widths = (5, 22, 28, 9, 8, 12, 8, 7, 8, 7, 9, 24)
    kinds = "".join(KIND_NAMES[k] for k in KIND_NAMES if any(p.kind == k for p in projects)) or KIND_NAMES["project"]
    _title(ws, f"{kinds}绩效自评抽查复核底稿", get_column_letter(len(headers)), style)
    how = (f"抽样：种子 {draw.seed}，抽取 {len(draw.drawn)} 个 / 候选 {len(draw.candidates)} 个（重点项目优先，其余按风险加权随机抽取；"
           f"明细见“{DRAW}”工作表）" if draw is not None else f"复核 {len(projects)} 个项目（按命令给出的文件，未抽样）")
    notes = (how, f"口径：{rules.title}（{rules.source}；见“{BASES}”工作表）", f"生成日期：{day.isoformat()}")
    for r, note in enumerate(notes, start=2):
        ws.merge_cells(f"A{r}:{get_column_letter(len(headers))}{r}")
        write_openpyxl(ws[f"A{r}"], note)
        ws[f"A{r}"].font, ws[f"A{r}"].alignment = style.note, style.left
    top = 6
    for i, (header, width) in enumerate(zip(headers, widths), start=1):
        _put(ws, f"{get_column_letter(i)}{top}", header, style, "head")
        ws.column_dimensions[get_column_letter(i)].width = width
    drawn = {c.path + "\0" + c.name: c for c in draw.drawn} if draw is not None else {}
    for n, (project, name) in enumerate(zip(projects, names), start=1):
        r = top + n
        candidate = drawn.get(project.path + "\0" + project.name)
        sheet = quote_sheet(name)
        title = project.name if project.kind == "project" else f"{project.name}（{KIND_NAMES[project.kind]}）"
        values = (n, project.unit, title, candidate.drawn if candidate else "指定",
                  candidate.weight if candidate else None, project.budget, _self_total(project), project.grade)
        for i, value in enumerate(values, start=1):
            _put(ws, f"{get_column_letter(i)}{r}", value, style,
                 fmt="#,##0.00" if i == 6 else "0.00" if i in (5, 7) else None)
        for i, key in ((9, "review_total"), (10, "review_grade"), (11, "gap")):
            _put(ws, f"{get_column_letter(i)}{r}", f"={sheet}!{HEAD[key][1]}", style, "formula",
                 "0.00" if i != 10 else None, formula=True)
        link = ws[f"L{r}"]
        link.value = f'=HYPERLINK("#{sheet.replace(chr(34), chr(34) * 2)}!A1","{name.replace(chr(34), chr(34) * 2)}")'
        link.font, link.border, link.alignment = style.link, style.border, style.left
    ws.freeze_panes = f"A{top + 1}"
    setup_print(ws, "抽查复核底稿：索引", landscape=True, header_rows=f"{top}:{top}", date=day)


def _draw(ws, draw: Draw, style: Style, day: datetime.date) -> None:
    from openpyxl.utils import get_column_letter

    from ..report.printing import setup_print

    factors = list(draw.factor_weights)
    headers = ("序号", "单位", "项目", "文件", "SHA-256（前 16 位）", "全年预算数（万元）",
               *(f"{FACTOR_NAMES.get(k, k)}（×{w:g}）" for k, w in draw.factor_weights.items()), "权重", "抽取", "抽取顺序")
    widths = (5, 20, 24, 30, 17, 11, *(8 for _ in factors), 7, 8, 7)
    _title(ws, "抽样记录", get_column_letter(len(headers)), style)
    note = (f"种子 {draw.seed}；抽取 {draw.n} 个；权重 = {draw.base:g} + Σ 因子 × 系数（因子在 0–1 之间）；规则文件 "
            f"{draw.rules}；抽样时间 {draw.made}。同样的文件、种子和规则重新抽样，结果相同（selfeval review sample --seed "
            f"{draw.seed}）。")
    ws.merge_cells(f"A2:{get_column_letter(len(headers))}2")
    write_openpyxl(ws["A2"], note)
    ws["A2"].font, ws["A2"].alignment = style.note, style.left
    ws.row_dimensions[2].height = 30
    for i, (header, width) in enumerate(zip(headers, widths), start=1):
        _put(ws, f"{get_column_letter(i)}4", header, style, "head")
        ws.column_dimensions[get_column_letter(i)].width = width
    for n, c in enumerate(draw.candidates, start=1):
        values = (n, c.unit, c.name, c.path, c.digest[:16], c.budget, *(c.factors.get(k) for k in factors), c.weight,
                  c.drawn or "—", c.order or None)
        for i, value in enumerate(values, start=1):
            fmt = "#,##0.00" if i == 6 else "0.00" if 6 < i <= 7 + len(factors) else None
            _put(ws, f"{get_column_letter(i)}{4 + n}", value, style, fmt=fmt)
    ws.freeze_panes = "A5"
    setup_print(ws, "抽查复核底稿：抽样记录", landscape=True, header_rows="4:4", date=day)


def _meta(ws, meta: list[tuple]) -> None:
    ws.sheet_state = "hidden"
    for i, header in enumerate(META_COLUMNS, start=1):
        ws.cell(1, i, header)
    for r, values in enumerate(meta, start=2):
        for i, value in enumerate(values, start=1):
            write_openpyxl(ws.cell(r, i), value)
