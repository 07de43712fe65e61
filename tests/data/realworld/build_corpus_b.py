"""Build corpus B: real published 自评表 typed cell by cell into .xlsx with openpyxl.

Each function types one table as the stored page text (search tool, corpus ``pages``) shows it:
words and numbers as published, mistakes included, blank where the page is blank. Where the stored
text stops, the workbook stops. Sources and readings are in corpus_b.yaml beside this file.

Run: python tests/data/realworld/build_corpus_b.py   (writes the .xlsx files next to this script)
"""
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
WRAP = Alignment(wrap_text=True, vertical="center")


def _new(title="Sheet1"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    return wb, ws


def put(ws, ref, value, fmt=None):
    c = ws[ref]
    c.value = value
    if isinstance(value, str) and value.startswith("="):
        c.data_type = "s"           # a published text such as "=8个" (typed '=8个 in Excel), never a formula
    c.alignment = WRAP
    if fmt:
        c.number_format = fmt
    return c


def put_rows(ws, rows, cols):
    """Each row is (row number, values…) in the order of ``cols``; None leaves a cell blank. A value given
    as (value, number_format) is typed with that format."""
    for r, *values in rows:
        for col, value in zip(cols, values):
            if isinstance(value, tuple):
                put(ws, f"{col}{r}", *value)
            elif value is not None:
                put(ws, f"{col}{r}", value)


def merge(ws, rng, value=None, fmt=None):
    first = rng.split(":")[0]
    if value is not None:
        put(ws, first, value, fmt)
    ws.merge_cells(rng)


# ---------------------------------------------------------------------------------------------
# 1. 云南 临沧市永德县明朗中学 2022 义务教育营养改善计划专项资金 (complete, 公开14表)
#    https://www.yongde.gov.cn/info/3003/116104.htm
# ---------------------------------------------------------------------------------------------
def yongde_mingzhong_2022():
    wb, ws = _new()
    merge(ws, "A1:J1", "2022年度项目支出绩效自评表")
    merge(ws, "A2:H2", "部门:临沧市永德县明朗中学")
    merge(ws, "I2:J2", "公开14表")
    put(ws, "A3", "项目名称")
    merge(ws, "B3:J3", "义务教育营养改善计划专项资金")
    put(ws, "A4", "主管部门")
    merge(ws, "B4:E4", "永德县教育体育局")
    put(ws, "F4", "实施单位")
    merge(ws, "G4:J4", "永德县明朗中学")
    # funds block, amounts in 元
    merge(ws, "A5:A9", "项目资金\n(元)")
    merge(ws, "B5:C5")
    put(ws, "D5", "年初预算数")
    put(ws, "E5", "全年预算数")
    put(ws, "F5", "全年执行数")
    put(ws, "G5", "分值")
    put(ws, "H5", "执行率")
    merge(ws, "I5:J5", "得分")
    merge(ws, "B6:C6", "年度资金总额")
    # the page gives two amounts for three columns; 年初预算数 left blank (see corpus_b.yaml)
    put(ws, "E6", 387664.62)
    put(ws, "F6", 387664.62)
    put(ws, "G6", 10)
    put(ws, "H6", 1, "0%")
    merge(ws, "I6:J6", 10)
    merge(ws, "B7:C7", "其中:当年财政\n拨款")
    put(ws, "E7", 387664.62)
    put(ws, "F7", 387664.62)
    put(ws, "G7", "—")
    merge(ws, "I7:J7", "—")
    merge(ws, "B8:C8", "上年结转\n资金")
    put(ws, "G8", "—")
    merge(ws, "I8:J8", "—")
    merge(ws, "B9:C9", "其他资金")
    put(ws, "D9", "—")
    put(ws, "E9", "—")
    put(ws, "F9", "—")
    put(ws, "G9", "—")
    merge(ws, "I9:J9", "—")
    # goals
    merge(ws, "A10:A11", "年度\n总体\n目标")
    merge(ws, "B10:F10", "预期目标")
    merge(ws, "G10:J10", "实际完成情况")
    merge(ws, "B11:F11", "确保每一个学生都能享受到国家政策福利,改善学生体质")
    merge(ws, "G11:J11", "确保每一个学生都能享受到国家政策福利,改善学生体质")
    # indicator header, two rows
    merge(ws, "A12:C12", "绩效指标")
    merge(ws, "D12:F12", "年度指标值")
    merge(ws, "G12:G13", "实际完成值")
    merge(ws, "H12:H13", "分值")
    merge(ws, "I12:I13", "得分")
    merge(ws, "J12:J13", "偏差原因分析及改进措施")
    for ref, v in zip(("A13", "B13", "C13", "D13", "E13", "F13"),
                      ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位")):
        put(ws, ref, v)
    rows = [
        # row, 二级, 三级, 性质, 指标值, 单位, 完成值, 完成值格式, 分值, 得分
        (14, "数量指标", "学生受资助人数", "≧", 735, "人次", 735, None, 10, 10),
        (15, "质量指标", "营养改善计划覆盖率", "≧", 100, "%", 1, "0%", 10, 10),
        (16, "时效指标", "资金到位及时率", "≧", 100, "%", 1, "0%", 10, 7),
        (17, "成本指标", "生均补助标准达标率", "═", 100, "%", 1, "0%", 10, 10),
        (18, "经济效益\n指标", "减轻贫困学生家庭经济负担", None, "有效", None, "有效", None, 10, 10),
        (19, "社会效益\n指标", "政策知晓率", "═", 100, "%", 0.98, "0%", 10, 9),
        (20, "生态效益\n指标", None, None, None, None, None, None, None, None),
        (21, "可持续影响\n指标", "促进学校教育事业健康发展", "≧", 100, "%", 1, "0%", 10, 10),
        (22, None, "学生满意度", "≧", 95, "%", 1, "0%", 10, 10),
        (23, None, "家长满意度", "≧", 95, "%", 1, "0%", 10, 10),
    ]
    for r, l2, l3, op, tv, unit, av, afmt, w, s in rows:
        if l2 is not None:
            put(ws, f"B{r}", l2)
        for col, v in (("C", l3), ("D", op), ("E", tv), ("F", unit), ("H", w), ("I", s)):
            if v is not None:
                put(ws, f"{col}{r}", v)
        if av is not None:
            put(ws, f"G{r}", av, afmt)
    merge(ws, "A14:A17", "产出指标")
    merge(ws, "A18:A21", "效益指标")
    merge(ws, "A22:A23", "满意度指标")
    merge(ws, "B22:B23", "服务对象满意度指标等")
    put(ws, "A24", "其他需要说明事项")
    merge(ws, "B24:J24", "无")
    merge(ws, "A25:G25", "总分")
    put(ws, "H25", 100)
    put(ws, "I25", 96)
    put(ws, "J25", "优")
    wb.save(HERE / "永德县明朗中学_义务教育营养改善计划专项资金_2022_项目支出绩效自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 2. 云南 丽江市古城区自然资源局 2020 省级自然资源卫片执法补助经费 (cut in the 满意度 row)
#    http://m.jjiadianqingjie.com.cn/changyong/13241.html  (a mirror that shows the text in
#    traditional characters; typed back in simplified, see corpus_b.yaml)
# ---------------------------------------------------------------------------------------------
def lijiang_guchengqu_2020():
    wb, ws = _new()
    merge(ws, "A1:J1", "2020年度项目支出绩效自评表")
    put(ws, "A2", "项目名称")
    merge(ws, "B2:J2", "2020年省级自然资源卫片执法补助经费支出绩效自评表")
    put(ws, "A3", "主管部门")
    merge(ws, "B3:E3", "丽江市自然资源和规划局")
    put(ws, "F3", "实施单位")
    merge(ws, "G3:J3", "丽江市古城区自然资源局")
    merge(ws, "A4:A8", "项目资金\n(万元)")
    merge(ws, "B4:C4")
    for ref, v in zip(("D4", "E4", "F4", "G4", "H4"), ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率")):
        put(ws, ref, v)
    merge(ws, "I4:J4", "得分")
    merge(ws, "B5:C5", "年度资金总额")
    put(ws, "D5", 7.29)
    put(ws, "E5", 7.29)
    put(ws, "F5", 7.29)
    put(ws, "G5", 10, "0.00")
    put(ws, "H5", 1, "0%")
    merge(ws, "I5:J5", 10, "0.00")
    merge(ws, "B6:C6", "其中:当年财政拨款")
    put(ws, "D6", 7.29)
    put(ws, "E6", 7.29)
    put(ws, "F6", 7.29)
    put(ws, "H6", 1, "0%")
    merge(ws, "I6:J6")
    merge(ws, "B7:C7", "上年结转资金")
    merge(ws, "I7:J7")
    merge(ws, "B8:C8", "其他资金")
    merge(ws, "I8:J8")
    merge(ws, "A9:A10", "年度\n总体\n目标")
    merge(ws, "B9:F9", "预期目标")
    merge(ws, "G9:J9", "实际完成情况")
    merge(ws, "B10:F10", "自然资源卫片执法补助经费")
    merge(ws, "G10:J10", "自然资源卫片执法补助经费")
    merge(ws, "A11:C11", "绩效指标")
    merge(ws, "D11:F11", "年度指标值")
    merge(ws, "G11:G12", "实际完成值")
    merge(ws, "H11:H12", "分值")
    merge(ws, "I11:I12", "得分")
    merge(ws, "J11:J12", "偏差原因分析及改进措施")
    for ref, v in zip(("A12", "B12", "C12", "D12", "E12", "F12"),
                      ("一级\n指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位")):
        put(ws, ref, v)
    rows = [
        # row, 一级, 二级, 三级, 性质, 指标值, 单位, 完成值, 分值, 分值fmt, 得分, 得分fmt
        (13, "产出指标", "数量指标", "卫片执法补助经费", "﹦", 72890, "元", 72890, 10, "0.00", 9, "0.00"),
        (14, None, "质量指标", "项目验收合格率", "﹦", 100, "%", 100, 20, None, 19, None),
        (15, None, "时效指标", "项目完成及时率", "﹦", 100, "%", 100, 20, "0.00", 19, "0.00"),
        (16, "效益指标", "社会效益指标", "违法行为责停率", "≥", 95, "%", 95, 30, "0.00", 27, "0.00"),
        (17, "满意度指标", "服务对象满意度指标", "满意度", "≥", 95, "%", 95, 10, "0.00", None, None),
    ]
    for r, l1, l2, l3, op, tv, unit, av, w, wfmt, s, sfmt in rows:
        if l1 is not None and r != 13:
            put(ws, f"A{r}", l1)
        for col, v in (("B", l2), ("C", l3), ("D", op), ("E", tv), ("F", unit), ("G", av)):
            put(ws, f"{col}{r}", v)
        put(ws, f"H{r}", w, wfmt)
        if s is not None:
            put(ws, f"I{r}", s, sfmt)
    merge(ws, "A13:A15", "产出指标")
    # the stored text ends after 满意度 分值 10.00: 得分, 总分 and everything below are not typed
    wb.save(HERE / "丽江市古城区自然资源局_省级自然资源卫片执法补助经费_2020_项目支出绩效自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 3. 北京 海淀区学院路街道 2016 【体制】自管道路清扫保洁外包工作经费 (cut in 质量指标)
#    https://www.wenku365.com/s-60761775.html
# ---------------------------------------------------------------------------------------------
def beijing_xueyuanlu_2016():
    wb, ws = _new()
    merge(ws, "A1:J1", "项目支出绩效自评表")
    merge(ws, "A2:J2", "(2016年度)")
    put(ws, "A3", "项目名称")
    merge(ws, "B3:J3", "【体制】自管道路清扫保洁外包工作经费")
    put(ws, "A4", "主管部门及代码")
    merge(ws, "B4:E4", "北京市海淀区人民政府学院路街道办事处")
    put(ws, "F4", "实施单位:")
    merge(ws, "G4:J4", "北京市海淀区学院路街道城市运行服务中心")
    merge(ws, "A5:A8", "项目资金\n(万元)")
    merge(ws, "B5:C5")
    put(ws, "D5", "年初预算数(A)")
    put(ws, "E5", "全年执行数(B)")
    put(ws, "F5", "分值(10分)")
    put(ws, "G5", "执行率(B/A)")
    put(ws, "H5", "得分")
    merge(ws, "I5:J5", "得分计算方法")
    merge(ws, "B6:C6", "年度资金总额:")
    put(ws, "D6", 310.2)
    put(ws, "E6", 154.74)
    put(ws, "F6", 10)
    put(ws, "G6", 0.5, "0%")
    put(ws, "H6", 5)
    merge(ws, "I6:J8", "执行率*该指标分值,最高不得超过分值上限。")
    merge(ws, "B7:C7", "其中:本年一般公共预算拨款")
    put(ws, "D7", 310.2)
    put(ws, "E7", 154.74)
    merge(ws, "B8:C8", "其他资金")
    merge(ws, "A9:A10", "年度总体目标")
    merge(ws, "B9:E10", "通过规范地区自管道路清扫保洁外包工作经费工作专项资金的使用,明确专项资金使用目的,"
                        "实现科学管理,充分发挥项目资金在地区自管小区、小广告、三级以下道路、无主垃圾渣土清运及"
                        "重大活动环境卫生保障工作中的作用,将自管道路保洁进行外包,更好的服务于本地区政治、经济、"
                        "文化等各项事业的发展")
    merge(ws, "F9:J10", "按照年初设定目标,将辖区20条城市道路清扫保洁、4处居民生活区小广场清扫保洁业务通过"
                        "公开招投标方式进行了外包,通过地区自管道路清扫保洁外包项目的实施,使地区环境卫生及社区"
                        "环境更加优美,为建设全国文明城区及建设美丽学院路做出了贡献")
    merge(ws, "A11:A13", "绩效指标")
    for ref, v in zip(("B11", "C11", "D11", "E11", "F11", "G11", "H11", "I11", "J11"),
                      ("一级指标", "二级指标", "三级指标", "分值", "年度指标值(A)", "全年实际值(B)",
                       "得分计算方法", "得分", "未完成原因分析")):
        put(ws, ref, v)
    merge(ws, "B12:B13", "产出指标(50分)")
    put(ws, "C12", "数量指标")
    put(ws, "D12", "是否完成绩效目标申报表中申报的数量")
    put(ws, "E12", 12.5)
    put(ws, "F12", 12.5)
    put(ws, "G12", 12.5)
    put(ws, "H12", "完成值达到指标值,记满分;未达到指标值,按B/A或A/B*该指标分值记分。")
    put(ws, "I12", 12.5)
    put(ws, "C13", "质量指标")
    put(ws, "D13", "是否达到国")
    # the stored text ends here, inside the 质量指标 row's 三级指标 name
    wb.save(HERE / "学院路街道城市运行服务中心_自管道路清扫保洁外包工作经费_2016_项目支出绩效自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 4. 湖北 随州 广水市交通运输局 2021 乡村道路建设养护项目 (广水市 local form, cut in 质量指标)
#    https://pdf.wenkuvip.com/archives/bqg98jldqkx8g2xm7pe6.html
# ---------------------------------------------------------------------------------------------
def guangshui_jiaotong_2021():
    wb, ws = _new()
    merge(ws, "A1:I1", "广水市财政预算支出项目绩效目标自评表")
    merge(ws, "A2:D2", "填报日期:2022 年 8 月 10 日")
    merge(ws, "E2:F2", "单位领导审签:")
    merge(ws, "G2:H2", "自评总分:")
    put(ws, "I2", 95)
    put(ws, "A3", "项目名称")
    merge(ws, "B3:D3", "乡村道路建设养护项目")
    merge(ws, "E3:F3", "项目主管单位")
    merge(ws, "G3:I3", "广水市交通运输局")
    put(ws, "A4", "项目实施单位")
    merge(ws, "B4:D4", "广水市交通运输局")
    merge(ws, "E4:F4", "项目负责人")
    merge(ws, "G4:I4", "孙章勇")
    put(ws, "A5", "项目属性")
    merge(ws, "B5:I5", "1、常年性 2、延续性□ 3、一次性□ 4、新增性□")
    merge(ws, "A6:A7", "项目资金")
    put(ws, "B6", "来源")
    for ref, v in zip(("C6", "D6", "E6", "F6", "G6", "H6", "I6"),
                      ("中央\n(万元)", "省、地\n(万元)", "本级\n(万元)", "其他\n(万元)", "合计\n(万元)",
                       "执行数\n(万元)", "执行率")):
        put(ws, ref, v)
    # three amounts of 309 on the page; which source column holds the first is not readable
    put(ws, "E7", 309)
    put(ws, "G7", 309)
    put(ws, "H7", 309)
    put(ws, "I7", "100 %")
    put(ws, "A8", "项目年度目标")
    merge(ws, "B8:I8", "1.完成乡村道路建设养护里程 300 公里;\n2.\n3.")
    # 项目决策 / 项目管理 scoring block
    for ref, v in zip(("A9", "B9", "C9", "D9", "E9"), ("项目权重", "评价内容", "分值", "自评分", "复核分")):
        put(ws, ref, v)
    merge(ws, "F9:I9", "评价标准及依据")
    put(ws, "A10", "项目决策\n2 分")
    put(ws, "B10", "决策依据")
    put(ws, "C10", 2)
    put(ws, "D10", 2)
    merge(ws, "F10:I10", "有项目年度工作计划或有上级文件或审批报告计 2 分,没有不得分。")
    merge(ws, "A11:A14", "项目管理\n13 分")
    mgmt = [
        (11, "财务制度", 3, 3, "1、单位财务管理制度 1 分;\n2、项目管理制度 1 分;\n3、有制度执行佐证资料 1 分。没有不得分。"),
        (12, "组织机构", 2, 2, "有明确的绩效管理机构或专人负责 2 分。没有不得分"),
        (13, "运行监管", 4, 4, "1、运行监管记录 3 分;\n2、填报《项目支出绩效监控表》1 分。没有不得分。"),
        (14, "目标申报", 4, 4, "1、项目绩效目标全申报的 1 分,缺一项扣 0.5 分,扣完为止;\n2、绩效目标规范 1 分,不规范扣 0.5 分;\n"
                              "3、按时申报绩效目标计 2 分,逾期扣 1 分。"),
    ]
    for r, name, w, s, rule in mgmt:
        put(ws, f"B{r}", name)
        put(ws, f"C{r}", w)
        put(ws, f"D{r}", s)
        merge(ws, f"F{r}:I{r}", rule)
    merge(ws, "A15:I15", "— 1 —")
    # 项目绩效 block (page 2)
    merge(ws, "A16:I16", "项目年度目标 1:乡村道路建设养护项目")
    for ref, v in zip(("A17", "B17", "C17", "D17", "E17", "F17", "G17", "H17"),
                      ("", "一级\n指标", "二级\n指标", "指标名称\n(三级指标)", "年初指\n标值", "年终完\n成值", "自评\n分", "复核\n分")):
        if v:
            put(ws, ref, v)
    put(ws, "I17", "评价标准")
    merge(ws, "A18:A19", "项目\n绩效\n85 分")
    merge(ws, "B18:B19", "产出\n指标\n40 分")
    put(ws, "C18", "数量指\n标 15 分")
    put(ws, "D18", "乡村道路建设\n养护里程")
    put(ws, "E18", "300 公\n里")
    put(ws, "F18", "300 公\n里")
    put(ws, "G18", 15)
    put(ws, "I18", "1、提供三级指标完成程度的佐证资料;\n2、三级指标分值按三级指标个数平均确定 (15 分÷三级指标个数) ,"
                   "四舍五入保留整数。")
    put(ws, "C19", "质量指\n标 12 分")
    put(ws, "D19", "农村公路建设\n验收合格率\n农村公路养护\n验收合格率")
    # the stored text ends here ("农村"), before the 质量指标 values
    wb.save(HERE / "广水市交通运输局_乡村道路建设养护项目_2021_财政预算支出项目绩效目标自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 5. 重庆 西部(重庆)科学城 融媒体中心 2021 部门整体绩效自评表 (OCR'd text; cut at 公共服务…)
#    https://m.yzwku.com/doc/98587.html
# ---------------------------------------------------------------------------------------------
def chongqing_rongmeiti_2021():
    wb, ws = _new()
    merge(ws, "A1:K1", "部门整体绩效自评表")
    put(ws, "A2", "主管部门")
    merge(ws, "B2:D2")
    put(ws, "E2", "财政处室")
    merge(ws, "F2:G2")
    merge(ws, "H2:I2", "自评总分(分)")
    merge(ws, "J2:K2", 97.6)
    put(ws, "A3", "部门联系人")
    merge(ws, "B3:D3", "曾雪莲")
    put(ws, "E3", "联系电话")
    merge(ws, "F3:K3")
    merge(ws, "A4:A5", "部门预算执行情况")
    merge(ws, "B4:B5", "相)预资5")
    merge(ws, "C4:D4", "年初预算数")
    merge(ws, "E4:F4", "全年(If整)预算数")
    put(ws, "G4", "全年执行数")
    put(ws, "H4", "执行率(%)")
    put(ws, "I4", "执行率权重")
    merge(ws, "J4:K4", "执行率得分(分)")
    merge(ws, "C5:D5")
    merge(ws, "E5:F5")
    put(ws, "G5", "O")
    put(ws, "H5", 0.76, "0%")
    put(ws, "I5", 10)
    merge(ws, "J5:K5", 7.6)
    merge(ws, "A6:A7", "当年绩效目标")
    merge(ws, "B6:C6", "年初绩效目标")
    merge(ws, "D6:G6", "全年(调整)绩效目标")
    merge(ws, "H6:K6", "全年目标实际完成情况")
    merge(ws, "B7:C7", "无")
    merge(ws, "D7:G7", "通过整合各级各类媒体、户外广告载体、宣传宣讲活动等,为建设成渝地区双城经济圈和西部(重庆)"
                       "重庆科学城营造良好氛围。保障融媒体中心正常人事基础/日常运转,有效承担西部(重庆)科学城新闻"
                       "宣传管理,思想文化领域建设等工作。")
    merge(ws, "H7:K7", "中心2021年较好地完成了履职任务,有效开展了西部(重庆)科学城新闻宣传管理/思想文化领域建设"
                       "等工作,为建设成渝地区双城经济圈和西部(重庆)重庆科学城营造了良好氛围。")
    heads = ("指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "年成值全完值", "得分系数(%)",
             "指标权重(分)", "指标得分(分)", "是否核心指标")
    for col, v in zip("BCDEFGHIJK", heads):
        put(ws, f"{col}8", v)
    P = "0%"
    rows = [
        # name, unit, 性质, 年初指标值, 完成值, 系数, 权重, 得分, 核心
        ("财政供养人员控制率", "%", "定量指标", (1, P), (0.92, P), 1, 2, 2, "否"),
        ("“三公经费变动率", "%", None, None, None, 1, 2, 2, "否"),
        ("基础信息完善", "%", None, (1, P), (1, P), 1, 1, 1, "否"),
        ("预算完成率", "%", None, (0.7, P), (0.76, P), 1, 2, 2, "是"),
        ("预算调整率", "%", None, (0.03, P), (0, None), 1, 2, 2, "否"),
        ("结转结余率", "%", None, (0.02, P), (0, None), 1, 2, 2, "是"),
        ("公用经费控制率", "%", None, (1, P), (0.97, P), 1, 2, 2, "是"),
        ("“三公经费控制率", "%", None, None, None, 1, 2, 2, "否"),
        ("政府采购执行率", "%", None, (1, P), (0.7274, "0.00%"), 1, 2, 2, "是"),
        ("管理制度健全性", None, "性标定指", ("高", None), ("高", None), 1, 3, 3, "否"),
        ("资金使用合规性", None, None, ("好", None), ("好", None), 1, 5, 5, "否"),
        ("预决算信息公开性", None, None, ("高", None), ("高", None), 1, 1, 1, "否"),
        ("资产管理安全", None, None, ("好", None), ("好", None), 1, 2, 2, "否"),
        ("固定资产利用率", "%", "定量指标", (0.9, P), (1, P), 1, 2, 2, "否"),
        ("党性教育培训次数", "次", None, ("26次", None), ("12次", None), 1, 5, 5, "是"),
        ("组织宣传活动次数", "次", None, ("到0次", None), ("43次", None), 1, 10, 10, "是"),
        ("制作宣传品数量", "份", None, ("第O份", None), ("20份", None), 1, 5, 5, "否"),
        ("播发稿件数量", "tot扁", None, ("2200篇", None), ("2859篇", None), 1, 10, 10, "是"),
        ("业务保障能力提升", "%", None, (0.9, P), (0.95, P), 1, 10, 10, "否"),
    ]
    r = 9
    for name, unit, kind, target, actual, coef, w, s, core in rows:
        put(ws, f"B{r}", name)
        if unit:
            put(ws, f"C{r}", unit)
        if kind:
            put(ws, f"D{r}", kind)
        if target:
            put(ws, f"E{r}", target[0], target[1])
        if actual:
            put(ws, f"G{r}", actual[0], actual[1])
        put(ws, f"H{r}", coef, P)
        put(ws, f"I{r}", w)
        put(ws, f"J{r}", s)
        put(ws, f"K{r}", core)
        r += 1
    put(ws, f"B{r}", "公共服务")
    merge(ws, f"A8:A{r}", "绩效指标")
    # the stored text ends at "公共服务" (row 28): the rest of the indicators and any 满意度 rows are missing
    wb.save(HERE / "西部重庆科学城融媒体中心_部门整体_2021_部门整体绩效自评表.xlsx")


BUILDERS = [
    yongde_mingzhong_2022,
    lijiang_guchengqu_2020,
    beijing_xueyuanlu_2016,
    guangshui_jiaotong_2021,
    chongqing_rongmeiti_2021,
]

if __name__ == "__main__":
    for build in BUILDERS:
        build()
        print("built", build.__name__)
