"""Small helpers for benchmark scripts: Django against the chosen database, timing, query
counting, and Markdown tables.

    from _common import setup_django
    setup_django()          # before importing any model

DATABASE_URL chooses the database (benchmarks/run.py passes a fresh one); without it a temporary
SQLite file is used. The schema is brought up to date with `migrate`.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django(*, migrate: bool = True) -> str:
    """Configure Django for the database in DATABASE_URL (or a temporary SQLite file), migrate
    it, and return a label such as "SQLite 3.40.1" or "PostgreSQL 15.4"."""
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="gilde-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    # Measure as production runs: with DEBUG on, Django also logs every query, which on SQLite
    # costs an extra round trip per query.
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        major, rest = divmod(connection.pg_version, 10000)  # type: ignore[attr-defined]
        return f"PostgreSQL {major}.{rest}"
    return connection.vendor


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile (nearest rank); with few samples this is the slowest one."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


@contextmanager
def count_queries() -> Iterator[Any]:
    """Count the queries run inside the block: `with count_queries() as q: ...; len(q)`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        yield context


def seconds(value: float) -> str:
    return f"{value:.3f} s"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def summary_row(
    *,
    scenario: str,
    median_ms: float,
    p95_ms: float,
    queries: float | str,
    rows: int | str,
    floor_ms: float | None,
    floor: str | None = None,
) -> None:
    """Add one row to the runner's single table (benchmarks/run.py sets BENCH_SUMMARY to a file;
    each line is one JSON object). `floor_ms` is the floor measured in the same run: the
    framework floor (a constant page through the same middleware and database) for reads, the
    raw insert of the same rows for writes."""
    import json

    target = os.environ.get("BENCH_SUMMARY")
    if not target:
        return
    row = {
        "script": Path(sys.argv[0]).stem,
        "scenario": scenario,
        "median_ms": median_ms,
        "p95_ms": p95_ms,
        "queries": queries,
        "rows": rows,
        "floor_ms": floor_ms,
        # Named only when one was measured: "framework" unless the caller says otherwise.
        "floor": (floor or "framework") if floor_ms is not None else "",
    }
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")
