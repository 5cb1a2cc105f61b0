"""The `gilde` console script in production mode: deploy checks, the web server, the worker.

These tests start real processes (`python -m gilde.cli ...`) with production environment
variables, the way an operator runs Gilde. The web server and worker get a database of their own:
a fresh SQLite file, or a fresh PostgreSQL database on the server the suite runs on.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.client import HTTPResponse
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# Variables that change how Gilde runs; the tests set the ones they need.
GILDE_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "BEHIND_PROXY",
    "TASKS_BACKEND",
    "STATIC_ROOT",
    "BIND",
    "WEB_CONCURRENCY",
    "LOG_LEVEL",
    "CACHE_BACKEND",
    "CACHE_LOCATION",
    # Set by the browser tests for their in-process server; `check --deploy` rejects it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def gilde_env(**variables: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in GILDE_VARIABLES and not name.endswith("_FILE")
    }
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    env.update(variables)
    return env


def production_env(**variables: str) -> dict[str, str]:
    production = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
    }
    return gilde_env(**{**production, **variables})


def gilde(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gilde.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = gilde("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variables", "warning"),
    [
        ({"SECRET_KEY": ""}, "security.W009"),
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"SECURE_COOKIES": "false"}, "security.W012"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"DEBUG": "true"}, "security.W018"),
    ],
)
def test_check_deploy_names_each_weakened_production_setting(
    variables: dict[str, str], warning: str
) -> None:
    env = production_env()
    for name, value in variables.items():
        if value:
            env[name] = value
        else:
            del env[name]
    result = gilde("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert warning in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def production_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A DATABASE_URL for a new, empty database of the kind the suite runs on."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('production') / 'gilde.sqlite3'}"
        return
    import psycopg

    name = f"gilde_cli_{secrets.token_hex(4)}"
    server = (
        f"postgres://{quote(default['USER'], safe='')}:{quote(default['PASSWORD'], safe='')}@"
        f"{default['HOST'] or 'localhost'}:{default['PORT'] or 5432}"
    )
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fetch(url: str, **headers: str) -> HTTPResponse:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - a local http URL
    response: HTTPResponse = urllib.request.urlopen(request, timeout=10)  # noqa: S310
    return response


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gilde serve stopped:\n{log.read_text()}")
        try:
            fetch(url).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.25)
    pytest.fail(f"gilde serve did not answer within 90 s:\n{log.read_text()}")


def failed_logins(base: str, email: str, attempts: int) -> list[bool]:
    """Log in with a wrong password `attempts` times; for each attempt: was it throttled?"""
    throttled = []
    for _ in range(attempts):
        with fetch(base + "/accounts/login/", **{"Accept-Language": "en"}) as page:
            html = page.read().decode()
            cookies = page.headers.get_all("Set-Cookie") or []
        csrf_cookie = next(c.split(";")[0] for c in cookies if c.startswith("csrftoken="))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token is not None, html
        form = {"csrfmiddlewaretoken": token.group(1), "login": email, "password": "not-it-123"}
        request = urllib.request.Request(  # noqa: S310 - a local http URL
            base + "/accounts/login/",
            data=urlencode(form).encode(),
            headers={"Cookie": csrf_cookie, "Accept-Language": "en"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            throttled.append("Too many failed login attempts" in response.read().decode())
    return throttled


def test_serve_runs_several_web_processes_with_static_files_and_a_shared_log_in_throttle(
    production_database: str, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    env = production_env(
        DATABASE_URL=production_database,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(tmp_path / "static"),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="3",
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            # Extra arguments go to gunicorn. A fresh process for every request: only a throttle
            # shared by all processes can still count the failed log-ins below.
            [
                sys.executable,
                "-m",
                "gilde.cli",
                "serve",
                "--max-requests",
                "1",
                "--log-level",
                "debug",
            ],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(base + "/", process, log)

        with fetch(base + "/") as page:
            assert page.status == 200
            assert "default-src 'self'" in page.headers["Content-Security-Policy"]
            assert "Secure" in page.headers["Set-Cookie"]
            html = page.read().decode()
        # Collected with hashed names by the manifest storage, htmx straight from node_modules.
        stylesheet = re.search(r'href="(/static/gilde/gilde\.[0-9a-f]{12}\.css)"', html)
        htmx = re.search(r'src="(/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js)"', html)
        assert stylesheet is not None and htmx is not None, html
        for path in (stylesheet.group(1), htmx.group(1)):
            with fetch(base + path, **{"Accept-Encoding": "gzip"}) as static:
                assert static.status == 200
                assert static.headers["Content-Encoding"] == "gzip"
                assert "immutable" in static.headers["Cache-Control"]

        # The log-in throttle (5 failures per account) counts across all web processes.
        assert failed_logins(base, "someone@example.org", 7) == [False] * 5 + [True] * 2
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode == 0, log.read_text()
    assert re.search(r"^\s*workers: 3$", log.read_text(), re.MULTILINE), log.read_text()


def test_worker_runs_a_queued_task_and_stops_on_request(
    production_database: str, tmp_path: Path
) -> None:
    env = production_env(DATABASE_URL=production_database, LOG_LEVEL="INFO")
    migrate = gilde("migrate", "--no-input", env=env)
    assert migrate.returncode == 0, migrate.stderr

    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "gilde.cli", "worker", "--interval", "0.2"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        task = "from tests.core.worker_tasks import add_numbers as t"
        queued = gilde("shell", "--no-imports", "-c", f"{task}; print(t.enqueue(2, 3).id)", env=env)
        assert queued.returncode == 0, queued.stderr
        result_id = queued.stdout.strip()

        deadline = time.monotonic() + 60
        status = ""
        while time.monotonic() < deadline and worker.poll() is None:
            check = f"{task}; r = t.get_result({result_id!r}); print(r.status, r.return_value)"
            status = gilde("shell", "--no-imports", "-c", check, env=env).stdout.strip()
            if status.startswith(("SUCCESSFUL", "FAILED")):
                break
            time.sleep(0.2)
        assert status == "SUCCESSFUL 5", log.read_text()
        assert worker.poll() is None, "the worker should keep polling for more tasks"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert worker.returncode == 0, log.read_text()
    assert "Starting worker" in log.read_text()
