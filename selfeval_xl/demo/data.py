"""A realistic, seeded data set for ``selfeval demo``: several 单位, dozens of projects, a few wrong.

The figures of 广州市档案发展中心 are those of its 2021 report (SPEC.md): the department's 支出预算
1014.4 / 决算 1011.98 万元, its 94.43 = 44.43 + 50 + 0, and the 履职效能 indicators (人物专辑 21 集 …).
The other units are made up in the same style. Every indicator direction occurs (≥ ≤ = 区间 定性).

A few workbooks are planted wrong, as reviewers find them in real submissions (see :data:`PLANTED`):
some through the data (a weight too high, no 满意度 rows, no 偏差原因), some by editing a filled
workbook the way a person would (a typed 总分, a typed score above its 分值, a changed figure).
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

YEAR = 2021
SEED = 2021

# --------------------------------------------------------------------------- indicator pool

@dataclass(frozen=True)
class Spec:
    """An indicator to draw: levels, name, 指标性质, 度量单位, target (and 区间上限), and how it may miss."""

    level1: str
    level2: str
    name: str
    direction: str
    unit: str
    target: Any
    high: Any = None
    reason: str = ""              # why it missed, when it does


OUT, EFFECT, SAT = "产出指标", "效益指标", "满意度指标"
QTY, QUAL, TIME, COST = "数量指标", "质量指标", "时效指标", "成本指标"
SOCIAL, LASTING, ECON = "社会效益指标", "可持续影响指标", "经济效益指标"
CLIENT = "服务对象满意度指标"
ACHIEVED, PARTIAL = "达成年度指标", "部分达成年度指标并具有一定效果"

COMMON = (
    Spec(OUT, QUAL, "项目验收合格率", "≥", "%", 98, reason="个别成果返工，验收合格率略低于目标；已加强过程质量检查"),
    Spec(OUT, TIME, "任务按期完成率", "≥", "%", 100, reason="受疫情影响部分任务延期；已调整工作计划"),
    Spec(OUT, COST, "项目成本控制率", "≤", "%", 100, reason="材料价格上涨导致成本超支；将加强成本测算"),
    Spec(EFFECT, LASTING, "长效管理机制建立情况", "定性", "", "建立并运行"),
    Spec(SAT, CLIENT, "服务对象满意度", "≥", "%", 90, reason="部分服务对象反映办理时间较长；将优化流程"),
)

THEMES: dict[str, tuple[tuple[str, tuple[Spec, ...]], ...]] = {
    "档案": (
        ("档案数字化加工服务项目", (
            Spec(OUT, QTY, "完成档案数字化加工", "≥", "万页", 120, reason="原件修复耗时，加工量未达目标"),
            Spec(OUT, COST, "单页加工成本", "≤", "元/页", 0.45),
            Spec(EFFECT, SOCIAL, "档案查阅利用便捷程度", "定性", "", "明显提升"))),
        ("声像档案专辑制作项目", (
            Spec(OUT, QTY, "人物专辑", "=", "集", 21),
            Spec(OUT, QTY, "街道专辑", "=", "集", 20),
            Spec(EFFECT, SOCIAL, "专辑网络播放量", "≥", "人次", 50000, reason="宣传推广不足；下年度加强新媒体推广"))),
        ("档案展厅运营项目", (
            Spec(OUT, QTY, "展厅正常开放天数", "≥", "天", 150),
            Spec(OUT, QTY, "参观人数", "≥", "人次", 15000),
            Spec(EFFECT, SOCIAL, "档案文化社会影响力", "定性", "", "有效提升"))),
        ("缩微档案抢救保护项目", (
            Spec(OUT, QTY, "缩微拍摄", "≥", "画幅", 100000),
            Spec(OUT, QTY, "抢救修复破损档案", "≥", "张", 10000),
            Spec(OUT, QUAL, "库房温度", "区间", "℃", 14, 24, "空调故障期间温度超出区间；已更换设备"),
            Spec(OUT, QUAL, "库房相对湿度", "区间", "%", 45, 60))),
        ("档案信息系统运维项目", (
            Spec(OUT, QUAL, "故障排除及时率", "≥", "%", 98),
            Spec(OUT, QUAL, "设备运行稳定率", "≥", "%", 90),
            Spec(OUT, TIME, "故障响应时间", "≤", "小时", 2, reason="节假日值守力量不足；已完善值班制度"),
            Spec(SAT, CLIENT, "运维用户满意率", "≥", "%", 80))),
        ("馆藏档案征集项目", (
            Spec(OUT, QTY, "征集档案资料", "≥", "件", 1200, reason="捐赠意向减少；下年度拓展征集渠道"),
            Spec(EFFECT, SOCIAL, "馆藏结构优化情况", "定性", "", "有效改善"))),
        ("档案库房安全管理项目", (
            Spec(OUT, QTY, "安全巡查次数", "≥", "次", 52),
            Spec(OUT, QUAL, "安全事故发生次数", "≤", "次", 0),
            Spec(EFFECT, LASTING, "档案安全保障能力", "定性", "", "持续增强"))),
    ),
    "城建": (
        ("城建档案接收进馆项目", (
            Spec(OUT, QTY, "接收建设工程档案", "≥", "卷", 8000, reason="部分工程竣工延后，移交数量减少"),
            Spec(OUT, TIME, "档案接收办理时限", "≤", "工作日", 5),
            Spec(EFFECT, SOCIAL, "城建档案完整率", "≥", "%", 95))),
        ("地下管线档案数据更新项目", (
            Spec(OUT, QTY, "更新管线数据", "≥", "公里", 600),
            Spec(OUT, QUAL, "数据检查合格率", "≥", "%", 98),
            Spec(EFFECT, ECON, "减少施工挖断管线损失", "定性", "", "明显减少"))),
        ("城建档案库房改造项目", (
            Spec(OUT, TIME, "改造工期", "≤", "天", 180, reason="雨季停工，工期延长；已加快后续施工"),
            Spec(OUT, QUAL, "工程验收合格率", "=", "%", 100),
            Spec(EFFECT, LASTING, "库房使用年限", "≥", "年", 15))),
        ("建设工程档案业务指导项目", (
            Spec(OUT, QTY, "业务指导场次", "≥", "场", 40),
            Spec(OUT, QTY, "培训人数", "区间", "人次", 800, 1500),
            Spec(EFFECT, SOCIAL, "建设单位归档质量", "定性", "", "有效提高"))),
        ("城建声像档案拍摄项目", (
            Spec(OUT, QTY, "拍摄重点工程", "≥", "项", 30),
            Spec(OUT, QTY, "整理声像档案", "≥", "小时", 300, reason="拍摄素材整理滞后"),
            Spec(EFFECT, SOCIAL, "城市建设记忆留存", "定性", "", "有效留存"))),
        ("城建档案查询服务项目", (
            Spec(OUT, QTY, "提供档案查询", "≥", "人次", 20000),
            Spec(OUT, TIME, "查档平均等候时间", "≤", "分钟", 15),
            Spec(EFFECT, SOCIAL, "网上查档办结率", "≥", "%", 90))),
    ),
    "方志": (
        ("《广州年鉴》编纂出版项目", (
            Spec(OUT, QTY, "出版年鉴", "=", "部", 1),
            Spec(OUT, QTY, "收录条目", "≥", "条", 3000),
            Spec(OUT, TIME, "出版时间", "≤", "月", 10, reason="审稿环节延长，出版推迟"),
            Spec(EFFECT, SOCIAL, "存史资政作用", "定性", "", "有效发挥"))),
        ("地方志资源数据库建设项目", (
            Spec(OUT, QTY, "入库志书", "≥", "部", 500),
            Spec(OUT, QUAL, "数据著录准确率", "≥", "%", 99),
            Spec(EFFECT, SOCIAL, "数据库年访问量", "≥", "万人次", 5, reason="平台推广不足；已接入政务服务平台"))),
        ("方志馆展陈提升项目", (
            Spec(OUT, QTY, "更新展板", "≥", "块", 120),
            Spec(OUT, TIME, "布展工期", "≤", "天", 90),
            Spec(EFFECT, SOCIAL, "观众参观量", "≥", "人次", 30000))),
        ("地情资料征集项目", (
            Spec(OUT, QTY, "征集地情资料", "≥", "册", 2000, reason="征集渠道有限"),
            Spec(EFFECT, LASTING, "地情资料体系完善程度", "定性", "", "逐步完善"))),
        ("镇村志编纂指导项目", (
            Spec(OUT, QTY, "指导镇村志编纂", "≥", "部", 12),
            Spec(OUT, QUAL, "评审通过率", "≥", "%", 90),
            Spec(EFFECT, SOCIAL, "基层修志能力", "定性", "", "明显提升"))),
    ),
    "文化": (
        ("群众文化活动项目", (
            Spec(OUT, QTY, "举办文化活动", "≥", "场", 120),
            Spec(OUT, QTY, "参与群众", "≥", "万人次", 10),
            Spec(EFFECT, SOCIAL, "公共文化服务覆盖面", "定性", "", "有效扩大"))),
        ("非物质文化遗产展演项目", (
            Spec(OUT, QTY, "展演场次", "≥", "场", 36, reason="受疫情影响取消部分线下展演"),
            Spec(OUT, QUAL, "非遗项目参演比例", "区间", "%", 60, 80),
            Spec(EFFECT, LASTING, "非遗传承人群扩大", "定性", "", "稳步扩大"))),
        ("公益艺术培训项目", (
            Spec(OUT, QTY, "开设培训班", "≥", "期", 60),
            Spec(OUT, QTY, "培训学员", "≥", "人次", 3000),
            Spec(OUT, COST, "人均培训成本", "≤", "元", 400),
            Spec(EFFECT, SOCIAL, "群众艺术素养", "定性", "", "有效提升"))),
        ("文化馆数字化服务项目", (
            Spec(OUT, QTY, "上线数字资源", "≥", "GB", 800),
            Spec(OUT, QUAL, "平台可用率", "≥", "%", 99),
            Spec(EFFECT, SOCIAL, "线上服务访问量", "≥", "万人次", 50))),
        ("基层文艺团队扶持项目", (
            Spec(OUT, QTY, "扶持团队", "≥", "支", 40),
            Spec(OUT, TIME, "资金拨付时限", "≤", "工作日", 30),
            Spec(EFFECT, SOCIAL, "基层文艺活跃度", "定性", "", "明显提高"))),
        ("文化志愿服务项目", (
            Spec(OUT, QTY, "志愿服务时长", "≥", "小时", 10000),
            Spec(EFFECT, SOCIAL, "志愿服务品牌影响", "定性", "", "有效提升"))),
    ),
}

UNITS = (
    ("广州市档案发展中心", "广州市档案局", "档案"),
    ("广州市城市建设档案馆", "广州市住房和城乡建设局", "城建"),
    ("广州市地方志馆", "广州市地方志办公室", "方志"),
    ("广州市文化馆", "广州市文化广电旅游局", "文化"),
)

GOALS = {
    "档案": ("完成年度档案保管、利用和编研任务，提升档案公共服务水平",
             "全面完成年度任务，档案利用服务水平和社会影响力进一步提升"),
    "城建": ("做好建设工程档案接收、保管和利用，保障城市建设档案完整安全",
             "按计划完成档案接收与数据更新，查询服务效率提高"),
    "方志": ("完成年鉴编纂出版和方志资源建设，发挥存史资政育人作用",
             "年鉴按期出版，方志数据库建设取得阶段成效"),
    "文化": ("开展群众文化活动和非遗传承，扩大公共文化服务覆盖面",
             "各项活动顺利开展，群众参与度和满意度较高"),
}


# --------------------------------------------------------------------------- planted errors

@dataclass(frozen=True)
class Planted:
    """A deliberate mistake: in the data (``edit`` empty) or made by editing the filled workbook.

    ``data``: how the data is made wrong: ``effect-40`` (效益 weighs 40, no 满意度 rows), ``output-60``
    (产出 weighs 60, no 满意度 rows), ``no-reason`` (a missed target without 偏差原因), ``budget-gap``
    (the 部门 table's 项目支出 budget is more than its projects' sum), ``time-in-words`` (the 时效
    indicator's target written ``按时``), ``no-unit`` (the indicator ``value`` without its 度量单位),
    ``lowered-target`` (last year's table, :func:`previous_year`, set the indicator ``value[0]`` at the
    higher target ``value[1]``: found only against last year). ``edit``: how the filled workbook
    is edited: ``total`` (type ``value`` over the 总分 formula), ``score`` (type 分值 + ``value`` over
    the score formula of the first indicator row), ``funds-total`` (type ``value`` as the 合计 支出预算数 of the
    部门 table). ``expect``: the finding codes a checker raises for the workbook, and no others.
    """

    unit: str
    project: str | None          # None: the unit's 部门整体 table
    what: str
    expect: tuple[str, ...]
    data: str = ""
    edit: str = ""
    value: Any = None

    @property
    def against_previous(self) -> bool:
        """Found only when the check compares with last year's tables (``check --previous``)."""
        return self.data == LOWERED_TARGET


LOWERED_TARGET = "lowered-target"


REAL_UNIT = UNITS[0][0]
CROSS_FILE_GAP = Decimal("35.60")
PLANTED = (
    Planted(REAL_UNIT, "档案数字化加工服务项目", "效益指标分值40（应为30）且没有满意度指标（真实案例）",
            ("level-missing", "weight-split-differs"), data="effect-40"),
    Planted(REAL_UNIT, "声像档案专辑制作项目", "手填总分95.95，与各项得分之和不符（真实案例的总分）",
            ("total-mismatch",), edit="total", value=95.95),
    Planted(UNITS[1][0], "城建档案库房改造项目", "得分低于分值但未填偏差原因", ("missing-deviation-reason",),
            data="no-reason"),
    Planted(UNITS[1][0], "城建档案查询服务项目", "没有满意度指标（产出指标分值60）",
            ("level-missing", "weight-split-differs"), data="output-60"),
    Planted(UNITS[2][0], "方志馆展陈提升项目", "第一项指标手填得分，比分值高2分",
            ("score-over-weight", "formula-replaced"), edit="score", value=2),
    Planted(REAL_UNIT, None, "支出预算数合计写作1132.01，而基本支出与项目支出之和为1014.4；参观人数完成46845人次，"
            "为指标值15000的312%（真实案例）",
            ("dept-funds-sum-mismatch", "figure-inconsistent", "far-over-target"), edit="funds-total", value=1132.01),
    Planted(UNITS[3][0], None, f"部门整体表的项目支出预算数比各项目表合计多{CROSS_FILE_GAP}万元（跨文件）",
            ("figure-inconsistent",), data="budget-gap"),
    Planted(UNITS[2][0], "《广州年鉴》编纂出版项目", "时效指标“出版时间”的指标值写作“按时”，没有完成时限（指标质量）",
            ("time-without-date",), data="time-in-words"),
    Planted(UNITS[3][0], "公益艺术培训项目", "定量指标“培训学员”没有填度量单位（指标质量）",
            ("quantity-without-unit",), data="no-unit", value="培训学员"),
    Planted(UNITS[1][0], "城建档案接收进馆项目", "“接收建设工程档案”上年指标值10000卷，今年调低为8000卷（与上年比较）",
            ("target-lowered",), data=LOWERED_TARGET, value=("接收建设工程档案", 10000)),
    Planted(UNITS[3][0], "群众文化活动项目", "“举办文化活动”上年指标值150场，今年调低为120场（与上年比较）",
            ("target-lowered",), data=LOWERED_TARGET, value=("举办文化活动", 150)),
)


# --------------------------------------------------------------------------- generation

def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


@dataclass
class DemoData:
    """The four tables of the fill layout (rows as {column: value}) and what was planted wrong."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    planted: tuple[Planted, ...] = PLANTED


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` points over ``parts`` indicators, whole numbers, none below 2."""
    cuts = sorted(rng.sample(range(2, total - 1), parts - 1)) if parts > 1 else []
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
    while min(shares) < 2:                       # re-balance tiny shares
        shares[shares.index(min(shares))] += 1
        shares[shares.index(max(shares))] -= 1
    return shares


def _actual(spec: Spec, miss: float, rng: random.Random) -> Any:
    """An actual that meets the target, or misses it by about ``miss`` (a share; 0 meets it)."""
    if spec.direction == "定性":
        return PARTIAL if miss else ACHIEVED
    t = float(spec.target)
    if spec.direction == "区间":
        lo, hi = float(spec.target), float(spec.high)
        return round(hi * 1.08, 1) if miss else round(rng.uniform(lo, hi), 1)
    if spec.direction == "=":
        return spec.target
    if spec.direction == "≤":
        if t == 0:
            return 0
        value = t * ((1 + miss) if miss else rng.uniform(0.85, 1.0))   # within 1/1.2 of the target: not overachieved
    else:
        if spec.unit == "%":        # a rate misses by points, not by half
            value = min(t * ((1 - miss / 4) if miss else rng.uniform(1.0, 1.05)), 100.0)
        else:
            value = t * ((1 - miss) if miss else rng.uniform(1.0, 1.15))
    return round(value, 1) if (t < 10 or spec.unit in ("%", "元/页")) else int(round(value))


LATE = "受疫情影响，部分工作进度滞后；将加强统筹调度，确保下年度按计划完成"
SURVEYED = "；经问卷调查，服务对象对项目实施总体满意"
"""How each project's 实际完成情况 says its 满意度 was measured (a bureau may turn satisfaction-without-survey on)."""
SATISFACTION_REASONS = {
    "档案": "问卷反映档案查阅预约等候时间较长；将增开预约时段",
    "城建": "建设单位反映档案移交手续较繁；将推行网上预审",
    "方志": "读者反映年鉴发行渠道偏少；将增加数字版发行",
    "文化": "群众反映部分活动场地偏远；将增设社区分会场",
}
"""Each 单位's own words for a 满意度 below target: copied words are what satisfaction-copied-across-units finds."""


def _rows_of(unit: str, project: str, specs: list[Spec], weights: list[int], rng: random.Random,
             struggling: bool) -> list[dict[str, Any]]:
    theme = next(t for u, _, t in UNITS if u == unit)
    rows = []
    for spec, weight in zip(specs, weights):
        missed = rng.random() < (0.8 if struggling else 0.25 if spec.reason else 0)
        miss = rng.uniform(0.3, 0.6) if missed and struggling else rng.uniform(0.03, 0.2) if missed else 0
        if spec.level1 == SAT and spec.reason:
            spec = Spec(spec.level1, spec.level2, spec.name, spec.direction, spec.unit, spec.target, spec.high,
                        SATISFACTION_REASONS[theme])
        rows.append({"项目": project, "单位": unit, "一级指标": spec.level1, "二级指标": spec.level2,
                     "三级指标": spec.name, "指标性质": spec.direction, "度量单位": spec.unit,
                     "年度指标值": spec.target, "区间上限": spec.high, "实际完成值": _actual(spec, miss, rng),
                     "分值": weight, "偏差原因": (spec.reason or LATE) if miss else None})
    return rows


def _project_indicators(unit: str, project: str, own: tuple[Spec, ...], rng: random.Random,
                        plant: Planted | None, struggling: bool) -> list[dict[str, Any]]:
    """Own indicators plus the common ones, weights 产出 50 / 效益 30 / 满意度 10 (or as planted)."""
    specs = list(own) + [s for s in COMMON if rng.random() < 0.6 or s.level1 == SAT]
    weights_of = {OUT: 50, EFFECT: 30, SAT: 10}
    data = plant.data if plant else ""
    if data in ("effect-40", "output-60"):
        specs = [s for s in specs if s.level1 != SAT]
        weights_of = {OUT: 60, EFFECT: 30} if data == "output-60" else {OUT: 50, EFFECT: 40}
    rows = []
    for level1, points in weights_of.items():
        group = [s for s in specs if s.level1 == level1]
        if not group:       # every level needs a row: borrow the common one
            group = [next(s for s in COMMON if s.level1 == level1)]
        rows += _rows_of(unit, project, group, _split(points, len(group), rng), rng, struggling)
    if data == "no-reason":
        first_quant = next(r for r in rows if r["指标性质"] == "≥")
        first_quant["实际完成值"] = round(float(first_quant["年度指标值"]) * 0.85, 1)
        first_quant["偏差原因"] = None
    elif data == "time-in-words":
        timely = next(r for r in rows if r["二级指标"] == TIME)
        timely.update({"指标性质": "定性", "度量单位": "", "年度指标值": "按时", "实际完成值": ACHIEVED, "偏差原因": None})
    elif data == "no-unit":
        next(r for r in rows if r["三级指标"] == plant.value)["度量单位"] = ""
    return rows


def _archive_center_department(unit: str) -> list[dict[str, Any]]:
    """The department rows of 广州市档案发展中心's 2021 report: 44.43 + 50 + 0 = 94.43."""
    def row(level1, level2, name, direction, measure, target, actual, weight, reason=None, score=None):
        return {"单位": unit, "一级指标": level1, "二级指标": level2, "三级指标": name, "指标性质": direction,
                "度量单位": measure, "年度指标值": target, "区间上限": None, "实际完成值": actual,
                "分值": weight, "评分标准": None, "得分": score, "扣分原因": reason}

    mg, perf = "管理效能", "履职效能"
    return [
        row(mg, "资金管理", "预算完成率", "≥", "%", 100, 99.76, 3, "个别项目尾款未支付"),
        row(mg, "资金管理", "预算调整率", "≤", "%", 0, 0, 2),
        row(mg, "资金管理", "支付进度率", "≥", "%", 100, 99.76, 2),
        row(mg, "资金管理", "结转结余率", "≤", "%", 5, 0.24, 2, reason="加快支出进度，结转结余远低于控制目标；下年据实核定目标"),
        row(mg, "资金管理", "结转结余变动率", "≤", "%", 0, 0, 2),
        row(mg, "资金管理", "公用经费控制率", "≤", "%", 100, 96.3, 2),
        row(mg, "资金管理", "\"三公经费\"控制率", "≤", "%", 100, 85.2, 2),
        row(mg, "资金管理", "资金使用合规性", "定性", "", ACHIEVED, ACHIEVED, 1),
        row(mg, "采购管理", "政府采购执行率", "≥", "%", 100, 72, 2, "部分采购项目延至下年度实施"),
        row(mg, "信息公开管理", "预决算信息公开性", "定性", "", ACHIEVED, ACHIEVED, 2),
        row(mg, "信息公开管理", "基础信息完善性", "定性", "", ACHIEVED, ACHIEVED, 2),
        row(mg, "资产管理", "资产管理安全性", "定性", "", ACHIEVED, ACHIEVED, 2),
        row(mg, "资产管理", "固定资产利用率", "≥", "%", 95, 98, 2),
        row(mg, "成本管理", "单位成本控制情况", "定性", "", ACHIEVED, ACHIEVED, 4),
        row(mg, "绩效管理", "管理制度健全性", "定性", "", ACHIEVED, ACHIEVED, 5),
        row(mg, "绩效管理", "绩效目标管理", "定性", "", ACHIEVED, ACHIEVED, 5),
        row(mg, "绩效管理", "绩效监控及评价结果应用", "定性", "", ACHIEVED, ACHIEVED, 5),
        row(perf, "产出数量", "人物专辑", "≥", "集", 21, 21, 4),
        row(perf, "产出数量", "街道专辑", "≥", "集", 20, 20, 4),
        row(perf, "产出数量", "展厅正常开放", "≥", "天", 150, 162, 4),
        row(perf, "产出数量", "参观人数", "≥", "人次", 15000, 46845, 4,
            "新展开幕带动参观人数大幅增长，下年度将据实调高指标值"),
        row(perf, "产出数量", "缩微", "≥", "画幅", 100000, 100659, 4),
        row(perf, "产出数量", "抢救破损档案", "≥", "张", 10000, 10232, 4),
        row(perf, "产出数量", "故障排除及时率", "≥", "%", 98, 100, 4),
        row(perf, "产出数量", "设备运行稳定率", "≥", "%", 90, 100, 4),
        row(perf, "社会效益", "档案利用服务水平", "定性", "", ACHIEVED, ACHIEVED, 5),
        row(perf, "社会效益", "档案文化影响力", "定性", "", ACHIEVED, ACHIEVED, 5),
        row(perf, "服务对象满意度", "观众满意度", "≥", "%", 90, 99.5, 4),
        row(perf, "服务对象满意度", "运维用户满意率", "≥", "%", 80, 100, 4, "运维服务响应及时，用户评价高于预期"),
        row("加减分项", "加减分项", "加减分", "", "", None, None, 5, score=0),
    ]


def _department(unit: str, theme: str, funds: dict[str, Decimal], rng: random.Random) -> list[dict[str, Any]]:
    """A department table in the Guangzhou system's shape, with made-up but plausible figures: its
    产出数量 are the unit's own outputs (from its projects' indicators), its 预算完成率 restates the
    资金情况 block, as it must."""
    rows = _archive_center_department(unit)
    budget = funds["基本支出预算数"] + funds["项目支出预算数"]
    spent = funds["基本支出决算数"] + funds["项目支出决算数"]
    outputs = iter(spec for _, specs in THEMES[theme] for spec in specs if spec.direction == "≥")
    for r in rows:
        if r["三级指标"] in ("预算完成率", "支付进度率"):
            r["实际完成值"] = float(round(spent / budget * 100, 2))
            r["扣分原因"] = "部分项目支出进度滞后" if r["实际完成值"] < r["年度指标值"] else None
        elif r["一级指标"] == "管理效能" and r["指标性质"] == "≥":
            r["实际完成值"] = round(rng.uniform(92, 100), 1)
            r["扣分原因"] = "部分采购项目延期" if r["实际完成值"] < r["年度指标值"] else None
        if r["二级指标"] == "社会效益":
            r["三级指标"] = r["三级指标"].replace("档案利用", "公共").replace("档案文化", "社会")
        if r["一级指标"] != "履职效能" or r["指标性质"] != "≥":
            continue
        if r["二级指标"] == "产出数量":
            spec = next(outputs)
            r.update({"三级指标": spec.name, "度量单位": spec.unit, "年度指标值": spec.target})
        elif r["三级指标"] == "运维用户满意率":
            r["三级指标"] = "业务用户满意度"
        miss = rng.uniform(0.01, 0.05) if r["度量单位"] == "%" else rng.uniform(0.03, 0.15)
        missed = rng.random() < 0.2
        r["实际完成值"] = _actual(Spec("", "", "", "≥", r["度量单位"], r["年度指标值"]), miss if missed else 0, rng)
        r["扣分原因"] = LATE if missed else None
    return rows


def generate(seed: int = SEED) -> DemoData:
    """The demo data set: 4 单位, 24 projects, the planted mistakes of :data:`PLANTED`."""
    rng = random.Random(seed)
    plants = {(p.unit, p.project): p for p in PLANTED if not p.against_previous}
    projects, indicators, units, dept = [], [], [], []
    for unit, supervisor, theme in UNITS:
        budgets, spents = [], []
        for name, own in THEMES[theme]:
            budget = _money(rng.uniform(40, 120) if unit == REAL_UNIT else rng.uniform(30, 260))
            struggling = rng.random() < 0.3 and (unit, name) not in plants and unit != REAL_UNIT
            rate = rng.uniform(0.55, 0.85) if struggling else rng.choice([1.0, 1.0, 0.995, 0.98, 0.96, 0.93])
            rate = 1.0 if unit == REAL_UNIT else rate      # its 2.42 万元 unspent were 基本支出
            spent = _money(float(budget) * rate)
            carry = _money(float(budget) * rng.choice([0, 0, 0, 0.1, 0.2]))
            other = _money(float(budget) * rng.choice([0, 0, 0, 0.05]))
            goal_expected, goal_achieved = GOALS[theme]
            if rate < 0.9:       # 执行率 below 90% must be explained (the 实际完成情况 says why)
                goal_achieved += f"；资金执行率{rate:.0%}，因部分合同尚未验收，余款将于次年支付"
            goal_achieved += SURVEYED
            projects.append({"单位": unit, "项目名称": name, "主管部门": supervisor, "实施单位": unit,
                             "年初预算数": budget if rng.random() < 0.7 else _money(float(budget) * 0.9),
                             "全年预算数": budget, "全年执行数": spent,
                             "当年财政拨款": budget - carry - other, "上年结转资金": carry, "其他资金": other,
                             "预期目标": goal_expected, "实际完成情况": goal_achieved})
            indicators += _project_indicators(unit, name, own, rng, plants.get((unit, name)), struggling)
            budgets.append(budget)
            spents.append(spent)
        if unit == REAL_UNIT:     # 支出预算 1014.4, 决算 1011.98 万元 (SPEC.md)
            basic_budget, basic_spent = _money(1014.4) - sum(budgets), _money(1011.98) - sum(spents)
        else:
            basic_budget = _money(float(sum(budgets)) * rng.uniform(1.2, 1.8))
            basic_spent = _money(float(basic_budget) * rng.uniform(0.97, 1.0))
        gap = getattr(plants.get((unit, None)), "data", "") == "budget-gap"
        funds = {"基本支出预算数": basic_budget, "基本支出决算数": basic_spent,
                 "项目支出预算数": sum(budgets) + (CROSS_FILE_GAP if gap else 0),
                 "项目支出决算数": sum(spents)}
        units.append({"单位": unit, **funds})
        dept += _archive_center_department(unit) if unit == REAL_UNIT else _department(unit, theme, funds, rng)
    return DemoData({"项目": projects, "指标": indicators, "单位": units, "部门指标": dept})


def previous_year(data: DemoData) -> DemoData:
    """Last year's data set: the same tables, each ``lowered-target`` plant's indicator at last year's
    higher target (and reached), and the one indicator far above its target this year (参观人数, the real
    case) near it last year, so that the comparison finds the lowered targets and nothing else."""
    last = copy.deepcopy(data)
    lowered = {(p.unit, p.project, p.value[0]): p.value[1] for p in data.planted if p.against_previous}
    for row in last.tables["指标"]:
        target = lowered.get((row["单位"], row["项目"], row["三级指标"]))
        if target is not None:
            row.update({"年度指标值": target, "实际完成值": target * 1.02, "偏差原因": None})
    for row in last.tables["部门指标"]:
        if row["三级指标"] == "参观人数":
            row["实际完成值"] = 15800
    return last


def write_xlsx(data: DemoData, path) -> None:
    """The data as the .xlsx ``selfeval fill`` reads: one sheet per table, header in row 1."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from ..core.data_tables import TABLES

    wb = Workbook()
    wb.remove(wb.active)
    for spec in TABLES:
        ws = wb.create_sheet(spec.name)
        headers = [c.name for c in spec.columns]
        ws.append(headers)
        for row in data.tables.get(spec.name, []):
            ws.append([_cell(row.get(h)) for h in headers])
        for i, col in enumerate(spec.columns, start=1):
            cell = ws.cell(1, i)
            cell.font = Font(bold=True, color="FFFFFF" if col.required else "000000")
            cell.fill = PatternFill("solid", fgColor="1F4E79" if col.required else "DDEBF7")
            letter = cell.column_letter
            width = max([len(str(col.name)) * 2 + 2] + [min(len(str(r.get(col.name) or "")) * 2, 40)
                                                        for r in data.tables.get(spec.name, [])[:200]])
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
    wb.save(path)


def _cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


EXAMPLE_PROJECTS = ("档案展厅运营项目", "缩微档案抢救保护项目", "档案信息系统运维项目")


def example(seed: int = SEED) -> DemoData:
    """The small, correct data set of ``examples/``: three projects and the department table of
    广州市档案发展中心 (2021 figures), nothing planted."""
    full = generate(seed).tables
    projects = [p for p in full["项目"] if p["单位"] == REAL_UNIT and p["项目名称"] in EXAMPLE_PROJECTS]
    budget = sum(p["全年预算数"] for p in projects)
    spent = sum(p["全年执行数"] for p in projects)
    unit = {"单位": REAL_UNIT, "基本支出预算数": _money(1014.4) - budget, "基本支出决算数": _money(1011.98) - spent,
            "项目支出预算数": budget, "项目支出决算数": spent}
    return DemoData({"项目": projects,
                     "指标": [i for i in full["指标"] if i["单位"] == REAL_UNIT and i["项目"] in EXAMPLE_PROJECTS],
                     "单位": [unit], "部门指标": [d for d in full["部门指标"] if d["单位"] == REAL_UNIT]}, ())


def write_csv(data: DemoData, folder) -> None:
    """The same tables as CSV files named after them (UTF-8 with BOM, so Excel opens them right)."""
    import csv
    from pathlib import Path

    from ..core.data_tables import TABLES

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for spec in TABLES:
        headers = [c.name for c in spec.columns]
        with open(folder / f"{spec.name}.csv", "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows([["" if row.get(h) is None else _cell(row.get(h)) for h in headers]
                              for row in data.tables.get(spec.name, [])])
