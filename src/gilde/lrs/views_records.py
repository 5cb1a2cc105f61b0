"""Learning records in the browser: a person's own records; the records of the people an admin,
manager or workplace mentor follows at their organisation; those of the people a coach coaches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gilde.lrs import charts
from gilde.lrs.access import (
    LEAD_ROLES,
    access_coached_person,
    access_followed_membership,
    access_lead_organisation,
    coach_assignments,
    followed_memberships,
    network_stores,
)
from gilde.lrs.forms import RecordFilterForm
from gilde.lrs.models import Statement
from gilde.lrs.selectors_records import (
    Summary,
    monthly_activity,
    record_page,
    records_of,
    summaries,
    summaries_in_stores,
    verb_choices,
)
from gilde.lrs.services_records import FORMATS, records_export
from gilde.people.models import Person
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Membership, Organisation

PEOPLE_PAGE_SIZE = 25


def _filter_form(request: HttpRequest, records: QuerySet[Statement]) -> RecordFilterForm:
    bound = any(k in request.GET for k in ("since", "until", "verb", "q"))
    return RecordFilterForm(
        request.GET if bound else None, verbs=verb_choices(records), auto_id="f_%s"
    )


def _query(request: HttpRequest, **changes: str) -> str:
    params = request.GET.copy()
    for key in ("before", *changes):
        params.pop(key, None)
    for key, value in changes.items():
        if value:
            params[key] = value
    encoded = params.urlencode()
    return "?" + encoded if encoded else ""


@dataclass(frozen=True)
class Following:
    """Whose records someone else is looking at, and how they got there."""

    note: str
    back_url: str
    back_text: str


@dataclass(frozen=True)
class PersonRow:
    person: Any
    url: str
    hints: list[str]
    summary: Summary


def _records_page(
    request: HttpRequest,
    *,
    records: QuerySet[Statement],
    person: Any,
    export_url: str,
    following: Following | None = None,
) -> HttpResponse:
    form = _filter_form(request, records)
    filters = form.filters()
    page = record_page(records, filters, request.GET.get("before", ""))
    months = monthly_activity(records, filters)
    own = following is None
    leads = []
    coaches = False
    if own:
        standing = standing_of(request.user)
        leads = sorted(
            (
                org
                for o, org in standing.organisations.items()
                if standing.has_org_role(o, *LEAD_ROLES)
            ),
            key=lambda org: org.name,
        )
        coaches = bool(standing.coached_networks())
    return render(
        request,
        "lrs/records.html",
        {
            "own": own,
            "person": person,
            "following": following,
            "form": form,
            "filters": filters,
            "page": page,
            "months": months,
            "chart": charts.month_chart(months) if any(m.total for m in months) else "",
            "export_csv": reverse(export_url, kwargs={**_kwargs(request), "fmt": "csv"})
            + _query(request),
            "export_json": reverse(export_url, kwargs={**_kwargs(request), "fmt": "json"})
            + _query(request),
            "older_url": _query(request, before=page.next_cursor) if page.next_cursor else "",
            "newest_url": _query(request) or "?",
            "lead_organisations": leads,
            "coaches": coaches,
        },
    )


def _kwargs(request: HttpRequest) -> dict[str, Any]:
    match = request.resolver_match
    assert match is not None
    return {k: v for k, v in match.kwargs.items() if k != "fmt"}


def _download(
    request: HttpRequest,
    *,
    records: QuerySet[Statement],
    person: Any,
    organisation: Organisation | None,
    fmt: str,
) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    form = _filter_form(request, records)
    export = records_export(
        actor=request.user,
        person=person,
        records=records,
        filters=form.filters(),
        fmt=fmt,
        organisation=organisation,
    )
    response = HttpResponse(b"".join(export.chunks), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return _records_page(
        request,
        records=records_of(request.user),
        person=request.user,
        export_url="records:mine-export",
    )


@login_required
@require_GET
def mine_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _download(
        request, records=records_of(request.user), person=request.user, organisation=None, fmt=fmt
    )


def _people_page(
    request: HttpRequest, *, title: str, intro: str, rows: list[PersonRow], page: Any
) -> HttpResponse:
    return render(
        request,
        "lrs/records_people.html",
        {
            "title": title,
            "intro": intro,
            "rows": rows,
            "page": page,
            "chart": charts.people_chart(
                [
                    (r.person.display_name, r.summary.total, r.summary.completed + r.summary.passed)
                    for r in rows
                ]
            )
            if any(r.summary.total for r in rows)
            else "",
        },
    )


@login_required
@require_GET
def team(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Per person the actor follows here: records, last activity, completed and passed."""
    organisation = access_lead_organisation(request.user, org_slug)
    followed = followed_memberships(request.user, organisation)
    people = Person.objects.filter(pk__in=followed.values("person_id")).order_by("sort_key", "pk")
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    persons = list(page.object_list)
    ids = [p.pk for p in persons]
    memberships: dict[int, Membership] = {}
    for membership in (
        followed.filter(person_id__in=ids).select_related("team").order_by("start_date", "pk")
    ):
        known = memberships.get(membership.person_id)
        # The current membership, else the latest one.
        if known is None or membership.is_current or not known.is_current:
            memberships[membership.person_id] = membership
    found = summaries(organisation, ids)
    rows = []
    for person in persons:
        membership = memberships[person.pk]
        hints = [membership.team.name] if membership.team else []
        if not membership.is_current:
            hints.append(_("no longer works here"))
        rows.append(
            PersonRow(
                person=person,
                url=reverse("records:person", args=[organisation.slug, membership.uuid]),
                hints=hints,
                summary=found.get(person.pk, Summary()),
            )
        )
    return _people_page(
        request,
        title=_("Learning records at %(org)s") % {"org": organisation.name},
        intro=_(
            "The people you follow at %(org)s and what they learned for %(org)s. Choose a name "
            "to see the records themselves."
        )
        % {"org": organisation.name},
        rows=rows,
        page=page,
    )


def _team_scope(organisation: Organisation) -> Following:
    return Following(
        note=_("Only what was recorded for %(org)s is shown here.") % {"org": organisation.name},
        back_url=reverse("records:team", args=[organisation.slug]),
        back_text=_("Back to the learning records at %(org)s") % {"org": organisation.name},
    )


@login_required
@require_GET
def person(request: HttpRequest, org_slug: str, membership_uuid: str) -> HttpResponse:
    organisation = access_lead_organisation(request.user, org_slug)
    membership = access_followed_membership(request.user, organisation, membership_uuid)
    return _records_page(
        request,
        records=records_of(membership.person, organisation=organisation),
        person=membership.person,
        export_url="records:person-export",
        following=_team_scope(organisation),
    )


@login_required
@require_GET
def person_export(
    request: HttpRequest, org_slug: str, membership_uuid: str, fmt: str
) -> HttpResponse:
    organisation = access_lead_organisation(request.user, org_slug)
    membership = access_followed_membership(request.user, organisation, membership_uuid)
    return _download(
        request,
        records=records_of(membership.person, organisation=organisation),
        person=membership.person,
        organisation=organisation,
        fmt=fmt,
    )


# --- coaches --------------------------------------------------------------------------------


@login_required
@require_GET
def coached(request: HttpRequest) -> HttpResponse:
    """Per person the actor coaches: the records kept in the coaching network's stores."""
    assignments = coach_assignments(request.user)
    networks_of: dict[int, set[int]] = {}
    for person_id, network_id in assignments.values_list("person_id", "network_id"):
        networks_of.setdefault(person_id, set()).add(network_id)
    people = Person.objects.filter(pk__in=assignments.values("person_id")).order_by(
        "sort_key", "pk"
    )
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    persons = list(page.object_list)
    groups: dict[tuple[int, ...], list[int]] = {}
    for p in persons:
        groups.setdefault(tuple(sorted(networks_of[p.pk])), []).append(p.pk)
    found = summaries_in_stores(
        [(ids, network_stores(list(networks))) for networks, ids in groups.items()]
    )
    rows = [
        PersonRow(
            person=p,
            url=reverse("records:coached-person", args=[p.uuid]),
            hints=[],
            summary=found.get(p.pk, Summary()),
        )
        for p in persons
    ]
    return _people_page(
        request,
        title=_("Learning records of the people you coach"),
        intro=_(
            "What the people you coach learned in the network you coach them in and its "
            "organisations. Choose a name to see the records themselves."
        ),
        rows=rows,
        page=page,
    )


def _coach_scope() -> Following:
    return Following(
        note=_(
            "Only what was recorded in the network you coach this person in, and its "
            "organisations, is shown here."
        ),
        back_url=reverse("records:coached"),
        back_text=_("Back to the people you coach"),
    )


@login_required
@require_GET
def coached_person(request: HttpRequest, person_uuid: str) -> HttpResponse:
    person, networks = access_coached_person(request.user, person_uuid)
    return _records_page(
        request,
        records=records_of(person, stores=network_stores(networks)),
        person=person,
        export_url="records:coached-person-export",
        following=_coach_scope(),
    )


@login_required
@require_GET
def coached_person_export(request: HttpRequest, person_uuid: str, fmt: str) -> HttpResponse:
    person, networks = access_coached_person(request.user, person_uuid)
    return _download(
        request,
        records=records_of(person, stores=network_stores(networks)),
        person=person,
        organisation=None,
        fmt=fmt,
    )
