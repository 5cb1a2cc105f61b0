"""Load test: a production-style Gilde on loopback under more and more simulated people at once.

    make load                                  # the same as:
    uv run python benchmarks/load/run.py

1. a fresh PostgreSQL database: a new one on the server in DATABASE_URL (a postgres:// URL whose
   user may create databases; dropped afterwards), else a throwaway server (.ci/with-postgres);
2. `gilde migrate` and `gilde generate --scale pilot --seed 1` (the generated data set);
3. the accounts to log in as (accounts.py): plain members, managers, network coordinators;
4. `gilde serve` (gunicorn, WEB_CONCURRENCY workers, DEBUG off, plain http on 127.0.0.1) and
   `gilde worker`;
5. Locust, headless, in one process (locustfile.py): 80 % learners, 15 % managers, 5 %
   coordinators, each logging in and then opening a page every 1 to 3 seconds; the users are
   added in steps (LOAD_STEPS, default 5,10,20,40,80,160; LOAD_STEP_SECONDS each, default 40, of
   which the first LOAD_RAMP_SECONDS, default 10, add the new users and are not measured). The
   run stops after the first step whose p95 reaches LOAD_P95_LIMIT_MS (default 500) or that has
   a failed request (any 4xx or 5xx, or a detour to the log-in page).

Prints a Markdown table per step (users, requests/s, median, p95, errors) with the conclusion,
and the pages of the last step; a copy goes to benchmarks/results/load-latest.md (not committed).
Logs of the server, the worker and Locust stay in a temporary folder named in the output when
something failed. The exit status is 1 if the stack could not be started or Locust failed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent  # the environment `uv run` uses: its gilde and locust
SCALE = os.environ.get("LOAD_SCALE", "pilot")
WORKERS = os.environ.get("WEB_CONCURRENCY", "5")


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A DATABASE_URL for a new, empty database on the server; dropped afterwards."""
    import psycopg

    name = f"gilde_load_{secrets.token_hex(4)}"
    admin_url = with_database(server_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gilde(*args: str, env: dict[str, str], log: Path, timeout: float) -> None:
    """Run `gilde ARGS` to the end; its output goes to `log`; raises if it fails."""
    with log.open("ab") as out:
        subprocess.run(
            [str(BIN / "gilde"), *args],
            env=env,
            stdout=out,
            stderr=out,
            check=True,
            timeout=timeout,
        )


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        # A session of its own, so that stopping it reaches gunicorn's workers too.
        return subprocess.Popen(
            args, env=env, stdout=out, stderr=out, start_new_session=True, cwd=ROOT
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server stopped while starting")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise RuntimeError(f"the server did not answer {url} within {timeout:.0f} s")


def machine() -> str:
    return f"{os.cpu_count()} CPUs ({platform.machine()}), {platform.system()} {platform.release()}"


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0].split()[0]}" if row else "PostgreSQL"


def ms(value: float) -> str:
    return f"{value:.0f} ms"


def held(step: dict[str, Any], limit: float) -> bool:
    return not step["errors"] and step["p95"] < limit and step["requests"] > 0


def report(results: dict[str, Any], facts: dict[str, str], limit: float) -> str:
    steps = results["steps"]
    lines = [
        f"### Load — run of {facts['date']}",
        "",
        f"{facts['machine']}; {facts['database']}; {facts['server']}; data `{facts['data']}`; "
        f"load average {facts['load']} before the run (the machine is shared). "
        f"Command: `{facts['command']}`.",
        "",
        "| users | pages/s | median | p95 | errors | log-ins (median) | held |",
        "|---:|---:|---:|---:|---:|---:|:---|",
    ]
    for step in steps:
        errors = str(step["errors"])
        if step["errors_by_page"]:
            errors += " (" + ", ".join(f"{n}: {c}" for n, c in step["errors_by_page"].items()) + ")"
        lines.append(
            f"| {step['users']} | {step['rps']:.1f} | {ms(step['median'])} | {ms(step['p95'])} "
            f"| {errors} | {step['logins']['requests']} ({ms(step['logins']['median'])}) "
            f"| {'yes' if held(step, limit) else 'no'} |"
        )
    best = 0
    for step in steps:
        if not held(step, limit):
            break
        best = step["users"]
    lines.append("")
    if best:
        last = steps[-1]
        ceiling = (
            f"; the next step ({last['users']} users) did not hold"
            if not held(last, limit)
            else " (the largest step tried)"
        )
        lines.append(
            f"**Held: {best} concurrent users** with p95 under {limit:.0f} ms and no errors on this "
            f"machine{ceiling}."
        )
    else:
        lines.append(f"**No step held** (p95 under {limit:.0f} ms and no errors).")
    if steps:
        last = steps[-1]
        lines += [
            "",
            f"Pages in the last step ({last['users']} users, measured window):",
            "",
            "| page | requests | median | p95 |",
            "|---|---:|---:|---:|",
        ]
        for name, page in last["pages"].items():
            lines.append(
                f"| `{name}` | {page['requests']} | {ms(page['median'])} | {ms(page['p95'])} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    server_url = postgres_url()
    if server_url is None:
        helper = ROOT / ".ci" / "with-postgres"
        if subprocess.run([str(helper), "--available"], check=False).returncode != 0:
            print(
                "The load test needs PostgreSQL: set DATABASE_URL or install the server programs."
            )
            return 1
        # A throwaway server for the duration; this script again, with DATABASE_URL set.
        os.execv(str(helper), [str(helper), sys.executable, __file__, *sys.argv[1:]])  # noqa: S606
    limit = float(os.environ.get("LOAD_P95_LIMIT_MS", "500"))
    load_before = "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    folder = Path(tempfile.mkdtemp(prefix="gilde-load-"))
    keep_logs = False
    with fresh_database(server_url) as database_url:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "gilde.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": base,
            # Plain http on loopback: no redirect to https, cookies without the Secure flag.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": WORKERS,
            "LOG_LEVEL": "WARNING",
            # Every simulated person logs in from 127.0.0.1: the per-address limits on log-ins
            # (30 a minute, 10 failed ones; meant for one office's address) would turn a step of
            # 40 new users into refused log-ins. The per-account limit stays as it is.
            "LOGIN_RATE_LIMIT": "100000/m/ip,5/5m/key",
            "LOGIN_IP_RATE_LIMIT": "100000/m/ip",
        }
        setup_log = folder / "setup.log"
        processes: list[subprocess.Popen[bytes]] = []
        try:
            started = time.monotonic()
            database = postgres_version(database_url)
            print(f"Database: {database}, new and empty; migrating ...", flush=True)
            gilde("migrate", "--no-input", env=env, log=setup_log, timeout=600)
            # `gilde serve` collects and compresses the static files before it starts (about a
            # minute of CPU): started now, it does that while the data is generated.
            server = start([str(BIN / "gilde"), "serve"], env, folder / "serve.log")
            processes.append(server)
            processes.append(start([str(BIN / "gilde"), "worker"], env, folder / "worker.log"))
            print(f"Data: `gilde generate --scale {SCALE} --seed 1` ...", flush=True)
            gilde("generate", "--scale", SCALE, "--seed", "1", env=env, log=setup_log, timeout=1800)
            print(f"  ready after {time.monotonic() - started:.0f} s", flush=True)
            accounts = folder / "accounts.json"
            with setup_log.open("ab") as out:
                picked = subprocess.run(
                    [sys.executable, str(HERE / "accounts.py"), str(accounts)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=out,
                    check=True,
                    text=True,
                ).stdout.strip()
            print(f"Accounts: {picked}", flush=True)
            wait_until_up(f"{base}/accounts/login/", server)
            # Every gunicorn worker loads its templates and URLs on its first requests.
            for _ in range(4 * int(WORKERS)):
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=30).close()  # noqa: S310
            print(
                f"Server: {base}, {WORKERS} gunicorn workers and a task worker, up after "
                f"{time.monotonic() - started:.0f} s",
                flush=True,
            )

            from_env = {k: v for k, v in os.environ.items() if k.startswith("LOAD_")}
            step_plan = from_env.get("LOAD_STEPS", "5,10,20,40,80,160")
            seconds = float(from_env.get("LOAD_STEP_SECONDS", "40"))
            n_steps = len([n for n in step_plan.split(",") if n])
            print(
                f"Locust: steps of {step_plan} users, {seconds:.0f} s each "
                f"(at most {n_steps * seconds / 60:.1f} min) ...",
                flush=True,
            )
            results_file = folder / "results.json"
            locust_env = {**env, "LOAD_ACCOUNTS": str(accounts), "LOAD_RESULTS": str(results_file)}
            locust_started = time.monotonic()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            with (folder / "locust.log").open("ab") as out:
                status = subprocess.run(
                    [
                        str(BIN / "locust"),
                        "-f",
                        str(HERE / "locustfile.py"),
                        "--headless",
                        "--host",
                        base,
                        "--only-summary",
                        "--loglevel",
                        "WARNING",
                    ],
                    env=locust_env,
                    stdout=out,
                    stderr=out,
                    check=False,
                    timeout=n_steps * seconds + 120,
                    cwd=HERE,
                ).returncode
            wall = time.monotonic() - locust_started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            locust_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            if not results_file.exists():
                print(f"Locust wrote no results (exit status {status}); see {folder}/locust.log")
                keep_logs = True
                return 1
            results = json.loads(results_file.read_text(encoding="utf-8"))
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError) as error:
            print(f"Failed: {error}; logs in {folder}")
            keep_logs = True
            return 1
        finally:
            for process in reversed(processes):
                stop(process)
    facts = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "database": database,
        "server": f"gunicorn with {WORKERS} workers",
        "data": f"gilde generate --scale {SCALE} --seed 1",
        "load": load_before,
        "command": "make load",
    }
    text = report(results, facts, limit)
    text += (
        f"\nLocust itself (one process) used {locust_cpu:.0f} CPU-seconds in {wall:.0f} s "
        f"({locust_cpu / wall:.0%} of one CPU).\n"
    )
    print()
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "load-latest.md").write_text(text, encoding="utf-8")
    if not keep_logs:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
