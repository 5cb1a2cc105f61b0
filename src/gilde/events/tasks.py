"""Background work for events (django-tasks; `gilde worker` runs the queue).

Reminders go out the day before a session: when a session is planned or moved, a task is queued
to run 24 hours before its start. The task checks again when it runs — a session moved in the
meantime has a task of its own, and a reminder is sent once per person — so an early, late or
repeated run is harmless.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from gilde.events.models import Registration, RegistrationStatus, Session, SessionStatus

REMIND_BEFORE = dt.timedelta(hours=24)
# A task that runs a little early (clock skew, a worker's poll interval) still sends.
EARLY_MARGIN = dt.timedelta(hours=2)


@task()
def session_reminders_send(session_id: int) -> int:
    """Remind everyone with a place, once. Returns how many were reminded."""
    from gilde.events import notify

    now = timezone.now()
    session = (
        Session.objects.filter(pk=session_id, status=SessionStatus.SCHEDULED)
        .select_related("series__item")
        .first()
    )
    if session is None or not (
        session.starts_at - REMIND_BEFORE - EARLY_MARGIN <= now < session.starts_at
    ):
        return 0
    sent = 0
    registrations = Registration.objects.filter(
        session=session, status=RegistrationStatus.CONFIRMED, reminded_at__isnull=True
    ).select_related("person", "session__series__item")
    for registration in registrations:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                notify.reminder(registration)
                sent += 1
    Session.objects.filter(pk=session.pk).update(reminder_sent_at=now)
    return sent


def reminder_schedule(session: Session) -> None:
    """Queue the reminder for 24 hours before the start, after the change is committed. A
    backend that cannot run tasks later (the immediate one of the tests) gets none."""
    if not default_task_backend.supports_defer:
        return
    run_after = max(session.starts_at - REMIND_BEFORE, timezone.now())
    session_id = session.pk
    transaction.on_commit(
        lambda: session_reminders_send.using(run_after=run_after).enqueue(session_id)
    )
