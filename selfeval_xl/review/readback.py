"""Reading a filled 复核底稿 back: every row's 复核得分 recomputed by the one rule, and the 底稿 checked.

Why recompute instead of trusting the cells: a 底稿 comes back from Excel, WPS or LibreOffice — or from
a script that never recalculated — and a reviewer may have typed over a 复核得分 or a total. Each row
is scored again here (:func:`selfeval_xl.core.scoring.score_indicator` on the value scored, a 定性 自评得分
kept inside its band by :func:`rules.qual_score_kept`, the 口径's effect by :func:`rules.review_score`),
exactly what the cell's formula computes; a typed score is the reviewer's and is held to its 口径
(:class:`Problem`): a changed score needs a 口径, a 口径's effect decides the score unless it is 酌情.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.limits import DEFAULT_LIMITS, Limits
from ..core.model import quote_sheet
from ..core.rules import RuleError, Settings, deviation, grade, qual_score_kept, review_score, total_score, xl_round
from ..core.sanitize import openpyxl_text
from .columns import BASES, HEAD, LETTER, META, META_COLUMNS
from .config import Basis, ReviewRules
from .projects import EXEC_LEVEL, KINDS

TOLERANCE = Decimal("0.005")


class SheetError(ValueError):
    """A file that is not a 复核底稿 of ours (or cannot be read): the message says why."""


@dataclass(frozen=True)
class Problem:
    """Something wrong in the filled 底稿 itself, at its cell."""

    sheet: str
    cell: str
    message: str

    @property
    def place(self) -> str:
        return f"{quote_sheet(self.sheet)}!{self.cell}" if self.cell else quote_sheet(self.sheet)


@dataclass
class ReviewedRow:
    sheet: str
    row: int
    level1: str
    level2: str
    name: str
    weight: Decimal | None
    actual: Any
    self_score: Decimal | None
    review_actual: Any
    basis: Basis | None
    basis_text: str
    opinion: str
    percent: bool
    rule_score: Decimal | None = None       # the rule on the value scored, before the 口径
    expected: Decimal | None = None         # what the formula computes: the rule, then the 口径's effect
    score: Decimal | None = None            # the 复核得分 that counts: a typed one, else ``expected``
    typed: bool = False
    cached: Any = None                      # the value the 底稿 holds for the 复核得分 cell

    @property
    def cell(self) -> str:
        return f"{LETTER['review_score']}{self.row}"

    @property
    def indicator(self) -> bool:
        return self.level1 != EXEC_LEVEL

    @property
    def deviation(self) -> float | None:
        """(自评得分 − 复核得分) ÷ 权重 (:func:`rules.deviation`); None where a figure is missing."""
        if self.score is None or self.self_score is None or not self.weight:
            return None
        return deviation(self.self_score, self.score, self.weight)

    @property
    def changed(self) -> bool:
        return self.score is not None and self.self_score is not None and xl_round(self.self_score) != self.score


@dataclass
class ReviewedProject:
    sheet: str
    path: str
    unit: str
    name: str
    system: str
    settings: Settings
    self_total: Decimal | None
    self_grade: str
    rows: list[ReviewedRow] = field(default_factory=list)
    kind: str = "project"                   # or "department": a 部门整体 table, counted apart in the 结论

    @property
    def review_total(self) -> Decimal | None:
        scores = [r.score for r in self.rows if r.score is not None]
        return total_score(scores) if scores else None

    @property
    def review_grade(self) -> str:
        total = self.review_total
        try:
            return grade(total, self.settings) if total is not None else ""
        except RuleError:
            return ""


@dataclass
class FilledSheet:
    path: Path
    projects: list[ReviewedProject]
    problems: list[Problem]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return Decimal(str(value))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def guard_xlsx(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """The guards every input passes before openpyxl opens it (a FIFO, a zip bomb, too many sheets):
    :class:`SheetError` saying why."""
    import zipfile

    from ..read.guard import path_problem, sheet_count_problem, zip_problem

    why = path_problem(path, limits)
    if why:
        raise SheetError(why)
    try:
        with zipfile.ZipFile(path) as zf:
            why = zip_problem(zf, limits) or sheet_count_problem(
                sum(n.startswith("xl/worksheets/") and n.endswith(".xml") for n in zf.namelist()), limits)
    except zipfile.BadZipFile:
        raise SheetError("不是 .xlsx 工作簿（文件已损坏或格式不对）/ not an .xlsx workbook") from None
    if why:
        raise SheetError(why)


def open_filled(path: str | Path, limits: Limits = DEFAULT_LIMITS):
    """The 底稿 opened twice (formulas, cached values), after the guards every input passes."""
    from openpyxl import load_workbook

    guard_xlsx(path, limits)
    formulas = load_workbook(path, data_only=False)
    values = load_workbook(path, data_only=True)
    if META not in formulas.sheetnames:
        raise SheetError("不是 selfeval review sheet 生成的复核底稿（缺少隐藏的 _review 工作表）/ "
                         "not a 复核底稿 written by selfeval review sheet")
    return formulas, values


def read_filled(path: str | Path, rules: ReviewRules, limits: Limits = DEFAULT_LIMITS,
                system_ref: str | None = None) -> FilledSheet:
    """Every project of a filled 底稿, each row recomputed (under ``system_ref`` if given, else the system
    each sheet names), and the problems of the 底稿 itself."""
    formulas, values = open_filled(path, limits)
    problems: list[Problem] = []
    _bases_agree(formulas, rules, problems)
    projects = []
    meta = formulas[META]
    for line in meta.iter_rows(min_row=2, values_only=True):
        info = {k: openpyxl_text(v) if isinstance(v, str) else v for k, v in zip(META_COLUMNS, line)}   # our writes
        if not info.get("sheet"):
            continue
        if info["sheet"] not in formulas.sheetnames:
            problems.append(Problem(str(info["sheet"]), "", "工作表已被删除或改名，该项目未读取"))
            continue
        if not all(isinstance(info.get(k), int) and 0 < info[k] <= limits.rows for k in ("first", "last", "total_row")):
            problems.append(Problem(META, "", f"隐藏的 {META} 工作表被改动（{info['sheet']} 的行号），该项目未读取"))
            continue
        projects.append(_project(formulas[info["sheet"]], values[info["sheet"]], info, rules, problems, system_ref))
    return FilledSheet(Path(path), projects, problems)


def read_isolated(path: str | Path, rules: ReviewRules, limits: Limits = DEFAULT_LIMITS,
                  system_ref: str | None = None) -> FilledSheet:
    """:func:`read_filled` in a worker process under ``limits`` (seconds, memory): a 底稿 is a file that
    travelled (to a reviewer's PC and back), read like any stranger's file. A worker that dies or
    overruns is a :class:`SheetError` that says so."""
    from functools import partial

    from ..isolation.pool import isolated

    def lost(item, why: str) -> SheetError:
        return SheetError(f"复核底稿无法读取：{why} / the 底稿 could not be read")

    read = partial(_read_or_error, rules=rules, limits=limits, system_ref=system_ref)
    answer = next(isolated(read, [str(path)], 1, limits, on_loss=lost))
    if isinstance(answer, SheetError):
        raise answer
    return answer


def _read_or_error(path: str, rules: ReviewRules, limits: Limits, system_ref: str | None) -> FilledSheet | SheetError:
    """In the worker: the sheet, or the reason it is not one (an exception does not cross back whole)."""
    try:
        return read_filled(path, rules, limits, system_ref)
    except SheetError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - a stranger's file: openpyxl's failure is its verdict
        return SheetError(f"复核底稿无法读取（{type(exc).__name__}），文件可能已损坏 / the 底稿 cannot be read")


def _bases_agree(wb, rules: ReviewRules, problems: list[Problem]) -> None:
    """The 口径 sheet the formulas looked up must say what the rules file says (a 口径 edited in one
    place only would make the cells and the report disagree)."""
    if BASES not in wb.sheetnames:
        problems.append(Problem(BASES, "", "缺少口径工作表，复核得分公式无法查找口径"))
        return
    for r, (label, keep, deduct) in enumerate(wb[BASES].iter_rows(min_row=2, min_col=2, max_col=4, values_only=True),
                                              start=2):
        if _blank(label):
            continue
        basis = rules.basis(label)
        if basis is None:
            problems.append(Problem(BASES, f"B{r}", f"口径“{label}”不在规则文件 {rules.source} 中"))
        elif (_number(keep), _number(deduct)) != (Decimal(str(basis.keep)), Decimal(str(basis.deduct))):
            problems.append(Problem(BASES, f"C{r}", f"口径“{label}”的保留比例/扣减分（{keep}/{deduct}）与规则文件 "
                                                    f"{rules.source} 不同（{basis.keep:g}/{basis.deduct:g}）"))


def _system(name: str, kind: str, sheet: str, problems: list[Problem]):
    """The indicator system a sheet names (``--system`` may name it for all: a bureau's own file is
    recorded by its name only); one the 底稿 names that cannot be loaded: the default of its table's
    kind, said."""
    from ..core.system import load_system

    kind = kind if kind in KINDS else "project"
    try:
        return load_system(name or None, kind)
    except Exception as exc:  # noqa: BLE001 - a system named in the 底稿 that is gone: default, and say so
        problems.append(Problem(sheet, "", f"指标体系 {name} 无法加载（{exc}），按默认体系计算（可用 --system 指定）"))
        return load_system(None, kind)


def _project(ws, cached, info: dict, rules: ReviewRules, problems: list[Problem], system_ref: str | None = None
             ) -> ReviewedProject:
    sheet = ws.title
    system = _system(system_ref or str(info.get("system") or ""), str(info.get("kind") or ""), sheet, problems)
    settings, bands = system.settings, system.bands_for
    project = ReviewedProject(sheet, str(info.get("path") or ""), str(info.get("unit") or ""),
                              str(info.get("name") or ""), str(info.get("system") or ""), settings,
                              _number(info.get("self_total")), str(info.get("self_grade") or ""),
                              kind="department" if info.get("kind") == "department" else "project")
    first, last, total_row = int(info["first"]), int(info["last"]), int(info["total_row"])
    for r in range(first, last + 1):
        project.rows.append(_row(ws, cached, r, settings, bands, rules, problems))
    _totals(ws, cached, project, total_row, problems)
    return project


def _row(ws, cached, r: int, settings: Settings, bands, rules: ReviewRules, problems: list[Problem]) -> ReviewedRow:
    from ..core.scoring import score_indicator

    def at(key: str, book=ws) -> Any:
        return book[f"{LETTER[key]}{r}"].value

    basis_text = "" if _blank(at("basis")) else " ".join(str(at("basis")).split())
    basis = rules.basis(basis_text) if basis_text else None
    row = ReviewedRow(ws.title, r, str(at("level1") or ""), str(at("level2") or ""), str(at("name") or ""),
                      _number(at("weight")), at("actual"), _number(at("self_score")), at("review_actual"), basis,
                      basis_text, "" if _blank(at("opinion")) else str(at("opinion")).strip(),
                      "%" in (ws[f"{LETTER['actual']}{r}"].number_format or ""))
    where = row.cell
    if basis_text and basis is None:
        problems.append(Problem(ws.title, f"{LETTER['basis']}{r}", f"口径“{basis_text}”不在口径表中，按无口径计算"))
    adopted = row.actual if _blank(row.review_actual) else row.review_actual
    if _formula(at("rule_score")) and not _blank(adopted):
        try:
            scored = score_indicator(at("target"), adopted, at("weight"), at("direction"), at("high"), settings,
                                     bands=bands(row.name))
            row.rule_score = (qual_score_kept(scored.tier, row.weight, row.self_score, settings)
                              if scored.tier is not None else scored.score)
            if row.rule_score is None:
                problems.append(Problem(ws.title, f"{LETTER['review_actual']}{r}",
                                        f"“{row.name}”的完成值“{adopted}”未指明定性档次（达成/部分达成/未达成），无法计分"))
        except RuleError as exc:
            problems.append(Problem(ws.title, f"{LETTER['review_actual']}{r}", f"“{row.name}”无法按规则计分：{exc.message}"))
    if row.rule_score is not None:
        keep, deduct = (basis.keep, basis.deduct) if basis else (1.0, 0.0)
        row.expected = review_score(row.rule_score, keep, deduct)
    value = at("review_score")
    row.cached = at("review_score", cached)
    if _formula(value) or (_blank(value) and _formula(at("rule_score"))):
        row.score = row.expected
        shown = _number(row.cached)
        if row.expected is not None and shown is not None and abs(shown - row.expected) > TOLERANCE:
            problems.append(Problem(ws.title, where, f"“{row.name}”复核得分单元格显示 {shown}，按规则和口径应为 "
                                                     f"{row.expected}（公式被改动，或保存前未重新计算）"))
        if basis is not None and basis.effect == "judged":
            problems.append(Problem(ws.title, where, f"“{row.name}”选了酌情评分口径“{basis.label}”，请在复核得分中填写分数"))
    elif _number(value) is not None:
        row.score, row.typed = xl_round(_number(value)), True
        _typed(row, problems)
    elif _blank(value):
        problems.append(Problem(ws.title, where, f"“{row.name}”须人工复核，复核得分为空，未计入复核总分"))
    else:
        problems.append(Problem(ws.title, where, f"“{row.name}”的复核得分“{value}”不是数字，未计入复核总分"))
    if row.score is not None and row.weight is not None and not Decimal(0) <= row.score <= row.weight:
        problems.append(Problem(ws.title, where, f"“{row.name}”复核得分 {row.score} 超出 0–{row.weight} 分"))
    return row


def _typed(row: ReviewedRow, problems: list[Problem]) -> None:
    """A 复核得分 typed over its formula: it stands where the 口径 lets the reviewer decide (酌情, or a
    row the rule cannot score with a 口径 saying why); otherwise it must be what the 口径 gives."""
    basis, where = row.basis, row.cell
    if basis is not None and basis.effect == "judged":
        if not row.opinion:
            problems.append(Problem(row.sheet, f"{LETTER['opinion']}{row.row}",
                                    f"“{row.name}”酌情评分 {row.score}，须在复核意见中写明理由"))
        return
    if row.expected is None:                       # a row the reviewer scores by hand
        if basis is None and row.changed:
            problems.append(Problem(row.sheet, f"{LETTER['basis']}{row.row}",
                                    f"“{row.name}”人工复核得分 {row.score} 与自评 {row.self_score} 不同，未选口径"))
        elif basis is not None and basis.effect == "zero" and row.score != 0:
            problems.append(Problem(row.sheet, where, f"“{row.name}”口径“{basis.label}”不得分，复核得分却为 {row.score}"))
        return
    if row.score == row.expected:
        return
    if basis is None:
        problems.append(Problem(row.sheet, f"{LETTER['basis']}{row.row}",
                                f"“{row.name}”复核得分改为 {row.score}（按规则为 {row.expected}），未选口径"))
    else:
        problems.append(Problem(row.sheet, where, f"“{row.name}”复核得分 {row.score} 与口径“{basis.label}”的效果"
                                                  f"（{basis.effect_words}）不符，应为 {row.expected}"))


def _totals(ws, cached, project: ReviewedProject, total_row: int, problems: list[Problem]) -> None:
    """A total typed over (the 合计 row's 复核得分, the head's 复核总分) must still be the sum."""
    total = project.review_total
    for ref in (f"{LETTER['review_score']}{total_row}", HEAD["review_total"][1]):
        value = ws[ref].value
        if not _formula(value) and _number(value) is not None and total is not None \
                and abs(_number(value) - total) > TOLERANCE:
            problems.append(Problem(ws.title, ref, f"复核总分被改写为 {value}，各指标复核得分合计为 {total}"))
