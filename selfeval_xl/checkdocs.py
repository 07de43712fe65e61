"""Every finding code explained in Chinese first: what it means, a bad example, what to type instead.

Why a module of its own: the same words go to ``check --list-checks``, the 检查说明 sheet of report.xlsx,
the per-单位 feedback workbooks and docs/checks.md, and an accountant at a finance bureau reads Chinese.
The English beside them is each check's docstring (the developers' documentation), so it is not
repeated here; the few codes the reader raises (no check function) carry their English here.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckDoc:
    explain: str          # 说明：what the finding means
    bad: str              # 错误示例
    fix: str              # 改法：what to do or type instead
    english: str = ""     # only for codes without a check function (their docstring is the English)


DOCS: dict[str, CheckDoc] = {
    "unreadable": CheckDoc(
        "文件无法打开：已损坏、加了密码、不是 Excel 格式（如改了扩展名的网页、WPS 的 .et），或是空工作簿。",
        "把网页另存为“项目自评表.xlsx”；给工作簿设置了打开密码。",
        "在 Excel 或 WPS 中打开，取消密码，另存为 .xlsx 后重新提交。",
        "The file cannot be opened: corrupt, password-protected, not an Excel file, or empty. "
        "Fix: open it in Excel or WPS, remove the password, save as .xlsx."),
    "no-table": CheckDoc(
        "工作簿中找不到项目支出或部门整体支出绩效自评表（按表头文字“绩效指标”“年度指标值”等查找）。",
        "提交了预算表或说明文档；自评表的表头被改写成别的文字。",
        "提交按统一模板填写的自评表；表头文字保持模板原样。",
        "No 项目支出 or 部门整体 self-evaluation table was found by its title and headers. "
        "Fix: submit the table in the official layout, headers unchanged."),
    "check-failed": CheckDoc(
        "检查这个文件时出错：读取程序崩溃，或超出了每个文件的时间、内存限制（见 README“可靠性”）；其余文件照常检查。",
        "一个被恶意构造的工作簿使读取程序崩溃；一个巨大的文件读取超过 120 秒。",
        "把文件和这条信息转给技术支持；其余文件的检查不受影响。",
        "Checking this file failed: the reader crashed, or the file overran its time or memory limit "
        "(README: Reliability); the other files were checked. Fix: report the file and message, or raise the limit."),
    "sheet-truncated": CheckDoc(
        "工作表行数过多（超过 5000 行），只检查了前面的行。",
        "自评表下方粘贴了几万行明细数据。",
        "把明细数据移到另一个工作簿，自评表只保留表格本身。",
        "A sheet has more rows than are read (5000); only the first ones were checked. "
        "Fix: move bulk data out of the 自评表 workbook."),
    "layout-missing": CheckDoc(
        "表格缺少必需的栏目或区块：绩效指标表头、资金情况区块，或某个必需的列。",
        "绩效指标表头中没有“实际完成值”列，或整个“项目资金”区块被删除。",
        "恢复模板原有的表头文字（项目名称、全年预算数、三级指标、年度指标值、实际完成值、分值、得分……）。"),
    "table-partly-read": CheckDoc(
        "表格的表式只识别了一部分：没有据以复核得分的列（没有分值，或没有年度指标值、实际完成值而按评价标准打分），"
        "或表式中有检查程序不读的部分（如另起的评分块、写在表头里的得分）。读到的部分照常检查，其余在此写明，"
        "相应指标计为未复核。",
        "衡山县的县级专项资金绩效目标自评表没有分值和得分；长沙的部门整体支出绩效评价指标表按评价标准文字打分。",
        "表格本身无需修改；请人工核对提示中写明的部分。"),
    "required-blank": CheckDoc(
        "必填单元格为空：项目名称、主管部门（部门（单位）名称）、全年预算数、全年执行数，以及每个指标的"
        "年度指标值、实际完成值和分值（定性指标未写档次时还需得分）。",
        "“媒体播出满意度”的实际完成值没有填。",
        "填写实际达到的值（如 95%）；必填项都要填写。"),
    "not-a-number": CheckDoc(
        "应填数字的单元格（金额、比率、分值、得分）填了文字。",
        "全年执行数填“约1000万”。",
        "填数字 1000；“1,011.98”“99.76%”这样的写法可以识别，表中用“—”的地方按空白处理。"),
    "negative-amount": CheckDoc(
        "资金情况中的金额为负数。",
        "全年执行数填 -50。",
        "金额不能为负，改正该数字。"),
    "target-not-numeric": CheckDoc(
        "定量指标（指标性质为 ≥ ≤ = 区间，或指标体系规定为定量）的年度指标值是文字，无法计算得分。",
        "“预算完成率”的年度指标值填“较好”。",
        "年度指标值写成数字，如 ≥95%。"),
    "unparseable-value": CheckDoc(
        "年度指标值、实际完成值或指标性质的文字无法确定含义，此行得分未复核（不猜测，也不按所填得分放过）。",
        "年度指标值“≥1.5万人次”，实际完成值“4.6万元”（单位不一致）；指标性质填“高”。",
        "两边使用同一计量单位（“万”可以不同），指标性质填 ≥ ≤ = 区间 定性 之一。"),
    "percent-unclear": CheckDoc(
        "同一指标一侧是百分数（如年度指标值“≥95%”），另一侧显示的数字没有百分号（常规格式的 98 或 0.98）："
        "是 98% 还是 0.98%，无法判断，不猜测，该行得分不重算。",
        "年度指标值“≥95%”，实际完成值在常规格式单元格中填数字 98。",
        "填写“98%”（Excel 会存为 0.98 并设为百分比格式），或把单元格设为百分比格式。"),
    "text-in-number-cell": CheckDoc(
        "用本工具模板（Excel 原生公式）生成的表中，定量指标的年度指标值、区间上限或实际完成值填了文字。"
        "本工具能读懂，但表中的得分公式不能：Excel、WPS 会显示“#年度指标值不是数字”，总分漏掉这一行。",
        "年度指标值填“≥150天”，或实际完成值“100%”以文本存储。",
        "填数字 150（“天”填在度量单位，“≥”填在指标性质）；百分比按数字输入 100%。"),
    "direction-not-in-list": CheckDoc(
        "用本工具模板生成的表中，定量指标的指标性质为空或不是下拉列表中的值，得分公式显示“#指标性质为空”"
        "或“#未知指标性质”，总分漏掉这一行。",
        "指标性质留空，或填“正向”。",
        "从下拉列表中选择 ≥（或 ≤、=、区间；定性指标选“定性”）。"),
    "exec-rate-mismatch": CheckDoc(
        "执行率不等于 全年执行数 ÷ 全年预算数（按填写的精度比较）。",
        "全年预算数 1014.4，全年执行数 1011.98，执行率填 95%（应为 1011.98 ÷ 1014.4 = 99.76%）。",
        "执行率填 全年执行数 ÷ 全年预算数（见“应为”），或恢复模板中的公式。"),
    "exec-score-mismatch": CheckDoc(
        "预算执行得分不等于 ROUND(MIN(执行率, 1) × 分值, 2)；超支不加分。",
        "执行率 99.76%，分值 10，得分填 10（应为 9.98）。",
        "得分填 执行率 × 分值（执行率超过 100% 按 100% 计，见“应为”），或恢复公式。"),
    "score-mismatch": CheckDoc(
        "指标得分与按年度指标值、实际完成值、分值和评分规则重算的结果不符。",
        "年度指标值 ≥150天，实际完成 120天，分值 10，得分填 10（应为 120 ÷ 150 × 10 = 8）。",
        "得分按评分规则填写（见“应为”）；若得分无误，请核对年度指标值和实际完成值。"),
    "qual-score-out-of-band": CheckDoc(
        "定性指标的得分不在所评档次的分数区间内（达成 80–100%、部分达成 60–80%、未达成 0–60% 的分值；"
        "档次上限总是可以）。区间是指标体系的设置。",
        "“部分达成年度指标”，分值 10，得分填 9（应在 6 到 8 之间）。",
        "得分填在所评档次的区间内，或改评档次。"),
    "score-over-weight": CheckDoc(
        "得分超过分值：指标行、小计行或预算执行得分超过其分值。",
        "分值 10，得分填 12。",
        "得分不超过分值（超额完成最多得满分），或改正分值。"),
    "total-weight-not-100": CheckDoc(
        "整张表的分值合计不等于指标体系的总分（100）。",
        "预算执行 10 + 产出 50 + 效益 30，没有满意度指标，合计 90。",
        "补齐指标，使分值合计为 100。"),
    "weight-split-differs": CheckDoc(
        "某个一级指标的权重与指标体系不同，但合计仍为 100（“原则上……如有特殊情况，一级指标权重可做适当调整”）："
        "允许，但需要看一下。",
        "产出 50、效益 40，没有满意度指标。",
        "按指标体系的权重调整（如效益 30、满意度 10），或在偏差原因中说明调整理由。"),
    "level-weights-mismatch": CheckDoc(
        "下级指标的分值之和不等于上级：小计行的分值与其各行之和不符，或二级指标与指标体系给定的分值不符。",
        "管理效能小计分值 45，各行分值合计 43。",
        "改正各行分值或小计，使下级分值之和等于上级。"),
    "exec-rule-unknown": CheckDoc(
        "资金表写明了自己的得分计算方法，但不是常见写法（“执行率*该指标分值，最高不得超过分值上限”“20分*执行率”）："
        "不按通用规则猜测，预算执行得分未复核，请人工核对。",
        "得分计算方法写“预算执行率未达到90%的，每低1个百分点扣1分”。",
        "表格无须改动；如这是本地规则，由财政局在指标体系中写明，或人工复核该得分。"),
    "table-incomplete": CheckDoc(
        "表格在指标行后结束，没有总分行（也没有分值合计、等级），且分值合计不到总分或缺少一级指标：表格可能被截断"
        "（缺页、复制不全）。此时不报“分值合计不等于总分”“缺少一级指标”两项错误，只提示表格不完整、这两项未检查。",
        "表格最后几行是产出指标，之后没有满意度指标，也没有总分行。",
        "提交完整的表格（含满意度指标各行和总分行）。"),
    "level-missing": CheckDoc(
        "指标体系中的某个一级指标在表中一行也没有（如没有满意度指标）。",
        "项目表只有产出指标和效益指标。",
        "补上缺少的一级指标（见“应为”）的行及其分值。"),
    "unknown-level": CheckDoc(
        "某行的一级或二级指标名称不是指标体系中的名称，无法核对其分值。",
        "满意度指标下的二级指标写成“校园用户满意度”。",
        "使用指标体系中的名称（如“服务对象满意度指标”）。"),
    "funds-total-mismatch": CheckDoc(
        "年度资金总额不等于 当年财政拨款 + 上年结转资金 + 其他资金（每一列分别核对）。",
        "总额 120，财政拨款 100，上年结转 10，其他 0（总额应为 110）。",
        "总额填各项资金之和（见“应为”），或改正填错的那一项。"),
    "dept-funds-sum-mismatch": CheckDoc(
        "部门整体表资金情况中的“合计”不等于 基本支出 + 项目支出。",
        "支出预算数合计 1132.01，基本支出 800，项目支出 214.4（合计应为 1014.4）。",
        "合计填 基本支出 + 项目支出（见“应为”），或改正填错的那一项。"),
    "dept-rate-mismatch": CheckDoc(
        "资金情况中的预算完成率不等于 支出决算数 ÷ 支出预算数（按填写的精度比较）。",
        "支出预算 1132.01，决算 1011.98，完成率填 99.76%（那是 1011.98 ÷ 1014.4；应为 89.40%）。",
        "完成率填 决算数 ÷ 预算数（见“应为”），或改正本意的支出预算数。"),
    "subtotal-mismatch": CheckDoc(
        "“某某小计”行的自评得分不等于其各行得分之和。",
        "管理效能小计 44.43，各行得分合计 43.93。",
        "小计填各行得分之和（见“应为”），或改正填错的那一行。"),
    "bonus-out-of-range": CheckDoc(
        "加减分项合计超出范围（默认 ±5 分，是指标体系的设置）。",
        "加减分填 +8。",
        "加减分合计在规定范围内（默认最多加 5 分、最多减 5 分）。"),
    "total-mismatch": CheckDoc(
        "总分不等于表中各项得分之和（预算执行得分与各指标得分；部门整体表为各一级小计与加减分，限 0–100）。",
        "9.55 + 46.4 + 30 + 9，总分填 95.95（应为 94.95）。",
        "总分填各项得分之和（见“应为”），或恢复总分公式。"),
    "grade-mismatch": CheckDoc(
        "等级与总分不符（90 分以上优、80 良、60 中、以下差；分档是设置）。",
        "总分 88.5，等级填“优”（应为“良”）。",
        "等级按总分填写（见“应为”）。"),
    "missing-deviation-reason": CheckDoc(
        "指标得分低于分值，但“偏差原因分析及改进措施”（扣分原因）为空。",
        "得分 8（分值 10），偏差原因空白。",
        "写明未达到目标的原因和改进措施。"),
    "exec-rate-unexplained": CheckDoc(
        "执行率低于规定（默认 90%），但没有说明原因：年度资金总额行旁的说明，或实际完成情况中写明含“执行”的原因。",
        "执行率 75%，没有任何说明。",
        "在实际完成情况中写明执行率偏低的原因，如“政府采购延期，资金于次年支付”。"),
    "overachievement-unexplained": CheckDoc(
        "正向指标完成值达到目标的 120% 以上，却没有说明原因：可能目标定得过低，按规定应扣分。",
        "年度指标值 ≥15000人次，实际完成 46845人次，偏差原因空白。",
        "说明超额原因，或今后设定合理的目标。"),
    "formula-replaced": CheckDoc(
        "应为公式的单元格（得分、执行率、小计、总分……）填了手工数字：输入变化时它不会跟着变。",
        "得分单元格填 8，而同列其他单元格是公式。",
        "恢复公式（从上一格复制），或用 selfeval score 重算。"),
    "stale-cached-value": CheckDoc(
        "公式单元格保存的值与公式按表中数据应得的值不一致：文件由不会重算的程序保存，或公式被改过。",
        "=SUM(I10:I20) 保存的值是 90，而各项得分之和是 94.43。",
        "在 Excel 或 WPS 中打开，按 F9 重算，检查公式后保存。"),
    "formula-not-calculated": CheckDoc(
        "公式单元格没有保存计算结果（文件由程序生成、从未在电子表格中打开过），且无法像 Excel 那样按公式算出"
        "（函数不受支持、引用其他工作簿、公式超过 formula_cells / formula_inputs 限制），消息写明原因；"
        "检查使用重算值。能按公式算出的单元格按算出的值检查，与 Excel 保存了结果时相同。",
        "由程序生成后直接提交、公式中用了不受支持函数的工作簿。",
        "提交前在 Excel、WPS 或 LibreOffice 中打开并保存一次。"),
    "formula-broken": CheckDoc(
        "计算单元格的公式引用了已删除的单元格（#REF!）：写好公式后删除了行，无论填什么都显示 #REF!。",
        "总分 =I11+#REF!+#REF!+I12（项目库导出后删除了指标行）。",
        "按现有的行重写公式（如 =SUM(I11:I13)+I5），或改用统一模板。"),
    "figure-inconsistent": CheckDoc(
        "同一个数字在两处不一致：部门整体表中“预算完成率”指标的实际完成值与资金情况的 决算数 ÷ 预算数；"
        "或同一单位的部门整体表中的项目支出预算与各项目表全年预算数之和。",
        "资金情况为预算 1132.01、决算 1011.98（89.40%），指标却写 99.76%（那是 1011.98 ÷ 1014.4）。",
        "核对两处数字，各处使用同一个数（见“应为”）。"),
    # codes other branches add (isolation, layouts, rules): explained here so the merge needs no new words
    "duplicate-submission": CheckDoc(
        "同一单位的同一项目（或部门整体表）提交了两份；汇总时只计一次。",
        "“城建档案查询服务项目.xlsx”和“城建档案查询服务项目（修改）.xlsx”都在收表文件夹中。",
        "删除或移走旧的一份，只保留最终版本。",
        "The same project of one 单位 (or its 部门整体 table) was submitted twice; cross-file sums count it "
        "once. Fix: remove the older copy, keep the final one."),
    "sheet-too-large": CheckDoc(
        "工作表超过读取限制（行列过多或内容过大），没有读取。",
        "自评表所在的工作簿中有一张几十万行的明细表。",
        "把大表移到另一个工作簿，自评表单独提交。",
        "A sheet beyond the reading limits (cells up to its last cell, see README: Reliability) was not read. "
        "Fix: move the large sheet to another workbook, or raise the limit with --limit."),
    # the narrative report's codes (selfeval_xl/narrative/checks.py; their docstrings are the English)
    "report-parts-sum": CheckDoc(
        "报告中一个合计与其后所列分项之和不符（分值或自评的分项、基本支出 + 项目支出 = 合计、预算 − 决算 = 差额）。",
        "“自评 95.95 分，其中预算执行 9.55 分，产出指标 46.4 分，效益指标 40 分”：分项之和为 95.95，"
        "但漏了满意度；或“分值 100 分，其中……加减分项 4 分”合计不为 100。",
        "改正分项或合计，使两处都与自评表一致。",
        "A whole the report states does not equal the sum of the parts it gives (分值/自评 breakdowns, "
        "基本支出 + 项目支出 = 合计, 预算 − 决算 = 差额). Fix: correct the part or the whole, as the table says."),
    "report-rate": CheckDoc(
        "报告中的比率与报告所述的两个数不符（预算完成率 = 支出决算 ÷ 支出预算；指标完成率 = 完成个数 ÷ 指标个数）。",
        "“支出预算 1132.01 万元，支出决算 1011.98 万元……预算完成率 99.76%”（99.76% 是 1011.98 ÷ 1014.4）。",
        "全文使用同一个支出预算数，并按它计算比率。",
        "A rate the report states does not follow from the two figures it states. Fix: one 支出预算 "
        "everywhere, and its rate."),
    "report-score-over-weight": CheckDoc(
        "报告中某项的自评得分高于报告所述的分值。",
        "“效益指标 30 分”……“自评……效益指标 40 分”。",
        "得分不能超过分值：改正得分（以及它所来自的自评表）。",
        "A score the report states is above the 分值 it states for the same item. Fix: correct the score "
        "(and its table)."),
    "report-figure-twice": CheckDoc(
        "同一单位同一年度的同一个数字，在报告中前后写成了不同的值。",
        "支出预算一处写 1132.01 万元，另一处写 1014.4 万元。",
        "全文统一为自评表中的数字。",
        "The same figure of one 单位 and year is stated twice with different values. Fix: one value "
        "everywhere, the table's."),
    "report-table-mismatch": CheckDoc(
        "报告中的数字与同一次检查中该单位自评表的数字不符（总分、各级指标分值和自评、资金、预算完成率、指标个数）。",
        "报告写“项目自评总分 95.95 分”，自评表重算总分为 99.14 分。",
        "按自评表改正报告（或先改正自评表，再改报告）。",
        "A figure the report states differs from the same figure in the 单位's tables checked in the same "
        "run. Fix: restate the table's figure."),
    "report-placeholder": CheckDoc(
        "由 selfeval draft 起草的报告中仍有【待填写：…】占位内容，只有本单位能写的部分尚未填写。",
        "“（一）部门概况 【待填写：部门职能、机构设置、人员编制等概况】”。",
        "写好这些部分并删除【待填写】标记。",
        "A drafted report still holds 【待填写：…】 placeholders. Fix: write those parts and remove the marks."),
    "report-part-missing": CheckDoc(
        "同一项目（或部门整体）的分值分项列了某一部分，自评得分的分项却没有它：得分之和可能漏算或错算。",
        "“分值 100 分，其中…效益指标 30 分，服务对象满意度指标 10 分。自评 95.95 分，其中预算执行 9.55 分，产出指标 "
        "46.4 分，效益指标 40 分。”（没有满意度指标的得分）。",
        "自评得分逐项列全，与分值分项一一对应；核对各项得分不超过其分值。",
        "The score breakdown leaves out a part the weight breakdown lists. Fix: list every part's score."),
    "report-no-text": CheckDoc(
        "报告中读不出文字：可能是扫描件或图片 PDF、空文件，报告中的数字未能检查。",
        "把纸质报告扫描成 PDF 提交；提交了空白的 .txt。",
        "提交可复制文字的 PDF（由 Word/WPS 直接导出）或 .docx 原文件。",
        "No text could be read (a scanned PDF, an empty file): nothing was checked. Fix: submit the .docx "
        "or a PDF exported from it."),
    "report-not-a-report": CheckDoc(
        "文件有文字，但不像绩效自评报告（没有“绩效”“自评”“预算”等字样，也没有分值、得分或金额），未作检查。",
        "把通知、新闻稿或其他材料当作自评报告提交。",
        "确认提交的是本单位的绩效自评报告。",
        "The text does not read as a 绩效自评报告 (none of its words, no scores or amounts): not checked. "
        "Fix: submit the report itself."),
    "report-nothing-checked": CheckDoc(
        "报告读出了文字，但没有一处数字能与另一处（或与本单位的自评表）相互核对：没有“总分 = 各部分之和”、"
        "“合计 = 其中各项”、“执行率 = 决算 / 预算”、“得分 ≤ 分值”，也没有同一数字两次出现。报告因此未核对，"
        "不能算作通过。常见于把自评表的格子粘成一段文字（数字一串相连，没有句子），或报告只写文字不写数字。",
        "“项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0 其中:本年财政拨款 90 89.974 89.974”"
        "（表格被压成一行文字，读不出哪一个数是什么）。",
        "报告正文用句子写出预算、决算、执行率、总分及各部分得分（如“自评得分 95.95 分，其中预算执行 9.55 分……”），"
        "自评表以表格（.xlsx）另行提交；或与本单位的自评表一起检查。",
        "No figure of the report could be held against another (a sum, a rate, a score within its weight, "
        "a figure stated twice, or the 单位's tables): not checked, so never a clean pass. Typical of a "
        "自评表 pasted as flat text. Fix: state the figures in sentences, submit the tables as workbooks."),
    "cost-direction": CheckDoc(
        "成本指标的指标性质写成了正向（≥），越多越好不符合成本指标的含义。",
        "“单位成本”指标性质选“≥”，年度指标值 50元。",
        "成本指标选“≤”（反向），实际完成值不超过年度指标值即得满分。"),
    "budget-zero": CheckDoc(
        "预算执行率的分母（全年预算数 / 支出预算数）为 0，无法计算执行率和预算执行得分。",
        "全年预算数填 0，全年执行数 120。",
        "填写实际的全年预算数；确无预算的项目请与财政局确认填法。"),
    "qual-tier-unknown": CheckDoc(
        "定性指标的实际完成值没有写明档次（达成、部分达成、未达成年度指标），无法按档次核对得分。",
        "实际完成值写“基本达成”。",
        "从下拉列表选择档次：达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差。"),
    "unknown-system": CheckDoc(
        "工作簿记录的指标体系本工具没有，已按默认指标体系检查，结果可能不准。",
        "用其他地区的模板生成的表，记录的指标体系为“某省-2022”。",
        "检查时用 --system 指定该指标体系的文件，或改用统一模板。"),
    # 指标质量 (selfeval_xl/quality/rules.yaml: wording, thresholds and sources; a bureau's own file with --quality)
    "cost-with-floor": CheckDoc(
        "成本指标的年度指标值写成下限（≥、不低于、以上）：成本应控制在预算支出标准以内，写成下限等于“花得越多越好”。"
        "指标体系已规定成本层级时由 cost-direction 报告，不重复。",
        "成本指标“设备采购成本”年度指标值“≥17.4万元”。",
        "写成上限“≤17.4万元”（指标性质选 ≤）；节约类指标（成本节约率 ≥5%）不受影响。"),
    "time-without-date": CheckDoc(
        "时效指标的年度指标值没有确定的完成时间，只写“及时”“按期完成”等，无法判断是否按时。",
        "时效指标“资金拨付及时性”年度指标值“及时”。",
        "写明时限：“11月30日前”“≤30个工作日”“年底前”。"),
    "quantity-without-unit": CheckDoc(
        "定量指标没有度量单位：度量单位栏为空，指标值中也没有单位，指标名称也看不出单位（“…率”“…数量”视为有单位）。",
        "“工程资金金额”年度指标值 43.2，度量单位空。",
        "在度量单位栏填写单位（万元、人次、公里……）。"),
    "satisfaction-without-survey": CheckDoc(
        "满意度指标填了完成值，但完成值、偏差原因和项目的实际完成情况都没有说明如何调查（调查、问卷、测评、回访……），"
        "也没有佐证；复核时这类满意度通常不得分。默认只检查项目支出表。",
        "“服务对象满意度”完成值 98%，其他什么也没写。",
        "写明调查方式和样本：“经问卷调查（有效问卷120份），满意度98%”，并附调查材料。"),
    "benefit-restates-output": CheckDoc(
        "效益指标与同一张表中的某个产出指标文字相同或几乎相同（按相似度计算），同一成果计了两次。",
        "产出指标“举办培训班”，效益指标“举办培训班次”。",
        "效益指标写产出带来的变化，如“参训人员考核合格率”。"),
    "indicator-copies-goal": CheckDoc(
        "指标名称或指标值照抄了年度目标中的原句，没有细化为可衡量的指标。",
        "年度目标“……提升档案利用服务水平”，指标“提升档案利用服务水平”，指标值“有效提升”。",
        "改为能衡量的指标，如“档案在线查阅量 ≥5万人次”。"),
    "vague-target": CheckDoc(
        "数量、成本等本应定量的二级指标下，年度指标值却写成“有效提升”“明显改善”一类的定性表述，无法衡量。"
        "（指标性质已选定量而指标值是文字的，由 target-not-numeric 报告。）",
        "数量指标“培训覆盖面”年度指标值“有效提升”。",
        "写成数字目标，如“≥800人次”。"),
    "all-full-score": CheckDoc(
        "同一单位在本次检查中的项目支出表（默认至少3个）全部每项指标都自评满分：复核时应优先抽查。",
        "某单位6个项目的每项指标得分都等于分值。",
        "逐项核对完成值和佐证材料，未完成的指标如实扣分。"),
    "far-over-target": CheckDoc(
        "正向指标的完成值达到指标值的130%（参数）以上：按财预〔2020〕10号第十六条，由于年初指标值设定明显偏低造成的，"
        "要按照偏离度适度调减分值。各地口径不同，阈值可在本地规则中调整。",
        "“参观人数”指标值 ≥15000人次，完成值 46845（312%）。",
        "按偏离度调减该项得分，并在下年度参考本年完成值从高设定指标值。"),
    "routine-management": CheckDoc(
        "把常规性的项目管理要求（制度健全、按时报送、资金使用合规……）当作产出或效益指标，与产出、效益没有关联。",
        "产出指标“资金使用合规性”，指标值“合规”。",
        "删去该指标（管理要求不属于产出和效益），改设反映产出的指标。"),
    "wording-shared-across-units": CheckDoc(
        "不同单位的指标名称（较长的，默认至少12个字）和指标值逐字相同：疑似套用其他单位的模板未结合本单位实际修改。"
        "“预算执行率”“满意度”等通用短名称不比较。",
        "两个单位都写“全面完成市委市政府交办的各项档案工作任务”“全面完成”。",
        "按本单位的实际产出和目标重新设置指标。"),
    "satisfaction-copied-across-units": CheckDoc(
        "满意度指标的说明文字（文字完成值和偏差原因）与其他单位的相同或几乎相同：疑似照抄，而非本单位的调查结果。",
        "两个单位的满意度说明都是“经问卷调查，服务对象满意度达96%，群众对项目实施效果普遍认可”。",
        "写本单位的调查情况：调查对象、样本数、主要意见。"),
    "target-lowered": CheckDoc(
        "与上年的自评表相比（--previous），同一项目的同一指标，正向指标的指标值调低了，或反向指标的指标值调高了。"
        "项目按单位和名称（模糊匹配）对应，指标按名称对应。",
        "“接收建设工程档案”上年 ≥10000卷，今年 ≥8000卷。",
        "指标值应尽量从严、从高设定，参考上年值；确需调低的，在报告中说明原因。"),
    "indicator-dropped": CheckDoc(
        "上年失分（未完成）的指标，今年的同一项目中不再设置（--previous）。",
        "上年“征集档案资料 ≥1200件”只完成1020件并扣分，今年的表中没有这个指标。",
        "保留该指标并整改；确已不适用的，在报告中说明。"),
    "weight-moved": CheckDoc(
        "上年失分的指标，今年的分值调低了（--previous）：分值移到容易得满分的指标上，总分上升而工作并未改进。",
        "“征集档案资料”上年分值10、得分8，今年分值4。",
        "保持该指标的分值，如实评分。"),
    "far-over-again": CheckDoc(
        "指标值与上年相同，而完成值连续两年远超指标值（--previous，默认130%以上）：指标值设定偏低且未调整。",
        "“参观人数”两年的指标值都是 ≥15000，完成值分别为 46845 和 41200。",
        "参考上年完成值从高设定指标值。"),
}


def doc_of(code: str) -> CheckDoc:
    """The Chinese documentation of a finding code. Every declared code has one (a test says so); a code
    added without one still reads, from the check's own English."""
    return DOCS.get(code) or CheckDoc("（暂无中文说明，见英文）", "—", "按“问题”一栏的说明修改。")
