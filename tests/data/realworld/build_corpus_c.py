"""Build corpus C: real published 自评表 from provinces the corpus lacked (issue 19), typed cell by cell
with openpyxl from the stored page text the search tool returned (corpus ``pages``): words and numbers as
published, mistakes and OCR damage kept, blank where the page is blank. Where the stored text stops, the
workbook stops. Sources and readings are in corpus_c.yaml beside this file.

Run: python tests/data/realworld/build_corpus_c.py   (writes the .xlsx files next to this script)
"""
from pathlib import Path

from build_corpus_b import merge, put, _new

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------------------------------------
# 1. 山东 济南市历城区文化馆 2019 商品和服务支出 (区级部门预算项目支出绩效自评表), cut in 社会效益
#    http://jnslcqwhg.cn/newsinf_id_308.html
# ---------------------------------------------------------------------------------------------
def licheng_wenhuaguan_2019():
    wb, ws = _new()
    merge(ws, "A1:I1", "区级部门预算项目支出绩效自评表")
    merge(ws, "A2:I2", "( 2019 年度)")
    merge(ws, "A3:F3", "主管部门(盖章):")
    merge(ws, "G3:I3", "单位:万元")
    put(ws, "A4", "项目名称")
    merge(ws, "B4:D4", "商品和服务支出")
    put(ws, "E4", "主管部门")
    merge(ws, "F4:I4", "济南市历城区文化和旅游局")
    put(ws, "A5", "项目实施单位")
    merge(ws, "B5:D5", "济南市历城区文化馆")
    put(ws, "E5", "项目负责人")
    put(ws, "F5", "田延青")
    put(ws, "G5", "联系电话")
    merge(ws, "H5:I5", "88894492")
    merge(ws, "A6:A7", "年度总体目标")
    merge(ws, "B6:E6", "年初设定目标")
    merge(ws, "F6:I6", "年度总体目标完成情况综述")
    merge(ws, "B7:E7", "历城区文化馆免费开放")
    merge(ws, "F7:I7", "用于历城区文化馆全年免费开放,主要支付招聘合同人员工资,确保我馆全年正常免费开放和群众文化工作开展。")
    # funds: 年初预算数(A) | 全年执行数(B) | 分值 | 执行率(B/A) | 得分 | 得分计算方法 (no 全年预算数)
    merge(ws, "A8:A11", "项目预算\n执行情况\n(10分)")
    put(ws, "C8", "年初预算数(A)")
    put(ws, "D8", "全年执行数(B)")
    put(ws, "E8", "分值")
    put(ws, "F8", "执行率(B/A)")
    put(ws, "G8", "得分")
    merge(ws, "H8:I8", "得分计算方法")
    put(ws, "B9", "年度资金总额")
    put(ws, "C9", 45)
    put(ws, "D9", 45)
    put(ws, "E9", 10)
    put(ws, "F9", 1, "0%")
    put(ws, "G9", 10)
    merge(ws, "H9:I11", "执行率*该指标分值,最高不得超过分值上限。")
    put(ws, "B10", "其中:财政拨款")
    put(ws, "C10", 45)
    put(ws, "D10", 45)
    for ref in ("E10", "F10", "G10", "E11", "F11", "G11"):
        put(ws, ref, "-")
    put(ws, "B11", "      其他资金")
    # indicators: the 一级 labels are lost on the page (vertical text), only "(50分)" / "(30分)" remain
    for ref, text in zip(("A12", "B12", "C12", "D12", "E12", "F12", "G12", "H12", "I12"),
                         ("一级\n指标", "二级\n指标", "三级指标", "预期指标值(A)", "实际完成指标值(B)", "分值", "得分",
                          "未完成原因", "得分计算方法")):
        put(ws, ref, text)
    merge(ws, "A13:A21", "(50分)")
    merge(ws, "I13:I24", "定量指标计算:完成值达到指标值,记满分;未达到指标值,按B/A或A/B*该指标分值记分。\n"
                          "定性指标计算:根据“三档”原则分别按照指标分值的100-80%(含80%)、80-50%(含50%)、50-0%来记分。")
    rows = [
        (13, "数量指标", "全年免费开放", "100%", "100%", 12.5, 12.5),
        (14, None, "-", None, None, None, None),
        (15, "质量指标", "免费开放管理制度健全、执行有效性", "100%", "100%", 12.5, 12.5),
        (16, None, "-", None, None, None, None),
        (17, "时效指标", "免费开放率", "100%", "100%", 12.5, 12.5),
        (18, None, "-", None, None, None, None),
        (19, "成本指标", "实际成本与工作内容的匹配程度", "45万", "45万", 12.5, 12.5),
        (20, None, "-", None, None, None, None),
        (21, None, "-", "-", None, None, None),
    ]
    for r, level2, level3, target, actual, weight, score in rows:
        for col, value in zip("BCDEFG", (level2, level3, target, actual, weight, score)):
            if value is not None:
                put(ws, f"{col}{r}", value)
    for rng in ("B13:B14", "B15:B16", "B17:B18", "B19:B21"):
        ws.merge_cells(rng)
    merge(ws, "A22:A24", "(30分)")
    merge(ws, "B22:B23", "经济效益\n指标")
    for col, value in zip("CDEFG", ("承担重要公益服务项目、助推民生事业发展", "100%", "100%", 10, 10)):
        put(ws, f"{col}22", value)
    put(ws, "C23", "-")
    put(ws, "B24", "社会效益\n指标")
    put(ws, "C24", "促进基本公共文化服务标准化均等化,保障群众基本文化权益。满足广大人民群众接受素质教育、")
    wb.save(HERE / "济南市历城区文化馆_商品和服务支出_2019_区级部门预算项目支出绩效自评表.xlsx")


if __name__ == "__main__":
    licheng_wenhuaguan_2019()
