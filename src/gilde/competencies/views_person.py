"""A person's competency profile: chart and table per profile, top gaps, progress, history."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gilde.competencies import charts
from gilde.competencies.access import rater_role_for
from gilde.competencies.progress import person_ratings
from gilde.competencies.selectors_person import (
    ProfileSection,
    access_person,
    profile_assignments,
    profile_section,
    rater_names_visible,
    rating_history,
)


def _bar_chart(section: ProfileSection, index: int, own: bool) -> Any:
    bars = []
    for row in section.rows:
        cell = row.cell
        if cell.level is None:
            text = _("not rated")
        else:
            text = str(cell.level)
            if cell.self_only:
                text += "*"
        if row.column.required is not None:
            text += f"/{row.column.required}"
        target = None
        if row.target is not None:
            target = section.source.scale.normalise(row.target)
        bars.append(
            charts.Bar(
                label=row.column.code,
                name=row.column.name,
                value=cell.normalised,
                required=row.column.required_normalised,
                value_text=text,
                target=target,
            )
        )
    title = (
        _("Your level and the required level: %(profile)s")
        if own
        else _("Current and required level: %(profile)s")
    ) % {"profile": section.profile.name}
    return charts.bar_chart(
        chart_id=f"profile-chart-{index}",
        title=title,
        description=_(
            "Per competency a bar for the current level and a black line for the required "
            "level; a circle marks the target profile's level. An asterisk means a "
            "self-rating that is not validated yet. The same numbers are in the table."
        ),
        bars=bars,
        ticks=charts.level_ticks(list(section.source.scale.values)),
    )


def _profile_page(request: HttpRequest, person: Any) -> HttpResponse:
    own = request.user.pk == person.pk
    ratings = person_ratings(person)
    assignments = profile_assignments(request.user, person)
    target = next((a for a in assignments if a.is_target), None)
    sections = []
    for i, assignment in enumerate(assignments):
        section = profile_section(
            assignment,
            person=person,
            ratings=ratings,
            target=target if not assignment.is_target else None,
        )
        progress = None
        if section.progress is not None:
            progress = charts.progress_chart(
                f"progress-chart-{i}",
                _("Progress per month: %(profile)s") % {"profile": section.profile.name},
                _("average level"),
                section.progress,
                section.source,
            )
        sections.append(
            {
                "section": section,
                "chart": _bar_chart(section, i, own),
                "progress_chart": progress,
                "progress_id": f"progress-table-{i}",
            }
        )
    return render(
        request,
        "competencies/person_profile.html",
        {
            "person": person,
            "own": own,
            "can_rate": not own and rater_role_for(request.user, person) is not None,
            "sections": sections,
            "history": rating_history(ratings),
            "show_names": rater_names_visible(request.user, person),
        },
    )


@login_required
@require_GET
def person_profile(request: HttpRequest, person_uuid: str) -> HttpResponse:
    return _profile_page(request, access_person(request.user, person_uuid))


@login_required
@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    return _profile_page(request, request.user)
