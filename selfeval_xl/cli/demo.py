"""``selfeval demo [DIR]``: generate, fill, check and summarize a realistic data set, and say where it is."""
from __future__ import annotations

import time

import click


@click.command()
@click.argument("folder", required=False, default="selfeval-demo", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="覆盖该文件夹中上次演示的输出 / replace an earlier demo's outputs")
@click.option("--no-recalc", is_flag=True, help="不调用 LibreOffice 重算核对 / skip the LibreOffice recalculation")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="检查的并行进程数 / worker processes")
def command(folder: str, force: bool, no_recalc: bool, jobs: int) -> int:
    """演示：生成示例数据（4 个单位、24 个项目，含若干预置错误和指标质量问题）及上年数据，填表、检查
    （与上年比较）、汇总。

    Demo: generate a realistic data set (4 units, 24 projects, a few planted mistakes and indicator
    problems) and last year's, fill the workbooks, check them against last year's and summarize them
    into FOLDER (default ./selfeval-demo).
    """
    from ..demo.run import CALC_PACKAGE, PREVIOUS_DATA_FILE, DemoError, run_demo
    from ..report import summary

    started = time.perf_counter()
    steps = iter(range(1, 10))
    try:
        result = run_demo(folder, force=force, recalc=not no_recalc, jobs=jobs,
                          step=lambda text: click.echo(f"[{next(steps)}] {text} …", err=True))
    except DemoError as exc:
        raise click.UsageError(str(exc)) from None
    echo = click.echo
    echo(f"\n已生成 {len(result.workbooks)} 个工作簿，用时 {time.perf_counter() - started:.1f} 秒。输出 / outputs:")
    for label, path in result.outputs.items():
        echo(f"  {label:<22} {path}")
    if no_recalc:
        echo("\n按 --no-recalc 未用 LibreOffice 重算：公式结果由本程序的计算引擎写入，检查照常进行。"
             "\n(--no-recalc: formula results were stored by the engine; the check reads them.)")
    elif result.recalc_failed:
        echo(f"\nLibreOffice 无法打开电子表格（多半只装了 Writer 而没有 Calc），未重算核对；其余步骤照常完成，"
             f"与 --no-recalc 相同。要重算核对，请安装 {CALC_PACKAGE}（如 sudo apt install {CALC_PACKAGE}）。"
             f"\n(LibreOffice could not open a spreadsheet — Calc is probably not installed: the recalculation "
             f"was skipped, as with --no-recalc; install {CALC_PACKAGE} to have it.)"
             f"\n  {result.recalc_failed[-300:]}")
    elif result.recalculated is None:
        echo(f"\n未找到 LibreOffice：公式结果由本程序的计算引擎写入（与 Excel 的 ROUND 一致），检查照常进行。"
             f"要用 LibreOffice 重算核对，请安装 {CALC_PACKAGE}。"
             f"\n(LibreOffice not installed: formula results were stored by the engine; the check reads them. "
             f"Install {CALC_PACKAGE} to have them recalculated.)")
    elif result.recalc_mismatches:
        echo(f"\nLibreOffice 重算的 {result.recalculated} 个公式结果中有 {len(result.recalc_mismatches)} 个与引擎不同：")
        for line in result.recalc_mismatches[:10]:
            echo(f"  {line}")
    else:
        echo(f"\nLibreOffice 重算核对：{result.recalculated} 个公式结果与计算引擎完全一致。")
    echo(f"\n预置的错误与指标质量问题（与上年比较的，上年数据见 {PREVIOUS_DATA_FILE}）/ planted mistakes:")
    for p in result.planted:
        mark = "√ 检出" if p.caught else "× 未按预期"     # both exist in GBK
        echo(f"  {mark}  {p.path.name}\n        {p.planted.what}\n        应报 {', '.join(p.planted.expect)}；"
             f"实报 {', '.join(p.found) or '无'}")
    echo(f"其余 {len(result.clean)} 个工作簿没有错误。\n")
    echo("绩效自评报告（依据各单位的表格起草后核对） / drafted reports, checked against their tables:")
    for n in result.narratives:
        r = n.report
        codes = "、".join(sorted({f.code for f in r.findings if f.severity.value == "error"}))
        inherited = f"；其表格有 {n.table_errors} 个错误，报告照录" if n.table_errors else ""
        echo(f"  {r.unit}：{r.errors} 个错误{'（' + codes + inherited + '）' if codes else ''}，"
             f"{r.warnings} 个警告 — {r.path}")
    echo("")
    echo(summary(result.report, result.folder, report_written=True))
    caught = all(p.caught for p in result.planted) and not result.recalc_mismatches
    echo(f"\n打开 {result.outputs['汇总与图表 / summary']} 看图表，{result.outputs['检查报告 / report']} 看逐单元格的问题。")
    return 0 if caught and not result.fill_problems else 1
