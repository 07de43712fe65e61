"""The rule pack: every 指标质量 rule's wording, severity, thresholds and source, as data.

Why data: local practice differs (one province deducts at 30% above the target, a review firm at
130%), so a bureau changes a threshold, a word list or a severity — or turns a rule off — in its own
YAML (``check --quality FILE``) without code. The packaged ``rules.yaml`` is the one source of every
default; a bureau's file restates only what differs and is checked against it (an unknown rule, key
or parameter is an error, not a silent no-op).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...core.datafiles import DataFileError, load_yaml

SEVERITIES = ("warning", "error", "off")
KEYS = ("title", "wording", "severity", "params", "source")


@dataclass(frozen=True)
class Rule:
    """One rule of the pack: its finding code, one-line title, message wording (``{name}`` … filled by
    the rule), severity (``off``: not run), parameters and source (文号 and article, or local practice)."""

    code: str
    title: str
    wording: str
    severity: str
    source: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def on(self) -> bool:
        return self.severity != "off"

    def param(self, name: str) -> Any:
        return self.params[name]

    def message(self, **values: Any) -> str:
        """The wording filled in, its source cited after it."""
        return f"{self.wording.format(**values)}（依据：{self.source}）"


@dataclass(frozen=True)
class Pack:
    source: str
    rules: dict[str, Rule]

    def rule(self, code: str) -> Rule:
        return self.rules[code]


@lru_cache(maxsize=None)
def default_pack() -> Pack:
    source, data = load_yaml("checks/quality", "rules")
    problems: list[str] = []
    rules = {code: _rule(code, raw, None, problems) for code, raw in (data.get("rules") or {}).items()}
    if problems:
        raise DataFileError(source, problems)
    return Pack(source, rules)


@lru_cache(maxsize=None)
def load_pack(path: str | None = None) -> Pack:
    """The packaged pack, with a bureau's file (``path``) laid over it; every problem of that file is
    listed in one :class:`~selfeval_xl.core.datafiles.DataFileError`. Read once per process: a run names
    the file to its workers with each task (``WorkerConfig.quality``), never through the environment."""
    base = default_pack()
    if not path:
        return base
    source, data = load_yaml("checks/quality", Path(path))
    raw_rules = data.get("rules")
    problems = [f"未知的顶层键 / unknown key: {k}" for k in data if k != "rules"]
    if not isinstance(raw_rules, dict):
        raise DataFileError(source, problems + ["缺少 rules: 映射 / 'rules:' mapping missing"])
    rules = dict(base.rules)
    for code, raw in raw_rules.items():
        if code not in base.rules:
            problems.append(f"未知的规则 / unknown rule: {code}（可用 / available: {', '.join(base.rules)}）")
            continue
        rules[code] = _rule(code, raw, base.rules[code], problems)
    if problems:
        raise DataFileError(source, problems)
    return Pack(source, rules)


def _rule(code: str, raw: Any, base: Rule | None, problems: list[str]) -> Rule:
    """A rule from its YAML mapping; over ``base`` (a bureau's override) only the keys given change,
    and each parameter must be one the rule has, of the same kind (a number for a number, a list for a
    list)."""
    where = f"rules.{code}"
    if raw is False:                                    # `code: false` turns a rule off
        raw = {"severity": "off"}
    if not isinstance(raw, dict):
        problems.append(f"{where}: 应为映射 / must be a mapping")
        return base or Rule(code, code, code, "off", "")
    problems += [f"{where}: 未知的键 / unknown key: {k}（可用 / allowed: {', '.join(KEYS)}）"
                 for k in raw if k not in KEYS]
    severity = raw.get("severity", base.severity if base else "warning")
    severity = "off" if severity is False else str(severity)      # YAML 1.1 reads a bare off as false
    if severity not in SEVERITIES:
        problems.append(f"{where}.severity: 应为 / must be one of {', '.join(SEVERITIES)}: {severity}")
    params = dict(base.params) if base else {}
    given = raw.get("params") or {}
    if not isinstance(given, dict):
        problems.append(f"{where}.params: 应为映射 / must be a mapping")
        given = {}
    for name, value in given.items():
        if base is not None and name not in base.params:
            problems.append(f"{where}.params: 未知的参数 / unknown parameter: {name}"
                            f"（可用 / allowed: {', '.join(base.params) or '无 / none'}）")
        elif base is not None and not _same_kind(base.params[name], value):
            problems.append(f"{where}.params.{name}: 类型应与默认值相同 / must be like the default "
                            f"{base.params[name]!r}: {value!r}")
        else:
            params[name] = value
    texts = {k: str(raw[k]) for k in ("title", "wording", "source") if k in raw}
    if base is None:
        missing = [k for k in ("title", "wording", "source") if not texts.get(k)]
        problems += [f"{where}: 缺少 / missing {k}" for k in missing]
        return Rule(code, texts.get("title", code), texts.get("wording", code), severity,
                    texts.get("source", ""), params)
    return replace(base, severity=severity, params=params, **texts)


def _same_kind(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))
