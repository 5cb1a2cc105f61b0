"""The `gilde` console script: Django's management commands plus `serve` and `worker`."""

from __future__ import annotations

import os
import sys


def _serve(argv: list[str]) -> None:
    """Run the production web server: gunicorn with several worker processes."""
    import django
    from django.core.management import call_command

    # Keep each worker's database connection between requests: opening one costs more than a
    # small request (on PostgreSQL a password exchange of several milliseconds).
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    bind = os.environ.get("BIND", "127.0.0.1:8000")
    workers = os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1))
    # gunicorn from this same Python environment, found even when its bin/ is not on PATH.
    args = [sys.executable, "-m", "gunicorn", "gilde.wsgi:application"]
    args += ["--bind", bind, "--workers", workers, "--access-logfile", "-", *argv]
    os.execv(sys.executable, args)  # noqa: S606 - replaces this process with the server


HYPHENATED = {
    "demo-logins": "demo_logins",
    "import-people": "import_people",
    "lrs-client": "lrs_client",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    argv = sys.argv[1:]
    if argv and argv[0] == "serve":
        _serve(argv[1:])
        return
    if argv and argv[0] in HYPHENATED:
        # Django command names cannot contain a hyphen; the documented spellings have one.
        argv = [HYPHENATED[argv[0]], *argv[1:]]
    if argv and argv[0] == "worker":
        # Background tasks are run by django-tasks' database backend worker, named after this
        # host and process, after the tasks of killed workers are queued again (core/worker.py).
        import django

        from gilde.core.worker import requeue_orphaned_tasks, worker_id

        django.setup()
        if not {"-h", "--help"} & set(argv):
            requeued = requeue_orphaned_tasks()
            if requeued:
                print(f"Queued again: {requeued} task(s) left running by a stopped worker.")
        if not any(a == "--worker-id" or a.startswith("--worker-id=") for a in argv):
            argv = [*argv, "--worker-id", worker_id()]
        argv = ["db_worker", *argv[1:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gilde", *argv])


if __name__ == "__main__":
    main()
