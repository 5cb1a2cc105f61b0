from __future__ import annotations

from django.db.models import QuerySet

from gilde.audit.models import AuditEvent
from gilde.tenancy.models import Organisation


def audit_event_list(*, organisation: Organisation, action: str = "") -> QuerySet[AuditEvent]:
    """The organisation's audit trail, newest first, with the people named on each row loaded
    in the same query."""
    events = (
        AuditEvent.objects.filter(organisation=organisation)
        .select_related("actor", "subject")
        .order_by("-created_at", "-id")
    )
    if action:
        events = events.filter(action=action)
    return events


def audit_action_list(*, organisation: Organisation) -> list[str]:
    """The actions that occur in the organisation's audit trail (for the filter)."""
    return list(
        AuditEvent.objects.filter(organisation=organisation)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )
