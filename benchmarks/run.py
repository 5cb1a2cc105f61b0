"""Run every benchmark script (benchmarks/bench_*.py) on SQLite and, when available, PostgreSQL.

    uv run python benchmarks/run.py              # every script
    uv run python benchmarks/run.py lists        # only bench_lists.py
    make bench                                   # the same, with a throwaway PostgreSQL server

Each script prints its own Markdown table(s); this runner gives every script a fresh, empty
database per run (a temporary SQLite file, or a new PostgreSQL database that is dropped
afterwards), prints the tables one after the other under a heading with the machine and database
versions, and also writes them to benchmarks/results/latest.md (not committed).

PostgreSQL is used when BENCH_DATABASE_URL, or else DATABASE_URL, names a postgres:// server;
its user must be allowed to create databases. BENCH_TIMEOUT limits each run (seconds, default
1800). The exit status is 1 if any script failed.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def postgres_url() -> str | None:
    for name in ("BENCH_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def fresh_database(server_url: str | None) -> Iterator[str]:
    """A DATABASE_URL for an empty database that is removed afterwards."""
    if server_url is None:
        with tempfile.TemporaryDirectory(prefix="gilde-bench-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    import psycopg

    name = f"gilde_bench_{secrets.token_hex(4)}"
    admin_url = with_database(server_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_version(server_url: str) -> str:
    import psycopg

    with psycopg.connect(with_database(server_url, "postgres")) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0].split()[0]}" if row else "PostgreSQL"


def sqlite_version() -> str:
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def scripts(selected: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if selected:
        wanted = {name.removeprefix("bench_").removesuffix(".py") for name in selected}
        found = [path for path in found if path.stem.removeprefix("bench_") in wanted]
        missing = wanted - {path.stem.removeprefix("bench_") for path in found}
        if missing:
            sys.exit(f"No benchmark named {', '.join(sorted(missing))} in {HERE}")
    return found


def run_one(script: Path, database_url: str, timeout: int) -> tuple[int, str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("BENCH_DATABASE_URL", None)
    try:
        result = subprocess.run(
            [sys.executable, str(script)],
            env=env,
            cwd=HERE.parent,
            stdout=subprocess.PIPE,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return 1, f"\n(stopped after {timeout} s)\n"
    return result.returncode, result.stdout


def main(argv: list[str]) -> int:
    chosen = scripts(argv)
    if not chosen:
        print(f"No benchmark scripts (bench_*.py) in {HERE}.")
        return 1
    server = postgres_url()
    targets: list[tuple[str, str | None]] = [(sqlite_version(), None)]
    if server:
        targets.append((postgres_version(server), server))
    timeout = int(os.environ.get("BENCH_TIMEOUT", "1800"))

    lines = [
        f"## Benchmarks, {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()}; databases: {', '.join(t for t, _ in targets)}",
    ]
    if not server:
        lines.append(
            "- PostgreSQL not measured: set BENCH_DATABASE_URL, or run `make bench` "
            "on a machine with the PostgreSQL server programs."
        )
    print("\n".join(lines), flush=True)

    failures = []
    for script in chosen:
        for label, url in targets:
            heading = f"\n### {script.name} on {label}\n"
            print(heading, flush=True)
            with fresh_database(url) as database_url:
                status, output = run_one(script, database_url, timeout)
            print(output, end="", flush=True)
            lines += [heading, output]
            if status != 0:
                failures.append(f"{script.name} on {label} (exit status {status})")

    if failures:
        lines += ["", "Failed: " + "; ".join(failures)]
        print("\nFailed: " + "; ".join(failures), file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\n(also written to {(RESULTS / 'latest.md').relative_to(HERE.parent)})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
