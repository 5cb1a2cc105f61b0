"""Settings read from the environment, the SQLite defaults and the security headers on pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from gilde.settings import envbool, envint, envlist, envstr

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on", " ON "])
def test_envbool_reads_yes_words_as_true(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("GILDE_TEST_FLAG", value)
    assert envbool("GILDE_TEST_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off", "nee"])
def test_envbool_reads_other_words_as_false(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("GILDE_TEST_FLAG", value)
    assert envbool("GILDE_TEST_FLAG", True) is False


def test_envbool_uses_the_default_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GILDE_TEST_FLAG", raising=False)
    assert envbool("GILDE_TEST_FLAG", True) is True
    monkeypatch.setenv("GILDE_TEST_FLAG", "")
    assert envbool("GILDE_TEST_FLAG", False) is False


def test_a_secret_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("GILDE_TEST_SECRET", "from-the-variable")
    assert envstr("GILDE_TEST_SECRET") == "from-the-variable"
    monkeypatch.setenv("GILDE_TEST_SECRET_FILE", str(secret))
    # The file wins, without its trailing newline.
    assert envstr("GILDE_TEST_SECRET") == "from-the-file"


def test_a_missing_secret_file_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GILDE_TEST_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(FileNotFoundError):
        envstr("GILDE_TEST_SECRET", "a default must not hide a missing secret")


def test_numbers_and_lists_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GILDE_TEST_NUMBER", "42")
    monkeypatch.setenv("GILDE_TEST_LIST", " gilde.example.org, ,www.gilde.example.org ")
    monkeypatch.delenv("GILDE_TEST_UNSET", raising=False)
    assert envint("GILDE_TEST_NUMBER", 1) == 42
    assert envint("GILDE_TEST_UNSET", 7) == 7
    assert envlist("GILDE_TEST_LIST", "") == ["gilde.example.org", "www.gilde.example.org"]
    assert envlist("GILDE_TEST_UNSET", "a,b") == ["a", "b"]


def settings_in_a_fresh_process(env: dict[str, str], *names: str) -> dict[str, Any]:
    """The value of some settings when Gilde starts with exactly these environment variables."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    clean.update(env, PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="gilde.settings")
    script = (
        "import json, sys, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({n: getattr(settings, n, None) for n in sys.argv[1:]}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *names],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values: dict[str, Any] = json.loads(result.stdout)
    return values


PRODUCTION_SECURITY = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "STORAGES",
    "CACHES",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
]


def test_production_switches_on_https_only_cookies_hsts_and_compressed_static_files() -> None:
    values = settings_in_a_fresh_process(
        {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "gilde.example.org"},
        "DEBUG",
        "ALLOWED_HOSTS",
        *PRODUCTION_SECURITY,
    )
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["gilde.example.org"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    # Only trusted behind a proxy that says so.
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] is None
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    # Log-in attempts are counted in a cache that all web processes share.
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_a_fresh_checkout_runs_in_development_mode_over_plain_http() -> None:
    values = settings_in_a_fresh_process({}, "DEBUG", *PRODUCTION_SECURITY)
    assert values["DEBUG"] is True
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_behind_a_proxy_the_forwarded_protocol_is_trusted() -> None:
    values = settings_in_a_fresh_process(
        {"DEBUG": "false", "SECRET_KEY": "x" * 60, "BEHIND_PROXY": "true"},
        "SECURE_PROXY_SSL_HEADER",
        "ALLAUTH_TRUSTED_PROXY_COUNT",
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # The visitor's address for log-in throttling comes from the proxy's X-Forwarded-For.
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    """A real database file (the test database may live in memory, where WAL does not apply)."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    clean.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="gilde.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'gilde.sqlite3'}",
    )
    script = (
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    for pragma in ('journal_mode', 'synchronous', 'busy_timeout'):\n"
        "        c.execute(f'PRAGMA {pragma}'); print(c.fetchone()[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    journal_mode, synchronous, busy_timeout = result.stdout.split()
    assert journal_mode == "wal"
    assert synchronous == "1"  # NORMAL: safe with WAL, fewer disk flushes
    assert busy_timeout == "5000"


def test_pages_carry_a_strict_content_security_policy(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline scripts, no eval
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]


def test_pages_carry_the_other_security_headers(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_pages_ask_browsers_to_stay_on_https(client: Client, db: None, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Strict-Transport-Security" not in client.get("/").headers
