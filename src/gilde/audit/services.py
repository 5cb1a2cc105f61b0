from __future__ import annotations

from typing import Any

from gilde.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    organisation: Any = None,
    network: Any = None,
    subject: Any = None,
    **detail: Any,
) -> AuditEvent:
    """Add one audit row. Call it inside the transaction of the change it describes."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        organisation=organisation,
        network=network,
        subject=subject,
        detail=detail,
    )
