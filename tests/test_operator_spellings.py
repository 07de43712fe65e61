"""Every way real tables write a comparison scores as its plain form does (issue 19: ≧95% was kept
with its stated score, unread)."""
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from selfeval_xl.core.parse import parse_value
from selfeval_xl.core.rules import Direction
from selfeval_xl.core.scoring import score_indicator

FULL_WIDTH = str.maketrans({str(i): chr(0xFF10 + i) for i in range(10)} | {".": "．", "%": "％"})

GE = ("≥{}", "≧{}", "＞＝{}", ">={}", "≥={}", "⩾{}", "≮{}", "不低于{}", "不少于{}", "不小于{}", "至少{}",
      "达到{}", "{}以上", "{}及以上", "≥{}以上", "{}（含）以上")
LE = ("≤{}", "≦{}", "＜＝{}", "<={}", "⩽{}", "≯{}", "不高于{}", "不超过{}", "不大于{}", "不多于{}",
      "{}以内", "{}以下", "控制在{}以内")
EQ = ("={}", "＝{}", "═{}")

numbers = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("5000"), places=2)
units = st.sampled_from(["%", "天", "万元", "人次", ""])


@settings(deadline=None, max_examples=150)
@given(number=numbers, unit=units, actual=numbers, weight=st.integers(1, 30),
       spelled=st.sampled_from([(Direction.GE, s) for s in GE] + [(Direction.LE, s) for s in LE]
                               + [(Direction.EQ, s) for s in EQ]),
       full_width=st.booleans())
def test_every_spelling_scores_as_its_plain_form(number, unit, actual, weight, spelled, full_width):
    direction, pattern = spelled
    quantity = f"{number.normalize():f}{unit}"
    plain = {Direction.GE: "≥", Direction.LE: "≤", Direction.EQ: "="}[direction] + quantity
    text = pattern.format(quantity)
    if full_width:
        text = text.translate(FULL_WIDTH)
    value = parse_value(text)
    assert value.direction is direction and value.quantity == parse_value(plain).quantity
    actual_text = f"{actual.normalize():f}{unit}"
    assert score_indicator(text, actual_text, weight) == score_indicator(plain, actual_text, weight)


def test_a_contradiction_is_not_read():
    """≥ before and 以下 after: the unit keeps the word, so the row is not scored rather than guessed."""
    assert parse_value("≥95%以下").quantity.unit != "%"
