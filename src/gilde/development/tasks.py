"""Background work for check-ins (django-tasks; `gilde worker` runs the queue).

Two reminders per planned check-in: the day before, to both people, and a day after the planned
moment when it is still not marked as held, to the manager or coach. When a check-in is planned, a
task is queued for each moment. A task checks again when it runs and marks the check-in, so each
reminder goes out once however often the task runs. `gilde development_reminders` does the same
sweep over every check-in, for sites that run it from cron instead of a worker.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from gilde.development.models import CheckIn, CheckInStatus

REMIND_BEFORE = dt.timedelta(hours=24)
OVERDUE_AFTER = dt.timedelta(hours=24)
# A task that runs a little early (clock skew, a worker's poll interval) still sends.
EARLY_MARGIN = dt.timedelta(hours=2)


def _remind(check_in_id: int, *, now: dt.datetime) -> int:
    from gilde.development import notify

    sent = 0
    check_in = (
        CheckIn.objects.filter(pk=check_in_id, status=CheckInStatus.PLANNED)
        .select_related("person", "leader")
        .first()
    )
    if check_in is None:
        return 0
    starts = check_in.scheduled_for
    if check_in.reminded_at is None and starts - REMIND_BEFORE - EARLY_MARGIN <= now < starts:
        with transaction.atomic():
            claimed = CheckIn.objects.filter(pk=check_in.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
        if claimed:
            notify.check_in_reminder(check_in, overdue=False)
            sent += 1
    if check_in.overdue_reminded_at is None and now >= starts + OVERDUE_AFTER - EARLY_MARGIN:
        with transaction.atomic():
            claimed = CheckIn.objects.filter(
                pk=check_in.pk, overdue_reminded_at__isnull=True, status=CheckInStatus.PLANNED
            ).update(overdue_reminded_at=now)
        if claimed:
            notify.check_in_reminder(check_in, overdue=True)
            sent += 1
    return sent


@task()
def check_in_reminders_send(check_in_id: int) -> int:
    """Send whichever reminder of one check-in is due. Returns how many were sent."""
    return _remind(check_in_id, now=timezone.now())


def reminders_sweep(now: dt.datetime | None = None) -> int:
    """Every reminder that is due, for every planned check-in."""
    now = now or timezone.now()
    due = CheckIn.objects.filter(status=CheckInStatus.PLANNED).filter(
        scheduled_for__lte=now + REMIND_BEFORE + EARLY_MARGIN
    )
    due = due.filter(reminded_at__isnull=True) | due.filter(overdue_reminded_at__isnull=True)
    return sum(_remind(pk, now=now) for pk in due.values_list("pk", flat=True))


def check_in_reminders_schedule(check_in: CheckIn) -> None:
    """Queue both reminders after the change is committed. A backend that cannot run tasks
    later (the immediate one of the tests) gets none; the sweep covers those sites."""
    if not default_task_backend.supports_defer:
        return
    now = timezone.now()
    before = max(check_in.scheduled_for - REMIND_BEFORE, now)
    after = check_in.scheduled_for + OVERDUE_AFTER
    check_in_id = check_in.pk
    transaction.on_commit(
        lambda: check_in_reminders_send.using(run_after=before).enqueue(check_in_id)
    )
    transaction.on_commit(
        lambda: check_in_reminders_send.using(run_after=after).enqueue(check_in_id)
    )
