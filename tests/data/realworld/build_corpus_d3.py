"""Build corpus D3: real published 项目支出绩效自评表 from 云南, 山西 and 宁夏, typed cell by cell with openpyxl
from the stored page text the search tool returned (corpus ``pages``): words and numbers as published,
mistakes, placeholders and OCR damage kept, blank where the page is blank. Where the stored text stops, the
workbook stops. Sources and readings are in corpus_d3.yaml beside this file.

Run: python tests/data/realworld/build_corpus_d3.py   (writes the .xlsx files next to this script)
"""
from pathlib import Path

from build_corpus_b import merge, put, _new

HERE = Path(__file__).resolve().parent


def _rows(ws, rows, cols):
    """Each row is (row number, values…) in the order of ``cols``; None leaves a cell blank.
    A value given as (value, number_format) is typed with that format."""
    for r, *values in rows:
        for col, value in zip(cols, values):
            if value is None:
                continue
            if isinstance(value, tuple):
                put(ws, f"{col}{r}", value[0], value[1])
            else:
                put(ws, f"{col}{r}", value)


# ---------------------------------------------------------------------------------------------
# 1. 云南 保山市隆阳区土壤肥料工作站 2022 (项目: 隆阳区2021年中央化肥减量增效示范县项目补助资金),
#    20 + 80 form, cut at the 生态效益 label
#    https://longyang.gov.cn/info/5311/13352539.htm
# ---------------------------------------------------------------------------------------------
def longyang_turang_2022():
    wb, ws = _new()
    merge(ws, "A1:G1", "2022年度项目支出绩效自评表")
    merge(ws, "A2:D2", "单位名称:隆阳区土壤肥料工作站")
    merge(ws, "E2:G2", "填报日期:2023年3月20日")
    put(ws, "A3", "项目名称")
    merge(ws, "B3:G3", "隆阳区2021年中央化肥减量增效示范县项目补助资金")
    put(ws, "A4", "主管部门")
    merge(ws, "B4:C4", "隆阳区农业农村局")
    put(ws, "D4", "项目实施单位")
    merge(ws, "E4:G4", "隆阳区土壤肥料工作站")
    put(ws, "A5", "项目类别")
    # £ / R are the page's Wingdings check boxes (empty / ticked), kept as the text shows them
    merge(ws, "B5:G5", "1、部门预算项目 £ 2、区直专项 £ 3、上级转移支付项目 R")
    put(ws, "A6", "项目属性")
    merge(ws, "B6:G6", "1、持续性项目 £ 2、新增性项目 R")
    # funds: 20 points, one row, no 分值 column (the weight is in the label and in the 得分 header)
    merge(ws, "A7:B7", "预算执行情况(万元)\n(20分)")
    put(ws, "C7", "预算数(A)")
    put(ws, "D7", "执行数(B)")
    put(ws, "E7", "执行率(B/A)")
    merge(ws, "F7:G7", "得分\n(20分*执行率)")
    merge(ws, "A8:B8", "年度财政资金总额")
    put(ws, "C8", 278.4449)
    put(ws, "D8", 30.00, "0.00")
    put(ws, "E8", 0.1077, "0.00%")
    merge(ws, "F8:G8", 2.16)
    # indicators: 80 points, 目标值 / 完成值 / 得分 only (no 分值 column)
    merge(ws, "A9:A24", "年度绩效目标\n(80分)")
    for ref, text in zip(("B9", "C9", "D9", "E9", "F9", "G9"),
                         ("一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分")):
        put(ws, ref, text)
    merge(ws, "B10:B22", "产出指标")
    merge(ws, "C10:C20", "数量指标")
    one = "0.0"
    _rows(ws, [
        # numbered parents (一、二、…) carry their own score; 1、2、… under them are their parts
        (10, "一、示范区建立", "≧20000亩", "20000亩", (15.0, one)),
        (11, "1、水稻侧深施肥+缓控释肥", "≧500亩", "500亩", (5.0, one)),
        (12, "2、玉米种肥同播+缓控释肥", "≧1000亩", "1000亩", (5.0, one)),
        (13, "3、施用配方肥", "≧18500亩", "18500亩", (5.0, one)),
        (14, "二、化肥减量增效田间试验", "≧15组", "15组", (15.0, one)),
        (15, "1、肥料利用率", "≧5组", "5组", (5.0, one)),
        (16, "2、化肥减量增效", "≧5组", "5组", (5.0, one)),
        (17, "3、其他试验(水稻)", "≧3组", "3组", (3.0, one)),
        (18, "4、其他试验(玉米)", "≧2组", "2组", (2.0, one)),
        (19, "三、土样植株化验", "≧60个", "105个", (5.0, one)),
        (20, "四、农户施肥情况调查(户)", "≧300户", "300户", (5.0, one)),
    ], "DEFG")
    put(ws, "C21", "质量指标")
    _rows(ws, [(21, "示范区配方肥到位率", "≧80%", "85.6%", (10.0, one))], "DEFG")
    put(ws, "C22", "时效指标")
    _rows(ws, [(22, "项目按时完成率", "100%", "100%", (10.0, one))], "DEFG")
    merge(ws, "B23:B24", "效益指标")
    put(ws, "C23", "社会效益效益指标")      # sic: 效益 twice
    _rows(ws, [(23, "受益农户数", "5000户", "5000户", (5.0, one))], "DEFG")
    put(ws, "C24", "生态")                  # the stored text stops here
    wb.save(HERE / "隆阳区土壤肥料工作站_中央化肥减量增效示范县项目补助资金_2022_项目支出绩效自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 2. 云南 保山市昌宁县供销合作社联合社 2022 (项目: 昌宁县昌龙鸿运牧业专业合作社生猪养殖场建设项目),
#    same 20 + 80 form, cut in the last 数量指标 row before its 得分
#    https://yncn.gov.cn/info/5102/8340150.htm
# ---------------------------------------------------------------------------------------------
def changning_gongxiaoshe_2022():
    wb, ws = _new()
    put(ws, "A1", "附件3:")
    merge(ws, "A2:G2", "2022年度项目支出绩效自评表")
    merge(ws, "A3:D3", "单位名称:昌宁县供销合作社联合社")
    merge(ws, "E3:G3", "填报日期:2023年4月15日")
    put(ws, "A4", "项目名称")
    merge(ws, "B4:G4", "昌宁县昌龙鸿运牧业专业合作社生猪养殖场建设项目")
    put(ws, "A5", "主管部门")
    merge(ws, "B5:C5", "昌宁县供销合作社联合社")
    put(ws, "D5", "项目实施单位")
    merge(ws, "E5:G5", "昌宁县昌龙鸿运牧业专业合作社")
    put(ws, "A6", "项目类别")
    merge(ws, "B6:G6", "1、部门预算项目 □ 2、县直专项 ☑ 3、省市对下转移支付项目 □")
    put(ws, "A7", "项目属性")
    merge(ws, "B7:G7", "1、持续性项目 ☑ 2、新增性项目 □")
    merge(ws, "A8:B8", "预算执行情况(万元)\n(20分)")
    put(ws, "C8", "预算数(A)")
    put(ws, "D8", "执行数(B)")
    put(ws, "E8", "执行率(B/A)")
    merge(ws, "F8:G8", "得分\n(20分*执行率)")
    merge(ws, "A9:B9", "年度财政资金总额")
    put(ws, "C9", 50)
    put(ws, "D9", 10)
    put(ws, "E9", 20)            # as published: 20, meaning 20 % (10 / 50), no % sign
    merge(ws, "F9:G9", 4)
    merge(ws, "A10:A29", "年度绩效目标\n(80分)")
    for ref, text in zip(("B10", "C10", "D10", "E10", "F10", "G10"),
                         ("一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分")):
        put(ws, ref, text)
    merge(ws, "B11:B29", "产出指标(40分)")
    merge(ws, "C11:C29", "数量指标")
    _rows(ws, [
        # the template's placeholders (≥**平方米) are left in the 三级 names; targets are bare numbers
        (11, "公猪舍(≥**平方米)", 22.8, 22.8, 1),
        (12, "母猪、保育猪舍(≥**平方米)", 180, 180, 3),
        (13, "育肥猪舍(≥**平方米)", 180, 180, 3),
        (14, "周转猪舍(≥**平方米)", 180, 180, 3),
        (15, "隔离舍(≥**平方米)", 54, 54, 2),
        (16, "仓库(≥**平方米)", 104, 104, 2),
        (17, "管理用房及消通道(≥**平方米)", 76.44, 76.44, 2),     # sic: 消通道
        (18, "化粪池(≥**立方米)", 63, 63, 1),
        (19, "堆粪房(≥**平方米)", 29.6, 29.6, 1),
        (20, "消毒池(≥**平方米)", 14, 14, 1),
        (21, "排污沟(≥米)", 50, 50, 1),
        (22, "场地硬化(≥**平方米)", 230, 230, 2),
        (23, "粉碎拌合机(11kw)(≥台)", 1, 1, 1),
        (24, "产床(全复合双体产床)(≥套)", 2, 2, 1),
        (25, "保育栏(≥套)", 4, 4, 1),
        (26, "消毒机(≥台)", 1, 1, 1),
        (27, "冲洗机(≥台)", 1, 1, 1),
        (28, "种公猪(≥头)", 2, 2, 2),
        (29, "种母猪(≥头)", 20, 20, None),     # the stored text stops before this row's 得分
    ], "DEFG")
    wb.save(HERE / "昌宁县供销合作社联合社_昌龙鸿运牧业专业合作社生猪养殖场建设项目_2022_项目支出绩效自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 3. 山西 运城市稷山县翟店镇卫生院 2021 国家基本公共卫生服务 (稷山县项目支出绩效自评表),
#    text extracted from an .xlsx in a scrambled order (see corpus_d3.yaml), cut at the first 质量指标
#    https://keke.chddh.cn/archives/p4q58rogpx4emom7ewb9.html
# ---------------------------------------------------------------------------------------------
def jishan_zhaidian_2021():
    wb, ws = _new()
    merge(ws, "A1:H1", "稷山县项目支出绩效自评表")
    merge(ws, "A2:H2", "(2021年度)")
    put(ws, "A3", "项目名称")
    merge(ws, "B3:H3", "国家基本公共卫生服务")
    put(ws, "A4", "主管部门")
    merge(ws, "B4:D4", "稷山县卫生健康和体育局")
    put(ws, "E4", "实施单位")
    merge(ws, "F4:H4", "稷山县翟店镇卫生院")
    merge(ws, "A5:A9", "项目资金\n(万元)")
    put(ws, "C5", "年初预算\n数")
    put(ws, "D5", "全年预算数")
    put(ws, "E5", "全年执行数")
    put(ws, "F5", "分值")
    put(ws, "G5", "执行率")
    put(ws, "H5", "得分")
    put(ws, "B6", "年度资金总额")
    _rows(ws, [(6, 0, 0, 207.4538, 10, (1, "0%"), 10)], "CDEFGH")
    put(ws, "B7", "其中:当年财政拨款")
    _rows(ws, [(7, 207.4538, "—", (1, "0%"), "—")], "EFGH")
    put(ws, "B8", "上年结转资金")
    put(ws, "B9", "其他资金")
    # 年度总体目标: the text has no 预期目标 / 实际完成情况 sub-headers, only the two texts
    put(ws, "A10", "年度\n总体\n目标")
    merge(ws, "B10:E10", "国家基本公共卫生服务")
    merge(ws, "F10:H10", "国家基本公共卫生服务")
    # indicator header: no 偏差原因分析及改进措施 column in the text
    for ref, text in zip(("A11", "B11", "C11", "D11", "E11", "F11", "G11"),
                         ("一级\n指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分")):
        put(ws, ref, text)
    pct = "0.00%"
    # the 一级 (产出指标) and 二级 (数量指标) labels of rows 12-36 are not in the text: left blank
    _rows(ws, [
        (12, "指标1:居民健康档案", "38508人", "37442人", 3, 3),
        (13, "指标2:发放健康教育资料", "不少于12\n种", "14种", 1, 1),
        (14, None, "不少于6\n种", "28种", 1, 1),             # 指标3: name not in the text
        (15, None, "116次", "150次", 1, 1),                  # 指标4: name not in the text
        (16, "指标5:举办健康教育知识讲座", "6次", "150次", 1, 1),
        (17, "指标6:举办健康教育宣传咨询活动", "12次", "96次", 1, 1),
        (18, "指标7:建立预防接种证", "221人", "221人", 2, 2),
        (19, "指标8:适龄儿童疫苗接种率", (1, pct), (0.973, pct), 2, 1.9),
        (20, "指标9:0-6岁儿童健康管理数", "2089人", "2089人", 2, 2),
        (21, "指标10:0-6岁儿童眼保健操覆盖数", "2089人", "2089人", 2, 2),
        (22, "指标11:新生入访视数", "214人", "214人", 2, 2),
        (23, "指标12:孕产妇7天访视数", "214人", "203人", 2, 1.8),
        (24, "指标13:孕产妇42天访视数", "214人", "203人", 2, 1.8),
        (25, "指标14:早孕建册数", "120人", "69人", 2, 1),
        (26, "指标15:老年人体检数", "5662人", "4044人", 2, 1.4),
        (27, "指标16:高血压规范管理数", "3807人", "3224人", 2, 1.9),
        (28, "指标17:高血压随访控制数", "3807人", "3220人", 2, 1.8),
        (29, "指标18:糖尿病规范管理数", "863人", "695人", 2, 1.8),
        (30, "指标19:糖尿病随访控制数", "863人", "683人", 2, 1.7),
        (31, "指标20:严重精神障碍患者管理数", "212人", "209人", 2, 1.8),
        (32, "指标21:肺结核健康规范管理数", "8例", "8例", 2, 2),
        (33, "指标22:老年人中医药规范管理数", "5662人", "4044人", 2, 1.4),
        (34, "指标23:0-36月龄中医药规范管理数", "1228人", "770人", 2, 1.8),
        (35, "指标24:传染病及突发公共卫生事件报告\n数", "14例", "14例", 2, 2),
        (36, "指标25:家庭医生签约率", "24694人", "22584人", 2, 1.7),
    ], "CDEFG")
    put(ws, "B37", "质量指标")
    put(ws, "C37", "指标1:提升国家基本")      # the stored text stops here
    wb.save(HERE / "稷山县翟店镇卫生院_国家基本公共卫生服务_2021_项目支出绩效自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 4. 宁夏 银川市第六中学 2021 初中公用经费 (银川市本级部门项目支出绩效自评表), OCR text of a .docx preview,
#    项目决策 10 / 项目管理 25 / 项目产出 30 / 项目效益 35 form, cut in the 满意度 row
#    https://m.yzwku.com/doc/476505.html
# ---------------------------------------------------------------------------------------------
def yinchuan_liuzhong_2021():
    wb, ws = _new()
    merge(ws, "A1:H1", "银川市本级部门项目支出绩效自评表(2021年)")
    put(ws, "A2", "项目名称")
    merge(ws, "B2:D2", "初中公用经费")
    put(ws, "E2", "主管部门")
    merge(ws, "F2:H2", "银川市教育局")
    put(ws, "A3", "实施第位")                # OCR of 实施单位
    merge(ws, "B3:D3", "银川市第六中学")
    put(ws, "E3", "自评得分")
    put(ws, "F3", 98)
    put(ws, "G3", "财政审1度评分")           # OCR of 财政审核评分; its value cell is blank
    merge(ws, "A4:A5", "项Fl资金(万兀)")      # OCR of 项目资金(万元)
    put(ws, "C4", "年初预匏数")
    put(ws, "D4", "调整预算将,A、")           # OCR of 调整预算数(A)
    put(ws, "E4", "全年执行数(B)")
    put(ws, "F4", "执行率(B/A)")
    put(ws, "B5", "年度资金总额")
    _rows(ws, [(5, 64.8, 64.8, 64.8, (1, "0%"))], "CDEF")
    merge(ws, "A6:A7", "年度总体r二")          # OCR of 年度总体目标
    put(ws, "B6", "年初设定目标")
    merge(ws, "C6:H6", "保障学校正常工作运行")
    put(ws, "B7", "年度总体目标完成情况")
    merge(ws, "C7:H7", "公,4")                # OCR debris where the 完成情况 text should be
    for ref, text in zip(("A8", "B8", "C8", "D8", "E8", "F8", "G8", "H8"),
                         ("一级指标", "二级指标", "三级指标", "考值参分", "指标值(八)", "全年实际值(B)", "得分",
                          "未完成原因分析及改进措施")):
        put(ws, ref, text)
    merge(ws, "A9:A12", "项目决策(10分)")
    put(ws, "B9", "项目目标")
    merge(ws, "B10:B12", "项目立项")
    merge(ws, "A13:A16", "项目管理(25分)")
    put(ws, "B13", "投入管理")
    put(ws, "B14", "财务管理")
    merge(ws, "B15:B16", "项Fl实施")         # OCR of 项目实施
    cols = "CDEFG"
    _rows(ws, [
        (9, "完整性", 4, "一", "目标明确、内容细化、目标量化", 4),
        (10, "相关性", 2, "一", "按照学校管理标准对学校进行管理", 2),
        (11, "可行性", 2, None, "实际工作需求", 2),
        (12, "适当性", 2, None, "有资金测第标准", 2),
        (13, "预算执行率", 10, "一", (1, "0%"), 9),
        (14, "财务管理制度有效性", 7, "一", "财务制度健全,严格执行制度,会计核算规范", 7),
        (15, "绩效监控有效性", 2, "一", "持续有效", 2),
        (16, "管理制度有效性", 6, "-", "严格执行相关管理制度", 6),
    ], cols)
    merge(ws, "A17:A25", "顼目产出(30分)")    # OCR of 项目产出
    merge(ws, "B17:B18", "数量指标(10分)")
    merge(ws, "B19:B20", "质量指标(5分)")
    merge(ws, "B21:B22", "时效指标(5分)")
    merge(ws, "B23:B25", "成本指标(10分)")
    _rows(ws, [
        (17, "保障人数", 10, "2370人", "2370人", "IO"),      # IO: OCR of the score 10
        (18, "指标2:", None, None, None, None),
        (19, "公用经费标准", 5, "符合相关文件要求", "符合相关文件要求", 5),
        (20, "指标2:", None, None, None, None),
        (21, "公用经费完成时间", 5, "2021年12月完成", "2021年12月完成", 4),
        (22, "指标2:", None, None, None, None),
        (23, "办公所需成本", 4, "15万元", "15万元", 4),
        (24, "维修(维护)所需成本", 3, "35万元", "35万元", 3),
        (25, "绿化、水电费等成本", 3, "M.8万元", "14.8万元", 3),   # M.8: OCR of 14.8
    ], cols)
    merge(ws, "A26:A33", "项目效益(35分)")
    merge(ws, "B26:B27", "经济效益指标")
    put(ws, "B28", "社会效益指标")
    merge(ws, "B29:B30", "生态效益指标")
    merge(ws, "B31:B32", "可持续影响指标")
    put(ws, "B33", "服务对象满意度指标(10分)")
    _rows(ws, [
        (26, "指标1:", None, None, None, None),
        (27, "指标2:", None, None, None, None),
        (28, "效果显著", 15, "改善学校的办学条件", "改善学校的办学条件", 13),
        (29, "指标L", None, None, None, None),             # OCR of 指标1:
        (30, "指标2:", None, None, None, None),
        (31, "使学生和老师行个更好的学习和工作环境,做到", 10, "社会认可的办学环境.", "社会认可的办学环境.", 8),
        (32, "指标2:", None, None, None, None),
        (33, "学生和老", None, None, None, None),           # the stored text stops here
    ], cols)
    wb.save(HERE / "银川市第六中学_初中公用经费_2021_银川市本级部门项目支出绩效自评表.xlsx")


if __name__ == "__main__":
    longyang_turang_2022()
    changning_gongxiaoshe_2022()
    jishan_zhaidian_2021()
    yinchuan_liuzhong_2021()
