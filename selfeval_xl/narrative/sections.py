"""A report's section tree, and the scope each paragraph speaks of: the department as a whole, or one project.

Headings nest by their marks (``一、`` › ``（一）`` › ``1.`` › ``（1）`` / ``1）``), whatever depth a
report starts them at. A section is a project's when its heading names one: a project of the 单位's
tables (the heading's name is the table's, starts with it, or holds it and ends like a project's name:
"广州市音像资料馆2021年数字化信息管理系统运维项目" holds "数字化信息管理系统运维项目"), or — tables or not — an
item that reads "N. 名称，分值 100 分" (a project is scored out of 100; an indicator is not), or a heading
line that is nothing but a name ending in 项目 / 经费 / 资金. Every other section speaks of its parent's
scope, and the top of the report of the department.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .reflow import MARKS
from .text import Paragraph

LEVELS = tuple(re.compile(f"^{mark}") for mark in MARKS)   # the marks reflow breaks paragraphs at
PROJECT_ENDS = ("项目", "经费", "资金", "专项", "工程")
_NAME = re.compile(r"^[^，,：:。；;！？!?]{2,60}")
_SCORED_100 = re.compile(r"^[，,]?\s*(?:项目)?(?:总)?分值(?:为|是)?\s*100(?:\.0+)?\s*分")
_YEAR = re.compile(r"\d{4}\s*年度?")
_MARKS = re.compile("[\\s“”\"‘’'《》]")


@dataclass(frozen=True)
class Placed:
    """A paragraph in its place: its heading level (0 for body text), the text without the heading's
    mark, and the scope it speaks of ("" the department, else a project's name)."""

    paragraph: Paragraph
    level: int
    body: str
    scope: str
    named: str = ""           # the project name the paragraph opens with (dropped from ``body``' start)


def level_of(text: str) -> tuple[int, str]:
    """(level, text without the mark) of a heading or item; (0, text) for body text."""
    for n, mark in enumerate(LEVELS, 1):
        found = mark.match(text)
        if found:
            return n, text[found.end():].lstrip()
    return 0, text


def _fold(name: str) -> str:
    return _YEAR.sub("", _MARKS.sub("", name))


def project_named(body: str, projects: tuple[str, ...]) -> tuple[str, str]:
    """(scope, name as written) when ``body`` (a heading's text, its mark removed) opens with a project's
    name; ("", "") when it does not."""
    for project in sorted(projects, key=len, reverse=True):
        if body.startswith(project):
            return project, project
    found = _NAME.match(body)
    if found is None:
        return "", ""
    written = found.group(0).strip()
    folded = _fold(written)
    for project in sorted(projects, key=len, reverse=True):
        own = _fold(project)
        if len(own) >= 4 and (folded == own or (own in folded and folded.endswith(PROJECT_ENDS))):
            return project, written
    rest = body[found.end():]
    if _SCORED_100.match(rest) or (not rest.strip() and folded.endswith(PROJECT_ENDS)):
        return folded, written
    return "", ""


def place(paragraphs: list[Paragraph], projects: tuple[str, ...] = ()) -> list[Placed]:
    """Every paragraph with its level and scope (see the module's docstring)."""
    stack: list[tuple[int, str]] = []             # the open headings: (level, scope)
    out: list[Placed] = []
    for p in paragraphs:
        level, body = level_of(p.text)
        named = ""
        if level:
            while stack and stack[-1][0] >= level:
                stack.pop()
            scope, named = project_named(body, projects)
            stack.append((level, scope or (stack[-1][1] if stack else "")))
            if named:
                body = body[len(named):] if body.startswith(named) else body
        out.append(Placed(p, level, body, stack[-1][1] if stack else "", named))
    return out
