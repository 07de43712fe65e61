"""The codes raised before any check runs: by the reader (a file it cannot open, a sheet too large, no
table found) and by the frame (a check or a worker that failed). No function here raises them; each is
a unit of the registry all the same, documented and cased in ``reading.yaml``."""
from __future__ import annotations

from .base import raised

UNREADABLE = raised("unreadable", "error", "文件无法读取", __name__)
NO_TABLE = raised("no-table", "error", "未找到绩效自评表", __name__)
CHECK_FAILED = raised("check-failed", "error", "检查程序出错", __name__)
SHEET_TRUNCATED = raised("sheet-truncated", "warning", "工作表过大，只检查了前面的行", __name__)
SHEET_TOO_LARGE = raised("sheet-too-large", "warning", "工作表超过读取限制，未读取", __name__)
