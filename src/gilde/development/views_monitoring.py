"""Monitoring: a manager's (or admin's) team overview and a coordinator's network overview with
targets. Dates and counts only; see development/monitoring.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gilde.development import charts, services
from gilde.development.forms import TargetForm
from gilde.development.models import Measure
from gilde.development.monitoring import network_overview, team_overview
from gilde.tenancy.access import access_network, access_organisation, standing_of
from gilde.tenancy.models import MembershipKind, Role


@login_required
@require_GET
def team(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN, Role.MANAGER)
    overview = team_overview(request.user, organisation)
    return render(
        request,
        "development/team.html",
        {
            "organisation": organisation,
            "overview": overview,
            "is_admin": standing_of(request.user).has_org_role(organisation.pk, Role.ORG_ADMIN),
        },
    )


def _target_label(measure: str, kind: str) -> str:
    label = str(Measure(measure).label)
    if kind:
        label += " — " + str(MembershipKind(kind).label)
    return label


@login_required
@require_GET
def network(request: HttpRequest, network_slug: str) -> HttpResponse:
    found = access_network(request.user, network_slug, coordinator=True)
    overview = network_overview(found)
    rows = []
    for progress in overview.targets:
        target = progress.target
        suffix = "%" if target.measure == Measure.SHARE_WITH_PLAN else ""
        rows.append(
            (
                _target_label(target.measure, target.membership_kind),
                progress.share,
                f"{progress.actual}{suffix}/{target.value}{suffix}",
            )
        )
    return render(
        request,
        "development/network.html",
        {
            "network": found,
            "overview": overview,
            "target_rows": [
                (p, _target_label(p.target.measure, p.target.membership_kind))
                for p in overview.targets
            ],
            "chart": charts.target_bars(chart_id="targets-chart", rows=rows) if rows else None,
            "form": TargetForm(),
        },
    )


@login_required
@require_POST
def target_set(request: HttpRequest, network_slug: str) -> HttpResponse:
    found = access_network(request.user, network_slug, coordinator=True)
    form = TargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what is counted and give a whole number."))
        return redirect("development:network", found.slug)
    try:
        services.target_set(
            actor=request.user,
            network=found,
            measure=form.cleaned_data["measure"],
            membership_kind=form.cleaned_data["membership_kind"] or "",
            value=form.cleaned_data["value"],
        )
    except services.DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The target is saved."))
    return redirect("development:network", found.slug)
