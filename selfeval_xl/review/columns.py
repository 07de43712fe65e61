"""The 复核底稿's shape, declared once: its columns, rows and sheet names, for the writer and the reader.

The columns are the practice's (SPEC: 抽查复核: 一级 | 二级 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 |
自评完成值 | 自评得分 | 复核完成值 | 复核得分 | 偏离度 | 备注), with 区间上限 beside 指标值 (a 区间 needs it), the
口径 drop-down before 复核得分 and 复核意见 as the 备注; four hidden helper columns keep each formula short
enough to read: the value scored (复核完成值, else 自评完成值), the rule's score, and the share and points
the 口径 keeps and deducts.
"""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str          # source (the 自评 side, locked), input (the reviewer's), formula, helper (hidden)
    fmt: str = "General"


COLUMNS = (
    Column("n", "序号", 4.5, "source"),
    Column("level1", "一级指标", 8, "source"),
    Column("level2", "二级指标", 9, "source"),
    Column("name", "三级指标", 15, "source"),
    Column("direction", "指标性质", 5.5, "source"),
    Column("target", "指标值", 9, "source"),
    Column("high", "区间上限", 7, "source"),
    Column("unit", "度量单位", 6, "source"),
    Column("weight", "权重", 5.5, "source", "0.##"),
    Column("actual", "自评完成值", 10, "source"),
    Column("self_score", "自评得分", 7, "source", "0.00"),
    Column("review_actual", "复核完成值", 10, "input"),
    Column("basis", "口径", 15, "input"),
    Column("review_score", "复核得分", 7, "formula", "0.00"),
    Column("deviation", "偏离度", 7, "formula", "0.0%"),
    Column("opinion", "复核意见", 22, "input"),
    Column("adopted", "采用完成值", 10, "helper"),
    Column("rule_score", "规则得分", 8, "helper", "0.00"),
    Column("keep", "保留比例", 8, "helper"),
    Column("deduct", "扣减分", 8, "helper"),
)
LETTER = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
LAST_PRINTED = LETTER["opinion"]

# the head of a project sheet: three (label, value) pairs a row, each a (first, last) column span
PAIRS = (("A", "C", "D", "G"), ("H", "J", "K", "M"), ("N", "O", "P", "P"))
HEAD_ROWS = (("unit", "department", "year"), ("budget", "spent", "self_grade"),
             ("self_total", "review_total", "review_grade"), ("gap", "reviewer", "date"), ("source",))
HEAD_TOP = 3
HEAD = {key: (f"{PAIRS[i][0]}{row}", f"{PAIRS[i][2]}{row}", f"{PAIRS[i][1]}{row}",
              f"{PAIRS[i][3] if key != 'source' else 'P'}{row}")
        for row, keys in enumerate(HEAD_ROWS, start=HEAD_TOP) for i, key in enumerate(keys)}
"""key → (label cell, value cell, the label's last cell, the value's last cell)."""
HEAD_LABELS = {"unit": "单位", "department": "主管部门", "year": "年度", "budget": "全年预算数（万元）",
               "spent": "全年执行数（万元）", "self_total": "自评总分", "self_grade": "自评等级",
               "review_total": "复核总分", "review_grade": "复核等级", "gap": "自评 − 复核", "source": "源文件",
               "reviewer": "复核人", "date": "复核日期"}
NOTE_ROW = HEAD_TOP + len(HEAD_ROWS)
HEADER_ROW = NOTE_ROW + 1
FIRST_ROW = HEADER_ROW + 1
PERCENT = "0.00%"

INDEX, DRAW, BASES, META = "索引", "抽样", "口径", "_review"
"""The sheets beside the projects': the index, the draw as recorded, the 口径 list (the drop-down's
source and the formulas' lookup), and a hidden sheet the reader finds each project sheet by."""
BASIS_COLUMNS = ("代码", "口径（下拉）", "保留比例", "扣减分", "效果", "问题等级", "复核维度", "表述", "处理建议", "依据")
BASIS_WIDTHS = (6, 20, 8, 7, 10, 8, 9, 40, 30, 40)
META_COLUMNS = ("sheet", "first", "last", "total_row", "system", "path", "unit", "name", "self_total", "self_grade",
                "kind")
SHEET_NAME_MOST = 31
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({"[": "［", "]": "］", ":": "：", "*": "＊", "?": "？", "/": "／",
                                          "\\": "＼"})


def sheet_name(n: int, project: str) -> str:
    """``01 档案数字化加工服务项目``: numbered (unique), cut to Excel's 31 characters, no character Excel
    forbids in a sheet name (the full-width look-alike instead)."""
    text = f"{n:02d} " + " ".join(project.split()).translate(FORBIDDEN_IN_SHEET_NAMES).replace("'", "’")
    return text[:SHEET_NAME_MOST].rstrip()
