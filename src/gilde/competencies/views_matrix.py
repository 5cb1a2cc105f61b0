"""The team at a glance (matrix), rating a cell inline, the export, and aggregated gaps."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gilde.competencies import charts
from gilde.competencies.access import rater_role_for
from gilde.competencies.aggregates import (
    MIN_GROUP,
    AggregateRow,
    gap_aggregate,
    group_size,
    network_people,
    network_profiles,
)
from gilde.competencies.forms_matrix import CellRatingForm
from gilde.competencies.matrix import (
    EXPORT_FORMATS,
    SORTS,
    CellWords,
    ColumnSource,
    build_row,
    cell_html,
    cell_query,
    grid_body_html,
    level_rows,
    make_cell,
    matrix_cell_rate,
    matrix_export,
    matrix_page,
    matrix_people,
    matrix_source,
    matrix_teams,
    source_for_profile,
    source_from,
)
from gilde.competencies.models import VALIDATING_ROLES
from gilde.competencies.progress import MAX_GROUP_PEOPLE, group_ratings, progress_of
from gilde.competencies.services import CompetencyError
from gilde.tenancy.access import access_network, access_organisation
from gilde.tenancy.models import Membership, Organisation, Role


@dataclass(frozen=True)
class Filters:
    """The matrix's URL parameters, checked and cut to size."""

    team: str = ""
    profile: str = ""
    framework: str = ""
    category: str = ""
    holders: bool = False
    sort: str = "name"
    view: str = "grid"

    @classmethod
    def from_request(cls, request: HttpRequest) -> Filters:
        get = request.GET
        sort = get.get("sort", "name")
        view = get.get("view", "grid")
        return cls(
            team=get.get("team", "")[:60],
            profile=get.get("profile", "")[:60],
            framework=get.get("framework", "")[:60] if not get.get("profile") else "",
            category=get.get("category", "")[:200],
            holders=get.get("holders") == "1",
            sort=sort if sort in SORTS else "name",
            view=view if view in ("grid", "list") else "grid",
        )


def _lead(request: HttpRequest, org_slug: str) -> Organisation:
    """Admins and managers of the organisation; anyone else gets 404."""
    return access_organisation(request.user, org_slug, Role.ORG_ADMIN, Role.MANAGER)


def _people_and_source(
    request: HttpRequest, organisation: Organisation, filters: Filters
) -> tuple[QuerySet[Membership], Any, list[Any]]:
    people = matrix_people(request.user, organisation)
    teams = matrix_teams(people)
    if filters.team:
        people = people.filter(team__slug=filters.team)
    choice = matrix_source(
        request.user,
        people=people,
        profile_slug=filters.profile,
        framework_slug=filters.framework,
        category=filters.category,
    )
    source = choice.source
    if source is not None:
        if source.category not in source.categories:
            source.category = ""
        if filters.holders and source.profile is not None:
            people = people.filter(profile_assignment__profile=source.profile)
    return people, choice, teams


def _source_query(source: ColumnSource | None, filters: Filters) -> dict[str, str]:
    """The filters as URL parameters, with the source actually shown."""
    query: dict[str, str] = {}
    if source is not None:
        query.update(source.query())
        if source.category:
            query["category"] = source.category
    if filters.team:
        query["team"] = filters.team
    if filters.holders:
        query["holders"] = "1"
    if filters.sort != "name":
        query["sort"] = filters.sort
    return query


@login_required
@require_GET
def matrix(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = _lead(request, org_slug)
    filters = Filters.from_request(request)
    people, choice, teams = _people_and_source(request, organisation, filters)
    source = choice.source
    context: dict[str, Any] = {
        "organisation": organisation,
        "filters": filters,
        "choice": choice,
        "source": source,
        "teams": teams,
        "query": urlencode(_source_query(source, filters)),
    }
    if source is not None:
        page = matrix_page(
            request.user,
            people=people,
            source=source,
            sort=filters.sort,
            page_number=request.GET.get("page"),
        )
        context["matrix"] = page
        context["words"] = CellWords.current()
        if filters.view == "grid":
            # Cell links are relative to the matrix page ("cell/?m=…"): 3,000 of them on a
            # page, so every character counts.
            here = reverse("competencies:matrix", args=[organisation.slug])
            cell_base = reverse("competencies:matrix-cell", args=[organisation.slug])
            if cell_base.startswith(here):
                cell_base = cell_base[len(here) :]
            context["grid_html"] = grid_body_html(
                page,
                cell_base=cell_base,
                person_href=lambda m: reverse("competencies:person", args=[m.person.uuid]),
            )
    return render(request, "competencies/matrix.html", context)


@login_required
@require_GET
def matrix_download(request: HttpRequest, org_slug: str, fmt: str) -> HttpResponse:
    organisation = _lead(request, org_slug)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filters = Filters.from_request(request)
    people, choice, _teams = _people_and_source(request, organisation, filters)
    if choice.source is None:
        messages.error(request, _("Choose a function profile or a framework first."))
        return redirect("competencies:matrix", organisation.slug)
    export = matrix_export(
        actor=request.user,
        organisation=organisation,
        people=people,
        source=choice.source,
        sort=filters.sort,
        fmt=fmt,
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# --- one cell -------------------------------------------------------------------------------


def _safe_back(request: HttpRequest, candidate: str, organisation: Organisation) -> str | None:
    """A return address on this site, on the organisation's matrix page; None otherwise."""
    if not candidate:
        return None
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(candidate)
    if parts.path != reverse("competencies:matrix", args=[organisation.slug]):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _parse_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def matrix_cell(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Rate one cell. GET gives the small form (a table cell for htmx, a page otherwise); POST
    records the rating as an assessment from the team overview and answers with the new cell
    (htmx) or a redirect back to the matrix."""
    organisation = _lead(request, org_slug)
    data = request.POST if request.method == "POST" else request.GET
    people = matrix_people(request.user, organisation)
    membership = (
        people.filter(uuid=_parse_uuid(data.get("m", ""))).select_related("person", "team").first()
    )
    source = source_from(
        request.user,
        profile_slug=data.get("profile", "")[:60],
        framework_slug=data.get("framework", "")[:60],
    )
    column = source.column(data.get("c", "")[:40]) if source is not None else None
    if membership is None or source is None or column is None:
        raise Http404
    person = membership.person
    htmx = request.headers.get("HX-Request") == "true"
    matrix_url = reverse("competencies:matrix", args=[organisation.slug])
    back = _safe_back(request, data.get("next", ""), organisation) or _safe_back(
        request, request.headers.get("Referer", ""), organisation
    )
    back = back or f"{matrix_url}?{urlencode(source.query())}"
    levels = level_rows(source=source, person_ids=[person.pk])
    cell = make_cell(source, column, levels.get((person.pk, column.code)))
    words = CellWords.current()
    href = f"{reverse('competencies:matrix-cell', args=[organisation.slug])}?"
    href += cell_query(membership, column, source)
    context: dict[str, Any] = {
        "organisation": organisation,
        "membership": membership,
        "person": person,
        "column": column,
        "source": source,
        "cell": cell,
        "back": back,
        "hidden": {"m": str(membership.uuid), "c": column.code, **source.query()},
    }

    role = rater_role_for(request.user, person)
    if role not in VALIDATING_ROLES:
        message = _(
            "You cannot validate the level of %(name)s. People rate themselves on their own "
            "page; the overview is for the people you lead."
        ) % {"name": person.display_name}
        context["error"] = message
        if htmx:
            # htmx swaps only successful answers: the cell stays as it was, the message shows
            # in the status line above the table.
            context["cell_html"] = cell_html(cell, words=words)
            return render(request, "competencies/fragment_matrix_cell.html", context)
        return render(request, "competencies/matrix_cell.html", context, status=403)

    if request.method == "GET" and data.get("show") == "1":
        if not htmx:
            return redirect(back)
        context["cell_html"] = cell_html(cell, words=words, href=href, focus=True)
        return render(request, "competencies/fragment_matrix_cell.html", context)

    scale_levels = [(lv.value, lv.label) for lv in source.version.levels.all()]
    form = CellRatingForm(
        request.POST if request.method == "POST" else None,
        levels=scale_levels,
        initial={"level": cell.level} if cell.level is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            matrix_cell_rate(
                actor=request.user,
                organisation=organisation,
                person=person,
                competency=column.competency,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
            )
        except CompetencyError as error:
            form.add_error("level", str(error))
        else:
            saved = _("Saved: %(name)s, %(code)s level %(level)s.") % {
                "name": person.display_name,
                "code": column.code,
                "level": form.cleaned_data["level"],
            }
            if not htmx:
                messages.success(request, saved)
                return redirect(back)
            levels = level_rows(source=source, person_ids=[person.pk])
            row = build_row(source, membership, levels, can_rate=True)
            new_cell = make_cell(source, column, levels.get((person.pk, column.code)))
            context.update(
                cell=new_cell,
                cell_html=cell_html(
                    new_cell, words=words, href=href, focus=True, saved=_("Saved.")
                ),
                row=row,
                gap_text="–" if row.gap is None else f"{round(row.gap * 100)}%",
                status_text=saved,
            )
            return render(request, "competencies/fragment_matrix_cell.html", context)
    context.update(form=form, cancel=f"{href}&show=1")
    template = (
        "competencies/fragment_matrix_cell_form.html" if htmx else "competencies/matrix_cell.html"
    )
    return render(request, template, context)


# --- aggregated gaps ----------------------------------------------------------------------------


def _aggregate_chart(
    chart_id: str, title: str, source: ColumnSource, rows: list[AggregateRow]
) -> Any:
    bars = []
    for row in rows:
        if row.average is None:
            text = _("hidden") if row.hidden else _("not rated")
        else:
            text = number_format(round(row.average_level or 0.0, 1), decimal_pos=1)
            if row.column.required is not None:
                text += f"/{row.column.required}"
        bars.append(
            charts.Bar(
                label=row.column.code,
                name=row.column.name,
                value=row.average,
                required=row.column.required_normalised,
                value_text=text,
            )
        )
    return charts.bar_chart(
        chart_id=chart_id,
        title=title,
        description=_(
            "Per competency a bar for the average current level, and a black line for the "
            "required level. The same numbers are in the table."
        ),
        bars=bars,
        ticks=charts.level_ticks(list(source.scale.values)),
    )


@login_required
@require_GET
def gaps(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Gaps of a team or the whole organisation, per competency of a profile, and the team's
    progress over time."""
    organisation = _lead(request, org_slug)
    filters = Filters.from_request(request)
    people, choice, teams = _people_and_source(request, organisation, filters)
    source = choice.source
    context: dict[str, Any] = {
        "organisation": organisation,
        "filters": filters,
        "choice": choice,
        "source": source,
        "teams": teams,
        "query": urlencode(_source_query(source, filters)),
    }
    if source is not None:
        size = group_size(people)
        rows = gap_aggregate(person_ids=people.values("person_id"), source=source)
        context.update(size=size, rows=rows)
        context["chart"] = _aggregate_chart(
            "gaps-chart", _("Average level per competency"), source, rows
        )
        codes = [c.code for c in source.all_columns]
        ratings = None
        if size <= MAX_GROUP_PEOPLE:
            ratings = group_ratings(
                person_ids=people.values("person_id"), framework=source.framework, codes=codes
            )
        if ratings is None:
            context["progress_too_big"] = True
            context["progress_limit"] = MAX_GROUP_PEOPLE
        else:
            progress = progress_of(ratings, codes=codes, people=size)
            if progress is not None:
                context["progress"] = progress
                context["progress_chart"] = charts.progress_chart(
                    "progress-chart",
                    _("Progress of the group per month"),
                    _("average level"),
                    progress,
                    source,
                )
    return render(request, "competencies/gaps_group.html", context)


@login_required
@require_GET
def network_gaps(request: HttpRequest, network_slug: str) -> HttpResponse:
    """Gaps across a whole network, for its coordinators: numbers only, no names, and nothing
    about fewer than MIN_GROUP people."""
    network = access_network(request.user, network_slug, coordinator=True)
    profiles = network_profiles(network)
    wanted = request.GET.get("profile", "")[:60]
    profile = next((p for p in profiles if p.slug == wanted), None)
    if profile is None and profiles:
        profile = max(profiles, key=lambda p: (getattr(p, "holders", 0), -p.pk))
    context: dict[str, Any] = {
        "network": network,
        "profiles": profiles,
        "profile": profile,
        "minimum": MIN_GROUP,
    }
    if profile is not None:
        source = source_for_profile(profile, category=request.GET.get("category", "")[:200])
        if source.category not in source.categories:
            source.category = ""
        people = network_people(network, profile)
        size = group_size(people)
        context.update(source=source, size=size, too_small=size < MIN_GROUP)
        if size >= MIN_GROUP:
            rows = gap_aggregate(
                person_ids=people.values("person_id"), source=source, minimum=MIN_GROUP
            )
            context["rows"] = rows
            context["chart"] = _aggregate_chart(
                "network-gaps-chart", _("Average level per competency in the network"), source, rows
            )
    return render(request, "competencies/gaps_network.html", context)
