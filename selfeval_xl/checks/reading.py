"""Codes for what the reader found (or could not find) before any check runs."""
from __future__ import annotations

from ..core.findings import Severity, declare

declare("sheet-truncated", Severity.WARNING, "工作表过大，只检查了前面的行")
declare("layout-missing", Severity.ERROR, "表格缺少必需的栏目或区块")
declare("sheet-too-large", Severity.WARNING, "工作表超过读取限制，未读取")
