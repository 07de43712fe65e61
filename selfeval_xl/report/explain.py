"""How a workbook was read, for a person who asks why a verdict came out so (``check --explain``):
the layout each table was read by, its header rows and blocks, which rows are indicators and which are
not (and the cell that decided it), and which rows were reviewed."""
from __future__ import annotations

from ..checks import recompute_table
from ..core.model import WorkbookData


def explain(data: WorkbookData) -> str:
    lines = [f"文件 / file: {data.path}（{data.format}）"]
    for code, message, position in data.problems:
        lines.append(f"  读取问题 / reading problem {code} {position}: {message}")
    if not data.tables:
        lines.append("  未找到自评表 / no table found")
    for table in data.tables:
        lines.append(f"  工作表“{table.sheet}”：{'项目支出' if table.kind == 'project' else '部门整体'}表，"
                     f"按版式 {table.layout or table.kind} 读取 / read by layout {table.layout or table.kind}")
        for key, cell in sorted(table.headers.items(), key=lambda kv: (kv[1].row, kv[1].ref)):
            lines.append(f"    {cell.ref:>6}  表头 {key}: {' '.join(cell.text.split())[:30]}")
        columns = {k.removeprefix("indicators."): c for k, c in table.headers.items() if k.startswith("indicators.")}
        if columns:
            rows = "、".join(str(r) for r in sorted({c.row for c in columns.values()}))
            lines.append(f"    指标表头 / indicator header（第 {rows} 行）: " + "，".join(
                f"{k}={c.column}" for k, c in sorted(columns.items(), key=lambda kv: (len(kv[1].column), kv[1].column))))
        for key, row in table.funds.items():
            lines.append(f"    {row.label.ref:>6}  资金行 funds.{key}: {' '.join(row.label.text.split())[:30]}")
        for ref, why in table.reading:
            lines.append(f"    {ref:>6}  {why}")
        recomputed = recompute_table(table)
        for out in (recomputed.rows if recomputed else ()):
            row = out.row
            state = "已复核 reviewed" if out.reviewed else "未复核 NOT reviewed"
            lines.append(f"    {'第' + str(row.row) + '行':>6}  指标 indicator [{row.level1} / {row.level2}] "
                         f"{row.level3[:24]}：{state}")
        if table.total is not None:
            lines.append(f"    {table.total.ref:>6}  总分 total")
    return "\n".join(lines)
