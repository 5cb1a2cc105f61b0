"""Run every benchmark script (benchmarks/bench_*.py) on SQLite and, when available, PostgreSQL.

    uv run python benchmarks/run.py              # every script
    uv run python benchmarks/run.py lists        # only bench_lists.py
    make bench                                   # the same, with a throwaway PostgreSQL server

Per database, the runner first generates the reference dataset (`gilde generate --scale
BENCH_SCALE --seed 1`, default `region`) into a fresh database and runs the scripts that measure
against generated data (GENERATED below) there; every other script gets a fresh, empty database
of its own and builds the data its scenario needs (a temporary SQLite file, or a new PostgreSQL
database that is dropped afterwards).

Every script adds its key rows to one summary (`_common.summary_row`), which the runner prints
as ONE Markdown table at the end: scenario, database, median and p95 server time, queries per
request, rows, and the ratio to the floor measured in the same run. The scripts' own detailed
tables come before it; all of it is also written to benchmarks/results/latest.md (not committed).

PostgreSQL is used when BENCH_DATABASE_URL, or else DATABASE_URL, names a postgres:// server;
its user must be allowed to create databases. BENCH_TIMEOUT limits each run (seconds, default
1800). The exit status is 1 if any script failed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
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


# Scripts that measure against the generated reference dataset instead of their own data.
GENERATED = {"bench_region.py"}


def run_one(
    script: Path, database_url: str, timeout: int, summary: Path, *, generated: bool = False
) -> tuple[int, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "BENCH_SUMMARY": str(summary)}
    if generated:
        env["BENCH_GENERATED"] = "1"
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


def generate(database_url: str, scale: str, timeout: int) -> tuple[int, str, float]:
    """Migrate the fresh database and generate the reference data into it."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false"}
    env.pop("BENCH_DATABASE_URL", None)
    command = [sys.executable, "-m", "gilde.cli"]
    started = time.perf_counter()
    try:
        for args in (["migrate", "-v", "0"], ["generate", "--scale", scale, "--seed", "1"]):
            result = subprocess.run(
                command + args,
                env=env,
                cwd=HERE.parent,
                stdout=subprocess.PIPE,
                text=True,
                timeout=timeout,
                check=False,
            )
            if result.returncode != 0:
                return result.returncode, result.stdout, 0.0
    except subprocess.TimeoutExpired:
        return 1, f"\n(stopped after {timeout} s)\n", 0.0
    seconds = time.perf_counter() - started
    return 0, "```\n" + result.stdout + "```\n", seconds


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1000:,.1f} s" if value >= 10_000 else f"{value:,.1f}"


def summary_table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    """One table for the whole run: every script's key rows, on every database."""
    if not rows:
        return "(no summary rows)"
    header = (
        "| scenario | database | median ms | p95 ms | queries | rows | floor | "
        "floor ms | ratio to floor |\n|---|---|---|---|---|---|---|---|---|"
    )
    out = ["## Summary (every script, every database)", "", header]
    # Each scenario's rows side by side (one per database), in the order they were first measured.
    first: dict[tuple[str, str], int] = {}
    for i, (_label, row) in enumerate(rows):
        first.setdefault((row["script"], row["scenario"]), i)
    ranked = sorted(
        enumerate(rows),
        key=lambda pair: (first[(pair[1][1]["script"], pair[1][1]["scenario"])], pair[0]),
    )
    for _, (label, row) in ranked:
        floor_ms = row.get("floor_ms")
        ratio = f"{row['median_ms'] / floor_ms:.1f}" if floor_ms else "-"
        out.append(
            f"| {row['script']}: {row['scenario']} | {label} | {_ms(row['median_ms'])} | "
            f"{_ms(row.get('p95_ms'))} | {row['queries']} | {row['rows']} | "
            f"{row.get('floor') or '-'} | {_ms(floor_ms)} | {ratio} |"
        )
    return "\n".join(out)


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

    head = len(lines)
    failures = []
    summary_rows: list[tuple[str, dict[str, Any]]] = []
    scale = os.environ.get("BENCH_SCALE", "region")
    on_generated = [s for s in chosen if s.name in GENERATED]
    on_their_own = [s for s in chosen if s.name not in GENERATED]
    with tempfile.TemporaryDirectory(prefix="gilde-bench-summary-") as folder:
        for label, url in targets:
            summary = Path(folder) / f"{len(summary_rows)}.jsonl"

            def collect(label: str = label, summary: Path = summary) -> None:
                if summary.exists():
                    for line in summary.read_text(encoding="utf-8").splitlines():
                        summary_rows.append((label, json.loads(line)))
                    summary.unlink()

            if on_generated:
                with fresh_database(url) as database_url:
                    heading = f"\n### Reference data: {scale} scale on {label}\n"
                    print(heading, flush=True)
                    status, output, seconds = generate(database_url, scale, timeout)
                    print(output, end="", flush=True)
                    lines += [heading, output]
                    if status != 0:
                        failures.append(f"generate on {label} (exit status {status})")
                        continue
                    summary_rows.append(
                        (
                            label,
                            {
                                "script": "generate",
                                "scenario": f"generate the {scale} scale (whole run)",
                                "median_ms": seconds * 1000,
                                "p95_ms": None,
                                "queries": "-",
                                "rows": "see the counts above",
                                "floor_ms": None,
                                "floor": "",
                            },
                        )
                    )
                    for script in on_generated:
                        heading = f"\n### {script.name} on {label}\n"
                        print(heading, flush=True)
                        status, output = run_one(
                            script, database_url, timeout, summary, generated=True
                        )
                        print(output, end="", flush=True)
                        lines += [heading, output]
                        collect()
                        if status != 0:
                            failures.append(f"{script.name} on {label} (exit status {status})")
            for script in on_their_own:
                heading = f"\n### {script.name} on {label}\n"
                print(heading, flush=True)
                with fresh_database(url) as database_url:
                    status, output = run_one(script, database_url, timeout, summary)
                print(output, end="", flush=True)
                lines += [heading, output]
                collect()
                if status != 0:
                    failures.append(f"{script.name} on {label} (exit status {status})")

    table = summary_table(summary_rows)
    print("\n" + table, flush=True)
    lines[head:head] = ["", table]

    if failures:
        lines += ["", "Failed: " + "; ".join(failures)]
        print("\nFailed: " + "; ".join(failures), file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\n(also written to {(RESULTS / 'latest.md').relative_to(HERE.parent)})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
