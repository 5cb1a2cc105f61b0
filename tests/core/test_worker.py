"""`gilde worker` queues again the tasks a killed worker left marked as running."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gilde.core.worker import requeue_orphaned_tasks, worker_id
from gilde.events.tasks import session_reminders_send

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _claimed(by: str) -> DBTaskResult:
    # As the database backend stores an enqueued task (the tests run tasks immediately).
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [123456], "kwargs": {}},
        task_path=session_reminders_send.module_path,
        backend_name="default",
        run_after=timezone.now(),
    )
    task.claim(by)
    return task


def test_tasks_of_a_dead_worker_on_this_host_are_queued_again() -> None:
    dead = _claimed(worker_id(_dead_pid()))
    alive = _claimed(worker_id())  # this very process: still running its task
    elsewhere = _claimed("another-host:1")  # cannot be checked from here: left alone
    assert requeue_orphaned_tasks() == 1
    statuses = {
        t.pk: t.status
        for t in DBTaskResult.objects.filter(pk__in=[dead.pk, alive.pk, elsewhere.pk])
    }
    assert statuses[dead.pk] == TaskResultStatus.READY
    assert statuses[alive.pk] == TaskResultStatus.RUNNING
    assert statuses[elsewhere.pk] == TaskResultStatus.RUNNING
    # The queued-again task is picked up like any other ready task.
    assert DBTaskResult.objects.ready().filter(pk=dead.pk).exists()
    assert requeue_orphaned_tasks() == 0
