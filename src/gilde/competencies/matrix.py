"""The team at a glance: people × competencies, with a constant number of queries.

Rows are the current memberships of one organisation that the viewer leads (all of them for an
organisation admin, the people they manage for a manager). Columns are the competencies of one
function profile (with the level it requires) or of the published version of one framework,
grouped by category. A cell is where the person stands (`CurrentLevel`, by code), shown as a level
of the column's own scale.

The grid is rendered here in Python rather than in a template: a page of 50 people × 60
competencies has 3,000 cells, and a template loop would spend most of the page's time on them.
`cell_html` is the only place that writes a cell's markup; the page and the htmx fragment both
use it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gilde.audit.services import audit_record
from gilde.competencies.access import frameworks_visible_to, profiles_visible_to
from gilde.competencies.models import (
    Assessment,
    AssessmentSource,
    Competency,
    CurrentLevel,
    Framework,
    FrameworkVersion,
    FunctionProfile,
    ProfileAssignment,
    Requirement,
    VersionStatus,
)
from gilde.competencies.services import Scale, assessment_record, scale_of
from gilde.tenancy.access import memberships_visible_to, standing_of
from gilde.tenancy.models import Membership, Organisation, Role, Team

PAGE_SIZE = 50
SORTS = ("name", "gap")
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- who is in the matrix -----------------------------------------------------------------------


def _current() -> Q:
    today = timezone.localdate()
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def matrix_people(actor: Any, organisation: Organisation) -> QuerySet[Membership]:
    """The current memberships the actor may see in the matrix and rate as a manager: everyone
    for the organisation's admins, the people they manage for managers; nobody else (404)."""
    standing = standing_of(actor)
    rows = memberships_visible_to(actor, organisation).filter(_current())
    if standing.has_org_role(organisation.pk, Role.ORG_ADMIN):
        return rows
    if standing.has_org_role(organisation.pk, Role.MANAGER):
        return rows.filter(manager=actor)
    raise Http404


def matrix_teams(people: QuerySet[Membership]) -> list[Team]:
    return list(
        Team.objects.filter(memberships__in=people.values("pk")).distinct().order_by("name")
    )


# --- columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    competency: Competency
    category: str
    category_position: int
    required: int | None = None
    required_normalised: float | None = None
    weight: int = 1

    @property
    def code(self) -> str:
        return self.competency.code

    @property
    def name(self) -> str:
        return self.competency.name


@dataclass
class ColumnSource:
    """What the columns are: a function profile (with requirements) or a framework version."""

    framework: Framework
    version: FrameworkVersion
    scale: Scale
    all_columns: list[Column]
    profile: FunctionProfile | None = None
    category: str = ""
    _level_of: dict[float, int] = field(default_factory=dict)

    @property
    def columns(self) -> list[Column]:
        if not self.category:
            return self.all_columns
        return [c for c in self.all_columns if c.category == self.category]

    @property
    def categories(self) -> list[str]:
        seen: dict[str, None] = {}
        for column in self.all_columns:
            seen.setdefault(column.category, None)
        return list(seen)

    def groups(self) -> list[tuple[str, int]]:
        """(category, number of columns) in column order, for the header row."""
        groups: list[tuple[str, int]] = []
        for column in self.columns:
            if groups and groups[-1][0] == column.category:
                groups[-1] = (column.category, groups[-1][1] + 1)
            else:
                groups.append((column.category, 1))
        return groups

    def query(self) -> dict[str, str]:
        """The URL parameters that name this source."""
        if self.profile is not None:
            return {"profile": self.profile.slug}
        return {"framework": self.framework.slug}

    def column(self, code: str) -> Column | None:
        return next((c for c in self.all_columns if c.code == code), None)

    def level_of(self, normalised: float) -> int:
        """The nearest level of this source's scale (ratings given on another version's scale
        are compared on the common 0–1 range)."""
        level = self._level_of.get(normalised)
        if level is None:
            level = self._level_of[normalised] = self.scale.from_normalised(normalised)
        return level

    def steps(self, level: int) -> int:
        return self.scale.values.index(level)


def _columns(
    competencies: Iterable[Competency],
    scale: Scale,
    requirements: dict[int, Requirement] | None = None,
) -> list[Column]:
    """Columns in category order (categories by position, competencies without one last)."""
    other = _("Other")
    columns = []
    for c in competencies:
        requirement = requirements.get(c.pk) if requirements is not None else None
        columns.append(
            Column(
                competency=c,
                category=c.category.name if c.category else other,
                category_position=c.category.position if c.category else 10**6,
                required=requirement.level if requirement else None,
                required_normalised=scale.normalise(requirement.level) if requirement else None,
                weight=requirement.weight if requirement else 1,
            )
        )
    columns.sort(key=lambda c: (c.category_position, c.category, c.competency.position, c.code))
    return columns


def source_for_profile(profile: FunctionProfile, *, category: str = "") -> ColumnSource:
    """Columns of a function profile: its requirements. Two queries (scale, requirements)."""
    version = profile.version
    scale = scale_of(version)
    requirements = {
        r.competency_id: r
        for r in Requirement.objects.filter(profile=profile).select_related("competency__category")
    }
    return ColumnSource(
        framework=version.framework,
        version=version,
        scale=scale,
        all_columns=_columns((r.competency for r in requirements.values()), scale, requirements),
        profile=profile,
        category=category,
    )


def source_for_framework(framework: Framework, *, category: str = "") -> ColumnSource | None:
    """Columns of the latest published version of a framework (no requirements)."""
    version = (
        FrameworkVersion.objects.filter(framework=framework, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    version.framework = framework
    scale = scale_of(version)
    return ColumnSource(
        framework=framework,
        version=version,
        scale=scale,
        all_columns=_columns(version.competencies.select_related("category"), scale),
        category=category,
    )


def source_from(
    actor: Any, *, profile_slug: str = "", framework_slug: str = "", category: str = ""
) -> ColumnSource | None:
    """The source named by URL parameters, if the actor may see it (None otherwise)."""
    if profile_slug:
        profile = (
            profiles_visible_to(actor)
            .filter(slug=profile_slug)
            .select_related("version__framework")
            .first()
        )
        return source_for_profile(profile, category=category) if profile else None
    if framework_slug:
        framework = frameworks_visible_to(actor).filter(slug=framework_slug).first()
        return source_for_framework(framework, category=category) if framework else None
    return None


@dataclass
class SourceChoice:
    source: ColumnSource | None
    profiles: Sequence[FunctionProfile]
    frameworks: list[Framework]
    problem: str = ""


def matrix_source(
    actor: Any,
    *,
    people: QuerySet[Membership],
    profile_slug: str = "",
    framework_slug: str = "",
    category: str = "",
) -> SourceChoice:
    """Pick the columns: the profile or framework asked for (if the actor may see it), else the
    profile most of `people` have. Each profile comes with `holders`: how many of the people have
    it. Four to five queries."""
    holders = (
        ProfileAssignment.objects.filter(
            profile=OuterRef("pk"), is_target=False, membership__in=people.values("pk")
        )
        .order_by()
        .values("profile")
        .annotate(n=Count("pk"))
        .values("n")
    )
    profiles = list(
        profiles_visible_to(actor)
        .select_related("version__framework")
        .annotate(holders=Coalesce(Subquery(holders, output_field=IntegerField()), Value(0)))
        .order_by("name", "pk")
    )
    frameworks = list(frameworks_visible_to(actor).order_by("name", "pk"))
    choice = SourceChoice(source=None, profiles=profiles, frameworks=frameworks)
    if profile_slug:
        profile = next((p for p in profiles if p.slug == profile_slug), None)
        if profile is not None:
            choice.source = source_for_profile(profile, category=category)
            return choice
        choice.problem = _("That function profile is not available here.")
    elif framework_slug:
        framework = next((f for f in frameworks if f.slug == framework_slug), None)
        if framework is not None:
            choice.source = source_for_framework(framework, category=category)
            if choice.source is None:
                choice.problem = _("This framework has no published version yet.")
            return choice
        choice.problem = _("That framework is not available here.")
    held = [p for p in profiles if getattr(p, "holders", 0)]
    if held:
        most = max(held, key=lambda p: getattr(p, "holders", 0))
        choice.source = source_for_profile(most, category=category)
    return choice


# --- cells and rows -----------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    column: Column
    level: int | None
    normalised: float | None = None
    self_only: bool = False
    disagreement: bool = False
    steps_below: int | None = None

    @property
    def weighted_gap(self) -> float:
        """How far below the requirement on the 0–1 range, times the weight (not rated counts
        as the lowest level; no requirement, no gap)."""
        required = self.column.required_normalised
        if required is None:
            return 0.0
        return self.column.weight * max(0.0, required - (self.normalised or 0.0))

    @property
    def state(self) -> str:
        """met · below1 · below2 (two or more steps) · unrated (required, no level) · free (no
        requirement)."""
        if self.column.required is None:
            return "free"
        if self.level is None:
            return "unrated"
        if not self.steps_below:
            return "met"
        return "below1" if self.steps_below == 1 else "below2"

    def describe(self) -> str:
        """The cell in words, for titles, lists and exports."""
        if self.level is None:
            text = _("not rated yet")
        else:
            text = _("level %(level)s") % {"level": self.level}
        if self.column.required is not None:
            text += ", " + _("required %(level)s") % {"level": self.column.required}
        if self.self_only:
            text += ", " + _("self-rating only, not validated")
        if self.disagreement:
            text += ", " + _("self-rating and validated level differ by two or more levels")
        return text


def make_cell(
    source: ColumnSource,
    column: Column,
    level_row: tuple[float | None, float | None, bool] | None,
) -> Cell:
    """A cell from (validated normalised, self normalised, disagreement) of a current level."""
    if level_row is None:
        return Cell(column=column, level=None)
    validated, self_rated, disagreement = level_row
    value = validated if validated is not None else self_rated
    if value is None:
        return Cell(column=column, level=None)
    level = source.level_of(value)
    below = None
    if column.required is not None:
        below = max(0, source.steps(column.required) - source.steps(level))
    return Cell(
        column=column,
        level=level,
        normalised=value,
        self_only=validated is None,
        disagreement=disagreement,
        steps_below=below,
    )


@dataclass
class Row:
    membership: Membership
    cells: list[Cell]
    gap: float | None
    can_rate: bool

    @property
    def person(self) -> Any:
        return self.membership.person

    def top_gaps(self, n: int = 3) -> list[Cell]:
        """The biggest weighted gaps, biggest first."""
        below = [c for c in self.cells if c.weighted_gap > 0]
        below.sort(key=lambda c: (-c.weighted_gap, c.column.code))
        return below[:n]


LevelRows = dict[tuple[int, str], tuple[float | None, float | None, bool]]


def level_rows(*, source: ColumnSource, person_ids: Iterable[Any]) -> LevelRows:
    """Current levels of many people for the source's columns, in one query, as plain tuples
    (a page of 3,000 cells would spend more time building model objects than querying)."""
    codes = [c.code for c in source.all_columns]
    found = CurrentLevel.objects.filter(
        framework=source.framework, person_id__in=person_ids, code__in=codes
    ).values_list("person_id", "code", "validated_normalised", "self_normalised", "disagreement")
    return {(p, code): (v, s, d) for p, code, v, s, d in found}


def gap_of(cells: Sequence[Cell]) -> float | None:
    """Weighted gap of the required columns as a share of the largest possible (0 = all met;
    not rated counts as the lowest level), as `selectors.gap_score` does for one person."""
    total = sum(c.column.weight * (c.column.required_normalised or 0.0) for c in cells)
    return sum(c.weighted_gap for c in cells) / total if total else None


def gap_from_levels(source: ColumnSource, levels: LevelRows, person_id: int) -> float:
    """The gap score of `gap_of`, worked out straight from the level tuples (sorting a whole
    organisation by gap reads 60,000 of them)."""
    total = missing = 0.0
    for column in source.all_columns:
        required = column.required_normalised
        if required is None:
            continue
        total += column.weight * required
        found = levels.get((person_id, column.code))
        value = 0.0
        if found is not None:
            value = found[0] if found[0] is not None else (found[1] or 0.0)
        if value < required:
            missing += column.weight * (required - value)
    return missing / total if total else 0.0


def build_row(
    source: ColumnSource, membership: Membership, levels: LevelRows, *, can_rate: bool
) -> Row:
    """A person's cells for the shown columns; the gap score is over every column of the
    source, whichever category is shown, so that it is the same number everywhere."""
    person_id = membership.person_id
    every = [make_cell(source, c, levels.get((person_id, c.code))) for c in source.all_columns]
    shown = source.category
    cells = [c for c in every if c.column.category == shown] if shown else every
    return Row(membership=membership, cells=cells, gap=gap_of(every), can_rate=can_rate)


def _viewer_rates(actor: Any, membership: Membership) -> bool:
    # Rows are the viewer's own people (admin: everyone; manager: the people they manage), so
    # they rate each as a manager, except themselves: a self-rating is no validation.
    return bool(membership.person_id != actor.pk)


@dataclass
class MatrixPage:
    source: ColumnSource
    page: Page[Any]
    rows: list[Row]
    sort: str


def matrix_page(
    actor: Any,
    *,
    people: QuerySet[Membership],
    source: ColumnSource,
    sort: str = "name",
    page_number: Any = 1,
    page_size: int = PAGE_SIZE,
) -> MatrixPage:
    """One page of the matrix. By name: a count, a page of people and their levels (three
    queries). By gap: every person's levels are read once to sort them (three queries too)."""
    if sort == "gap" and any(c.required is not None for c in source.all_columns):
        everyone = list(people.values_list("pk", "person_id", "person__sort_key"))
        levels = level_rows(source=source, person_ids=people.values("person_id"))
        gaps = {pk: gap_from_levels(source, levels, person_id) for pk, person_id, _ in everyone}
        everyone.sort(key=lambda r: (-gaps[r[0]], r[2], r[0]))
        page: Page[Any] = Paginator([r[0] for r in everyone], page_size).get_page(page_number)
        by_pk = {
            m.pk: m
            for m in Membership.objects.filter(pk__in=list(page.object_list)).select_related(
                "person", "team"
            )
        }
        memberships = [by_pk[pk] for pk in page.object_list if pk in by_pk]
    else:
        sort = "name"
        ordered = people.select_related("person", "team").order_by("person__sort_key", "pk")
        page = Paginator(ordered, page_size).get_page(page_number)
        memberships = list(page.object_list)
        levels = level_rows(source=source, person_ids=[m.person_id for m in memberships])
    rows = [build_row(source, m, levels, can_rate=_viewer_rates(actor, m)) for m in memberships]
    return MatrixPage(source=source, page=page, rows=rows, sort=sort)


# --- rendering a cell -----------------------------------------------------------------------


@dataclass(frozen=True)
class CellWords:
    """Translated bits shared by every cell of one page (translated once, not 3,000 times)."""

    self_mark: str
    disagreement_mark: str
    self_title: str
    disagreement_title: str

    @classmethod
    def current(cls) -> CellWords:
        return cls(
            self_mark=pgettext("matrix mark: self-rating only", "s"),
            disagreement_mark="!",
            self_title=_("self-rating only, not validated"),
            disagreement_title=_("self-rating and validated level differ by two or more levels"),
        )


def cell_query(membership: Membership, column: Column, source: ColumnSource) -> str:
    """The URL parameters naming one cell (see grid_body_html for the same, built faster)."""
    return urlencode({"m": str(membership.uuid), "c": column.code, **source.query()})


def cell_html(
    cell: Cell,
    *,
    words: CellWords,
    href: str | None = None,
    focus: bool = False,
    saved: str = "",
) -> SafeString:
    """One `<td>` of the matrix. With `href` the level is a link to rate the cell (htmx swaps
    the cell for a small form; without JavaScript it is an ordinary page)."""
    state = cell.state
    titles = []
    marks = ""
    if cell.self_only:
        titles.append(words.self_title)
        marks += f'<b class="mk">{escape(words.self_mark)}</b>'
    if cell.disagreement:
        titles.append(words.disagreement_title)
        marks += f'<b class="mk">{escape(words.disagreement_mark)}</b>'
    text = "–" if cell.level is None else str(cell.level)
    if cell.column.required is not None:
        text += f"<small>/{cell.column.required}</small>"
    title = f' title="{escape("; ".join(titles))}"' if titles else ""
    if saved:
        text = f'<span class="visually-hidden">{escape(saved)} </span>' + text
    if href is not None:
        autofocus = " autofocus" if focus else ""
        inner = f'<a href="{escape(href)}"{autofocus}>{text}{marks}</a>'
        return mark_safe(f'<td class="c {state}"{title} hx-target="this">{inner}</td>')  # noqa: S308
    return mark_safe(f'<td class="c {state}"{title}>{text}{marks}</td>')  # noqa: S308


def grid_body_html(matrix: MatrixPage, *, cell_base: str, person_href: Any) -> SafeString:
    """The `<tbody>` rows of a matrix page: a header cell with the person's name (and gap
    score), then one cell per column. `person_href(membership)` gives the person's page."""
    words = CellWords.current()
    parts: list[str] = []
    source = matrix.source
    no_gap = _("no requirements")
    # The query of a cell's link, in parts encoded once per page (per column) and once per row.
    source_part = "&" + urlencode(source.query())
    column_parts = [f"&{urlencode({'c': c.code})}{source_part}" for c in source.columns]
    for row in matrix.rows:
        membership = row.membership
        row_part = f"{cell_base}?m={membership.uuid}"
        name = escape(row.person.display_name)
        team = escape(membership.team.name) if membership.team else ""
        team_html = f'<span class="hint">{team}</span>' if team else ""
        parts.append(
            f'<tr><th scope="row"><a href="{escape(person_href(membership))}" hx-boost="false">'
            f"{name}</a>{team_html}</th>"
        )
        gap = "–" if row.gap is None else f"{round(row.gap * 100)}%"
        gap_title = f' title="{escape(no_gap)}"' if row.gap is None else ""
        parts.append(f'<td class="gap" id="gap-{membership.uuid}"{gap_title}>{gap}</td>')
        for i, cell in enumerate(row.cells):
            href = row_part + column_parts[i] if row.can_rate else None
            parts.append(cell_html(cell, words=words, href=href))
        parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308


# --- rating a cell ----------------------------------------------------------------------------


@transaction.atomic
def matrix_cell_rate(
    *,
    actor: Any,
    organisation: Organisation,
    person: Any,
    competency: Competency,
    level: int,
    comment: str = "",
) -> Assessment:
    """Record a rating given in the team overview: an assessment through the one current-level
    rule, marked as coming from the overview, and an audit row."""
    assessment = assessment_record(
        actor=actor,
        person=person,
        competency=competency,
        level=level,
        comment=comment,
        source=AssessmentSource.MATRIX,
        organisation=organisation,
    )
    audit_record(
        actor=actor,
        action="assessment.rate",
        organisation=organisation,
        subject=person,
        competency=competency.code,
        level=level,
        role=assessment.rater_role,
        source=AssessmentSource.MATRIX.value,
    )
    return assessment


# --- export ---------------------------------------------------------------------------------


def export_table(
    actor: Any, *, people: QuerySet[Membership], source: ColumnSource, sort: str
) -> tuple[list[str], list[Any], list[list[Any]]]:
    """(header, required row, rows) of the whole matrix with the current filters: every page,
    three queries however many people. Levels stay numbers; self-only and disagreeing cells are
    listed in two text columns so that the level columns can be summed and sorted."""
    matrix = matrix_page(actor, people=people, source=source, sort=sort, page_size=10**7)
    columns = source.columns
    header = [
        _("Name"),
        _("Team"),
        _("Gap score (%)"),
        *[f"{c.code} {c.name}" for c in columns],
        _("Not validated (self-rating only)"),
        _("Self-rating and validated level differ"),
    ]
    required = [
        _("Required level"),
        "",
        "",
        *[c.required if c.required is not None else "" for c in columns],
        "",
        "",
    ]
    rows = []
    for row in matrix.rows:
        membership = row.membership
        rows.append(
            [
                row.person.display_name,
                membership.team.name if membership.team else "",
                "" if row.gap is None else round(row.gap * 100),
                *[c.level if c.level is not None else "" for c in row.cells],
                ", ".join(c.column.code for c in row.cells if c.self_only),
                ", ".join(c.column.code for c in row.cells if c.disagreement),
            ]
        )
    return header, required, rows


def _guarded(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _to_csv(header: list[str], required: list[Any], rows: list[list[Any]]) -> bytes:
    """Semicolons and a byte order mark: what Excel with Dutch settings opens without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in (header, required, *rows):
        writer.writerow([_guarded(v) for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _to_xlsx(header: list[str], required: list[Any], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Overview")[:31])
    sheet.freeze_panes = "B3"
    bold = Font(bold=True)
    for line, strong in ((header, True), (required, True)):
        cells = []
        for value in line:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if strong:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # Text stays text: a name starting with "=" must not become a formula.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class MatrixExport:
    content: bytes
    content_type: str
    filename: str
    rows: int


@transaction.atomic
def matrix_export(
    *,
    actor: Any,
    organisation: Organisation,
    people: QuerySet[Membership],
    source: ColumnSource,
    sort: str,
    fmt: str,
) -> MatrixExport:
    """The whole matrix (current filters) as a file, and an audit row saying who took it."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    header, required, rows = export_table(actor, people=people, source=source, sort=sort)
    content = _to_csv(header, required, rows) if fmt == "csv" else _to_xlsx(header, required, rows)
    what = source.profile.name if source.profile else source.framework.name
    audit_record(
        actor=actor,
        action="competencies.matrix_export",
        organisation=organisation,
        format=fmt,
        rows=len(rows),
        columns=what,
    )
    day = timezone.localdate().isoformat()
    return MatrixExport(
        content=content,
        content_type=EXPORT_FORMATS[fmt],
        filename=f"{organisation.slug}-{_('overview')}-{day}.{fmt}".replace(" ", "-"),
        rows=len(rows),
    )
