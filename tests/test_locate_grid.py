"""The locator on small grids built in memory (no file, no check): each test a shape a real form takes —
the value beside a label, the year under the title, a header of just enough columns, the rows that are
not indicators, where 总分 and 等级 stand — and the cell the reader must point at. Fast: the mutation run
of ``selfeval_xl/read/locate.py`` runs these first."""
from __future__ import annotations

from selfeval_xl.read import Grid, locate_tables
from selfeval_xl.read.locate import near_miss

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def _rows(name="测试项目", department="某局", reason=None):
    """The national 项目支出 form, columns A–H: title, two fields, the funds block, one indicator, 总分, 等级."""
    return [["项目支出绩效自评表（2021年度）"], ["项目名称", None, name], ["主管部门", None, department],
            ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", None, 100, 100, 90, 10, 0.9, 9],
            HEADER,
            ["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 90, 90, reason],
            ["总分", None, None, None, None, 100, 99, None],
            ["等级", None, None, None, None, None, "优", None]]


def _table(rows, **grid):
    [table] = locate_tables(Grid("表", rows, **grid))
    return table


def _indicators(rows):
    """The table whose indicator block is ``rows`` under the header (row 6 on), as (row, 三级, kind)."""
    table = _table(_rows()[:5] + [HEADER] + rows)
    return [(r.row, r.level3, r.kind) for r in table.indicators]


def test_the_national_form_is_read_cell_by_cell():
    table = _table(_rows())
    assert (table.kind, table.layout, table.year, table.title.ref) == ("project", "project", 2021, "A1")
    assert {k: c.ref for k, c in table.fields.items()} == {"project_name": "C2", "department": "C3"}
    assert {k: c.ref for k, c in table.funds["total"].cells.items()} == {
        "initial": "C5", "budget": "D5", "spent": "E5", "weight": "F5", "rate": "G5", "score": "H5"}
    [row] = table.indicators
    assert (row.row, row.level1, row.level2, row.level3, row.kind) == (7, "产出指标", "数量指标", "培训人次", "indicator")
    assert (table.total.ref, table.total_weight.ref, table.grade.ref) == ("G8", "F8", "G9")
    assert (table.headers["total.label"].ref, table.headers["grade.label"].ref) == ("A8", "A9")
    assert (table.headers["funds.label"].ref, table.amount_unit, table.reading) == ("A4", "万元", [])


def test_an_answer_opening_with_a_footer_word_is_no_footer():
    """偏差原因 “存在问题：…；改进措施：…” is the indicator's answer: the table goes on to its 总分."""
    table = _table(_rows(reason="存在问题：部分培训延期。改进措施：下半年补办。"))
    assert [r.level3 for r in table.indicators] == ["培训人次"] and table.total.ref == "G8"


def test_a_footer_row_closes_the_table():
    rows = _rows()
    rows[7:7] = [["填报人：张三"], [None, None, "培训场地", "1个", "1个", 10, 10]]
    table = _table(rows)
    assert [r.level3 for r in table.indicators] == ["培训人次"] and table.total is None
    rows[7] = [None, None, None, None, "联系电话", "123"]          # a footer word alone, right of 三级指标
    assert [r.level3 for r in _table(rows).indicators] == ["培训人次"]
    rows[7] = [None, None, None, None, "联系电话是多少"]              # right of 三级: only alone or before a colon
    table = _table(rows)
    assert [r.level3 for r in table.indicators] == ["培训人次", "", "培训场地"] and table.total.ref == "G10"


def test_a_header_of_four_known_columns_is_the_indicator_table():
    """三级指标 / 年度指标值 / 实际完成值 / 分值 and nothing else (MIN_HEADER_MATCHES) is enough; three are not."""
    header = ["三级指标", "年度指标值", "实际完成值", "分值"]
    rows = [["项目支出绩效自评表"], header, ["培训人次", "≥100人次", "100人次", 90], header]    # repeated on page 2
    [row] = _table(rows).indicators
    assert (row.level3, row.get("weight").ref) == ("培训人次", "D3")
    assert locate_tables(Grid("表", [["三级指标", "年度指标值", "分值"], ["培训人次", "≥100人次", 90]])) == []


def test_the_year_stands_in_the_title_or_the_two_rows_under_it():
    rows = _rows()
    rows[0:1] = [["项目支出绩效自评表"], [None, None, "（2023年度）"]]
    assert _table(rows).year == 2023
    rows[1:1] = [[None], [None]]          # three rows under the title: another text's year
    assert _table(rows).year is None


def test_a_label_takes_the_first_value_right_of_it_and_never_the_next_label():
    rows = _rows()
    rows[2] = ["主管部门", None, None, "实施单位", "某单位"]
    table = _table(rows)
    assert (table.fields["department"].ref, table.fields["department"].value) == ("C3", None)
    assert (table.fields["implementer"].ref, table.fields["implementer"].value) == ("E3", "某单位")


def test_a_blank_value_is_pointed_at_under_the_value_of_the_label_above():
    """项目名称's value in C: 主管部门's blank value is C3, even with the label merged over A:B."""
    rows = _rows(department=None)
    assert _table(rows).fields["department"].ref == "C3"
    rows[1] = ["项目名称", None, None, "测试项目"]
    assert _table(rows, merged=[(2, 0, 2, 1)]).fields["department"].ref == "D3"
    rows[1] = ["项目名称"]
    assert _table(rows, merged=[(2, 0, 2, 1)]).fields["department"].ref == "C3"    # after the merged label


def test_a_note_or_a_footer_of_any_length_is_no_indicator():
    """A 说明：… note row and a 存在问题：… footer written out at length (past any label's length) are
    what they say: the note is listed for ``--explain``, the footer closes the table."""
    long = "本表指标按年初批复的绩效目标填列，实际完成值以年末统计数为准。" * 4
    rows = _rows()
    rows.insert(7, [None, None, "说明：" + long])
    table = _table(rows)
    assert [r.level3 for r in table.indicators] == ["培训人次"] and table.total.ref == "G9"
    assert table.reading == [("A8", "说明行，不是指标 / a note row: “说明：本表指标按年初批复的绩效目标填列,”")]   # 20 characters
    rows[7] = [None, None, "存在问题：" + long]
    table = _table(rows)
    assert [r.level3 for r in table.indicators] == ["培训人次"] and table.total is None


def test_the_closest_miss_names_the_sheet_row_and_the_labels_to_rename():
    grids = [Grid("甲", [["说明"], ["三级指标", "年度指标值", "分值"]]),
             Grid("乙", [[None], [None], ["一级指标", "三级指标", "年度指标值", "实际完成值"]])]
    miss = near_miss(grids)
    assert (miss.sheet, miss.row, miss.layout) == ("乙", 3, "project")
    assert miss.found == ("一级指标", "三级指标", "年度指标值", "实际完成值")
    assert "分值" in miss.missed and "度量单位" not in miss.missed         # an optional column is never asked for
    assert miss.message().endswith("识别到表头 一级指标、三级指标、年度指标值、实际完成值；缺少 " + "、".join(miss.missed))
    assert "工作表“乙”第3行（按“项目支出绩效自评表”）" in miss.message()
    assert near_miss([Grid("甲", [["说明"]])]) is None


def test_two_titled_tables_on_one_sheet_are_two_tables_each_to_its_own_rows():
    rows = _rows() + [[None]] + _rows(name="第二个项目")
    first, second = locate_tables(Grid("表", rows))
    assert (first.title.ref, first.fields["project_name"].value, first.total.ref) == ("A1", "测试项目", "G8")
    assert (second.title.ref, second.fields["project_name"].value, second.total.ref) == ("A11", "第二个项目", "G18")
    assert [r.row for r in first.indicators] == [7] and [r.row for r in second.indicators] == [17]


def test_a_title_repeated_on_its_row_starts_one_table():
    rows = _rows()
    rows[0] = ["项目支出绩效自评表（2021年度）", None, None, None, "项目支出绩效自评表"]
    [table] = locate_tables(Grid("表", rows))
    assert table.title.ref == "A1" and table.total.ref == "G8"


def test_a_titled_sheet_without_headers_is_a_table_when_the_sheet_bears_the_title():
    rows = [["项目支出绩效自评表（2024年度）"], ["项目名称", "甲"]]
    [table] = locate_tables(Grid("项目支出绩效自评表", rows))
    assert (table.kind, table.fields["project_name"].ref, table.indicators) == ("project", "B2", [])
    assert locate_tables(Grid("Sheet1", rows)) == []


def test_a_title_with_a_long_tail_is_text_not_a_title():
    """A title is a title with at most 20 more characters (年度, 单位, 盖章): a sentence naming it is not."""
    rows = _rows()
    rows[0] = ["项目支出绩效自评表" + "（" + "二" * 18 + "）"]
    assert _table(rows).title.ref == "A1"
    rows[0] = ["项目支出绩效自评表" + "（" + "二" * 19 + "）"]
    assert _table(rows).title is None


def _read(rows):
    """The table whose indicator block is ``rows`` under the header (from row 7)."""
    return _table(_rows()[:5] + [HEADER] + rows)


def test_subtotals_repeated_headers_and_empty_slots_are_no_indicators():
    table = _read([["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 20, 20],
                   ["产出指标小计", None, None, None, None, 20, 20],
                   [None, None, "小计", None, None, 20, 20],
                   HEADER,                                              # printed over two pages
                   [None, None, "指标1", None, None, None],                 # the form's slot, unfilled
                   [None, None, "……", "……"],
                   ["效益指标", "社会效益指标", "群众知晓率", "≥90%", "95%", 10, 10],
                   ["总分", None, None, None, None, 30, 30]])
    assert [(r.row, r.level1, r.level3, r.kind) for r in table.indicators] == [
        (7, "产出指标", "培训人次", "indicator"), (8, "产出指标", "", "subtotal"), (9, "产出指标", "小计", "subtotal"),
        (13, "效益指标", "群众知晓率", "indicator")]
    assert table.total.ref == "G14" and table.reading == []


def test_a_lost_level1_is_inferred_from_its_level2_and_said_where():
    table = _read([["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 20, 20],
                   [None, "质量指标", "合格率", "≥90%", "95%", 20, 20],               # 产出's own: kept, nothing said
                   [None, "满意度指标", "群众满意度", "≥90%", "95%", 10, 10],         # 一级 lost: 满意度指标
                   ["管理效能", "数量指标", "会议次数", "≥4次", "4次", 10, 10],
                   [None, "满意度", "职工满意度", "≥90%", "95%", 10, 10]])          # 管理效能 is never second-guessed
    assert [(r.level1, r.level2) for r in table.indicators] == [
        ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("满意度指标", "满意度指标"),
        ("管理效能", "数量指标"), ("管理效能", "满意度")]
    assert table.reading == [("B9", "一级指标空缺，按二级“满意度指标”归入“满意度指标” / 一级 inferred from its 二级")]


def test_the_direction_column_is_read_in_the_rules_words():
    header = HEADER[:3] + ["指标性质"] + HEADER[3:]
    table = _table(_rows()[:5] + [header,
                                  ["产出指标", "数量指标", "培训人次", "正向指标", "100人次", "100人次", 20, 20],
                                  ["产出指标", "数量指标", "投诉件数", "反向指标", "5件", "3件", 20, 20],
                                  ["产出指标", "数量指标", "覆盖人数", "定量", "≥100人", "100人", 20, 20],
                                  ["产出指标", "数量指标", "培训效果", "其他", "好", "好", 20, 20]])
    assert [r.direction_word for r in table.indicators] == ["正向", "反向", "", None]
    assert [r.direction for r in table.indicators] == ["正向", "反向", "", "其他"]


def _funds_rows(label_rows):
    """A funds block whose label stands ``label_rows`` rows above its header (0: on the header row)."""
    rows = _rows()
    header = [None, None, "年初预算数", "预算执行数", "分值", "执行率", "得分"]
    label = ["项目资金（元）"]
    block = [label, *([[None]] * (label_rows - 1)), header] if label_rows else [label[:1] + header[1:]]
    rows[3:5] = [*block, ["年度资金总额", None, 100, 90, 10, 0.9, 9, "含追加10万元"],
                 ["其中：当年财政拨款", None, 100, 90], ["上年结转资金", None, 0, 0],
                 ["年度总体目标", None, "预期目标", None, "实际完成情况"], [None, None, "目标甲", None, "完成甲"],
                 ["其他资金", None, 1, 1]]
    return rows


def test_the_funds_block_its_label_unit_rows_note_and_the_goal_below():
    """年初预算数 is the budget where no 全年预算数 stands; the label above (元) gives the unit; a text right
    of the block is the row's note; the 年度总体目标 block ends the funds rows (其他资金 under it is not one)."""
    table = _table(_funds_rows(2))
    total = table.funds["total"]
    assert {k: c.ref for k, c in total.cells.items()} == {
        "budget": "C7", "spent": "D7", "weight": "E7", "rate": "F7", "score": "G7", "note": "H7"}
    assert list(table.funds) == ["total", "current", "carryover"] and "note" not in table.funds["current"].cells
    assert (table.headers["funds.label"].ref, table.amount_unit) == ("A4", "元")
    assert {k: c.ref for k, c in table.goal.items()} == {"expected": "C11", "achieved": "E11"}
    assert _table(_funds_rows(1)).amount_unit == "元" and _table(_funds_rows(0)).amount_unit == "元"
    far = _table(_funds_rows(3))                  # three rows above its header: another text, not its label
    assert "funds.label" not in far.headers and far.amount_unit == "万元"



def test_a_funds_caption_standing_over_the_headers_gives_the_unit():
    """The block's caption may stand over its header row, starting at the first header's column (merged
    across the figures) rather than left of it: it is the block's label all the same, and its 元 the unit."""
    rows = _funds_rows(1)
    rows[3] = [None, None, "项目资金（元）"]
    table = _table(rows)
    assert (table.headers["funds.label"].ref, table.amount_unit) == ("C4", "元")

def test_the_unit_a_funds_header_states_is_the_tables():
    rows = _rows()
    rows[3] = ["项目资金", None, "年初预算数", "全年预算数（元）", "全年执行数", "分值", "执行率", "得分"]
    assert _table(rows).amount_unit == "元"
    rows[3][3] = "全年预算数( 元 )"
    assert _table(rows).amount_unit == "元"


def test_breakdown_not_applicable_and_note_rows_are_said_and_skipped():
    table = _read([["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 20, 20],
                   [None, None, "其中：人物专辑（含访谈、纪录片与宣传短片）", "10集", None, None],    # part of the row above
                   [None, None, "其中：专题片", "5集", "5集", 5, 5],                  # with a 分值 of its own: one
                   [None, None, "档案数字化", "/", "/", "/"],
                   [None, None, "安全事故数", "0", "0", "不适用"],
                   [None, None, "群众满意度", "≥90%", "95%", "十分", 10],            # a 分值 in words: an indicator
                   ["备注：见附件", None, None, "x"],
                   ["备注", None, None, "x", None, 5]])                        # with a 分值: not a note
    assert [(r.row, r.level3) for r in table.indicators] == [
        (7, "培训人次"), (9, "其中：专题片"), (12, "群众满意度"), (14, "")]
    assert table.reading == [
        ("A8", "“其中:人物专辑(含访谈、纪录片与宣传短片”是上一行的分项（无分值），不是单独的指标 / a breakdown of the row above"),
        ("A10", "分值为“/”：不适用，不计分 / not applicable"),
        ("A11", "分值为“不适用”：不适用，不计分 / not applicable"),
        ("A13", "说明行，不是指标 / a note row: “备注：见附件”")]


def test_a_two_row_header_names_its_columns_from_either_row():
    """指标值 over 年度指标值 / 实际完成值, or 年度指标值 … 分值 over 一级 / 二级 / 三级: one header of two rows,
    its second row no indicator; each column's header cell is where its label stands."""
    first = ["一级指标", "二级指标", "三级指标", "指标值", None, "分值", "得分", "偏差原因分析及改进措施"]
    data = ["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 90, 90]
    table = _table(_rows()[:5] + [first, [None, None, None, "年度指标值", "实际完成值"], data])
    [row] = table.indicators
    assert (row.row, row.get("target").ref, row.get("actual").ref) == (8, "D8", "E8")
    assert (table.headers["indicators.target"].ref, table.headers["indicators.actual"].ref) == ("D7", "E7")
    assert table.headers["indicators.weight"].ref == "F6"
    levels_below = [None, None, None, "年度指标值", "实际完成值", "分值", "得分", "偏差原因"]
    table = _table(_rows()[:5] + [levels_below, ["一级指标", "二级指标", "三级指标"], data])
    [row] = table.indicators
    assert (row.row, row.level1, row.level3, row.get("weight").ref) == (8, "产出指标", "培训人次", "F8")
    assert table.headers["indicators.level3"].ref == "C7"


def test_a_first_indicator_row_is_never_a_second_header_row():
    """Under a one-row header, a row of text (numbers typed as text) naming a column or two among its
    own texts is data."""
    table = _read([["产出指标", "数量指标", "实际完成值", "年度指标值", "达成", "90", "90"]])
    assert [(r.row, r.level3, r.get("target").ref) for r in table.indicators] == [(7, "实际完成值", "D7")]


def _header_read_as(actual_header):
    header = list(HEADER)
    header[4] = actual_header
    table = _table(_rows()[:5] + [header, ["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 90, 90]])
    actual = table.indicators[0].get("actual")
    return actual.ref if actual else None, table.guessed, table.reading


def test_a_scrambled_required_header_is_read_and_said():
    """实际完成值 come column by column out of a PDF (际实完成值): read as it, with one stray character at
    most, and said at its cell; a name of three characters is too short to guess from."""
    assert _header_read_as("际实完成值值") == (
        "E7", {"indicators.actual": "实际完成值"}, [("E6", "表头“际实完成值值”按“实际完成值”读取（字序错乱）")])
    assert _header_read_as("际实完成值值值") == (None, {}, [])
    assert _header_read_as("值际实") == (None, {}, [])


def test_total_and_grade_are_read_beside_their_labels_wherever_they_stand():
    rows = _rows()
    rows[7] = [None, "合计", None, None, None, 100, 99]
    rows[8] = [None, None, None, None, "自评等级", None, "优"]
    table = _table(rows)
    assert (table.total.ref, table.total_weight.ref, table.headers["total.label"].ref) == ("G8", "F8", "B8")
    assert (table.grade.ref, table.grade.value, table.headers["grade.label"].ref) == ("G9", "优", "E9")


def test_a_table_without_a_title_points_at_its_header():
    table = _table(_rows()[1:])
    assert (table.title, table.year, table.anchor.ref, table.total.ref) == (None, None, "A5", "G7")


def test_a_defined_name_on_one_cell_of_the_sheet_wins_over_the_label():
    names = {"SE_PROJECT_NAME": "表!$E$2", "SE_DEPARTMENT": "表!E3:E4", "SE_IMPLEMENTER": "表!不是地址"}
    [table] = locate_tables(Grid("表", _rows()), names)
    assert {k: c.ref for k, c in table.fields.items()} == {"project_name": "E2", "department": "C3"}
    assert (table.total.ref, table.grade.ref) == ("G8", "G9")        # named by no name: found by their labels


def _department(funds_header, level1s=("管理效能", "履职效能"), total="总分"):
    rows = [["部门整体支出绩效自评表（2022年度）"], ["部门（单位）名称", None, "某局"], ["资金情况（万元）", None, *funds_header],
            ["合计", None, 100, 90, 0.9, 5, 5],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "扣分原因"],
            *[[level1, "数量指标", f"指标{i}", "≥1", "1", 10, 10] for i, level1 in enumerate(level1s)],
            ["加减分项", "加分", "获奖", None, None, 2, 2], [total, None, None, None, None, 100, 90]]
    [table] = locate_tables(Grid("表", rows))
    return table


def test_a_department_table_is_read_by_the_layout_its_headers_name_with_its_bonus_rows():
    guangzhou = _department(["支出预算数", "支出决算数", "预算完成率"])
    assert (guangzhou.kind, guangzhou.layout) == ("department", "department")
    assert [(r.level1, r.kind) for r in guangzhou.indicators] == [
        ("管理效能", "indicator"), ("履职效能", "indicator"), ("加减分项", "bonus")]
    assert guangzhou.total.ref == "G9"
    output = _department(["全年预算数", "全年执行数", "执行率", "分值", "得分"], ("产出指标", "效益指标"), "合计")
    assert output.layout == "department-output" and output.total.ref == "G9"     # its 合计 is the 总分
    assert [r.kind for r in output.indicators] == ["indicator", "indicator", "bonus"]


def test_the_form_number_is_read_from_label_sized_text_not_from_a_paragraph():
    """Sichuan's 报表编号 (510000_0013zp) makes the table Sichuan's where it stands in a cell of up to 80
    characters (twice a label's 40: a title with its year, unit and number); a longer text is content."""
    def layout(cell):
        rows = _rows()
        rows.insert(1, [None, None, None, None, None, cell])
        return _table(rows).layout

    assert layout("报表编号：510000_0013zp") == "sichuan-project"
    assert layout("依据" + "甲" * 58 + "报表编号510000_0013zp的说明") == "sichuan-project"     # 80 characters
    assert layout("依据" + "甲" * 59 + "报表编号510000_0013zp的说明") == "project"             # 81


def test_the_forms_instruction_text_in_a_goal_or_funds_cell_is_read_as_blank():
    rows = _funds_rows(1)
    rows[9][2] = "请简要说明年度目标（200字以内）"
    rows[5][7] = "请填写资金来源"
    table = _table(rows)
    assert table.goal["expected"].value is None and table.goal["achieved"].value == "完成甲"
    assert table.funds["total"].get("note").value is None
    assert table.instructions == {"'表'!C10": "请简要说明年度目标（200字以内）", "'表'!H6": "请填写资金来源"}


def test_a_bureaus_label_of_brackets_alone_matches_no_blank_cell(tmp_path):
    """An own layout's alias that normalises to nothing (（盖章）) is no label: the value beside 项目名称 is
    still found past the blank cells, not stopped at the first of them."""
    own = tmp_path / "own.yaml"
    own.write_text("extends: project\ntitle: 某县项目支出绩效自评表\nfields:\n"
                   "  - {key: project_name, label: 项目名称, aliases: [（盖章）], required: true}\n"
                   "  - {key: department, label: 主管部门, required: true}\n", encoding="utf-8")
    rows = _rows()
    rows[0:2] = [["某县项目支出绩效自评表"], ["项目名称", None, None, None, "某单位"]]
    [table] = locate_tables(Grid("表", rows), own=(str(own),))
    assert table.layout == str(own) and table.fields["project_name"].ref == "E2"


def test_a_header_without_a_third_level_is_read_without_one():
    """一级指标 … 分值 with no 三级指标 column (the 三级 under a name no layout knows): the rows are read, the
    weight is the row's one 分值, and the missing column is left for the checks to report."""
    table = _read_with_header(["一级指标", "指标名称", "年度指标值", "实际完成值", "分值", "得分"],
                              [["产出指标", "培训人次", "≥100人次", "100人次", 90, 90]])
    [row] = table.indicators
    assert (row.level1, row.level3, row.get("weight").ref, "level3" in row.cells) == ("产出指标", "", "E7", False)


def test_the_rubrics_weight_is_the_one_right_of_its_third_level():
    """一级 | 分值 | 二级 | 分值 | 三级 | 分值 (长沙's rubric): an indicator's own weight is beside its 三级."""
    table = _read_with_header(["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "年度指标值", "实际完成值"],
                              [["产出指标", 40, "数量指标", 20, "培训人次", 10, "≥100人次", "100人次"]])
    assert table.indicators[0].get("weight").ref == "F7"


def _read_with_header(header, rows):
    return _table(_rows()[:5] + [header] + rows)


def _layout(title, level1s, header=HEADER, funds=True):
    """The layout a table of ``title`` is read by, with ``header`` over one row per 一级 of ``level1s``."""
    rows = [[title], *(_rows()[1:5] if funds else []), header,
            *[[level1, "数量指标", f"指标{i}", "≥1", "1", 10, 10] for i, level1 in enumerate(level1s)]]
    [table] = locate_tables(Grid("表", rows))
    return table.layout


def test_the_layout_is_the_one_the_table_names_by_title_first_level_or_words():
    assert _layout("项目支出绩效自评表", ["产出指标", "效益指标"]) == "project"
    assert _layout("项目支出绩效自评表", ["产出指标", "成本指标"]) == "national-2021-project"   # its own 一级
    assert _layout("部门预算项目支出绩效自评表", ["产出指标"]) == "sichuan-project"             # its longer title
    assert _layout("部门整体支出绩效自评表", ["管理效能"], funds=False) == "department"           # Guangzhou's 一级
    assert _layout("部门整体支出绩效自评表", ["产出指标"], funds=False) == "department-output"
    guangzhou_words = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "自评得分", "扣分原因"]
    assert _layout("部门整体支出绩效自评表", ["产出指标"], guangzhou_words, funds=False) == "department"


def test_a_funds_block_of_one_unlabelled_row_is_the_years_total():
    """重庆's 部门预算执行情况: one row of figures under its header, no row label; the total's label is the
    block's label where it stands, else the header row's first cell."""
    header = [None, "年初预算数", "全年预算数", "全年执行数", "执行率", "执行率权重", "执行率得分"]

    def total(*block):
        rows = [["部门整体绩效自评表（2023年度）"], ["主管部门", "某局"], *block, [None, 100, 100, 90, 0.9, 10, 9]]
        [table] = locate_tables(Grid("表", rows))
        row = table.funds["total"]
        return table.layout, row.label.ref, row.get("budget").ref, row.get("score").ref

    assert total(["部门预算执行情况"], header) == ("chongqing-department", "A3", "C5", "G5")
    assert total(header) == ("chongqing-department", "A3", "C4", "G4")


def test_a_bureaus_form_without_footer_words_or_instruction_text_is_read_to_its_total(tmp_path):
    """An own layout may name no footer and no instruction text (``footer: []``): every row is read to the
    总分 row (a 填报人 text in the answer column is a row of the table), and an answer's text is the answer."""
    own = tmp_path / "own.yaml"
    own.write_text("extends: project\ntitle: 某县项目支出绩效自评表\nfooter: []\ninstructions: []\n", encoding="utf-8")
    rows = _rows(reason="请见附件（100字以内）")
    rows[0] = ["某县项目支出绩效自评表"]
    rows.insert(7, [None, None, None, None, None, None, None, "填报人：张三"])
    [table] = locate_tables(Grid("表", rows), own=(str(own),))
    assert [r.row for r in table.indicators] == [7, 8] and table.total.ref == "G9"
    assert table.indicators[0].get("reason").value == "请见附件（100字以内）" and table.instructions == {}


def test_a_row_with_a_number_under_the_header_is_data_whatever_its_texts():
    """A first indicator row whose texts happen to be column labels (实际完成值 as a 三级) is data when it
    carries a number: not a second header row."""
    table = _read_with_header(["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
                              [["实际完成值", "年度指标值", "达成", 90, 90]])
    assert [(r.row, r.level3, r.get("actual").ref) for r in table.indicators] == [(7, "实际完成值", "C7")]


def test_a_second_header_row_may_carry_one_note_beside_its_labels():
    """指标值 over 年度指标值 / 实际完成值 with the form's （可另附页） under 偏差原因: still the header's second row."""
    first = ["一级指标", "二级指标", "三级指标", "指标值", None, "分值", "得分", "偏差原因分析及改进措施"]
    second = [None, None, None, "年度指标值", "实际完成值", None, None, "（可另附页）"]
    table = _table(_rows()[:5] + [first, second, ["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 90, 90]])
    assert [(r.row, r.get("actual").ref) for r in table.indicators] == [(8, "E8")]


def test_a_table_without_a_total_row_ends_before_the_next_tables_title():
    """Two tables on one sheet, the first without 总分 / 等级, the second's title typed in column C (the
    三级指标 column): the title row is the next table's, not an indicator of the first."""
    first = _rows()[:7]
    second = _rows(name="第二个项目")
    second[0] = [None, None, "项目支出绩效自评表（2021年度）"]
    one, two = locate_tables(Grid("表", first + second))
    assert [r.row for r in one.indicators] == [7] and one.total is None
    assert (two.title.ref, [r.row for r in two.indicators]) == ("C8", [14])


def test_a_header_repeated_just_before_the_total_leaves_the_total_read():
    """Printed over two pages, page 2 holding the repeated header and the 总分 row (or a footer) alone."""
    rows = _rows()
    rows.insert(7, HEADER)
    table = _table(rows)
    assert [r.row for r in table.indicators] == [7] and table.total.ref == "G9"
    rows[8] = ["填报人：张三", None, None, None, None, 100, 99]
    table = _table(rows)
    assert [r.row for r in table.indicators] == [7] and table.total is None


def test_a_header_label_repeated_further_right_is_no_scrambled_guess():
    """A review form repeats 实际完成值 under 复核: the column is the first, nothing is guessed or said."""
    header = HEADER + ["实际完成值"]
    table = _table(_rows()[:5] + [header, ["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 90, 90, None, "90人次"]])
    assert (table.indicators[0].get("actual").ref, table.guessed, table.reading) == ("E7", {}, [])


def test_a_label_with_a_bracketed_tail_is_found_by_its_words():
    """项目名称（全称）, 年度资金总额（含追加）: a trailing bracket of any words is no part of the label."""
    rows = _rows()
    rows[1][0] = "项目名称（全称）"
    rows[4][0] = "年度资金总额（含追加）"
    table = _table(rows)
    assert (table.fields["project_name"].ref, table.funds["total"].get("budget").ref) == ("C2", "D5")


def test_a_field_naming_the_years_budget_is_not_the_funds_header():
    """A 全年预算数 field above the funds block names one of its columns only: the block's header is the
    row naming both its budget and its spending."""
    rows = _rows()
    rows.insert(3, ["全年预算数", None, 100])
    assert _table(rows).funds["total"].get("budget").ref == "D6"


def test_a_funds_block_of_one_row_without_its_figures_reads_no_total():
    """重庆's 部门预算执行情况 whose row of figures was deleted: the header is all there is."""
    header = [None, "年初预算数", "全年预算数", "全年执行数", "执行率", "执行率权重", "执行率得分"]
    [table] = locate_tables(Grid("表", [["部门整体绩效自评表（2023年度）"], ["主管部门", "某局"], header]))
    assert (table.layout, table.funds) == ("chongqing-department", {})


def test_a_text_right_of_the_table_is_not_its_total():
    """A side sum 合计 beside the last column, and a note right of the 总分 row, are outside the table."""
    rows = _rows()
    rows[6] = rows[6] + ["合计"]
    rows[7] = rows[7] + ["（满分100）"]
    table = _table(rows)
    assert [r.row for r in table.indicators] == [7] and (table.total.ref, table.grade.ref) == ("G8", "G9")


def test_a_breakdown_row_with_a_weight_typed_as_text_is_an_indicator():
    table = _read([["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 20, 20],
                   [None, None, "其中：专题片", "5集", "5集", "5", "5"]])
    assert [(r.row, r.level3) for r in table.indicators] == [(7, "培训人次"), (8, "其中：专题片")]


def test_an_unscored_county_form_of_four_known_columns_is_the_indicator_table():
    """县级专项资金 (衡山's, no 分值): 三级指标 / 年度指标值 / 全年完成值 / 未完成原因 is enough."""
    rows = [["2023年度县级专项资金绩效目标自评表"], ["三级指标", "年度指标值", "全年完成值", "未完成原因和改进措施"],
            ["培训人次", "≥100人次", "100人次", None]]
    [table] = locate_tables(Grid("表", rows))
    assert (table.layout, [(r.row, r.get("actual").ref) for r in table.indicators]) == ("hunan-county-project", [(3, "C3")])


def test_a_two_row_header_of_just_enough_columns_over_its_levels():
    """年度指标值 / 实际完成值 / 分值 / 得分 over 一级指标 / 指标名称 (a 三级 under a name no layout knows)."""
    data = ["产出指标", "培训人次", "≥100人次", "100人次", 90, 90]
    top = [None, None, "年度指标值", "实际完成值", "分值", "得分"]
    table = _table(_rows()[:5] + [top, ["一级指标", "指标名称"], data])
    assert [(r.row, r.level1, r.get("weight").ref) for r in table.indicators] == [(8, "产出指标", "E8")]



def test_a_second_header_row_of_one_label_names_its_column():
    """指标名称 over 三级指标 alone on the row below: that row is the header's, and it names the 三级 column
    (before, one label was no header row and the indicators lost their names)."""
    top = ["一级指标", "二级指标", "指标名称", "年度指标值", "实际完成值", "分值", "得分"]
    data = ["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 90, 90]
    table = _table(_rows()[:5] + [top, [None, None, "三级指标"], data])
    assert [(r.row, r.level3) for r in table.indicators] == [(8, "培训人次")]
    assert table.headers["indicators.level3"].ref == "C7"

def test_a_local_form_is_read_only_where_its_title_stands():
    """区级's own header words (预期指标值, 得分计算方法) without its title: the table is read as the
    national form, its missing columns left for the checks to report."""
    header = ["一级指标", "二级指标", "三级指标", "预期指标值", "实际完成指标值", "分值", "得分", "未完成原因", "得分计算方法"]
    table = _table(_rows()[1:5] + [header, ["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 90, 90, None, "x"]])
    assert table.layout == "project"


def test_the_title_says_the_kind_whatever_the_headers_say():
    """A 项目支出 title over Guangzhou's 部门整体 funds words and 一级: still a project table."""
    rows = [["项目支出绩效自评表"], ["项目名称", None, "甲"], ["资金情况（万元）", None, "支出预算数", "支出决算数", "预算完成率"],
            ["合计", None, 100, 90, 0.9], HEADER, ["管理效能", "数量指标", "甲", "≥1", "1", 10, 10],
            ["履职效能", "数量指标", "乙", "≥1", "1", 10, 10]]
    assert (_table(rows).kind, _table(rows).layout) == ("project", "project")


def test_a_layout_naming_first_levels_the_table_lacks_loses_a_tie():
    """产出指标 under headers both 部门整体 layouts share: not Guangzhou's (管理效能 / 履职效能)."""
    assert _layout("部门整体支出绩效自评表", ["产出指标"], HEADER[:6], funds=False) == "department-output"


def test_field_labels_are_kept_for_explain_and_an_untitled_funds_block_is_anchored_at_its_segment():
    table = _table(_rows())
    assert (table.headers["fields.project_name"].ref, table.headers["fields.department"].ref) == ("A2", "A3")
    table = _table(_rows()[1:5])
    assert (table.title, table.anchor.ref, list(table.funds)) == (None, "A1", ["total"])


def test_a_first_level_its_own_cell_states_is_kept_whatever_its_second_level_says():
    """An older form's 服务对象满意度指标 as a 二级 under 效益指标: the row's own 一级 stands, nothing inferred."""
    table = _read([["效益指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", 10, 10]])
    assert ([(r.level1, r.level2) for r in table.indicators], table.reading) == ([("效益指标", "服务对象满意度指标")], [])


def test_an_emptied_table_still_has_its_grade_read():
    """Every indicator row and the 总分 row deleted: the 等级 row right under the header is still read; a
    sheet cut at its header is a table of no rows."""
    table = _table(_rows()[:6] + [_rows()[8]])
    assert (table.indicators, table.grade.ref) == ([], "G7")
    table = _table(_rows()[:6])
    assert (table.indicators, table.headers["indicators.level3"].ref) == ([], "C6")


def test_a_local_forms_title_with_a_long_tail_names_no_local_form():
    """区级's title with 20 more characters is its title; with 21, a sentence: the national form reads it."""
    title = "区级部门预算项目支出绩效自评表"
    assert _layout(title + "（" + "二" * 18 + "）", ["产出指标"]) == "shandong-district-project"
    assert _layout(title + "（" + "二" * 19 + "）", ["产出指标"]) == "project"


def test_a_title_repeated_on_a_lower_row_starts_one_table():
    rows = [[None]] + _rows()
    rows[1] = ["项目支出绩效自评表（2021年度）", None, None, None, "项目支出绩效自评表"]
    [table] = locate_tables(Grid("表", rows))
    assert table.title.ref == "A2" and table.total.ref == "G9"


def test_a_two_row_header_on_the_last_rows_of_the_sheet_is_still_the_header():
    top = [None, None, "年度指标值", "实际完成值", "分值", "得分"]
    table = _table(_rows()[:5] + [top, ["一级指标", "指标名称"]])
    assert (table.indicators, table.headers["indicators.weight"].ref) == ([], "E6")


def test_an_indicator_named_with_a_footer_word_is_an_indicator():
    """改进措施落实率 as a 三级指标 opens with a footer word, in the 三级 column: an indicator, not a footer."""
    table = _read([["产出指标", "数量指标", "改进措施落实率", "100%", "100%", 10, 10], ["总分", None, None, None, None, 10, 10]])
    assert [r.level3 for r in table.indicators] == ["改进措施落实率"] and table.total.ref == "G8"
