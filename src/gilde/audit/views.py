from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gilde.audit.labels import action_choices, action_label
from gilde.audit.selectors import audit_action_list, audit_event_list
from gilde.tenancy.access import access_organisation
from gilde.tenancy.models import Role

PAGE_SIZE = 50


@login_required
def organisation_audit(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Who changed what in the organisation, and when. Organisation admins only."""
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    present = audit_action_list(organisation=organisation)
    action = request.GET.get("action", "")
    if action not in present:
        action = ""
    page = Paginator(
        audit_event_list(organisation=organisation, action=action), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [{"event": event, "label": action_label(event.action)} for event in page]
    return render(
        request,
        "audit/organisation_audit.html",
        {
            "organisation": organisation,
            "page": page,
            "rows": rows,
            "action": action,
            "actions": action_choices(present),
        },
    )
