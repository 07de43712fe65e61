"""A gallery of forms as departments really send them, typed cell by cell with openpyxl (never from our
template): the national layout saved from WPS in Anhui, the Sichuan 部门预算项目支出绩效自评表, the 2021
national layout with 成本指标, a Hebei table with the form's placeholder rows, and 部门整体 tables with
first-level 产出/效益/满意度 (an Anhui one with a 年度资金总额 block, a Guizhou one whose funds block is
年初预算数(A) | 全年执行数(B) | 分值 | 得分 | 得分计算方法), each at any offset.

Every builder returns a :class:`check_workbooks.Built` (logical name → cell), so a test plants a problem
in one cell by ``edits`` and expects the finding at exactly that cell; without edits the copy is correct
and must draw no finding at all.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from check_workbooks import Built

INDICATOR_KEYS = ("level1", "level2", "level3", "target", "actual", "weight", "score", "reason")


class Form:
    """One sheet being typed: ``label`` writes text, ``put`` a value under a logical name (an edit given
    for that name replaces it), both at (row, col) counted from the form's top-left corner."""

    def __init__(self, path: Path, sheet: str, edits: dict | None, top: int, left: int):
        self.wb = Workbook()
        self.ws = self.wb.active
        self.ws.title = sheet
        self.built = Built(path, sheet)
        self.edits = dict(edits or {})
        self.top, self.left = top, left

    def at(self, r: int, c: int) -> tuple[int, int]:
        return self.top + r - 1, self.left + c - 1

    def label(self, r: int, c: int, text: Any, span: int = 0, down: int = 0) -> None:
        row, col = self.at(r, c)
        self.ws.cell(row, col, text)
        if span or down:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=row + down, end_column=col + span)

    def put(self, name: Any, r: int, c: int, value: Any) -> None:
        value = self.edits.pop(name, value)
        row, col = self.at(r, c)
        self.built.cells[name] = (row, col)
        if value is not None and value != "":
            self.ws.cell(row, col, value)

    def merge_down(self, c: int, rows: list[int], keys: list) -> None:
        """Merge each run of equal keys in column ``c`` (rows as given), the value in its first row."""
        i = 0
        while i < len(keys):
            j = i
            while j + 1 < len(keys) and keys[j + 1] == keys[i]:
                j += 1
            for r in rows[i + 1:j + 1]:
                self.ws.cell(*self.at(r, c)).value = None
            if j > i:
                (r0, col), (r1, _) = self.at(rows[i], c), self.at(rows[j], c)
                self.ws.merge_cells(start_row=r0, start_column=col, end_row=r1, end_column=col)
            i = j + 1

    def save(self) -> Built:
        assert not self.edits, f"unused edits: {self.edits}"
        self.wb.save(self.built.path)
        return self.built


def _national(form: Form, title: str, fields: list[tuple[str, str, str]], funds_label: str,
              funds: list[tuple], goal: tuple[str, str], header: tuple[str, ...], rows: list[tuple],
              total: Any, grade: str, placeholders: dict[int, list[str]] | None = None) -> int:
    """The national 项目支出绩效自评表 as typed (labels as given, so WPS-style text can be passed in);
    ``placeholders[i]``: the form's empty slot rows typed after indicator ``i``. Returns the last row."""
    form.label(1, 1, title, span=7)
    r = 2
    for i in range(0, len(fields), 2):
        for j, (key, label, value) in enumerate(fields[i:i + 2]):
            form.label(r, 1 + 4 * j, label)
            form.put(("field", key), r, 3 + 4 * j if j else 3, value)
        r += 1
    form.label(r, 1, funds_label, span=1)
    for j, h in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        form.label(r, 3 + j, h)
    for key, (label, *values) in zip(("total", "current", "carryover", "other"), funds):
        r += 1
        form.label(r, 1, label, span=1)
        for j, value in enumerate(values):
            form.put(("funds", key, ("initial", "budget", "spent", "weight", "rate", "score")[j]), r, 3 + j, value)
    r += 1
    form.label(r, 1, "年度总体目标")
    form.label(r, 2, "预期目标", span=2)
    form.label(r, 5, "实际完成情况", span=3)
    r += 1
    form.put(("goal", "expected"), r, 2, goal[0])
    form.put(("goal", "achieved"), r, 5, goal[1])
    r += 1
    for j, h in enumerate(header):
        form.label(r, 1 + j, h)
    written, level1s, level2s = [], [], []
    for i, line in enumerate(rows):
        r += 1
        written.append(r)
        level1s.append(line[0])
        level2s.append((line[0], line[1]))
        for j, value in enumerate(line):
            form.put(("ind", i, INDICATOR_KEYS[j]), r, 1 + j, value)
        for text in (placeholders or {}).get(i, []):
            r += 1
            written.append(r)
            level1s.append(line[0])
            own_level2 = text.startswith("二级:")
            level2s.append((line[0], text) if own_level2 else (line[0], line[1]))
            form.label(r, 2 if own_level2 else 3, text.removeprefix("二级:"))
    form.merge_down(1, written, level1s)
    form.merge_down(2, written, level2s)
    r += 1
    form.label(r, 1, "总分", span=4)
    form.put("total_weight", r, 6, 100)
    form.put("total", r, 7, total)
    r += 1
    form.label(r, 1, "等级", span=4)
    form.put("grade", r, 7, grade)
    return r


# --------------------------------------------------------------------------- Anhui (WPS, national 2020)

ANHUI_ROWS = [
    ("产出指标", "数量指标", "新建集中供水工程", "≥2处", "2处", 20, 20, ""),
    ("产出指标", "质量指标", "工程验收合格率", "100%", "100%", 10, 10, ""),
    ("产出指标", "时效指标", "工程完工时间", "9月前", "8月", 10, 10, ""),
    ("产出指标", "成本指标", "项目总成本", "≤90万元", "89.974万元", 10, 10, ""),
    ("效益指标", "社会效益指标", "受益人口", "≥5000人", "5200人", 15, 15, ""),
    ("效益指标", "可持续影响指标", "工程长效运行", "长效运行", "达成年度指标", 15, 15, ""),
    ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "95%", 10, 10, ""),
]
ANHUI_FUNDS = [
    ("年度资金总额:", 90, 90, 89.974, 10, 0.9997, 10),
    ("其中:本年财政拨款", 90, 90, 89.974, "—", "—", "—"),
    ("上年结转资金", 0, 0, 0, "—", "—", "—"),
    ("其他资金", 0, 0, 0, "—", "—", "—"),
]
ANHUI_AS_SENT = {  # the real case: 年度资金总额 0/0/0 beside 财政拨款 90/89.974/89.974, so 执行率 0 and 得分 0
    ("funds", "total", "initial"): 0, ("funds", "total", "budget"): 0, ("funds", "total", "spent"): 0,
    ("funds", "total", "rate"): 0, ("funds", "total", "score"): 0, "total": 90,
}


def anhui(path: Path, edits: dict | None = None, top: int = 1, left: int = 1, rows: list | None = None,
          code: str = "") -> Built:
    """A county's project table in the national layout, saved from WPS: ASCII colons and brackets, line
    breaks in headers, 本年财政拨款 for 当年财政拨款. ``code``: a 报表编号 typed right of the title."""
    form = Form(path, "Sheet1", edits, top, left)
    if code:
        form.label(1, 9, f"报表编号：{code}")
    _national(form, "项目支出绩效自评表\n( 2022年度 )",
              [("project_name", "项目名称:", "农村饮水安全巩固提升工程"), ("department", "主管部门:", "某县水利局"),
               ("implementer", "实施单位:", "某县水利局")],
              "项目资金\n(万元)", ANHUI_FUNDS, ("新建集中供水工程2处", "已完成2处工程建设，资金执行99.97%"),
              ("一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分", "偏差原因分析\n及改进措施"),
              ANHUI_ROWS if rows is None else rows, 100, "优")
    return form.save()


# --------------------------------------------------------------------------- Hebei 2019 (placeholders)

HEBEI_ROWS = [
    ("产出指标", "数量指标", "培训基层干部", "≥300人次", "320人次", 20, 20, ""),
    ("产出指标", "质量指标", "培训合格率", "≥95%", "98%", 15, 15, ""),
    ("产出指标", "时效指标", "培训完成时间", "年底前", "11月", 15, 15, ""),
    ("效益指标", "社会效益指标", "基层治理能力", "有效提升", "达成年度指标", 30, 30, ""),
    ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "96%", 10, 10, ""),
]
HEBEI_SLOTS = {0: ["指标2：", "……"], 1: ["指标2："], 2: ["……"], 3: ["指标2：", "指标3："],
               4: ["二级:其他满意度指标", "……"]}


def hebei(path: Path, edits: dict | None = None, top: int = 1, left: int = 1) -> Built:
    """A 2019 project table on the national form with its placeholder rows left as printed (指标2：,
    ……, an empty row under a 二级指标)."""
    form = Form(path, "项目支出绩效自评表", edits, top, left)
    _national(form, "项目支出绩效自评表（2019年度）",
              [("project_name", "项目名称", "基层干部培训项目"), ("department", "主管部门", "某市委组织部"),
               ("implementer", "实施单位", "某市委党校")],
              "项目资金（万元）", [("年度资金总额", 50, 50, 50, 10, 1, 10), ("其中：当年财政拨款", 50, 50, 50, "", "", ""),
                              ("上年结转资金", 0, 0, 0, "", "", ""), ("其他资金", 0, 0, 0, "", "", "")],
              ("培训基层干部300人次", "培训320人次，全部完成"),
              ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
              HEBEI_ROWS, 100, "优", HEBEI_SLOTS)
    return form.save()


# --------------------------------------------------------------------------- national 2021 (成本指标)

NATIONAL_2021_ROWS = [
    ("成本指标", "经济成本指标", "单位建设成本", "≤300万元", "280万元", 10, 10, ""),
    ("产出指标", "数量指标", "改造农村公路", "≥20公里", "21公里", 20, 20, ""),
    ("产出指标", "质量指标", "交工验收合格率", "100%", "100%", 10, 10, ""),
    ("产出指标", "时效指标", "完工时间", "12月31日前", "11月20日", 10, 10, ""),
    ("效益指标", "社会效益指标", "沿线通行时间缩短", "≥20%", "22%", 15, 15, ""),
    ("效益指标", "生态效益指标", "施工扬尘控制", "达标", "达成年度指标", 15, 15, ""),
    ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "93%", 10, 10, ""),
]


def national_2021(path: Path, edits: dict | None = None, top: int = 1, left: int = 1) -> Built:
    """A central project table on the 2021 national layout: 成本指标 is a first-level indicator."""
    form = Form(path, "项目支出绩效自评表", edits, top, left)
    _national(form, "项目支出绩效自评表（2023年度）",
              [("project_name", "项目名称", "农村公路提质改造"), ("department", "主管部门", "交通运输部"),
               ("implementer", "实施单位", "某省交通运输厅")],
              "项目资金（万元）", [("年度资金总额", 1000, 1000, 985, 10, 0.985, 9.85),
                              ("其中：当年财政拨款", 1000, 1000, 985, "—", "—", "—"),
                              ("上年结转资金", 0, 0, 0, "—", "—", "—"), ("其他资金", 0, 0, 0, "—", "—", "—")],
              ("改造农村公路20公里", "改造21公里，资金执行98.5%"),
              ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
              NATIONAL_2021_ROWS, 99.85, "优")
    return form.save()


# --------------------------------------------------------------------------- Sichuan 510000_0013zp

SICHUAN_FUNDS = [  # label, 年初预算, 调整后预算数, 预算执行数, 预算执行率, 权重, 得分, 原因
    ("total", "总额", 200, 200, 196, 0.98, 10, 9.8, ""),
    ("current", "其中：财政资金", 150, 150, 148, "", "", "", ""),
    ("special", "财政专户管理资金", 0, 0, 0, "", "", "", ""),
    ("own", "单位资金", 50, 50, 48, "", "", "", ""),
    ("other", "其他资金", 0, 0, 0, "", "", "", ""),
]
# 一级, 二级, 三级, 指标性质, 指标值, 度量单位, 完成值, 权重, 得分, 未完成原因分析
SICHUAN_ROWS = [
    ("产出指标", "数量指标", "培训基层农技人员", "正向", "≥500", "人次", "520", 20, 20, ""),
    ("产出指标", "数量指标", "开展田间示范", "正向", "10", "场", "10", 10, 10, ""),
    ("产出指标", "质量指标", "培训考核合格率", "正向", "≥95", "%", "97", 10, 10, ""),
    ("产出指标", "时效指标", "培训完成时间", "反向", "9月前", "", "8月", 10, 10, ""),
    ("产出指标", "成本指标", "人均培训成本", "反向", "≤400", "元", "380", 10, 10, ""),
    ("效益指标", "社会效益指标", "农技服务能力", "定性", "明显提升", "", "达成年度指标", 15, 15, ""),
    ("效益指标", "可持续影响指标", "农技推广机制", "定性", "长效运行", "", "达成年度指标", 15, 15, ""),
]
SICHUAN_KEYS = ("level1", "level2", "level3", "direction", "target", "unit", "actual", "weight", "score", "reason")
SICHUAN_INSTRUCTION = "对照年度目标，说明项目实施情况及完成情况（100字以内）"


def sichuan(path: Path, edits: dict | None = None, top: int = 1, left: int = 1, total_row: bool = True,
            titled: bool = True) -> Built:
    """A county's table on Sichuan's own form: 报表编号, 实施单位(盖章), 项目基本情况, 预算执行情况(10分)
    with 总额 … 其他资金, 绩效指标(90分) without 满意度, a 合计 row, then text rows and signatures."""
    form = Form(path, "自评表", edits, top, left)
    if titled:
        form.label(1, 1, "部门预算项目支出绩效自评表", span=10)
        form.label(2, 1, "（2022年度）", span=10)
        form.label(3, 8, "报表编号：510000_0013zp", span=3)
    form.label(4, 1, "项目名称")
    form.put(("field", "project_name"), 4, 2, "基层农技推广体系改革与建设")
    form.label(5, 1, "主管部门")
    form.put(("field", "department"), 5, 2, "某县农业农村局")
    form.label(5, 6, "实施单位(盖章)")
    form.put(("field", "implementer"), 5, 7, "某县农业技术推广中心")
    form.label(6, 1, "项目基本情况", down=1)
    form.label(6, 2, "年度目标", span=3)
    form.label(6, 6, "完成情况", span=4)
    form.put(("goal", "expected"), 7, 2, "培训基层农技人员500人次，开展田间示范10场")
    form.put(("goal", "achieved"), 7, 6, "培训520人次，示范10场，全部完成")
    form.label(8, 1, "预算执行情况(10分)", down=len(SICHUAN_FUNDS))
    for j, h in enumerate(("年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因")):
        form.label(8, 2 + j, h)
    for i, (key, label, *values) in enumerate(SICHUAN_FUNDS):
        form.label(9 + i, 2, label)
        for j, value in enumerate(values):
            form.put(("funds", key, ("initial", "budget", "spent", "rate", "weight", "score", "note")[j]),
                     9 + i, 3 + j, value)
    r = 9 + len(SICHUAN_FUNDS)
    form.label(r, 1, "绩效指标(90分)", down=len(SICHUAN_ROWS))
    for j, h in enumerate(("一级", "二级", "三级", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
                           "未完成原因分析")):
        form.label(r, 2 + j, h)
    written = []
    for i, line in enumerate(SICHUAN_ROWS):
        r += 1
        written.append(r)
        for j, value in enumerate(line):
            form.put(("ind", i, SICHUAN_KEYS[j]), r, 2 + j, value)
    form.merge_down(2, written, [line[0] for line in SICHUAN_ROWS])
    form.merge_down(3, written, [line[:2] for line in SICHUAN_ROWS])
    if total_row:
        r += 1
        form.label(r, 1, "合计", span=7)
        form.put("total_weight", r, 9, 100)
        form.put("total", r, 10, 99.8)
    for label, text in (("评价结论", "项目完成年度目标，自评等级为优。"), ("存在问题", "个别乡镇示范点建设进度偏慢。"),
                        ("改进措施", "加强调度，按月通报进度。")):
        r += 1
        form.label(r, 1, label)
        form.label(r, 2, text, span=9)
    r += 1
    form.label(r, 1, "项目负责人：张三", span=2)
    form.label(r, 4, "财务负责人：李四", span=2)
    form.label(r, 7, "填报人：王五", span=1)
    form.label(r, 9, "联系电话：0838-1234567", span=2)
    return form.save()


# --------------------------------------------------------------------------- 部门整体, 产出/效益/满意度

def _department(form: Form, title: str, unit: str, funds_label: str, funds_header: tuple[str, ...],
                funds_keys: tuple[str, ...], funds: list[tuple], header: tuple[str, ...], keys: tuple[str, ...],
                rows: list[tuple], total: Any, grade: str) -> None:
    """A 部门整体支出绩效自评表 as published: title, 部门名称, a funds block (``funds``: row key, label,
    values in ``funds_keys`` order), the indicator table (values in ``keys`` order), 总分 and 等级."""
    form.label(1, 1, title, span=len(header) - 1)
    form.label(2, 1, "部门名称:")
    form.put(("field", "unit_name"), 2, 2, unit)
    form.label(3, 1, funds_label, down=len(funds))
    for j, h in enumerate(funds_header):
        form.label(3, 2 + j, h)
    for i, (key, label, *values) in enumerate(funds):
        form.label(4 + i, 2, label)
        for j, value in enumerate(values):
            form.put(("funds", key, funds_keys[j]), 4 + i, 3 + j, value)
    r = 4 + len(funds)
    for j, h in enumerate(header):
        form.label(r, 1 + j, h)
    written = []
    for i, line in enumerate(rows):
        r += 1
        written.append(r)
        for j, value in enumerate(line):
            form.put(("ind", i, keys[j]), r, 1 + j, value)
    form.merge_down(1, written, [line[0] for line in rows])
    form.merge_down(2, written, [line[:2] for line in rows])
    r += 1
    form.label(r, 1, "总分", span=2)
    form.put("total_weight", r, keys.index("weight") + 1, 100)
    form.put("total", r, keys.index("score") + 1, total)
    r += 1
    form.label(r, 1, "等级", span=2)
    form.put("grade", r, keys.index("score") + 1, grade)
    r += 1
    form.label(r, 1, "填报人：赵六", span=2)
    form.label(r, 4, "联系电话：0551-1234567", span=2)


ANHUI_DEPT_FUNDS = [  # key, label, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分
    ("total", "年度资金总额:", 1200, 1250, 1200, 10, 0.96, 9.6),
    ("basic", "其中:基本支出", 800, 820, 810, "—", "—", "—"),
    ("project", "项目支出", 400, 430, 390, "—", "—", "—"),
]
ANHUI_DEPT_ROWS = [
    ("产出指标", "数量指标", "完成年度重点工作任务", "≥12项", "12项", 20, 20, ""),
    ("产出指标", "质量指标", "重点任务验收合格率", "100%", "100%", 15, 15, ""),
    ("产出指标", "时效指标", "任务完成时间", "年底前", "12月", 15, 15, ""),
    ("效益指标", "社会效益指标", "群众办事时长缩短", "≥20%", "22%", 15, 15, ""),
    ("效益指标", "可持续影响指标", "长效管理机制", "建立健全", "达成年度指标", 15, 15, ""),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", 10, 10, ""),
]


def anhui_department(path: Path, edits: dict | None = None, top: int = 1, left: int = 1) -> Built:
    """A county department's 部门整体 table (Anhui, saved from WPS): first-level 产出/效益/满意度 and a
    年度资金总额 block scored like the project table's (执行率 1200/1250 = 96%, 得分 9.6 of 10)."""
    form = Form(path, "部门整体自评", edits, top, left)
    _department(form, "部门整体支出绩效自评表\n( 2022年度 )", "某县市场监督管理局", "年度预算执行情况\n(万元)",
                ("资金项目", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                ("initial", "budget", "spent", "weight", "rate", "score"), ANHUI_DEPT_FUNDS,
                ("一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分", "偏差原因分析\n及改进措施"),
                INDICATOR_KEYS, ANHUI_DEPT_ROWS, 99.6, "优")
    return form.save()


GUIZHOU_METHOD = "执行率=B/A，得分=执行率×分值，执行率超过100%的按100%计"
GUIZHOU_DEPT_FUNDS = [  # key, label, 年初预算数(A), 全年执行数(B), 分值, 得分, 得分计算方法
    ("total", "年度资金总额", 500, 460, 10, 9.2, GUIZHOU_METHOD),
    ("basic", "其中：基本支出", 300, 290, "", "", ""),
    ("project", "项目支出", 200, 170, "", "", ""),
]
GUIZHOU_KEYS = ("level1", "level2", "level3", "direction", "target", "actual", "weight", "score", "reason")
GUIZHOU_DEPT_ROWS = [  # 指标性质 in the province's words
    ("产出指标", "数量指标", "开展执法检查", "正向指标", "≥150次", "168次", 20, 20, ""),
    ("产出指标", "质量指标", "案件办结率", "正向指标", "≥95%", "97%", 15, 15, ""),
    ("产出指标", "成本指标", "公用经费支出", "反向指标", "≤120万元", "116万元", 15, 15, ""),
    ("效益指标", "社会效益指标", "群众投诉处理", "定性", "及时处理", "达成年度指标", 30, 30, ""),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "正向", "≥85%", "91%", 10, 10, ""),
]


GUIZHOU_FUNDS_HEADER = ("项目", "年初预算数(A)", "全年执行数(B)", "分值", "得分", "得分计算方法")


def guizhou_department(path: Path, edits: dict | None = None, top: int = 1, left: int = 1,
                       funds_header: tuple[str, ...] = GUIZHOU_FUNDS_HEADER) -> Built:
    """A department's 部门整体 table (Guizhou): funds block 年初预算数(A) | 全年执行数(B) | 分值 | 得分 |
    得分计算方法 (460/500 = 92%, 得分 9.2 of 10), 指标性质 written 正向指标 / 反向指标 / 定性."""
    form = Form(path, "Sheet1", edits, top, left)
    _department(form, "部门整体支出绩效自评表（2023年度）", "某县综合行政执法局", "预算执行情况(10分)", funds_header,
                ("budget", "spent", "weight", "score", "note"), GUIZHOU_DEPT_FUNDS,
                ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "实际完成值", "分值", "得分", "扣分原因"),
                GUIZHOU_KEYS, GUIZHOU_DEPT_ROWS, 99.2, "优")
    return form.save()


def no_table(path: Path) -> Path:
    """A sheet whose indicator header was renamed beyond recognition (and one unrelated sheet)."""
    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "填报说明：请按要求填写"
    ws = wb.create_sheet("绩效表")
    ws.append(["某项目绩效情况"])
    ws.append(["一级指标", "二级指标", "指标名称", "目标", "实际", "分数", "得分"])
    ws.append(["产出指标", "数量指标", "培训人次", "≥300", "320", 50, 50])
    wb.save(path)
    return path
