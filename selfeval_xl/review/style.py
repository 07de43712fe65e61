"""The look of the review's workbooks (the 底稿 and the 复核报告): one set of fonts, fills and borders,
so the two print alike. Fills: the header's dark blue, the reviewer's inputs tinted as the templates'
are, formulas green, rows left to hand scoring orange, and the P-levels of the 问题清单."""
from __future__ import annotations

FILLS = {"head": "1F4E79", "input": "FFF2CC", "formula": "E2EFDA", "source": "FFFFFF", "label": "D9E1F2",
         "manual": "FCE4D6", "P0": "FFC7CE", "P1": "FFEB9C", "P2": "DDEBF7"}
FONT = "宋体"


class Style:
    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=FONT, size=10)
        self.bold = Font(name=FONT, size=10, bold=True)
        self.head_font = Font(name=FONT, size=10, bold=True, color="FFFFFF")
        self.title = Font(name=FONT, size=15, bold=True)
        self.note = Font(name=FONT, size=9, color="404040")
        self.link = Font(name=FONT, size=10, color="0563C1", underline="single")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")
        self.fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
