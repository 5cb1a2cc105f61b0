"""Learning records in the browser: a person's own records, and the records of the people an
admin, manager or workplace mentor follows at their organisation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gilde.lrs import charts
from gilde.lrs.access import (
    LEAD_ROLES,
    access_followed_membership,
    access_lead_organisation,
    followed_memberships,
)
from gilde.lrs.forms import RecordFilterForm
from gilde.lrs.models import Statement
from gilde.lrs.selectors_records import (
    Summary,
    monthly_activity,
    record_page,
    records_of,
    summaries,
    verb_choices,
)
from gilde.lrs.services_records import FORMATS, records_export
from gilde.people.models import Person
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Membership, Organisation

TEAM_PAGE_SIZE = 25


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


def _records_page(
    request: HttpRequest,
    *,
    records: QuerySet[Statement],
    person: Any,
    organisation: Organisation | None,
    export_url: str,
) -> HttpResponse:
    form = _filter_form(request, records)
    filters = form.filters()
    page = record_page(records, filters, request.GET.get("before", ""))
    months = monthly_activity(records, filters)
    own = person.pk == request.user.pk
    leads = []
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
    return render(
        request,
        "lrs/records.html",
        {
            "own": own,
            "person": person,
            "organisation": organisation,
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
        organisation=None,
        export_url="records:mine-export",
    )


@login_required
@require_GET
def mine_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _download(
        request, records=records_of(request.user), person=request.user, organisation=None, fmt=fmt
    )


@login_required
@require_GET
def team(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Per person the actor follows here: records, last activity, completed and passed."""
    organisation = access_lead_organisation(request.user, org_slug)
    followed = followed_memberships(request.user, organisation)
    people = Person.objects.filter(pk__in=followed.values("person_id")).order_by("sort_key", "pk")
    page = Paginator(people, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
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
    rows = [(p, memberships[p.pk], found.get(p.pk, Summary())) for p in persons]
    return render(
        request,
        "lrs/records_team.html",
        {
            "organisation": organisation,
            "rows": rows,
            "page": page,
            "chart": charts.people_chart(
                [(p.display_name, s.total, s.completed + s.passed) for p, _m, s in rows]
            )
            if any(s.total for _p, _m, s in rows)
            else "",
        },
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
        organisation=organisation,
        export_url="records:person-export",
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
