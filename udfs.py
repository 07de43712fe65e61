"""xlwings UDFs for the 绩效自评: each a one-line wrapper over ``selfeval_xl.core.cellfuncs``.

Excel's add-in imports this module (``UDF Modules = udfs``); "Import Functions" turns these into
worksheet functions with the Chinese argument docs below in the function wizard.
"""
import xlwings as xw

from selfeval_xl.core import cellfuncs
from selfeval_xl.core.cellfuncs import ARG_DOCS


def _documented(fn):
    """``@xw.func`` plus one ``@xw.arg(name, doc=…)`` per argument, the docs read from ARG_DOCS."""
    fn.__doc__ = cellfuncs.DESCRIPTIONS[fn.__name__]
    for name, doc in reversed(ARG_DOCS[fn.__name__].items()):
        fn = xw.arg(name, doc=doc)(fn)
    return xw.func(fn)


@_documented
def SE_EXEC_RATE(budget, spent):
    return cellfuncs.SE_EXEC_RATE(budget, spent)


@_documented
def SE_EXEC_SCORE(budget, spent, weight=10):
    return cellfuncs.SE_EXEC_SCORE(budget, spent, weight)


@_documented
def SE_IND_SCORE(target, actual, weight, direction):
    return cellfuncs.SE_IND_SCORE(target, actual, weight, direction)


@_documented
def SE_RANGE_SCORE(lo, hi, actual, weight):
    return cellfuncs.SE_RANGE_SCORE(lo, hi, actual, weight)


@_documented
def SE_QUAL_SCORE(tier, weight):
    return cellfuncs.SE_QUAL_SCORE(tier, weight)


@_documented
def SE_GRADE(total):
    return cellfuncs.SE_GRADE(total)
