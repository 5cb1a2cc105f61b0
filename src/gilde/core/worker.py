"""`gilde worker`: the background worker (django-tasks' database backend), made safe to kill.

The library marks a task "running" when a worker claims it and never looks at it again, so a task
whose worker was killed (SIGKILL, a power cut, an out-of-memory kill) would stay "running" for
ever and never be done. Each worker here is named after its host and process id; when a worker
starts, tasks still marked running by a worker on this host whose process no longer exists are
put back in the queue and run again. Gilde's tasks are written to be safe to run twice (a
reminder checks whether it was sent; a notification is keyed to its change).
"""

from __future__ import annotations

import os
import socket

from django.db import transaction


def worker_id(pid: int | None = None) -> str:
    """This worker's id: host and process id (at most 64 characters, the library's limit)."""
    host = socket.gethostname()[:40]
    return f"{host}:{pid or os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def requeue_orphaned_tasks() -> int:
    """Put tasks claimed by a dead worker of this host back in the queue; return how many."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    host = worker_id(1).rpartition(":")[0]
    requeued = 0
    with transaction.atomic():
        for task in DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING
        ):
            claimed_by = task.worker_ids[-1] if task.worker_ids else ""
            name, _, pid = claimed_by.rpartition(":")
            if name != host or not pid.isdigit() or _alive(int(pid)):
                continue
            task.status = TaskResultStatus.READY
            task.save(update_fields=["status"])
            requeued += 1
    return requeued
