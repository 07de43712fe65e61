"""Build corpus D2: real published 部门整体 / 单位整体 self-evaluation tables (部门整体支出绩效自评表 and
部门整体 评分表 / 得分表 with scores), typed cell by cell with openpyxl from the stored page text the search
tool returned (corpus ``pages``): words and numbers as published, mistakes and extraction damage kept,
blank where the page is blank. Where the stored text stops, the workbook stops. Sources and readings are
in corpus_d2.yaml beside this file.

Run: python tests/data/realworld/build_corpus_d2.py   (writes the .xlsx files next to this script)
"""
from pathlib import Path

from build_corpus_b import merge, put, _new

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------------------------------------
# 1. 湖南 衡阳 衡山县贯塘乡人民政府 2023 部门整体支出绩效自评表 (附件二 of its 2023 决算公开),
#    cut in 年度总体目标 (the 预期目标 text)
#    http://www.hengshan.gov.cn/xzxxgk/gtx/fdzdgknr/czxx/20240914/i3455515.html
# ---------------------------------------------------------------------------------------------
def hengshan_guantang_2023():
    wb, ws = _new()
    merge(ws, "A1:H1", "2023年度部门整体支出绩效自评表")
    merge(ws, "A2:B2", "预算部门、单位名称")
    merge(ws, "C2:H2", "衡山县贯塘乡人民政府")
    # funds block (Hunan form): label merged down, header row, 年度资金总额 row, then two text columns
    # "按收入性质分" (left) and "按支出性质分" (right), each cell "label:amount" as printed
    merge(ws, "A3:A9", "年度预算申请\n(万元")          # closing bracket missing on the page
    for ref, text in zip(("C3", "D3", "E3", "F3", "G3", "H3"),
                         ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分")):
        put(ws, ref, text)
    put(ws, "B4", "年度资金总额")
    put(ws, "C4", 861.10, "0.00")
    put(ws, "D4", 2030.12, "0.00")
    put(ws, "E4", 2030.12, "0.00")
    put(ws, "F4", 10)
    put(ws, "G4", 1, "0%")
    put(ws, "H4", 10)
    merge(ws, "B5:D5", "按收入性质分:2030.12")
    merge(ws, "E5:H5", "按支出性质分:1925.67")
    merge(ws, "B6:D6", "其中: 一般公共预算:1325.68")
    merge(ws, "E6:H6", "其中:基本支出:900.47")
    merge(ws, "B7:D7", "政府性基金拨款:118.82")
    merge(ws, "E7:H7", "项目支出:1025.20")
    merge(ws, "B8:D8", "纳入专户管理的非税收入拨款:")
    merge(ws, "E8:H8")
    merge(ws, "B9:D9", "其他资金:585.62")
    merge(ws, "E9:H9")
    merge(ws, "A10:A11", "年度总体目标")
    merge(ws, "B10:E10", "预期目标")
    merge(ws, "F10:H10", "实际完成情况")
    # the stored text stops inside the 预期目标 text
    merge(ws, "B11:E11", "搞好政府各职能部门完成的工作任务监督,服务市场主体和营造发展")
    wb.save(HERE / "衡山县贯塘乡人民政府_部门整体_2023_部门整体支出绩效自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 2. 安徽 六安 寿县 (单位 cell blank on the page) 2023 部门整体支出绩效评价自评表, cut in row 序号 6
#    https://www.shouxian.gov.cn/public/118322758/1259995520.html
# ---------------------------------------------------------------------------------------------
def shouxian_2023():
    wb, ws = _new()
    merge(ws, "A1:H1", "2023年度部门整体支出绩效评价自评表")
    put(ws, "A2", "单位")
    merge(ws, "B2:H2")                                   # blank on the page
    for ref, text in zip(("A3", "B3", "C3", "D3", "E3", "F3", "G3", "H3"),
                         ("序号", "一级\n指标", "二级\n指标", "三级\n指标", "指标分值", "指标解释",
                          "指标说明及评分标准", "自评得分")):
        put(ws, ref, text)
    merge(ws, "B4:B8", "规划\n(15分)")
    put(ws, "C4", "基础信息\n(3分)")
    merge(ws, "C5:C6", "工作计划\n(6分)")
    merge(ws, "C7:C8", "绩效目标\n(6分)")
    rows = [
        (4, 1, "基础信息\n完整性", 3,
         "部门及所属二级单位预算基础信息是否符合相关规定,信息资料是否真实、完整,用以评价该单位基础信息对预算编制数据的"
         "支撑情况(按年初预算基础信息表考核)。",
         "1、基础数据信息是否真实(1分); 2、基础数据信息是否完整(1分); 3、基础数据信息是否准确(1分)。", 3),
        (5, 2, "年度工作\n计划完整性", 3, "部门及所属二级单位年度工作计划制定是否完整可行。",
         "年度工作计划是否完整可行(3分)", 3),
        (6, 3, "年度工作\n计划明确性", 3, "部门及所属二级单位年度工作计划制定是否明确可操作。",
         "年度工作计划是否明确可操作(3分)", 3),
        (7, 4, "年度绩效\n目标合理性", 4, "单位是否设置年度绩效目标,绩效目标设定是否符合单位实际,是否合理。",
         "1、设置年度绩效目标(2分,其中单位整体绩效目标1分,项目绩效目标1分,若单位无项目,得2分) "
         "2、绩效目标设置依据充分(1分) 3、绩效目标合理,符合实际,可操作(1分) 4、未设置绩效目标,该栏不得分", 4),
        (8, 5, "年度绩效\n目标明确性", 2, "是否制定明确、细化、量化的绩效目标。", "绩效目标明确,且细化、量化(2分);", 2),
    ]
    for r, no, l3, w, expl, rule, score in rows:
        for col, v in zip("ADEFGH", (no, l3, w, expl, rule, score)):
            put(ws, f"{col}{r}", v)
    # row 9: the stored text stops inside its 指标说明及评分标准; no 自评得分 is in the text
    put(ws, "A9", 6)
    put(ws, "B9", "执行\n(35分)")
    put(ws, "C9", "预算执行\n(18分)")
    put(ws, "D9", "预算执行率")
    put(ws, "E9", 5)
    put(ws, "F9", "部门及所属二级单位本年度预算执行数与预算数的比率,用以反映和考核部门(单位)预算执行程度。"
                  "预算执行率=(预算执行数/预算数)×100%。 预算执行数:部门(单位)本年度实际执行的预算数。 "
                  "预算数:财政部门批复的本年度部门(单位)预算数。")
    put(ws, "G9", "1、除上级政策性因素影响外,年度无预算追加(1")
    wb.save(HERE / "寿县_部门整体_2023_部门整体支出绩效评价自评表.xlsx")


# ---------------------------------------------------------------------------------------------
# 3. (province not named) 2022年部门整体绩效评价指标体系评分表 — a document site's text of a .docx;
#    cut in the first 产出 row of 整体绩效目标实现情况
#    https://m.taowenge.com/p-97898096.html
# ---------------------------------------------------------------------------------------------
def taowenge_zhengti_2022():
    wb, ws = _new()
    merge(ws, "A1:I1", "2022年部门整体绩效评价指标体系评分表")
    merge(ws, "A2:I2", "一、当年预算执行情况(20分)")
    for ref, text in zip(("A3", "B3", "C3", "D3", "E3", "F3", "G3", "H3", "I3"),
                         ("一级指\n标", "二级指\n标", "预算数\n(万\n元)", "执行数\n(万\n元)", "预算执\n行率", "分值",
                          "得分", "指标解释", "评分标准")):
        put(ws, ref, text)
    merge(ws, "A4:A7", "当年预\n算执行\n情况\n(20)")
    put(ws, "B4", "资金总\n体")
    put(ws, "C4", 535.50, "0.00")      # printed "535. 50": the number wraps in the narrow 预算数 column
    put(ws, "D4", 535.50, "0.00")
    put(ws, "E4", 1, "0%")
    put(ws, "F4", 20)
    put(ws, "G4", 20)
    merge(ws, "H4:H7", "部门全年执行数与全年预算数的比率资金总体= 基本支出+项目支出+其他")
    merge(ws, "I4:I7",
          "得分一档最高不能超过该指标分值上限(20分)。 该指标若为正向指标,则得分计算方法应用全年实 际值(B) /年度指标值(A) "
          "*该指标分值;若定量指 标为反向指标,则得分计算方法应用年度指标值(A) /全年实际值(B) *该指标分值。若年初指标值设定 "
          "偏低,则得分计算方法应用(全年实际值(B) 一年 度指标值(A) ) /年度指标值(A) *100%若计算结 果在200%-300% "
          "(含200%)区间,则按照该指标分值 的10%扣分;计算结果在300%-500% (含300%)区间, 则按照该指标分值的20对口分;"
          "计算结果高于500%(含500%),则按照该指标分值的30与扣分。")
    put(ws, "B5", "基本支\n出")
    put(ws, "C5", 535.50, "0.00")
    put(ws, "D5", 535.50, "0.00")
    put(ws, "B6", "项目支\n出")
    put(ws, "B7", "其他")
    merge(ws, "A8:I8", "二、整体绩效目标实现情况(60分)")
    for ref, text in zip(("A9", "B9", "C9", "D9", "E9", "F9", "G9", "H9", "I9"),
                         ("一级指\n标", "二级指\n标", "三级指\n标", "指标值", "完成值", "分值", "得分", "指标解释",
                          "评分标准")):
        put(ws, ref, text)
    put(ws, "A10", "整体绩\n效目标\n实现情\n况(60)")
    put(ws, "B10", "产出\n(30)")
    put(ws, "C10", "指标1")
    # "指标13030": read as 三级 指标1, 分值 30, 得分 30 with 指标值 / 完成值 blank (see corpus_d2.yaml)
    put(ws, "F10", 30)
    put(ws, "G10", 30)
    put(ws, "H10", "产出数量:计划完成率;(实际完成工作数/计划工 作数)X100%o实际完成工作数:一定时期(年度 或规划期)内部门"
                   "(单位)实际完成工作任务的数 量。计划工作数:部门(单位)整体绩效目标确定 的一定时期(年度或规划期)内预计完成"
                   "工作任务 的数量。产出质量:质量达标率;质量达标工作数/ 实际完成工作")
    wb.save(HERE / "未署名部门_部门整体_2022_部门整体绩效评价指标体系评分表.xlsx")


# ---------------------------------------------------------------------------------------------
# 4. (四川 template, department not named) 2017 年部门整体支出绩效评价得分表 — reposted text of a 2017
#    部门整体支出 self-evaluation report; cut in 综合管理's second 三级 indicator
#    https://wanglu.net/thread/t12-491155-4.html
# ---------------------------------------------------------------------------------------------
def wanglu_defenbiao_2017():
    wb, ws = _new()
    merge(ws, "A1:D1", "2017 年部门整体支出绩效评价得分表")
    for ref, text in zip(("A2", "B2", "C2", "D2"), ("一级指\n标", "二级指标", "三级指标", "得分")):
        put(ws, ref, text)
    merge(ws, "A3:A7", "部门决\n策(25 分)")
    merge(ws, "B3:B5", "目标任务(15 分)")
    merge(ws, "B6:B7", "预算编制(10 分)")
    for r, l3, score in ((3, "相关性(5 分)", 5), (4, "明确性(5 分)", 5), (5, "合理性(5 分)", 5),
                         (6, "测算依据(5 分)", 2), (7, "目标管理(5 分)", 4)):
        put(ws, f"C{r}", l3)
        put(ws, f"D{r}", score)
    put(ws, "A8", "综合管\n理(30 分)")
    merge(ws, "B8:B9", "专项资金分配时限(2 分)")
    put(ws, "C8", "省级财力专项预算分配时限(1 分)")
    put(ws, "D8", 1)
    put(ws, "C9", "中央专款分配合规")                  # the page breaks off here ("........")
    wb.save(HERE / "未署名部门_部门整体_2017_部门整体支出绩效评价得分表.xlsx")


if __name__ == "__main__":
    hengshan_guantang_2023()
    shouxian_2023()
    taowenge_zhengti_2022()
    wanglu_defenbiao_2017()
