"""selfeval-xl: 预算绩效自评表 templates, Excel UDFs and add-in, batch checks and summaries.

Importing the package is cheap on purpose (no pandas, openpyxl or xlwings at import): the CLI
imports what each command needs when it runs. ``main()`` is what the add-in's 计算得分 button calls.
"""
__version__ = "0.1.0"


def main() -> None:
    """The 计算得分 button of the Excel add-in (``RunPython "import selfeval_xl;selfeval_xl.main()"``)."""
    from .addin.button import main as run

    run()
