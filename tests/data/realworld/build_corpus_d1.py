"""Build corpus D1: real published 项目支出 自评表 from 四川 and 安徽 (the slice 湖北, 湖南, 河北, 安徽, 四川,
重庆, 河南, 山东), typed cell by cell with openpyxl from the stored page text the search tool returned
(corpus ``pages``): words and numbers as published, mistakes kept, blank where the page is blank. Where the
stored text stops, the workbook stops. Sources and readings are in corpus_d1.yaml beside this file.

Run: python tests/data/realworld/build_corpus_d1.py   (writes the .xlsx files next to this script)
"""
from pathlib import Path

from build_corpus_b import merge, put, put_rows, _new

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------------------------------------
# 1. 四川 德阳市中江县水利局 2022 绩效目标自评表 (财政衔接资金), complete up to the 注 under the 总分 row
#    https://chacewang.com/newsdetail/news242266.html
# ---------------------------------------------------------------------------------------------
def zhongjiang_shuili_2022():
    wb, ws = _new()
    merge(ws, "A1:I1", "绩效目标自评表")
    merge(ws, "A2:I2", "(2022年度)")
    put(ws, "A3", "项目名称")
    merge(ws, "B3:E3", "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装")
    merge(ws, "F3:G3", "项目负责人及电话")
    merge(ws, "H3:I3", "谢凯13990260322(办公)")
    put(ws, "A4", "主管部门")
    merge(ws, "B4:E4", "中江县水利局")
    merge(ws, "F4:G4", "实施单位")
    merge(ws, "H4:I4", "中江县水利局")
    # funds: 全年预算数(A) | 全年执行数(B) | 分值 | 执行率(B/A) | 得分 (no 年初预算数 column)
    merge(ws, "A5:A8", "资金情况(万元)")
    put(ws, "C5", "全年预算数(A)")
    put(ws, "D5", "全年执行数(B)")
    put(ws, "E5", "分值")
    put(ws, "F5", "执行率(B/A)")
    merge(ws, "G5:I5", "得分")
    put(ws, "B6", "年度资金总额:")
    put(ws, "C6", 20)
    put(ws, "D6", 20)
    put(ws, "E6", 10)
    put(ws, "F6", 1, "0.00%")
    merge(ws, "G6:I6", 10)
    put(ws, "B7", "其中:本年财政拨款")
    put(ws, "C7", 20)
    put(ws, "D7", 20)
    merge(ws, "G7:I7")
    put(ws, "B8", "其他资金")
    merge(ws, "G8:I8")
    # goals (the page runs the two texts together; split where the target text ends, see yaml)
    merge(ws, "A9:A10", "年度总体目标")
    merge(ws, "B9:E9", "年初设定目标")
    merge(ws, "F9:I9", "年度总体目标完成情况综述")
    merge(ws, "B10:E10", "对农村地区供水计量设施设备进行改进,对项目区农业用水计量,为项目区农业生产夯实基础,")
    merge(ws, "F10:I10", "对项目区农业用水计量,为项目区农业生产夯实基础,")
    # indicators: 绩效指标 | 一级 | 二级 | 三级 | 分值 | 年度指标值 | 全年实际值 | 得分 | 未完成原因
    merge(ws, "A11:A22", "绩效指标")
    for ref, text in zip(("B11", "C11", "D11", "E11", "F11", "G11", "H11", "I11"),
                         ("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
                          "未完成原因及拟采取的改进措施")):
        put(ws, ref, text)
    merge(ws, "B12:B17", "产出指标(70分)")
    merge(ws, "C12:C13", "数量指标")
    put(ws, "C14", "质量指标")
    merge(ws, "C15:C16", "时效指标")
    put(ws, "C17", "成本指标")
    merge(ws, "B18:B20", "效益指标(20分)")
    put(ws, "C18", "经济效益指标")
    merge(ws, "C19:C20", "社会效益指标")
    merge(ws, "B21:B22", "满意度指标(10分)")
    merge(ws, "C21:C22", "服务对象满意度指标")
    put_rows(ws, [
        (12, "安装坡面水标尺", 10, "≥266米", "≥266米", 10),
        (13, "水标尺宽度", 10, "≥50厘米", "≥50厘米", 10),
        (14, "项目(工程)验收合格率", 20, (1, "0%"), (1, "0%"), 20),
        (15, "及时(按期)开工率", 10, "≥90%", "≥90%", 10),
        (16, "及时(按期)完工率", 10, "≥90%", "≥90%", 10),
        (17, "项目计划总投资", 10, "20万元", "20万元", 10),
        (19, "受益脱贫(含监测对象)户人口数", 10, "≥1000人", "≥1000人", 10),
        (20, "群众生产生活条件改善状况", 10, "显著提升", "显著提升", 10),
        (21, "受益脱贫(含监测对象)户满意度", 10, "≥95%", "≥95%", 10),
        (22, "……", None, None, None, None),
    ], "DEFGH")
    merge(ws, "A23:D23", "总分")
    put(ws, "E23", 100)
    merge(ws, "F23:G23")
    put(ws, "H23", 100)
    # the 注 under the table; the stored text stops inside it
    merge(ws, "A24:I24", "注:1.一级指标分值统一设置为:产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分,"
                         "各部门根据各项指标重要程度确定三级指标的分值,得分最高不能超过该指标分值上限,分别按照该指标"
                         "对应分值区间100-80%(含80%)、80-60%(含60%)、60-0%合理确定得分,3.定量指标若为正向")
    wb.save(HERE / "中江县水利局_小型水库水标尺制作安装_2022_绩效目标自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 2. 安徽 宿州市萧县张庄寨镇 2023 河西村特色种养补贴到户项目 绩效目标自评表, cut at 满意度
#    https://www.ahxx.gov.cn/grassroots/279/158998981.html
# ---------------------------------------------------------------------------------------------
def xiaoxian_hexicun_2023():
    wb, ws = _new()
    merge(ws, "A1:I1", "绩效目标自评表")
    merge(ws, "A2:I2", "(2023年度)")
    put(ws, "A3", "项目名称")
    merge(ws, "B3:E3", "河西村特色种养补贴到户项目")
    merge(ws, "F3:G3", "项目负责人及电话")
    merge(ws, "H3:I3", "李宁0557-5788003")
    put(ws, "A4", "主管部门")
    merge(ws, "B4:E4", "县农业农村局")
    merge(ws, "F4:G4", "实施单位")
    merge(ws, "H4:I4", "张庄寨镇人民政府")
    merge(ws, "A5:A8", "资金情况 (万元)")
    put(ws, "C5", "全年预算数(A)")
    put(ws, "D5", "全年执行数(B)")
    put(ws, "E5", "分值")
    put(ws, "F5", "执行率(B/A)")
    merge(ws, "G5:I5", "得分")
    put(ws, "B6", "年度资金总额:")
    put(ws, "C6", 9.48)
    put(ws, "D6", 9.48)
    put(ws, "E6", 10)
    put(ws, "F6", 1, "0%")
    merge(ws, "G6:I6", 10)
    # the 其中 row repeats 分值 10 / 执行率 / 得分 10, as published
    put(ws, "B7", "其中:本年财政拨款")
    put(ws, "C7", 9.48)
    put(ws, "D7", 9.48)
    put(ws, "E7", 10)
    put(ws, "F7", 1, "0%")
    merge(ws, "G7:I7", 10)
    put(ws, "B8", "其他资金")
    put(ws, "C8", "-")
    put(ws, "D8", "-")
    merge(ws, "G8:I8")
    merge(ws, "A9:A10", "年度总体目标")
    merge(ws, "B9:E9", "年初设定目标")
    merge(ws, "F9:I9", "年度总体目标完成情况综述")
    merge(ws, "B10:E10", "落实39户特色种养业奖补政策,增加脱贫户家庭收入")
    merge(ws, "F10:I10", "落实39户特色种养业奖补政策,增加脱贫户家庭收入")
    merge(ws, "A11:A31", "绩效指标")
    for ref, text in zip(("B11", "C11", "D11", "E11", "F11", "G11", "H11", "I11"),
                         ("一级 指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
                          "未完成原因及拟采取的改进措施")):
        put(ws, ref, text)
    merge(ws, "B12:B25", "产 出 指 标 (50分)")
    merge(ws, "C12:C21", "数量指标")
    merge(ws, "C22:C25", "质量指标")
    put_rows(ws, [
        (12, "★补助各类瓜果蔬菜种植面积", 20, "29.5亩", "29.5亩", 20),
        (13, "其中桃树种植面积", None, "1.5亩", "1.5亩", None),
        (14, "其中苹果树种植面积", None, "5亩", "5亩", None),
        (15, "其中露天蔬菜", None, "20亩", "20亩", None),
        (16, "其中大棚蔬菜", None, "3亩", "3亩", None),
        (17, "★补助鱼塘面积", 10, "3亩", "3亩", 10),
        (18, "其中鱼塘养殖面积", None, "3亩", "3亩", None),
        (19, "★补助家畜家禽养殖数量", 10, "192只", "192只", 10),
        (20, "其中羊养殖数量", None, "180只", "180只", None),
        (21, "其中猪养殖数量", None, "12头", "12头", None),
        # row 22: the 质量指标 label's own row, empty
        (23, "种植作物成活率", 5, (0.95, "0%"), (0.95, "0%"), 5),
        (24, "养殖家畜家禽成活率", 5, (0.95, "0%"), (1, "0%"), 5),
        (25, "……", None, None, None, None),
    ], "DEFGH")
    merge(ws, "B26:B31", "效 益 指 标 (30分)")
    merge(ws, "C26:C27", "经济效益 指标")
    put(ws, "C28", "社会效益 指标")
    put(ws, "C29", "生态效益 指标")
    merge(ws, "C30:C31", "可持续影响指标")
    put_rows(ws, [
        (27, "特色产业带动增加受益农户收入(总收入)", 20, "≥11.376万元", "12万元", 20),
        (28, "受益人口数量", 10, "90人", "90人", 10),
        (31, "……", None, None, None, None),
    ], "DEFGH")
    put(ws, "B32", "满意")          # the stored text stops here
    wb.save(HERE / "萧县张庄寨镇_河西村特色种养补贴到户项目_2023_绩效目标自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 3. 安徽 池州市贵池区棠溪镇 2022 村级补助及运转经费 (项目支出绩效自评表), cut at 可持续影响
#    http://www.anthempetcare.com/upload_cz/download?id=502367&siteId=2
#    (same town and template as the shared 委托业务项目 table, id=502364; typed in the same layout)
# ---------------------------------------------------------------------------------------------
def tangxi_cunji_2022():
    wb, ws = _new()
    put(ws, "A1", "附件:")
    merge(ws, "A2:I2", "项目支出绩效自评表")
    merge(ws, "A3:I3", "(2022年度)")
    put(ws, "A4", "项目名称")
    merge(ws, "B4:I4", "村级补助及运转经费")
    put(ws, "A5", "主管部门")
    merge(ws, "B5:D5", "219-池州市贵池区棠溪镇人民政府")
    put(ws, "E5", "实施单位")
    merge(ws, "F5:I5", "219001-池州市贵池区棠溪镇人民政府")
    merge(ws, "A6:A10", "项目资金\n(万元)")
    for ref, text in zip(("D6", "E6", "F6", "G6", "H6", "I6"),
                         ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        put(ws, ref, text)
    merge(ws, "B7:C7", "年度资金总额:")
    for ref, v in zip(("D7", "E7", "F7", "G7", "H7", "I7"), (0, 0, 0, 10, 0, 0)):
        put(ws, ref, v)
    merge(ws, "B8:C8", "其中:本年财政拨款")
    put(ws, "D8", 202.64)
    put(ws, "E8", 132.912)
    put(ws, "F8", 132.912)
    merge(ws, "B9:C9", "上年结转资金")
    merge(ws, "B10:C10", "其他资金")
    merge(ws, "A11:A12", "年度总体目标")
    merge(ws, "B11:E11", "预期目标")
    merge(ws, "F11:I11", "实际完成情况")
    merge(ws, "B12:E12", "本项目共申请预算资金2026400元,其中村级组织运转400000元,村民组长,党小组长基本报酬252000元,"
                         "村民监督委员会 工资28000元,村级事务补助960000元,村级工作目标奖励100000元。 .. "
                         "..............................................................................................................................")
    merge(ws, "F12:I12", "本项目共完成预算资金1329120.67元,其中村级组织运转439120.67元,村民组长,党小组长基本报酬152000元,"
                         "村民监督委员会 工资28000元,村级事务补助660000元,村级工作目标奖励50000元。")
    merge(ws, "A13:A22", "绩效指标")
    for ref, text in zip(("B13", "C13", "D13", "E13", "F13", "G13", "H13", "I13"),
                         ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                          "偏差原因分析及改进措施")):
        put(ws, ref, text)
    merge(ws, "B14:B19", "产出指标(50分)")
    merge(ws, "C14:C15", "数量指标")
    merge(ws, "C16:C17", "质量指标")
    put(ws, "C18", "时效指标")
    put(ws, "C19", "成本指标")
    merge(ws, "B20:B22", "效益指标(30分)")
    put(ws, "C20", "经济效益指标")
    put(ws, "C21", "社会效益指标")
    put(ws, "C22", "可持续影响")        # the stored text stops inside this label
    rows = [
        (14, "补助村(社区)数量", "=8个", 8, 8, 8),
        (15, "保障村干部人数", "=42个", 42, 8, 8),
        (16, "补助资格合规性", "合规", "达成预期指标", 8, 8),
        (17, "经费审批流程规范性", "严格执行相关制度规定", "达成预期指标", 8, 8),
        (18, "补助经费到位及时性", "及时", "达成预期指标", 8, 8),
        (19, "项目总成本", "≤202.6万元", 132.9, 10, 10),
        (20, "对保障村(社区)两委机构正常运行的影响程度", "效果明显", "达成预期指标", 10, 10),
        (21, "提高村(社区)干部工作积极性的影响程度", "效果明显", "达成预期指标", 10, 10),
    ]
    put_rows(ws, rows, "DEFGH")        # "=8个" typed as the text it is (put keeps it a text)
    wb.save(HERE / "棠溪镇_村级补助及运转经费_2022_项目支出绩效自评表.xlsx")


if __name__ == "__main__":
    zhongjiang_shuili_2022()
    xiaoxian_hexicun_2023()
    tangxi_cunji_2022()
