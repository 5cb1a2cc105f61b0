"""The needs-analysis report: response rate, needs per competency per group (a heatmap), top
needs, ways of learning, time available, open answers; and its export to CSV and XLSX.

Groups are the teams of an organisation's survey, or the member organisations of a network's
survey. The rule for anonymous surveys, in code (`_protect`): no group with fewer than
`ANONYMOUS_MINIMUM` responses is shown on its own; such groups are added together into one row
"other groups together", and when that row is itself too small the smallest shown group joins
it — so that no small group can be worked out by subtracting shown rows from the total. Open
answers of an anonymous survey are shown without group and in alphabetical order (never in the
order given), and only when the whole survey has at least `ANONYMOUS_MINIMUM` responses.

A fixed number of queries, however many responses (see benchmarks/bench_development.py).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.competencies.models import Competency
from gilde.competencies.services import scale_of
from gilde.development.models import (
    HoursPerWeek,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
)
from gilde.development.services_surveys import ANONYMOUS_MINIMUM, WAYS, survey_competencies
from gilde.tenancy.models import Organisation, Team

MAX_OPEN_ANSWERS = 300
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Cell:
    """One group's answers on one competency."""

    responses: int = 0
    need_sum: float = 0.0
    level_sum: float = 0.0
    level_count: int = 0

    @property
    def need(self) -> float | None:
        """Average need, 1 (not at all) to 4 (very much)."""
        return self.need_sum / self.responses if self.responses else None

    @property
    def level(self) -> float | None:
        """Average current level on the common 0–1 range (who said "I don't know" not counted)."""
        return self.level_sum / self.level_count if self.level_count else None

    def add(self, other: Cell) -> None:
        self.responses += other.responses
        self.need_sum += other.need_sum
        self.level_sum += other.level_sum
        self.level_count += other.level_count


@dataclass
class Group:
    key: str
    name: str
    invited: int = 0
    responses: int = 0
    cells: dict[str, Cell] = field(default_factory=dict)
    combined: bool = False
    # The names of the groups added together into this row (for "other groups together").
    members: list[str] = field(default_factory=list)

    @property
    def rate(self) -> int:
        return round(100 * self.responses / self.invited) if self.invited else 0

    def cell(self, code: str) -> Cell:
        return self.cells.setdefault(code, Cell())

    def add(self, other: Group) -> None:
        self.invited += other.invited
        self.responses += other.responses
        for code, cell in other.cells.items():
            self.cell(code).add(cell)
        self.members.append(other.name)


@dataclass
class Need:
    competency: Competency
    need: float | None
    level: float | None
    level_text: str

    @property
    def priority(self) -> float:
        """Needed much and not mastered yet: need (0–1) times what is still missing (0–1)."""
        if self.need is None:
            return 0.0
        missing = 1.0 - (self.level if self.level is not None else 0.5)
        return (self.need - 1) / 3 * missing


@dataclass
class Report:
    survey: Survey
    competencies: list[Competency]
    invited: int
    responses: int
    groups: list[Group]
    hidden_groups: int
    total: Group | None
    needs: list[Need]
    ways: list[tuple[str, str, int]]
    hours: list[tuple[str, str, int]]
    open_answers: list[tuple[str, list[str]]]
    open_answers_hidden: bool
    people: list[Any]
    group_label: str
    minimum: int = ANONYMOUS_MINIMUM

    @property
    def rate(self) -> int:
        return round(100 * self.responses / self.invited) if self.invited else 0

    @property
    def too_small(self) -> bool:
        """Nothing can be shown: an anonymous survey with fewer than the minimum responses."""
        return self.survey.is_anonymous and self.responses < self.minimum

    @property
    def table(self) -> list[tuple[Group, list[Cell | None]]]:
        """Every shown row (the groups, then everyone) with its cell per competency."""
        codes = [c.code for c in self.competencies]
        groups = [*self.groups, *([self.total] if self.total else [])]
        return [(g, [g.cells.get(code) for code in codes]) for g in groups]

    @property
    def top_needs(self) -> list[Need]:
        return sorted(
            (n for n in self.needs if n.need is not None),
            key=lambda n: (-n.priority, -(n.need or 0), n.competency.code),
        )[:5]


def _groups_of(survey: Survey) -> tuple[str, dict[str, Group]]:
    """The groups of a survey, keyed, with their invited counts. Two queries."""
    groups: dict[str, Group] = {}
    if survey.network_id is not None:
        label = _("Organisation")
        counts = (
            SurveyInvitation.objects.filter(survey=survey)
            .values("organisation_id")
            .annotate(n=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
            .order_by()
        )
        names = dict(
            Organisation.objects.filter(pk__in=[c["organisation_id"] for c in counts]).values_list(
                "pk", "name"
            )
        )
        for c in counts:
            key = f"o{c['organisation_id']}"
            groups[key] = Group(key=key, name=names.get(c["organisation_id"], "?"), invited=c["n"])
    else:
        label = _("Team")
        counts = (
            SurveyInvitation.objects.filter(survey=survey)
            .values("team_id")
            .annotate(n=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
            .order_by()
        )
        names = dict(
            Team.objects.filter(pk__in=[c["team_id"] for c in counts if c["team_id"]]).values_list(
                "pk", "name"
            )
        )
        for c in counts:
            key = f"t{c['team_id'] or 0}"
            name = names.get(c["team_id"], "?") if c["team_id"] else _("No team")
            groups[key] = Group(key=key, name=name, invited=c["n"])
    return label, groups


def _key(survey: Survey, organisation_id: int, team_id: int | None) -> str:
    if survey.network_id is not None:
        return f"o{organisation_id}"
    return f"t{team_id or 0}"


def _protect(groups: list[Group], minimum: int) -> tuple[list[Group], int]:
    """Shown groups and how many were folded away (see the module text)."""
    small = [g for g in groups if 0 < g.responses < minimum]
    shown = [g for g in groups if g.responses >= minimum]
    if not small:
        return shown, 0
    other = Group(key="other", name=_("Other groups together"), combined=True)
    for group in small:
        other.add(group)
    folded = len(small)
    shown.sort(key=lambda g: g.responses)
    while other.responses < minimum and shown:
        other.add(shown.pop(0))
        folded += 1
    shown.sort(key=lambda g: g.name)
    if other.responses >= minimum:
        shown.append(other)
    return shown, folded


def survey_report(survey: Survey, *, viewer_sees_names: bool = False) -> Report:
    """The report of one survey. `viewer_sees_names` (a named organisation survey read by its
    admins) adds who answered; it never applies to an anonymous survey."""
    competencies = survey_competencies(survey)
    scale = scale_of(survey.version)
    group_label, groups = _groups_of(survey)
    responses = SurveyResponse.objects.filter(survey=survey)
    per_group = responses.values("organisation_id", "team_id").annotate(n=Count("pk")).order_by()
    for row in per_group:
        key = _key(survey, row["organisation_id"], row["team_id"])
        group = groups.setdefault(key, Group(key=key, name="?"))
        group.responses += row["n"]
    aggregates = (
        SurveyAnswer.objects.filter(response__survey=survey)
        .values("response__organisation_id", "response__team_id", "code")
        .annotate(
            n=Count("pk"),
            need=Avg("need"),
            level=Avg("level_normalised"),
            level_n=Count("level_normalised"),
        )
        .order_by()
    )
    for row in aggregates:
        key = _key(survey, row["response__organisation_id"], row["response__team_id"])
        cell = groups[key].cell(row["code"])
        cell.responses += row["n"]
        cell.need_sum += float(row["need"] or 0) * row["n"]
        cell.level_sum += float(row["level"] or 0) * row["level_n"]
        cell.level_count += row["level_n"]
    ordered = sorted(groups.values(), key=lambda g: g.name)
    total_responses = sum(g.responses for g in ordered)
    anonymous = survey.is_anonymous
    hidden = 0
    if anonymous:
        shown, hidden = _protect(ordered, ANONYMOUS_MINIMUM)
    else:
        shown = [g for g in ordered if g.invited or g.responses]
    total = Group(key="total", name=_("Everyone"))
    for group in ordered:
        total.add(group)
    too_small = anonymous and total_responses < ANONYMOUS_MINIMUM
    needs = []
    for competency in competencies:
        cell = total.cells.get(competency.code, Cell())
        level_text = ""
        if cell.level is not None:
            level_text = str(scale.from_normalised(cell.level))
        needs.append(
            Need(competency=competency, need=cell.need, level=cell.level, level_text=level_text)
        )
    counts = responses.aggregate(
        **{code: Count("pk", filter=Q(**{field_name: True})) for code, field_name, _l in WAYS}
    )
    ways = [(code, str(label), counts[code]) for code, _f, label in WAYS]
    hours_counts = dict(
        responses.exclude(hours_per_week="")
        .values("hours_per_week")
        .annotate(n=Count("pk"))
        .values_list("hours_per_week", "n")
        .order_by()
    )
    hours = [
        (value, str(label), hours_counts.get(value, 0)) for value, label in HoursPerWeek.choices
    ]
    open_answers, open_hidden = _open_answers(survey, responses, total_responses)
    people: list[Any] = []
    if viewer_sees_names and not anonymous:
        people = list(
            responses.filter(person__isnull=False)
            .select_related("person")
            .order_by("person__sort_key")
        )
    if too_small:
        shown, needs, ways, hours, open_answers = [], [], [], [], []
    return Report(
        survey=survey,
        competencies=competencies,
        invited=total.invited,
        responses=total_responses,
        groups=shown,
        hidden_groups=hidden,
        total=None if too_small else total,
        needs=needs,
        ways=ways,
        hours=hours,
        open_answers=open_answers,
        open_answers_hidden=open_hidden,
        people=people,
        group_label=group_label,
    )


def _open_answers(
    survey: Survey, responses: Any, total: int
) -> tuple[list[tuple[str, list[str]]], bool]:
    questions = list(survey.open_questions)
    if not questions:
        return [], False
    if survey.is_anonymous and total < ANONYMOUS_MINIMUM:
        return [], True
    by_question: dict[int, list[str]] = defaultdict(list)
    rows = responses.exclude(open_answers=[]).values_list("open_answers", flat=True)
    for answers in rows[: MAX_OPEN_ANSWERS * 2]:
        for i, text in enumerate(answers or []):
            if i < len(questions) and text and text.strip():
                by_question[i].append(text.strip())
    result = []
    for i, question in enumerate(questions):
        texts = by_question.get(i, [])
        if survey.is_anonymous:
            texts = sorted(texts, key=str.casefold)
        result.append((question, texts[:MAX_OPEN_ANSWERS]))
    return result, False


# --- export -------------------------------------------------------------------------------------


def _guarded(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_rows(report: Report) -> list[list[Any]]:
    """One table: a row per shown group and the total, with invited, responses and the average
    need per competency; then ways of learning and time. What the page shows, nothing more."""
    codes = [c.code for c in report.competencies]
    rows: list[list[Any]] = [
        [
            report.group_label,
            _("Invited"),
            _("Responses"),
            *[f"{c.code} {c.name}" for c in report.competencies],
        ]
    ]
    groups = [*report.groups, *([report.total] if report.total else [])]
    for group in groups:
        rows.append(
            [
                group.name,
                group.invited,
                group.responses,
                *[
                    round(cell.need, 2) if (cell := group.cells.get(code)) and cell.need else ""
                    for code in codes
                ],
            ]
        )
    if report.too_small:
        rows.append([_("Fewer than %(n)s responses: nothing is shown.") % {"n": report.minimum}])
        return rows
    rows.append([])
    rows.append([_("Way of learning"), _("Responses")])
    rows += [[label, n] for _code, label, n in report.ways]
    rows.append([])
    rows.append([_("Time a week"), _("Responses")])
    rows += [[label, n] for _code, label, n in report.hours]
    return rows


def report_export(report: Report, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    rows = export_rows(report)
    day = timezone.localdate().isoformat()
    name = f"{_('needs-analysis')}-{day}.{fmt}".replace(" ", "-")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        for row in rows:
            writer.writerow([_guarded(v) for v in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), EXPORT_FORMATS[fmt], name
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Needs")[:31])
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer_b = io.BytesIO()
    workbook.save(buffer_b)
    return buffer_b.getvalue(), EXPORT_FORMATS[fmt], name
