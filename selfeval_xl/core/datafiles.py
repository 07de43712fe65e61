"""Load the YAML data files shipped in the package (or given by path), with errors users can read."""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (10× faster: every batch worker loads the systems), else
the pure-Python one; both build only plain data."""


def safe_yaml(text: str) -> Any:
    """Plain data from YAML text, by the fastest safe loader there is (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=_SAFE_LOADER)


class DataFileError(ValueError):
    """A data file that cannot be used; ``problems`` lists every reason, not just the first."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source} 无效 / invalid:\n{lines}")


def packaged_names(folder: str) -> list[str]:
    """The names (file stems) of the data files shipped in ``selfeval_xl/<folder>``."""
    root = resources.files("selfeval_xl").joinpath(folder)
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def load_yaml(folder: str, name_or_path: str | Path) -> tuple[str, dict[str, Any]]:
    """A packaged file by name (``national-project``) or any file by path → (source, mapping)."""
    text_name = str(name_or_path)
    path = Path(text_name)
    if path.suffix in (".yaml", ".yml", ".json") or path.exists():
        if not path.is_file():
            raise DataFileError(text_name, [f"文件不存在 / file not found: {text_name}"])
        source, text = str(path), path.read_text(encoding="utf-8")
    else:
        resource = resources.files("selfeval_xl").joinpath(folder, f"{text_name}.yaml")
        if not resource.is_file():
            known = ", ".join(packaged_names(folder))
            raise DataFileError(text_name, [f"没有名为 {text_name} 的内置文件 / no built-in '{text_name}'"
                                            f"（可用 / available: {known}）"])
        source, text = f"{folder}/{text_name}.yaml", resource.read_text(encoding="utf-8")
    try:
        data = safe_yaml(text)
    except yaml.YAMLError as exc:
        raise DataFileError(source, [f"YAML 格式错误 / YAML syntax error: {exc}"]) from None
    if not isinstance(data, dict):
        raise DataFileError(source, ["顶层应为映射 / top level must be a mapping"])
    return source, data
