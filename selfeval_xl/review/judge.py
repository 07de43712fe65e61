"""From a read 底稿 to what the bureau signs: the 复核问题清单, each 单位's 复核结论 and 自评质量.

Why apart from the writer: these are the figures the bar asks to equal an independent computation, so
they are plain data (:class:`Issue`, :class:`Conclusion`, :class:`Quality`) computed once from the
recomputed rows, with the P-levels, the grade-change level and the quality grades from the bureau's
rules (:mod:`.config`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..core.rules import total_score, xl_round
from .config import LEVELS, ReviewRules, worse
from .readback import FilledSheet, ReviewedProject, ReviewedRow

RECOMPUTED = "准确性"
RULE_SOURCE = "财预〔2020〕10号 第十七条（自评评分规则）；指标体系"
GRADE_SOURCE = "财预〔2020〕10号 第二十一条（单位对自评结果的真实性和准确性负责）"


@dataclass(frozen=True)
class Issue:
    """One line of the 复核问题清单 (等级 | 复核维度 | 对象 | 位置 | 复核发现 | 事实及判定 | 处理建议 | 依据)."""

    level: str
    dimension: str
    unit: str
    project: str
    indicator: str
    place: str
    finding: str
    facts: str
    advice: str
    source: str
    deviation: float | None = None

    @property
    def subject(self) -> str:
        return " › ".join(p for p in (self.unit, self.project, self.indicator) if p)


@dataclass
class ProjectResult:
    project: ReviewedProject
    self_total: Decimal | None
    review_total: Decimal | None
    self_grade: str
    review_grade: str

    @property
    def gap(self) -> Decimal | None:
        if self.self_total is None or self.review_total is None:
            return None
        return xl_round(self.self_total - self.review_total)

    @property
    def grade_changed(self) -> bool:
        return bool(self.self_grade and self.review_grade and self.self_grade != self.review_grade)


@dataclass
class Quality:
    mean_abs_deviation: Decimal | None        # points, per indicator
    full_score_share: float | None
    no_evidence_share: float | None
    grade: str


@dataclass
class Conclusion:
    unit: str
    projects: list[ProjectResult] = field(default_factory=list)
    rows: int = 0
    changed: int = 0
    largest: list[ReviewedRow] = field(default_factory=list)
    quality: Quality | None = None

    def mean(self, what: str) -> Decimal | None:
        values = [getattr(p, what) for p in self.projects if getattr(p, what) is not None]
        return xl_round(sum(values, Decimal(0)) / len(values)) if values else None

    @property
    def changed_share(self) -> float | None:
        return self.changed / self.rows if self.rows else None

    @property
    def grades_changed(self) -> int:
        return sum(p.grade_changed for p in self.projects)

    @property
    def counted(self) -> str:
        """"3 个项目", "2 个项目、1 张部门整体表": a 部门整体 table is not a project."""
        departments = sum(p.project.kind == "department" for p in self.projects)
        said = [f"{len(self.projects) - departments} 个项目"] if len(self.projects) > departments else []
        return "、".join(said + ([f"{departments} 张部门整体表"] if departments else []))

    @property
    def text(self) -> str:
        """The 复核结论 in one paragraph, every figure from the fields above."""
        self_mean, review_mean = self.mean("self_total"), self.mean("review_total")
        head = [f"抽查复核 {self.counted}"]
        if self_mean is not None and review_mean is not None:
            head.append(f"自评平均 {self_mean:.2f} 分，复核平均 {review_mean:.2f} 分，相差 {self_mean - review_mean:.2f} 分")
        share = self.changed_share
        head.append(f"{self.changed}/{self.rows} 个指标复核调整" + (f"（{share:.0%}）" if share is not None else ""))
        tables = "张表" if any(p.project.kind == "department" for p in self.projects) else "个项目"
        head.append(f"{self.grades_changed} {tables}等级变化" if self.grades_changed else "等级均未变化")
        tail = []
        if self.largest:
            tail.append("偏离最大：" + "；".join(_row_words(r) for r in self.largest))
        if self.quality is not None:
            tail.append(f"自评质量：{self.quality.grade}")
        return "".join(f"{sentence}。" for sentence in ["，".join(head), *tail])


def _row_words(row: ReviewedRow) -> str:
    return f"{row.name} 自评 {row.self_score:.2f} → 复核 {row.score:.2f}"


def _shown(value, percent: bool) -> str:
    if isinstance(value, bool) or value is None:
        return "（空）" if value is None else str(value)
    if isinstance(value, (int, float, Decimal)):
        return f"{float(value):.2%}" if percent else f"{float(value):g}"
    return str(value)


def _issue(project: ReviewedProject, row: ReviewedRow, rules: ReviewRules) -> Issue | None:
    dev = row.deviation
    if row.basis is None and not row.changed:
        return None
    basis = row.basis
    level = worse(rules.level_of(dev or 0.0) if row.changed else LEVELS[-1], basis.level if basis else "")
    finding = (f"自评得分 {row.self_score:.2f}，复核得分 {row.score:.2f}" if row.self_score is not None and row.score is not None
               else f"复核得分 {row.score}")
    if dev is not None:
        finding += f"，偏离度 {dev:.1%}"
    if basis:
        finding += f"（口径 {basis.label}：{basis.effect_words}）"
    facts = []
    if row.review_actual is not None and str(row.review_actual).strip() and row.review_actual != row.actual:
        facts.append(f"自评完成值 {_shown(row.actual, row.percent)}，复核核实为 {_shown(row.review_actual, row.percent)}")
    elif row.changed and not basis and not row.typed:
        facts.append(f"按评分规则重算，自评得分 {row.self_score:.2f} 计算有误")
    if basis:
        facts.append(basis.wording)
    if row.opinion:
        facts.append(f"复核意见：{row.opinion}")
    advice = basis.advice if basis and basis.advice else "按复核得分更正自评表和自评报告"
    source = basis.source if basis else f"{RULE_SOURCE} {project.system}"
    dimension = basis.dimension if basis else RECOMPUTED
    place = f"{row.sheet}!{row.cell}（源文件 {Path(project.path).name}）"
    return Issue(level, dimension, project.unit, project.name, row.name, place, finding, "；".join(facts) or "—",
                 advice, source, dev)


def _grade_issue(result: ProjectResult, rules: ReviewRules) -> Issue:
    p = result.project
    return Issue(rules.grade_change, "结果准确性", p.unit, p.name, "", f"{p.sheet}（源文件 {Path(p.path).name}）",
                 f"自评总分 {result.self_total:.2f}（{result.self_grade}），复核总分 {result.review_total:.2f}"
                 f"（{result.review_grade}），等级由{result.self_grade}调为{result.review_grade}",
                 f"复核调整 {sum(r.changed for r in p.rows)} 个指标，相差 {result.gap:.2f} 分",
                 "按复核结果调整自评等级，并在自评报告中说明", GRADE_SOURCE)


def issues_of(sheet: FilledSheet, rules: ReviewRules) -> list[Issue]:
    """The 复核问题清单: every row a 口径 applies to or whose score changed, and every project whose
    等级 changed; most severe first, then by 单位 and project in the 底稿's order."""
    found: list[Issue] = []
    for project in sheet.projects:
        for row in project.rows:
            issue = _issue(project, row, rules)
            if issue:
                found.append(issue)
        result = project_result(project)
        if result.grade_changed:
            found.append(_grade_issue(result, rules))
        summed = _self_sum(project)
        if result.self_total is not None and summed is not None and result.self_total != summed:
            found.append(Issue(LEVELS[-1], RECOMPUTED, project.unit, project.name, "",
                               f"{project.sheet}（源文件 {Path(project.path).name}）",
                               f"自评总分 {result.self_total:.2f}，各指标自评得分合计 {summed:.2f}",
                               "自评表的总分不等于各项得分之和；复核总分按各指标复核得分合计",
                               "更正自评表的总分", f"{RULE_SOURCE} {project.system}（总分 = 各项得分之和）"))
    order = {p.name: n for n, p in enumerate(sheet.projects)}
    return sorted(found, key=lambda i: (LEVELS.index(i.level), i.unit, order.get(i.project, 0)))


def _self_sum(project: ReviewedProject) -> Decimal | None:
    scores = [r.self_score for r in project.rows if r.self_score is not None]
    return total_score(scores) if scores else None


def project_result(project: ReviewedProject) -> ProjectResult:
    """自评 (as the 单位 stated it, else the sum of its 自评得分) against 复核."""
    self_total = project.self_total if project.self_total is not None else _self_sum(project)
    return ProjectResult(project, self_total, project.review_total, project.self_grade, project.review_grade)


def quality_of(rows: list[ReviewedRow], rules: ReviewRules) -> Quality:
    """平均绝对偏离 (points, every row with both scores), 满分指标占比 (indicators, 预算执行 aside),
    无佐证占比 (rows whose 口径 is a no-evidence one), and the first grade whose limits all hold."""
    pairs = [abs(r.self_score - r.score) for r in rows if r.self_score is not None and r.score is not None]
    mad = xl_round(sum(pairs, Decimal(0)) / len(pairs)) if pairs else None
    indicators = [r for r in rows if r.indicator and r.weight]
    full = sum(r.self_score is not None and r.self_score >= r.weight for r in indicators) / len(indicators) \
        if indicators else None
    no_evidence = sum(bool(r.basis and r.basis.no_evidence) for r in rows) / len(rows) if rows else None
    name = rules.quality_last
    if mad is not None:
        for g in rules.quality:
            if mad <= Decimal(str(g.mean_abs_deviation)) and (full or 0) <= g.full_score_share \
                    and (no_evidence or 0) <= g.no_evidence_share:
                name = g.name
                break
    return Quality(mad, full, no_evidence, name)


LARGEST = 3


def conclusions_of(sheet: FilledSheet, rules: ReviewRules) -> list[Conclusion]:
    """Per 单位 (in the 底稿's order, grouped as the drafted reports group them): its projects' totals and
    grades, the share of rows changed, its largest deviations (points) and its 自评质量."""
    from ..narrative.units import unit_key

    by_unit: dict[str, Conclusion] = {}
    for project in sheet.projects:          # one 单位 under several names (an alias in brackets) is one
        c = by_unit.setdefault(unit_key(project.unit), Conclusion(project.unit))
        c.projects.append(project_result(project))
    for c in by_unit.values():
        rows = [r for p in c.projects for r in p.project.rows]
        c.rows = sum(r.score is not None for r in rows)
        c.changed = sum(r.changed for r in rows)
        changed = [r for r in rows if r.changed]
        c.largest = sorted(changed, key=lambda r: -abs(r.self_score - r.score))[:LARGEST]
        c.quality = quality_of(rows, rules)
    return list(by_unit.values())
