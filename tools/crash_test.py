"""Crash-safety test: kill the production server, the background worker or an import at random
moments in the middle of bulk writes, restart, and check that nothing acknowledged is lost and
nothing is half-written.

    uv run python tools/crash_test.py                      # SQLite (a fresh file in a temp folder)
    .ci/with-postgres uv run python tools/crash_test.py    # PostgreSQL (a fresh throwaway server)
    make crash                                             # both

What it does, on the database DATABASE_URL names (a fresh SQLite file when unset):

1. migrates a fresh database, creates an organisation with an admin and an on-the-job item that
   gives a certificate, and an LRS client with `gilde lrs-client create --json`;
2. starts `gilde serve` (gunicorn, several workers) and `gilde worker`, each in a process group
   of its own;
3. runs three scenarios, each several times (`--kills`), and SIGKILLs in the middle of each run at
   a random (seeded) moment, then restarts and checks:

   - ``import``: an HR file of thousands of people, through the web pages (upload, preview,
     confirm) as the organisation's admin, or through `gilde import-people` (every other run).
     The server's process group (or the command) is killed while the import is applied. Checked:
     the import is all or nothing (people, memberships and roles of the file: none or all), an
     import that reported success has every row, and an interrupted one can be confirmed again.
   - ``xapi``: several threads POST batches and single statements (some with an attachment) and
     PUT single statements, all with explicit ids; the server is killed during the burst. Every
     statement whose request was answered 200/204 is read back with GET and must be identical to
     what was sent; every stored statement (acknowledged or not) has all its index rows and its
     attachments; the requests in flight at the kill can be sent again and are accepted.
   - ``certificates``: the admin enrols a group of learners (one request), then signs off all of
     their assignments at once from several threads; each sign-off completes the item and issues a
     certificate. Killed during the sign-offs. Checked: every acknowledged sign-off is completed,
     every completion has exactly one certificate with a verification code, a learning record and
     an audit row, and nothing else half-way; the PDF and the public verification page answer;
     the sign-offs that were cut off can be done again.

   After every restart, also: `gilde migrate --check` and `gilde check` pass, the home page and
   /xapi/about answer 200, and plain SQL finds no orphan rows (on SQLite also the integrity and
   foreign-key checks).

The bulk writes go through the public interfaces only (HTTP and the command line); SQL is used
to check, and to look up the ids of enrolments to sign off. Prints a table and exits non-zero if
anything was lost or half-written or a restart was not clean.

Knobs (arguments or environment variables): --kills/CRASH_KILLS (kills per scenario, default 3),
--time-limit/CRASH_TIME_LIMIT (seconds per database, default 600: a scenario's later rounds are
left out when its share is spent; the first always runs), --seed/CRASH_SEED, --people/CRASH_PEOPLE (rows per import file, default 3000),
--learners/CRASH_LEARNERS (sign-offs per certificate run, default 30), --threads/CRASH_THREADS
(concurrent clients, default 4), --web-workers/CRASH_WEB_WORKERS (gunicorn workers, default 3),
--start-timeout/CRASH_START_TIMEOUT (seconds a start may take, default 600),
--scenarios (comma-separated), --keep (keep the temporary folder with the logs).
"""

from __future__ import annotations

# Seeded randomness (S311) is the point here; SQL is built from model table names (S608).
# ruff: noqa: S311, S608
import argparse
import base64
import csv
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

PROJECT = Path(__file__).resolve().parent.parent
ORG_SLUG = "crash"
CERT_ORG_SLUG = "crash-cert"
ADMIN_EMAIL = "admin@crash.example"
CERT_ITEM_TITLE = "Veilig werken op hoogte"
XAPI_VERSION = "1.0.3"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTACHMENT_USAGE = "http://id.tincanapi.com/attachment/supporting_media"
SCENARIOS = ("import", "xapi", "certificates")


# --- pure helpers (tested in tests/core/test_crash_test_helpers.py) ---------------------------


def people_csv(round_no: int, count: int) -> bytes:
    """An HR export of `count` new people, with e-mail addresses unique to this run."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Personeelsnummer", "Voornaam", "Achternaam", "E-mail", "Functie"])
    for i in range(count):
        writer.writerow(
            [f"R{round_no}-{i:05d}", f"Voornaam{i}", f"Achternaam{round_no}x{i}",
             import_email(round_no, i), "Monteur"]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")


def import_email(round_no: int, index: int) -> str:
    return f"imp{round_no}-{index:05d}@crash.example"


def import_email_prefix(round_no: int) -> str:
    return f"imp{round_no}-"


def make_statement(rng: random.Random, *, attachment: bytes | None = None) -> dict[str, Any]:
    """A statement with an explicit id, written the way the LRS stores it (context activities as
    lists, a timestamp to the millisecond), so that what comes back must be equal."""
    n = rng.randrange(1_000_000)
    statement: dict[str, Any] = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "actor": {"objectType": "Agent", "name": f"Leerling {n}", "mbox": f"mailto:l{n}@x.example"},
        "verb": {"id": VERB_COMPLETED, "display": {"en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": f"https://crash.example/activities/{n % 97}",
            "definition": {"name": {"en-US": f"Module {n % 97}"}},
        },
        "result": {"completion": True, "score": {"scaled": round(rng.random(), 2)}},
        "context": {
            "registration": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "contextActivities": {
                "parent": [{"objectType": "Activity", "id": f"https://crash.example/c/{n % 7}"}]
            },
        },
        "timestamp": f"2024-0{1 + n % 9}-1{n % 10}T08:{n % 60:02d}:00.{n % 1000:03d}Z",
    }
    if attachment is not None:
        statement["attachments"] = [
            {
                "usageType": ATTACHMENT_USAGE,
                "display": {"en-US": "photo"},
                "contentType": "application/octet-stream",
                "length": len(attachment),
                "sha2": hashlib.sha256(attachment).hexdigest(),
            }
        ]
    return statement


def multipart_body(statements: list[dict[str, Any]], files: list[bytes]) -> tuple[bytes, str]:
    """An xAPI multipart/mixed body: the statements, then one part per attachment."""
    boundary = "crash" + uuid.uuid4().hex
    parts = [
        b"Content-Type: application/json\r\n\r\n" + json.dumps(statements).encode(),
        *(
            b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n"
            + f"X-Experience-API-Hash: {hashlib.sha256(f).hexdigest()}\r\n\r\n".encode()
            + f
            for f in files
        ),
    ]
    body = b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in parts)
    body += f"--{boundary}--\r\n".encode()
    return body, f'multipart/mixed; boundary="{boundary}"'


def statement_differences(sent: dict[str, Any], returned: dict[str, Any]) -> list[str]:
    """Properties of what was sent that the returned statement does not have, or has otherwise.
    The LRS adds `stored`, `authority` and `version`; everything sent must come back unchanged."""
    return [key for key, value in sent.items() if returned.get(key) != value]


def link_rows_missing(
    expected: Iterable[tuple[str, str, bool]], stored: Iterable[tuple[str, str, bool]]
) -> list[tuple[str, str, bool]]:
    """Index rows a statement should have and does not (duplicates counted)."""
    missing = Counter(expected) - Counter(stored)
    return sorted(missing.elements())


def import_verdict(*, rows: int, people: int, memberships: int, roles: int) -> str:
    """'none', 'all' or 'partial' for an import of `rows` new people, from what the database has
    of them: an import is all or nothing."""
    if people == memberships == roles == 0:
        return "none"
    if people == memberships == roles == rows:
        return "all"
    return "partial"


@dataclass
class Row:
    database: str
    scenario: str
    kills: int = 0
    in_flight: int = 0
    acknowledged: int = 0
    lost: int = 0
    half_written: int = 0
    restarts: int = 0
    clean_restarts: int = 0

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.half_written == 0 and self.clean_restarts == self.restarts


HEADERS = (
    "database",
    "scenario",
    "kills",
    "in flight",
    "acked writes checked",
    "lost",
    "half-written",
    "clean restarts",
)


def summary_table(rows: list[Row]) -> str:
    cells = [list(HEADERS)] + [
        [
            r.database,
            r.scenario,
            str(r.kills),
            str(r.in_flight),
            str(r.acknowledged),
            str(r.lost),
            str(r.half_written),
            f"{r.clean_restarts}/{r.restarts}",
        ]
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS))]

    def line(row: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


# --- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def kill_group(process: subprocess.Popen[Any] | None) -> None:
    """SIGKILL a process started with start_new_session=True and everything in its group (uv,
    the gunicorn master and its workers)."""
    if process is None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class Harness:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.rng = random.Random(args.seed)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "gilde.settings",
                "DEBUG": "false",
                "SECRET_KEY": base64.b64encode(os.urandom(40)).decode(),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SITE_URL": self.base,
                "SECURE_SSL_REDIRECT": "false",
                "SECURE_COOKIES": "false",
                "SECURE_HSTS_SECONDS": "0",
                "BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(args.web_workers),
                "MEDIA_ROOT": str(workdir / "media"),
                "STATIC_ROOT": str(workdir / "static"),
                "LOG_LEVEL": "WARNING",
            }
        )
        if not self.env.get("DATABASE_URL"):
            self.env["DATABASE_URL"] = f"sqlite:///{workdir / 'crash.sqlite3'}"
        self.database = "postgresql" if self.env["DATABASE_URL"].startswith("postg") else "sqlite"
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.password = base64.urlsafe_b64encode(os.urandom(18)).decode()
        self.admin: requests.Session | None = None
        self.lrs_auth: tuple[str, str] = ("", "")
        self.problems: list[str] = []
        self.deadline = time.monotonic() + args.time_limit

    # -- logging
    def say(self, text: str) -> None:
        print(f"[{self.database} {time.strftime('%H:%M:%S')}] {text}", flush=True)

    def problem(self, text: str) -> None:
        self.problems.append(text)
        self.say("PROBLEM: " + text)

    # -- commands
    def gilde(self, *argv: str, check: bool = True, timeout: float = 300) -> str:
        done = subprocess.run(
            ["uv", "run", "--frozen", "gilde", *argv],
            cwd=PROJECT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"gilde {' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def spawn(self, name: str, *argv: str) -> subprocess.Popen[bytes]:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - kept open by the child
        log.write(f"\n--- start {time.strftime('%H:%M:%S')} ---\n".encode())
        log.flush()
        return subprocess.Popen(
            ["uv", "run", "--frozen", "gilde", *argv],
            cwd=PROJECT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> bool:
        """Start the server and the worker; True when the server answers."""
        self.starts += 1
        self.server = self.spawn("server", "serve", "--timeout", "120")
        self.worker = self.spawn("worker", "worker")
        deadline = time.monotonic() + self.args.start_timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                self.problem(f"the server exited with status {self.server.returncode}")
                return False
            try:
                if requests.get(self.base + "/xapi/about", timeout=5).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.problem(f"the server did not answer within {self.args.start_timeout} s")
        return False

    def kill(self, *, worker: bool = True) -> None:
        kill_group(self.server)
        self.server = None
        if worker:
            kill_group(self.worker)
            self.worker = None

    def stop(self) -> None:
        self.kill()

    def restart_and_check(self, row: Row) -> None:
        """After a kill: the application starts cleanly and answers."""
        row.restarts += 1
        began = time.monotonic()
        clean = True
        for argv in (("migrate", "--check"), ("check",)):
            try:
                self.gilde(*argv)
            except RuntimeError as error:
                self.problem(str(error))
                clean = False
        if self.server is None:
            clean = self.start() and clean
        if self.worker is None or self.worker.poll() is not None:
            self.worker = self.spawn("worker", "worker")
        for path in ("/", "/xapi/about"):
            try:
                status = requests.get(self.base + path, timeout=30).status_code
            except requests.RequestException as error:
                status = str(error)  # type: ignore[assignment]
            if status != 200:
                self.problem(f"GET {path} after restart answered {status}")
                clean = False
        time.sleep(1.0)
        if self.worker.poll() is not None:
            self.problem("the worker exited after restart")
            clean = False
        clean = self.check_database_integrity() and clean
        row.clean_restarts += int(clean)
        self.say(f"restarted and checked in {time.monotonic() - began:.0f} s, clean: {clean}")

    # -- HTTP as the admin
    def log_in(self) -> requests.Session:
        session = requests.Session()
        session.get(self.base + "/accounts/login/", timeout=30)
        answer = session.post(
            self.base + "/accounts/login/",
            data={"login": ADMIN_EMAIL, "password": self.password},
            headers={"X-CSRFToken": session.cookies.get("csrftoken", "")},
            timeout=60,
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"log-in answered {answer.status_code}")
        return session

    def post(self, session: requests.Session, path: str, **kwargs: Any) -> requests.Response:
        headers = {"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": self.base}
        return session.post(
            self.base + path, headers=headers, allow_redirects=False, timeout=120, **kwargs
        )

    def copy_session(self) -> requests.Session:
        assert self.admin is not None
        session = requests.Session()
        session.cookies.update(self.admin.cookies)
        return session

    # -- setup
    def prepare(self) -> None:
        self.say(f"fresh database, migrating ({self.env['DATABASE_URL'].split('@')[-1]})")
        self._refuse_used_database()
        self.gilde("migrate", "--no-input")
        self._django()
        from decimal import Decimal

        from gilde.learning.services import item_create, item_publish
        from gilde.people.models import Person
        from gilde.tenancy.models import OrganisationKind, Role
        from gilde.tenancy.services import membership_create, organisation_create

        org = organisation_create(
            actor=None, name="Crash BV", kind=OrganisationKind.COMPANY, slug=ORG_SLUG
        )
        cert_org = organisation_create(
            actor=None, name="Crash Opleidingen", kind=OrganisationKind.COMPANY, slug=CERT_ORG_SLUG
        )
        admin = Person.objects.create_user(
            ADMIN_EMAIL, self.password, given_name="Ada", family_name="Beheer"
        )
        for organisation in (org, cert_org):
            membership_create(
                actor=None, person=admin, organisation=organisation, roles=[Role.ORG_ADMIN]
            )
        learners = self.args.learners * self.args.kills
        for i in range(learners):
            person = Person.objects.create_user(
                f"learner{i:04d}@crash.example", None, given_name="Lea", family_name=f"Leer {i}"
            )
            membership_create(actor=None, person=person, organisation=cert_org)
        item = item_create(
            actor=None,
            kind="on_the_job",
            organisation=cert_org,
            fields={
                "title": CERT_ITEM_TITLE,
                "instructions": "Werk een dag veilig op hoogte.",
                "sign_off_by": "mentor_or_manager",
                "certificate_enabled": True,
                "study_load_hours": Decimal("8"),
            },
        )
        item_publish(actor=None, item=item)
        self.item_uuid = str(item.uuid)
        self.item_pk = item.pk
        self.org_pk, self.cert_org_pk = org.pk, cert_org.pk
        self._close_db()
        client = json.loads(
            self.gilde(
                "lrs-client", "create", "--organisation", ORG_SLUG, "--name", "crash", "--json"
            )
        )
        self.lrs_auth = (client["key"], client["secret"])

    def _refuse_used_database(self) -> None:
        if self.database != "postgresql" or os.environ.get("CRASH_ALLOW_USED_DATABASE"):
            return
        self._django()
        from django.db import connection

        tables = connection.introspection.table_names()
        self._close_db()
        if tables:
            raise SystemExit(
                "crash test: the PostgreSQL database is not empty; it needs a fresh one "
                "(.ci/with-postgres gives one). Set CRASH_ALLOW_USED_DATABASE=1 to use it anyway."
            )

    _django_ready = False

    def _django(self) -> None:
        if not Harness._django_ready:
            os.environ.update(self.env)
            sys.path.insert(0, str(PROJECT / "src"))
            import django

            django.setup()
            Harness._django_ready = True

    def _close_db(self) -> None:
        from django.db import connections

        connections.close_all()

    @contextmanager
    def sql(self) -> Iterator[Any]:
        """A cursor for checks; closed after use, so SQLite keeps no old snapshot open."""
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            self._close_db()

    def table(self, label: str) -> str:
        from django.apps import apps
        from django.db import connection

        return str(connection.ops.quote_name(apps.get_model(label)._meta.db_table))

    def check_database_integrity(self) -> bool:
        """No orphan rows anywhere this test writes; on SQLite also SQLite's own checks."""
        t = self.table
        queries = {
            "memberships without a person": f"SELECT COUNT(*) FROM {t('tenancy.Membership')} m "
            f"LEFT JOIN {t('people.Person')} p ON p.id = m.person_id WHERE p.id IS NULL",
            "roles without a membership": f"SELECT COUNT(*) FROM {t('tenancy.MembershipRole')} r "
            f"LEFT JOIN {t('tenancy.Membership')} m ON m.id = r.membership_id WHERE m.id IS NULL",
            "memberships without a role": f"SELECT COUNT(*) FROM {t('tenancy.Membership')} m "
            f"WHERE NOT EXISTS (SELECT 1 FROM {t('tenancy.MembershipRole')} r "
            "WHERE r.membership_id = m.id)",
            "statement index rows without a statement": f"SELECT COUNT(*) FROM "
            f"{t('lrs.StatementLink')} l LEFT JOIN {t('lrs.Statement')} s "
            "ON s.seq = l.statement_seq WHERE s.seq IS NULL",
            "statements without index rows": f"SELECT COUNT(*) FROM {t('lrs.Statement')} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {t('lrs.StatementLink')} l "
            "WHERE l.statement_seq = s.seq)",
            "certificates without a completion": f"SELECT COUNT(*) FROM "
            f"{t('learning.Certificate')} c LEFT JOIN {t('learning.Completion')} k "
            "ON k.id = c.completion_id WHERE c.completion_id IS NOT NULL AND k.id IS NULL",
            "completions without an enrolment": f"SELECT COUNT(*) FROM "
            f"{t('learning.Completion')} k LEFT JOIN {t('learning.Enrolment')} e "
            "ON e.id = k.enrolment_id WHERE k.enrolment_id IS NOT NULL AND e.id IS NULL",
        }
        ok = True
        with self.sql() as cursor:
            for what, query in queries.items():
                cursor.execute(query)
                count = cursor.fetchone()[0]
                if count:
                    self.problem(f"{count} {what}")
                    ok = False
            if self.database == "sqlite":
                cursor.execute("PRAGMA integrity_check")
                result = [r[0] for r in cursor.fetchall()]
                if result != ["ok"]:
                    self.problem(f"SQLite integrity check: {result[:5]}")
                    ok = False
                cursor.execute("PRAGMA foreign_key_check")
                broken = cursor.fetchall()
                if broken:
                    self.problem(f"SQLite foreign key check: {broken[:5]}")
                    ok = False
        return ok

    # -- rounds and kills
    def rounds(self) -> Iterator[int]:
        """1, 2, ... up to --kills; after the first, only while the time budget lasts (a
        round is assumed to take as long as the longest one so far)."""
        longest = 0.0
        for round_no in range(1, self.args.kills + 1):
            left = self.deadline - time.monotonic()
            if round_no > 1 and left < longest:
                self.say(f"time budget spent: {round_no - 1} of {self.args.kills} rounds done")
                return
            began = time.monotonic()
            yield round_no
            longest = max(longest, time.monotonic() - began)

    def delay(self, estimate: float) -> float:
        """When to kill: anywhere in the expected duration of the operation (seeded)."""
        return self.rng.uniform(0.3, 1.0) * estimate


# --- scenario: people import -----------------------------------------------------------------------


def scenario_import(h: Harness, row: Row) -> None:
    estimate = {"web": 1.0, "cli": 5.0}
    for round_no in h.rounds():
        mode = "web" if round_no % 2 else "cli"
        rows = h.args.people
        content = people_csv(round_no, rows)
        filename = f"crash-import-{round_no}.csv"
        acknowledged = False
        in_flight = False
        if mode == "web":
            assert h.admin is not None
            answer = h.post(
                h.admin,
                f"/org/{ORG_SLUG}/import/",
                files={"file": (filename, content, "text/csv")},
            )
            if answer.status_code != 302:
                h.problem(f"import upload answered {answer.status_code}")
                continue
            preview = answer.headers["Location"]
            page = h.admin.get(h.base + preview, timeout=120).text
            found = re.search(r'name="revision"\s+value="(\d+)"', page)
            revision = found.group(1) if found else "1"
            result: dict[str, Any] = {}

            def confirm(path: str = preview, rev: str = revision, out: dict[str, Any] = result) -> None:  # fmt: skip
                try:
                    reply = h.post(
                        h.copy_session(), path, data={"action": "confirm", "revision": rev}
                    )
                    out["status"] = reply.status_code
                    out["messages"] = reply.cookies.get("messages", "")
                except requests.RequestException as error:
                    out["error"] = str(error)

            started = time.monotonic()
            thread = threading.Thread(target=confirm)
            thread.start()
            thread.join(h.delay(estimate["web"]))
            in_flight = thread.is_alive()
            h.kill()
            thread.join()
            took = time.monotonic() - started
            acknowledged = result.get("status") == 302 and succeeded(result.get("messages", ""))
        else:
            path = h.workdir / filename
            path.write_bytes(content)
            started = time.monotonic()
            command = subprocess.Popen(
                ["uv", "run", "--frozen", "gilde", "import-people", ORG_SLUG, str(path)],
                cwd=PROJECT,
                env=h.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            try:
                out, _err = command.communicate(timeout=h.delay(estimate["cli"]))
                in_flight = False
            except subprocess.TimeoutExpired:
                in_flight = True
                kill_group(command)
                out, _err = command.communicate()
            # The server and the worker go down with it, as in a crash of the whole machine.
            h.kill()
            took = time.monotonic() - started
            acknowledged = command.returncode == 0 and b"Imported:" in out
        if not in_flight:
            # Done before the kill: next time aim inside the (now known) duration.
            estimate[mode] = max(0.5, took * 0.9)
        row.kills += 1
        row.in_flight += int(in_flight)
        h.say(
            f"import {round_no} ({mode}, {rows} rows): killed after {took:.1f} s, "
            f"{'in flight' if in_flight else 'already done'}, acknowledged: {acknowledged}"
        )
        h.restart_and_check(row)
        verdict, status = import_state(h, round_no, filename, rows)
        if verdict == "partial":
            h.problem(f"import {round_no} is half-written")
            row.half_written += 1
        if (status == "imported") != (verdict == "all"):
            h.problem(f"import {round_no}: batch {status!r} but the people are {verdict!r}")
            row.half_written += 1
        if acknowledged:
            row.acknowledged += rows
            if verdict != "all":
                h.problem(f"import {round_no} was reported done but its people are {verdict}")
                row.lost += rows
        # What was cut off can be done again and then is complete.
        if verdict == "none":
            if mode == "web" and status == "pending":
                assert h.admin is not None
                batch_uuid = preview.rstrip("/").rsplit("/", 1)[-1]
                reply = h.post(
                    h.admin,
                    f"/org/{ORG_SLUG}/import/{batch_uuid}/",
                    data={"action": "confirm", "revision": revision},
                )
                ok = reply.status_code == 302 and succeeded(reply.cookies.get("messages", ""))
            else:
                path = h.workdir / filename
                path.write_bytes(content)
                ok = "Imported:" in h.gilde("import-people", ORG_SLUG, str(path), check=False)
            verdict, status = import_state(h, round_no, filename, rows)
            if not ok or verdict != "all":
                h.problem(f"import {round_no} could not be done again after the kill ({verdict})")
                row.half_written += 1
            else:
                row.acknowledged += rows


def succeeded(cookie: str) -> bool:
    """Whether the messages a page left in its cookie include a success and no error (the
    confirmation redirects to the same page either way)."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    if not cookie:
        return False
    decoded = CookieStorage(HttpRequest())._decode(cookie.strip('"')) or []
    levels = {m.level for m in decoded}
    return constants.SUCCESS in levels and constants.ERROR not in levels


def import_state(h: Harness, round_no: int, filename: str, rows: int) -> tuple[str, str]:
    """(all/none/partial, status of the file's batch) from the database."""
    t = h.table
    prefix = import_email_prefix(round_no) + "%"
    with h.sql() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {t('people.Person')} WHERE email LIKE %s", [prefix])
        people = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM {t('tenancy.Membership')} m JOIN {t('people.Person')} p "
            "ON p.id = m.person_id WHERE p.email LIKE %s AND m.organisation_id = %s "
            "AND m.employee_number LIKE %s",
            [prefix, h.org_pk, f"R{round_no}-%"],
        )
        memberships = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM {t('tenancy.MembershipRole')} r "
            f"JOIN {t('tenancy.Membership')} m ON m.id = r.membership_id "
            f"JOIN {t('people.Person')} p ON p.id = m.person_id "
            "WHERE p.email LIKE %s AND m.organisation_id = %s",
            [prefix, h.org_pk],
        )
        roles = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT status FROM {t('people.ImportBatch')} WHERE filename = %s "
            "ORDER BY status DESC",
            [filename],
        )
        statuses = [r[0] for r in cursor.fetchall()]
    status = "imported" if "imported" in statuses else (statuses[0] if statuses else "none")
    return import_verdict(rows=rows, people=people, memberships=memberships, roles=roles), status


# --- scenario: xAPI burst ----------------------------------------------------------------------------


@dataclass
class XapiRequest:
    method: str
    statements: list[dict[str, Any]]
    files: list[bytes] = field(default_factory=list)


def xapi_send(h: Harness, session: requests.Session, req: XapiRequest) -> int:
    headers = {"X-Experience-API-Version": XAPI_VERSION}
    url = h.base + "/xapi/statements"
    if req.method == "PUT":
        headers["Content-Type"] = "application/json"
        answer = session.put(
            url,
            params={"statementId": req.statements[0]["id"]},
            data=json.dumps(req.statements[0]),
            headers=headers,
            timeout=60,
        )
    elif req.files:
        body, content_type = multipart_body(req.statements, req.files)
        headers["Content-Type"] = content_type
        answer = session.post(url, data=body, headers=headers, timeout=60)
    else:
        headers["Content-Type"] = "application/json"
        answer = session.post(url, data=json.dumps(req.statements), headers=headers, timeout=60)
    return answer.status_code


def xapi_request(rng: random.Random) -> XapiRequest:
    roll = rng.random()
    if roll < 0.2:
        return XapiRequest("PUT", [make_statement(rng)])
    if roll < 0.3:
        files = [rng.randbytes(rng.randrange(200, 4000)) for _ in range(2)]
        statements = [make_statement(rng, attachment=f) for f in files]
        return XapiRequest("POST", statements, files)
    if roll < 0.4:
        return XapiRequest("POST", [make_statement(rng)])
    return XapiRequest("POST", [make_statement(rng) for _ in range(rng.randrange(10, 60))])


def scenario_xapi(h: Harness, row: Row) -> None:
    acknowledged: dict[str, dict[str, Any]] = {}
    read_back: set[str] = set()
    lock = threading.Lock()
    for round_no in h.rounds():
        stop = threading.Event()
        in_flight: list[XapiRequest] = []
        unexpected: list[str] = []
        seeds = [h.rng.getrandbits(64) for _ in range(h.args.threads)]

        def client(
            seed: int,
            stop: threading.Event = stop,
            in_flight: list[XapiRequest] = in_flight,
            unexpected: list[str] = unexpected,
        ) -> None:
            rng = random.Random(seed)
            session = requests.Session()
            session.auth = h.lrs_auth
            while not stop.is_set():
                req = xapi_request(rng)
                try:
                    status = xapi_send(h, session, req)
                except requests.RequestException:
                    with lock:
                        in_flight.append(req)
                    return
                with lock:
                    if status in (200, 204):
                        for s in req.statements:
                            acknowledged[s["id"]] = s
                    elif not stop.is_set():
                        unexpected.append(str(status))

        threads = [threading.Thread(target=client, args=(s,)) for s in seeds]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(h.rng.uniform(0.8, 3.0))
        h.kill()
        stop.set()
        for thread in threads:
            thread.join()
        row.kills += 1
        row.in_flight += int(bool(in_flight))
        h.say(
            f"xapi {round_no}: killed after {time.monotonic() - started:.1f} s, "
            f"{len(acknowledged)} statements acknowledged so far, {len(in_flight)} requests cut off"
        )
        if unexpected:
            h.problem(f"xapi {round_no}: answers other than 200/204: {Counter(unexpected)}")
        h.restart_and_check(row)
        lost, half = check_statements(h, acknowledged, read_back)
        row.lost += lost
        row.half_written += half
        # A client sends again what got no answer: accepted, whether or not it was stored.
        session = requests.Session()
        session.auth = h.lrs_auth
        for req in in_flight:
            status = xapi_send(h, session, req)
            if status not in (200, 204):
                h.problem(f"xapi {round_no}: sending a cut-off request again answered {status}")
                row.half_written += 1
            else:
                for s in req.statements:
                    acknowledged[s["id"]] = s
    lost, half = check_statements(h, acknowledged, read_back)
    row.lost += lost
    row.half_written += half
    row.acknowledged = len(acknowledged)


def check_statements(
    h: Harness, acknowledged: dict[str, dict[str, Any]], read_back: set[str]
) -> tuple[int, int]:
    """(lost, half-written): every acknowledged statement not read back yet is read over HTTP
    and must be equal to what was sent (then added to `read_back`); every acknowledged statement
    is in the database with that content, and every stored statement has its index rows and its
    attachments (SQL)."""
    from gilde.lrs.services import _collect_links

    lost = 0
    ids = [sid for sid in acknowledged if sid not in read_back]

    def read(chunk: list[str]) -> list[str]:
        session = requests.Session()
        session.auth = h.lrs_auth
        bad = []
        for sid in chunk:
            answer = session.get(
                h.base + "/xapi/statements",
                params={"statementId": sid},
                headers={"X-Experience-API-Version": XAPI_VERSION},
                timeout=60,
            )
            if answer.status_code != 200:
                bad.append(f"{sid}: GET answered {answer.status_code}")
                continue
            differences = statement_differences(acknowledged[sid], answer.json())
            if differences:
                bad.append(f"{sid}: differs in {differences}")
        return bad

    parts = [ids[i :: h.args.threads] for i in range(h.args.threads)]
    results: list[list[str]] = [[] for _ in parts]
    threads = [
        threading.Thread(target=lambda i=i: results.__setitem__(i, read(parts[i])))
        for i in range(len(parts))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for bad in results:
        for text in bad[:5]:
            h.problem("acknowledged statement " + text)
        lost += len(bad)
    read_back.update(ids)

    half = 0
    t = h.table
    with h.sql() as cursor:
        cursor.execute(f"SELECT seq, data, has_attachments, store_id FROM {t('lrs.Statement')}")
        statements = cursor.fetchall()
        cursor.execute(
            f"SELECT statement_seq, kind, {_q('key')}, direct FROM {t('lrs.StatementLink')}"
        )
        links: dict[int, list[tuple[str, str, bool]]] = {}
        for seq, kind, key, direct in cursor.fetchall():
            links.setdefault(seq, []).append((kind, key, bool(direct)))
        cursor.execute(f"SELECT store_id, sha2, content FROM {t('lrs.Attachment')}")
        attachments = {(store, sha2): bytes(content) for store, sha2, content in cursor.fetchall()}
    found = set()
    for seq, data, has_attachments, store_id in statements:
        statement = json.loads(data)
        sent = acknowledged.get(statement["id"])
        if sent is not None:
            found.add(statement["id"])
            if statement_differences(sent, statement):
                h.problem(f"statement {statement['id']} is stored with other content")
                lost += 1
        if statement["object"].get("objectType") == "StatementRef":
            continue  # (none are sent; they would also inherit their target's rows)
        missing = link_rows_missing(_collect_links(statement).rows, links.get(seq, []))
        if missing:
            h.problem(f"statement {statement['id']} lacks index rows {missing[:3]}")
            half += 1
        for attachment in statement.get("attachments") or ():
            content = attachments.get((store_id, attachment["sha2"]))
            if content is None or hashlib.sha256(content).hexdigest() != attachment["sha2"]:
                h.problem(f"statement {statement['id']} lacks its attachment")
                half += 1
        if bool(has_attachments) != bool(statement.get("attachments")):
            h.problem(f"statement {statement['id']} has a wrong attachment flag")
            half += 1
    gone = set(acknowledged) - found
    if gone:
        h.problem(f"{len(gone)} acknowledged statements are not in the database")
        lost += len(gone)
    return lost, half


def _q(name: str) -> str:
    from django.db import connection

    return str(connection.ops.quote_name(name))


# --- scenario: certificates --------------------------------------------------------------------------


def scenario_certificates(h: Harness, row: Row) -> None:
    assert h.admin is not None
    estimate = 1.5
    done_before: set[str] = set()
    acknowledged: set[str] = set()
    for round_no in h.rounds():
        # One request enrols a group of learners (one transaction).
        page = h.admin.get(
            h.base + f"/learning/items/{h.item_uuid}/enrol/{CERT_ORG_SLUG}/", timeout=60
        ).text
        choices = re.findall(r'name="people"\s+value="([0-9a-f-]{36})"', page)
        fresh = [c for c in choices if c not in done_before][: h.args.learners]
        done_before.update(fresh)
        reply = h.post(
            h.admin,
            f"/learning/items/{h.item_uuid}/enrol/{CERT_ORG_SLUG}/",
            data={"people": fresh, "due_date": ""},
        )
        if reply.status_code != 302 or not fresh:
            h.problem(f"team enrolment answered {reply.status_code} ({len(fresh)} chosen)")
            continue
        enrolments = active_enrolments(h)
        queue = list(enrolments)
        lock = threading.Lock()
        answered: dict[str, int] = {}

        def signer(
            queue: list[str] = queue,
            lock: threading.Lock = lock,
            answered: dict[str, int] = answered,
        ) -> None:
            session = h.copy_session()
            while True:
                with lock:
                    if not queue:
                        return
                    enrolment = queue.pop()
                try:
                    reply = h.post(
                        session, f"/learning/enrolments/{enrolment}/sign-off/", data={"note": ""}
                    )
                except requests.RequestException:
                    return
                with lock:
                    answered[enrolment] = reply.status_code

        threads = [threading.Thread(target=signer) for _ in range(h.args.threads)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(h.delay(estimate))
        in_flight = any(t.is_alive() for t in threads)
        h.kill()
        for thread in threads:
            thread.join()
        took = time.monotonic() - started
        if not in_flight:
            estimate = max(0.5, took * 0.9)
        acked = {e for e, status in answered.items() if status == 302}
        acknowledged |= acked
        row.kills += 1
        row.in_flight += int(in_flight)
        h.say(
            f"certificates {round_no}: killed after {took:.1f} s, {len(acked)} of "
            f"{len(enrolments)} sign-offs acknowledged"
        )
        others = {s for e, s in answered.items() if s != 302}
        if others:
            h.problem(f"sign-offs answered {others}")
        h.restart_and_check(row)
        lost, half = check_certificates(h, acknowledged)
        row.lost += lost
        row.half_written += half
        # Sign off what was cut off; then every enrolment of this group is complete.
        for enrolment in active_enrolments(h):
            reply = h.post(h.admin, f"/learning/enrolments/{enrolment}/sign-off/", data={})
            if reply.status_code == 302:
                acknowledged.add(enrolment)
            else:
                h.problem(f"signing off {enrolment} again answered {reply.status_code}")
                row.half_written += 1
        lost, half = check_certificates(h, acknowledged, fetch=False)
        row.lost += lost
        row.half_written += half
    row.acknowledged = len(acknowledged)


def active_enrolments(h: Harness) -> list[str]:
    """The uuids of the item's enrolments still to sign off (SQL: the ids to drive)."""
    with h.sql() as cursor:
        cursor.execute(
            f"SELECT uuid FROM {h.table('learning.Enrolment')} WHERE item_id = %s AND status = %s",
            [h.item_pk, "active"],
        )
        return [str(uuid.UUID(str(r[0]))) for r in cursor.fetchall()]


def check_certificates(
    h: Harness, acknowledged: set[str], *, fetch: bool = True
) -> tuple[int, int]:
    """Every enrolment of the item is either untouched or complete: completed, one completion,
    one certificate with a code, the learning record and the audit row."""
    t = h.table
    with h.sql() as cursor:
        cursor.execute(
            f"SELECT e.uuid, e.status, "
            f"(SELECT COUNT(*) FROM {t('learning.Completion')} k WHERE k.enrolment_id = e.id), "
            f"(SELECT COUNT(*) FROM {t('learning.Certificate')} c "
            f" JOIN {t('learning.Completion')} k ON k.id = c.completion_id "
            f" WHERE k.enrolment_id = e.id AND c.code <> ''), "
            f"(SELECT COUNT(*) FROM {t('lrs.Statement')} s WHERE s.registration = e.uuid "
            f" AND s.verb = %s) "
            f"FROM {t('learning.Enrolment')} e WHERE e.item_id = %s",
            [VERB_COMPLETED, h.item_pk],
        )
        rows = cursor.fetchall()
        cursor.execute(
            f"SELECT COUNT(*) FROM {t('audit.AuditEvent')} WHERE action = %s",
            ["learning.certificate_issue"],
        )
        audits = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT c.uuid, c.code FROM {t('learning.Certificate')} c WHERE c.item_id = %s",
            [h.item_pk],
        )
        certificates = [(str(uuid.UUID(str(u))), code) for u, code in cursor.fetchall()]
    lost = half = 0
    completed = 0
    for enrolment_uuid, status, completions, certs, records in rows:
        key = str(uuid.UUID(str(enrolment_uuid)))
        facts = (status, completions, certs, records)
        if facts == ("completed", 1, 1, 1):
            completed += 1
        elif facts != ("active", 0, 0, 0):
            h.problem(f"enrolment {key} is half-way: {facts}")
            half += 1
        if key in acknowledged and status != "completed":
            h.problem(f"acknowledged sign-off of {key} is lost")
            lost += 1
    if audits != len(certificates) or len(certificates) != completed:
        h.problem(f"{len(certificates)} certificates, {completed} completions, {audits} audit rows")
        half += 1
    if fetch and certificates:
        assert h.admin is not None
        for cert_uuid, code in certificates:
            pdf = h.admin.get(h.base + f"/learning/certificates/{cert_uuid}/pdf/", timeout=60)
            if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
                h.problem(f"certificate {cert_uuid}: PDF answered {pdf.status_code}")
                half += 1
            public = requests.get(h.base + f"/verify/{code}/", timeout=60)
            if public.status_code != 200:
                h.problem(f"certificate {code}: verification page answered {public.status_code}")
                half += 1
    return lost, half


# --- main ----------------------------------------------------------------------------------------------

RUNNERS: dict[str, Callable[[Harness, Row], None]] = {
    "import": scenario_import,
    "xapi": scenario_xapi,
    "certificates": scenario_certificates,
}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--kills", type=int, default=env_int("CRASH_KILLS", 3))
    parser.add_argument(
        "--time-limit",
        type=int,
        default=env_int("CRASH_TIME_LIMIT", 600),
        help="seconds per database; later rounds are left out when it is spent",
    )
    parser.add_argument(
        "--start-timeout",
        type=int,
        default=env_int("CRASH_START_TIMEOUT", 600),
        help="seconds the server may take to start (migrate, collectstatic, workers)",
    )
    parser.add_argument("--seed", type=int, default=env_int("CRASH_SEED", 20240601))
    parser.add_argument("--people", type=int, default=env_int("CRASH_PEOPLE", 3000))
    parser.add_argument("--learners", type=int, default=env_int("CRASH_LEARNERS", 30))
    parser.add_argument("--threads", type=int, default=env_int("CRASH_THREADS", 4))
    parser.add_argument("--web-workers", type=int, default=env_int("CRASH_WEB_WORKERS", 3))
    parser.add_argument(
        "--scenarios", default=os.environ.get("CRASH_SCENARIOS", ",".join(SCENARIOS))
    )
    parser.add_argument("--keep", action="store_true", help="keep the folder with the logs")
    args = parser.parse_args(argv)
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="gilde-crash-"))
    h = Harness(args, workdir)
    rows: list[Row] = []
    began = time.monotonic()
    try:
        h.prepare()
        if not h.start():
            raise RuntimeError("the server did not start")
        h.admin = h.log_in()
        end = began + args.time_limit
        for position, name in enumerate(args.scenarios):
            # Each scenario gets an equal share of the time that is left.
            h.deadline = time.monotonic() + (end - time.monotonic()) / (
                len(args.scenarios) - position
            )
            row = Row(h.database, name)
            rows.append(row)
            RUNNERS[name](h, row)
    except Exception as error:  # reported below, with the logs kept
        h.problem(f"{type(error).__name__}: {error}")
        args.keep = True
    finally:
        h.stop()
    print()
    print(summary_table(rows))
    print(
        f"\n{h.database}: {time.monotonic() - began:.0f} s, seed {args.seed}, "
        f"{len(h.problems)} problem(s)"
    )
    failed = bool(h.problems) or not all(r.ok for r in rows) or not rows
    if args.keep or failed:
        print(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
