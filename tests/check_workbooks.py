"""Test workbooks in the official layouts, built with openpyxl the way a department types its own copy
(NOT from our template): any offset, merged 一级 / 二级 cells, numbers as text, extra blank rows.

``build_project`` / ``build_department`` return a map from logical names to the cells they wrote, so a
test seeds an error in one cell and expects the finding at exactly that cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因)
PROJECT_ROWS = [
    ("产出指标", "数量指标", "人物专辑", "21集", "21集", 15, 15, ""),
    ("产出指标", "数量指标", "街道专辑", "20集", "20集", 15, 15, ""),
    ("产出指标", "时效指标", "展厅正常开放", "≥150天", "162天", 10, 10, ""),
    ("产出指标", "质量指标", "档案安全管理", "安全无事故", "达成年度指标", 10, 10, ""),
    ("效益指标", "社会效益指标", "参观人数", "≥4万人次", "46845人次", 15, 15, ""),
    ("效益指标", "社会效益指标", "抢救破损档案", "≥10000张", "10232张", 15, 15, ""),
    ("满意度指标", "服务对象满意度指标", "观众满意度", "≥90%", "99.5%", 10, 10, ""),
]
PROJECT_FUNDS = [  # label, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分
    ("年度资金总额", 1014.4, 1014.4, 1011.98, 10, 0.9976, 9.98),
    ("其中：当年财政拨款", 1014.4, 1014.4, 1011.98, "—", "—", "—"),
    ("上年结转资金", 0, 0, 0, "—", "—", "—"),
    ("其他资金", 0, 0, 0, "—", "—", "—"),
]
PROJECT_TOTAL, PROJECT_GRADE = 99.98, "优"

# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 自评得分, 扣分原因); 小计 rows are added by the builder
DEPARTMENT_ROWS = [
    ("管理效能", "资金管理", "预算完成率", "≥95%", "99.76%", 16, 16, ""),
    ("管理效能", "采购管理", "政府采购执行率", "100%", "100%", 2, 2, ""),
    ("管理效能", "信息公开管理", "预决算信息公开性", "达成年度指标", "达成年度指标", 4, 4, ""),
    ("管理效能", "资产管理", "资产管理安全性", "达成年度指标", "达成年度指标", 4, 4, ""),
    ("管理效能", "成本管理", "单位成本控制情况", "达成年度指标", "部分达成年度指标并具有一定效果", 4, 2.8, "个别项目成本偏高"),
    ("管理效能", "绩效管理", "管理制度健全性", "达成年度指标", "达成年度指标", 15, 15, ""),
    ("履职效能", "产出数量", "人物专辑", "21集", "21集", 16, 16, ""),
    ("履职效能", "产出数量", "展厅正常开放", "≥150天", "162天", 16, 16, ""),
    ("履职效能", "社会效益", "参观人数", "≥4万人次", "46845人次", 10, 10, ""),
    ("履职效能", "服务对象满意度", "观众满意度", "≥90%", "99.5%", 8, 8, ""),
]
DEPARTMENT_FUNDS = [  # label, 支出预算数, 支出决算数, 预算完成率
    ("合计", 1014.4, 1011.98, 0.9976),
    ("其中：基本支出", 800, 798.5, 0.9981),
    ("项目支出", 214.4, 213.48, 0.9957),
]
DEPARTMENT_SUBTOTALS = {"管理效能": (45, 43.8), "履职效能": (50, 50)}
DEPARTMENT_BONUS = (5, 0)
DEPARTMENT_TOTAL, DEPARTMENT_GRADE = 93.8, "优"


@dataclass
class Built:
    """Where the builder put things: logical name → (row, col) 1-based; ``ref(name)`` → ``"H14"``."""

    path: Path
    sheet: str
    cells: dict[Any, tuple[int, int]] = field(default_factory=dict)

    def ref(self, name: Any) -> str:
        row, col = self.cells[name]
        return f"{get_column_letter(col)}{row}"


def _fmt(value: Any, text_numbers: bool, percent: bool = False) -> Any:
    if not text_numbers or isinstance(value, str):
        return value
    if percent:
        return f"{value * 100:.2f}%"
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def build_project(path: Path, *, top: int = 1, left: int = 1, text_numbers: bool = False, merged: bool = True,
                  blank_rows: bool = False, rows=None, funds=None, edits: dict | None = None,
                  sheet: str = "自评表", unit_label: str = "项目资金（万元）", extra_sheets: int = 0,
                  total: Any = PROJECT_TOTAL, grade: Any = PROJECT_GRADE) -> Built:
    """A 项目支出绩效自评表 typed by hand. ``edits`` maps logical names (see ``Built.cells``) to values
    that replace what would have been written: ``("ind", i, "score")``, ``("funds", "total", "rate")``,
    ``("field", "project_name")``, ``"total"``, ``"grade"``."""
    rows = PROJECT_ROWS if rows is None else rows
    funds = PROJECT_FUNDS if funds is None else funds
    edits = dict(edits or {})
    wb = Workbook()
    for i in range(extra_sheets):
        wb.active.title = f"其他{i}"
        wb.active["A1"] = "项目基本信息"
        wb.create_sheet()
    ws = wb.active if not extra_sheets else wb.worksheets[-1]
    ws.title = sheet
    built = Built(path, sheet)
    r = top

    def put(name, row, col, value, percent=False):
        value = edits.pop(name, value)
        built.cells[name] = (row, col)
        if value is not None and value != "":
            ws.cell(row, col, _fmt(value, text_numbers, percent))

    c = left
    ws.cell(r, c, "项目支出绩效自评表（2021年度）")
    r += 1
    ws.cell(r, c, "项目名称")
    put(("field", "project_name"), r, c + 2, "声像档案专辑制作项目")
    r += 1
    ws.cell(r, c, "主管部门")
    put(("field", "department"), r, c + 2, "广州市档案局")
    ws.cell(r, c + 4, "实施单位")
    put(("field", "implementer"), r, c + 5, "广州市档案发展中心")
    r += 1
    ws.cell(r, c, unit_label)
    for j, h in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        ws.cell(r, c + 2 + j, h)
    keys = ("initial", "budget", "spent", "weight", "rate", "score")
    fund_keys = ("total", "current", "carryover", "other")
    for key, line in zip(fund_keys, funds):
        r += 1
        ws.cell(r, c, line[0])
        if merged:
            ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)
        for j, value in enumerate(line[1:]):
            put(("funds", key, keys[j]), r, c + 2 + j, value, percent=keys[j] == "rate")
    r += 1
    ws.cell(r, c, "年度总体目标")
    ws.cell(r, c + 1, "预期目标")
    ws.cell(r, c + 5, "实际完成情况")
    r += 1
    put(("goal", "expected"), r, c + 1, "完成人物专辑21集、街道专辑20集的拍摄制作")
    put(("goal", "achieved"), r, c + 5, "全部完成，预算执行率99.76%；观众满意度经问卷调查取得")
    if blank_rows:
        r += 2
    r += 1
    for j, h in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                           "偏差原因分析及改进措施")):
        ws.cell(r, c + j, h)
    built.cells["header"] = (r, c)
    written = []
    for i, line in enumerate(rows):
        r += 1
        if blank_rows and i == 2:
            r += 1
        written.append(r)
        for j, value in enumerate(line):
            put(("ind", i, ("level1", "level2", "level3", "target", "actual", "weight", "score", "reason")[j]),
                r, c + j, value)
    if merged:
        _merge_runs(ws, written, c, [line[0] for line in rows])
        _merge_runs(ws, written, c + 1, [(line[0], line[1]) for line in rows])
    r += 1
    ws.cell(r, c, "总分")
    if merged:
        ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 4)
    put("total_weight", r, c + 5, 100)
    put("total", r, c + 6, total)
    r += 1
    ws.cell(r, c, "等级")
    put("grade", r, c + 6, grade)
    assert not edits, f"unused edits: {edits}"
    wb.save(path)
    return built


def _merge_runs(ws, rows: list[int], col: int, keys: list) -> None:
    """Merge each run of equal keys in a column, the value kept only in its first row (as Excel does)."""
    i = 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and keys[j + 1] == keys[i]:
            j += 1
        if j > i:
            for row in rows[i + 1:j + 1]:
                ws.cell(row, col).value = None
            ws.merge_cells(start_row=rows[i], start_column=col, end_row=rows[j], end_column=col)
        i = j + 1


def build_department(path: Path, *, top: int = 1, left: int = 1, text_numbers: bool = False,
                     edits: dict | None = None, funds=None, rows=None, subtotals=None, bonus=DEPARTMENT_BONUS,
                     total: Any = DEPARTMENT_TOTAL, grade: Any = DEPARTMENT_GRADE, unit: str = "广州市档案发展中心",
                     sheet: str = "部门整体自评表") -> Built:
    """A 部门整体支出绩效自评表 typed by hand, with 小计 rows, merged 一级 cells and a 加减分项 row."""
    rows = DEPARTMENT_ROWS if rows is None else rows
    funds = DEPARTMENT_FUNDS if funds is None else funds
    subtotals = DEPARTMENT_SUBTOTALS if subtotals is None else subtotals
    edits = dict(edits or {})
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    built = Built(path, sheet)

    def put(name, row, col, value, percent=False):
        value = edits.pop(name, value)
        built.cells[name] = (row, col)
        if value is not None and value != "":
            ws.cell(row, col, _fmt(value, text_numbers, percent))

    r, c = top, left
    ws.cell(r, c, "部门整体支出绩效自评表（2021年度）")
    r += 1
    ws.cell(r, c, "部门（单位）名称")
    ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)
    put(("field", "unit_name"), r, c + 2, unit)
    r += 1
    ws.cell(r, c, "资金情况（万元）")
    for j, h in enumerate(("支出预算数", "支出决算数", "预算完成率")):
        ws.cell(r, c + 3 + j, h)
    for key, line in zip(("total", "basic", "project"), funds):
        r += 1
        ws.cell(r, c + 1, line[0])
        for j, value in enumerate(line[1:]):
            put(("funds", key, ("budget", "spent", "rate")[j]), r, c + 3 + j, value, percent=j == 2)
    r += 1
    for j, h in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "自评得分", "扣分原因")):
        ws.cell(r, c + j, h)
    built.cells["header"] = (r, c)
    current = None
    start = None
    for i, line in enumerate(rows):
        r += 1
        if line[0] != current:
            current, start = line[0], r
        for j, value in enumerate(line):
            name = ("ind", i, ("level1", "level2", "level3", "target", "actual", "weight", "score", "reason")[j])
            if j == 0 and r != start:
                built.cells[name] = (r, c)
                continue
            put(name, r, c + j, value)
        if i + 1 == len(rows) or rows[i + 1][0] != current:
            if r > start:
                ws.merge_cells(start_row=start, start_column=c, end_row=r, end_column=c)
            if current in subtotals:
                r += 1
                ws.cell(r, c, f"{current}小计")
                put(("subtotal", current, "weight"), r, c + 5, subtotals[current][0])
                put(("subtotal", current, "score"), r, c + 6, subtotals[current][1])
    if bonus is not None:
        r += 1
        ws.cell(r, c, "加减分项")
        put(("bonus", "weight"), r, c + 5, bonus[0])
        put(("bonus", "score"), r, c + 6, bonus[1])
    r += 1
    ws.cell(r, c, "总分")
    put("total_weight", r, c + 5, 100)
    put("total", r, c + 6, total)
    r += 1
    ws.cell(r, c, "等级")
    put("grade", r, c + 6, grade)
    assert not edits, f"unused edits: {edits}"
    wb.save(path)
    return built
