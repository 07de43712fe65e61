"""How a quality rule joins the checks: under its code, titled by the pack, run as the pack says.

A rule's default title and severity come from the packaged ``rules.yaml`` (declared in the finding
catalogue once, at import); at run time the run's pack (a bureau's file may override it) decides
whether the rule runs, with which parameters, and at which severity its findings are reported.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Iterator

from ...core.findings import Finding, Severity, declare
from . import FAMILY
from .pack import Rule, default_pack


def title_of(code: str) -> str:
    return f"{FAMILY}：{default_pack().rule(code).title}"


def declared(code: str) -> Rule:
    """Declare ``code`` in the finding catalogue with the packaged rule's title and severity (a rule
    off by default is declared a warning: a bureau may turn it on)."""
    rule = default_pack().rule(code)
    declare(code, rule.severity if rule.on else "warning", title_of(code))
    return rule


def as_configured(rule: Rule, findings: Iterable[Finding]) -> Iterator[Finding]:
    """The findings at the severity the run's pack gives ``rule`` (none when the pack turns it off)."""
    if not rule.on:
        return
    severity = Severity(rule.severity)
    for f in findings:
        yield f if f.severity is severity else replace(f, severity=severity)


RuleFunction = Callable[..., Iterable[Finding]]
