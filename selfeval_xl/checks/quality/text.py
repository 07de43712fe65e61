"""Indicator text as a reviewer compares it: one key per wording, and a proper similarity measure.

Why rapidfuzz: near-duplicates (产出 “举办培训班” under 效益 as “举办培训班次”) need an edit-distance ratio
computed in C, also pairwise over a whole folder's 满意度 texts; a hand-written distance would be slow
and one more thing to get wrong.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from ...core.layout import plain_text

_DIGIT = re.compile(r"\d")
_PUNCTUATION = re.compile(r"[\s,.;:!?、，。；：！？“”\"'‘’()（）\[\]【】《》<>·…—\-_/]+")


def squeeze(text: object) -> str:
    """The comparison key of a wording: full-width folded (NFKC), no spaces, no punctuation."""
    return "" if text is None else _PUNCTUATION.sub("", plain_text(str(text)))


def similarity(a: str, b: str) -> float:
    """0–100: how alike two squeezed texts are (rapidfuzz's normalised Indel ratio)."""
    return fuzz.ratio(a, b)


def has_any(text: str, words: list[str]) -> bool:
    return any(w and w in text for w in words)


def has_digit(text: str) -> bool:
    return _DIGIT.search(plain_text(text)) is not None


def percent(ratio: float) -> str:
    return f"{ratio * 100:.0f}%"
