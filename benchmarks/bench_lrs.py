"""The Learning Record Store under load: ingest over HTTP and filtered queries, at 0 and at
1,000,000 stored statements, next to the raw insert rate of the same rows.

What runs:

- a production-style server: `gilde serve` (gunicorn, several sync worker processes, as an
  operator runs it) on 127.0.0.1 against the run's database, with an LRS client made by
  `gilde lrs-client create ... --json`;
- load: 4 client processes at once, each opening a new connection per request (gunicorn's sync
  workers close it anyway), POSTing one statement per request, then batches of 100, for a bounded
  time and count; statements/s, requests/s, median and p95 latency as the clients see it, errors;
- the floor: the same rows (statement + index rows, same indexes) inserted with plain
  `executemany` in batches of 100, one transaction per batch, on one connection of the same
  database at the same size; the table gives batch ingest / floor;
- the store is filled to BENCH_LRS_STORED statements (default 1,000,000) through
  `gilde.lrs.services.store_statements` itself, in batches, then `ANALYZE`;
- filtered GETs at that size: by agent, by agent + verb, by activity with related activities;
  every answer's statement ids are compared with a direct query on the stored JSON; latency over
  HTTP and server time in-process (Django's test client), with the number of queries.

The statements are realistic: 20,000 learners (mail addresses and HR accounts), 12 ADL / cmi5
verbs in realistic proportions, 100 courses of 40 lessons of 10 questions each, registrations
per learner and course, parent / grouping / category context activities, an instructor on some,
results with scores and durations. About 1 kB of JSON and 7 index rows per statement.

    uv run python benchmarks/run.py lrs                      # SQLite, and PostgreSQL if set
    BENCH_LRS_STORED=100000 uv run python benchmarks/bench_lrs.py   # a quick run
    .ci/with-postgres uv run python benchmarks/bench_lrs.py         # PostgreSQL only

Knobs: BENCH_LRS_STORED (statements in the store for the second half, default 1,000,000),
BENCH_LRS_SECONDS (time limit of each load phase, default 15), BENCH_LRS_GETS (requests per GET
scenario, default 100), WEB_CONCURRENCY (server workers; default as `gilde serve`).
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import multiprocessing
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, markdown_table, median, p95, setup_django, summary_row

# In-process requests (the GET server times) are plain HTTP, as is the loopback server.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
DATABASE = setup_django()

import orjson  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client as TestClient  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from gilde.lrs.models import Client, Statement, StatementLink, Store  # noqa: E402
from gilde.lrs.services import (  # noqa: E402
    _collect_links,
    authority_for,
    store_for,
    store_statements,
)
from gilde.lrs.validation import agent_key, parse_timestamp  # noqa: E402
from gilde.tenancy.models import Organisation  # noqa: E402

STORED = int(os.environ.get("BENCH_LRS_STORED", "1000000"))
SECONDS = float(os.environ.get("BENCH_LRS_SECONDS", "15"))
GETS = int(os.environ.get("BENCH_LRS_GETS", "100"))
CLIENTS = 4
BATCH = 100
FILL_BATCH = 2000
FILL_PROCESSES = 2
FLOOR_STATEMENTS = 20_000
# Upper bounds per client and load phase (the time limit usually ends a phase first).
MAX_SINGLE = 4000
MAX_BATCHES = 400

# -- realistic statements --------------------------------------------------------------------

LEARNERS = 20_000
INSTRUCTORS = 200
COURSES = 100
LESSONS = 40  # per course
QUESTIONS = 10  # per lesson
PROGRAMMES = 10
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS: list[tuple[str, str, int]] = [
    # (IRI, English display, weight)
    (ADL + "experienced", "experienced", 22),
    (ADL + "answered", "answered", 30),
    (ADL + "attempted", "attempted", 8),
    (ADL + "launched", "launched", 6),
    (ADL + "initialized", "initialized", 6),
    (ADL + "progressed", "progressed", 8),
    (ADL + "completed", "completed", 7),
    (ADL + "passed", "passed", 4),
    (ADL + "failed", "failed", 2),
    (ADL + "terminated", "terminated", 5),
    ("https://w3id.org/xapi/adl/verbs/satisfied", "satisfied", 1),
    ("https://w3id.org/xapi/adl/verbs/waived", "waived", 1),
]
VERB_IDS = [v[0] for v in VERBS]
VERB_WEIGHTS = [v[2] for v in VERBS]
ACTIVITIES = "https://leren.gilde.example/activities/"
HR = "https://hr.gilde.example"
CATEGORY = {
    "id": "https://w3id.org/xapi/cmi5/context/categories/cmi5",
    "definition": {"type": "http://adlnet.gov/expapi/activities/profile"},
}
NAMESPACE = uuid.UUID("6f1b6a8e-4c1e-4b8e-9a57-0d6c3f1e2a10")
EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def learner(i: int) -> dict[str, Any]:
    if i % 3 == 0:
        return {
            "objectType": "Agent",
            "name": f"Medewerker {i:05d}",
            "account": {"homePage": HR, "name": f"emp-{i:05d}"},
        }
    return {
        "objectType": "Agent",
        "name": f"Lerende {i:05d}",
        "mbox": f"mailto:l{i:05d}@mkb.example",
    }


def instructor(i: int) -> dict[str, Any]:
    return {"name": f"Docent {i:03d}", "mbox": f"mailto:docent{i:03d}@school.example"}


def course_iri(c: int) -> str:
    return f"{ACTIVITIES}course/{c:03d}"


def lesson_iri(c: int, lesson: int) -> str:
    return f"{ACTIVITIES}course/{c:03d}/lesson/{lesson:02d}"


def question_iri(c: int, lesson: int, q: int) -> str:
    return f"{ACTIVITIES}course/{c:03d}/lesson/{lesson:02d}/q{q}"


def _activity(iri: str, kind: str, nl: str, en: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/" + kind,
            "name": {"nl-NL": nl, "en-US": en},
        },
    }


def make_statement(rng: random.Random) -> dict[str, Any]:
    """One statement as an e-learning package or Gilde itself would send it."""
    who = rng.randrange(LEARNERS)
    course = (who * 7 + rng.randrange(3) * 13) % COURSES
    lesson = rng.randrange(LESSONS)
    verb = rng.choices(VERB_IDS, VERB_WEIGHTS)[0]
    name = verb.rsplit("/", 1)[1]
    moment = EPOCH + dt.timedelta(
        seconds=rng.randrange(2 * 365 * 86400), milliseconds=rng.randrange(1000)
    )
    statement: dict[str, Any] = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "actor": learner(who),
        "verb": {"id": verb, "display": {"en-US": name, "nl-NL": name}},
        "timestamp": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    parent = course_iri(course)
    if name == "answered":
        q = rng.randrange(QUESTIONS)
        statement["object"] = _activity(
            question_iri(course, lesson, q),
            "cmi.interaction",
            f"Vraag {q + 1}",
            f"Question {q + 1}",
        )
        statement["object"]["definition"]["interactionType"] = "choice"
        statement["object"]["definition"]["correctResponsesPattern"] = ["b"]
        statement["object"]["definition"]["choices"] = [
            {"id": c, "description": {"nl-NL": f"Antwoord {c}"}} for c in "abcd"
        ]
        parent = lesson_iri(course, lesson)
        success = rng.random() < 0.7
        statement["result"] = {
            "success": success,
            "response": "b" if success else rng.choice("acd"),
        }
    else:
        statement["object"] = _activity(
            lesson_iri(course, lesson), "lesson", f"Les {lesson + 1}", f"Lesson {lesson + 1}"
        )
        if name in ("completed", "passed", "failed", "terminated"):
            score = rng.randrange(40, 101)
            statement["result"] = {
                "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
                "completion": name != "failed",
                "duration": f"PT{rng.randrange(2, 60)}M{rng.randrange(60)}S",
            }
            if name != "terminated":
                statement["result"]["success"] = name != "failed"
        elif name == "progressed":
            statement["result"] = {
                "extensions": {
                    "https://w3id.org/xapi/cmi5/result/extensions/progress": rng.randrange(100)
                }
            }
    context: dict[str, Any] = {
        "registration": str(uuid.uuid5(NAMESPACE, f"{who}/{course}")),
        "contextActivities": {
            "parent": [{"id": parent, "objectType": "Activity"}],
            "grouping": [
                {"id": course_iri(course), "objectType": "Activity"},
                {"id": f"{ACTIVITIES}programme/{course % PROGRAMMES}", "objectType": "Activity"},
            ],
            "category": [CATEGORY],
        },
        "platform": "Gilde",
        "language": "nl-NL",
    }
    if rng.random() < 0.2:
        context["instructor"] = instructor(course * 2 % INSTRUCTORS + rng.randrange(2))
    statement["context"] = context
    return statement


def statements(seed: int, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_statement(rng) for _ in range(count)]


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gilde(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "gilde.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


class Server:
    """`gilde serve` on a free loopback port, for as long as the `with` block runs."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="gilde-bench-lrs-")
        self.port = free_port()
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(Path(self.folder) / "static"),
            "BIND": f"127.0.0.1:{self.port}",
            "PYTHONPATH": str(ROOT / "src"),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.workers = os.environ.get("WEB_CONCURRENCY") or str(2 * (os.cpu_count() or 1) + 1)

    def __enter__(self) -> Server:
        self.log = open(Path(self.folder) / "server.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gilde.cli", "serve"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 600  # start-up migrates and compresses the static files
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/xapi/about")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        log = (Path(self.folder) / "server.log").read_text(errors="replace")
        raise SystemExit(f"gilde serve did not start:\n{log[-3000:]}")

    def __exit__(self, *exc: Any) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# -- load ------------------------------------------------------------------------------------


def _client_process(
    index: int,
    port: int,
    auth: str,
    seed: int,
    per_request: int,
    requests: int,
    seconds: float,
    barrier: Any,
    out: Any,
) -> None:
    """One load client: build its bodies first, wait for the others, then POST until the count
    or the time runs out."""
    rng = random.Random(seed)
    bodies = []
    for _ in range(requests):
        batch = [make_statement(rng) for _ in range(per_request)]
        bodies.append(orjson.dumps(batch[0] if per_request == 1 else batch))
    headers = {
        "Authorization": auth,
        "X-Experience-API-Version": "2.0.0",
        "Content-Type": "application/json",
    }
    barrier.wait()
    start = time.perf_counter()
    samples: list[tuple[float, int]] = []
    error = ""
    for body in bodies:
        began = time.perf_counter()
        status = 0
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("POST", "/xapi/statements", body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            status = response.status
            conn.close()
            if status != 200 and not error:
                error = f"{status} {answer[:300]!r}"
        except OSError as exc:
            error = error or repr(exc)
        samples.append((time.perf_counter() - began, status))
        if time.perf_counter() - start > seconds:
            break
    out.put((index, start, time.perf_counter(), samples, error))


def load(port: int, auth: str, *, per_request: int, seed: int) -> dict[str, Any]:
    """CLIENTS processes POSTing at once; the combined rates and latencies."""
    connections.close_all()  # the children must not share this process's database connection
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(CLIENTS)
    out = context.Queue()
    requests = MAX_SINGLE if per_request == 1 else MAX_BATCHES
    procs = [
        context.Process(
            target=_client_process,
            args=(i, port, auth, seed + i, per_request, requests, SECONDS, barrier, out),
        )
        for i in range(CLIENTS)
    ]
    for proc in procs:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    start = min(r[1] for r in results)
    end = max(r[2] for r in results)
    samples = [s for r in results for s in r[3]]
    ok = [t for t, status in samples if status == 200]
    errors = len(samples) - len(ok)
    wall = end - start
    return {
        "requests": len(samples),
        "statements": len(ok) * per_request,
        "wall": wall,
        "statements_s": len(ok) * per_request / wall,
        "requests_s": len(samples) / wall,
        "median_ms": median([t for t, _ in samples]) * 1000,
        "p95_ms": p95([t for t, _ in samples]) * 1000,
        "errors": errors,
        "error": next((r[4] for r in results if r[4]), ""),
    }


# -- the floor: the same rows with plain executemany -------------------------------------------


def planned_rows(
    store: Store, client: Client, batch: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], list[tuple[str, str, bool]]]]:
    """The statement columns and index rows store_statements writes for these statements (new
    ids, actors without a Gilde account, no statement references or attachments)."""
    now = timezone.now()
    stored = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    authority = authority_for(client)
    rows = []
    for s in batch:
        full = dict(s)
        full["stored"] = stored
        full["authority"] = authority
        full.setdefault("version", "2.0.0")
        obj = s["object"]
        columns = {
            "store": store.pk,
            "statement_id": uuid.UUID(s["id"]),
            "client": client.pk,
            "person": None,
            "verb": s["verb"]["id"],
            "activity": obj["id"] if obj.get("objectType", "Activity") == "Activity" else "",
            "registration": uuid.UUID(s["context"]["registration"]),
            "refers_to": None,
            "voided": False,
            "stored": now,
            "timestamp": parse_timestamp(s["timestamp"]),
            "data": orjson.dumps(full).decode(),
            "has_attachments": False,
        }
        assert agent_key(s["actor"])
        rows.append((columns, list(_collect_links(full).rows)))
    return rows


def _db_values(model: Any, names: list[str], values: dict[str, Any]) -> tuple[Any, ...]:
    fields = [model._meta.get_field(n) for n in names]
    return tuple(
        f.get_db_prep_save(values[n], connection) for f, n in zip(fields, names, strict=True)
    )


def floor(store: Store, client: Client, seed: int) -> dict[str, float]:
    """Insert FLOOR_STATEMENTS statements and their index rows with executemany, BATCH at a
    time, one transaction per batch; remove them again afterwards."""
    batches = [
        planned_rows(store, client, statements(seed + n, BATCH))
        for n in range(FLOOR_STATEMENTS // BATCH)
    ]
    statement_cols = [f.name for f in Statement._meta.concrete_fields if f.name != "seq"]
    link_cols = ["statement", "store", "kind", "key", "direct"]
    s_table = Statement._meta.db_table
    l_table = StatementLink._meta.db_table
    qn = connection.ops.quote_name
    s_sql = (
        f"INSERT INTO {qn(s_table)} ({qn('seq')}, "  # noqa: S608 - names from the models, values as parameters
        + ", ".join(qn(Statement._meta.get_field(n).column) for n in statement_cols)
        + ") VALUES ("
        + ", ".join(["%s"] * (len(statement_cols) + 1))
        + ")"
    )
    l_sql = (
        f"INSERT INTO {qn(l_table)} ("  # noqa: S608 - names from the models, values as parameters
        + ", ".join(qn(StatementLink._meta.get_field(n).column) for n in link_cols)
        + ") VALUES ("
        + ", ".join(["%s"] * len(link_cols))
        + ")"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({qn('seq')}) FROM {qn(s_table)}")  # noqa: S608 - names from the models, values as parameters
        seq = (cursor.fetchone()[0] or 0) + 1_000_000
    prepared = []
    for batch in batches:
        s_rows, l_rows = [], []
        for columns, links in batch:
            seq += 1
            s_rows.append((seq, *_db_values(Statement, statement_cols, columns)))
            for kind, key, direct in links:
                l_rows.append(
                    _db_values(
                        StatementLink,
                        link_cols,
                        {
                            "statement": seq,
                            "store": store.pk,
                            "kind": kind,
                            "key": key,
                            "direct": direct,
                        },
                    )
                )
        prepared.append((s_rows, l_rows))
    links = sum(len(l_rows) for _s, l_rows in prepared)
    start = time.perf_counter()
    for s_rows, l_rows in prepared:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(s_sql, s_rows)
            cursor.executemany(l_sql, l_rows)
    wall = time.perf_counter() - start
    with transaction.atomic():
        StatementLink.objects.filter(store=store).delete()
        Statement.objects.filter(store=store).delete()
    return {"statements_s": FLOOR_STATEMENTS / wall, "links": links / FLOOR_STATEMENTS}


def check_planned_rows(store: Store, client: Client) -> None:
    """The floor's rows are the ones store_statements writes (checked on a small batch)."""
    batch = statements(7, 50)
    planned = planned_rows(store, client, batch)
    store_statements(
        store=store, statements=[dict(s) for s in batch], client=client, version="2.0.0"
    )
    rows = {
        str(r.statement_id): r
        for r in Statement.objects.filter(store=store).prefetch_related("links")
    }
    skip = {"store", "client", "stored", "data"}
    for columns, links in planned:
        row = rows[str(columns["statement_id"])]
        for name, value in columns.items():
            if name not in skip:
                assert getattr(row, name if name != "person" else "person_id") == value, name
        assert orjson.loads(row.data) | {"stored": ""} == orjson.loads(columns["data"]) | {
            "stored": ""
        }
        assert sorted((x.kind, x.key, x.direct) for x in row.links.all()) == sorted(links)
    with transaction.atomic():
        StatementLink.objects.filter(store=store).delete()
        Statement.objects.filter(store=store).delete()


# -- filling the store -----------------------------------------------------------------------


def _fill_part(store_pk: int, client_pk: int, batches: list[tuple[int, int]]) -> None:
    store = Store.objects.get(pk=store_pk)
    client = Client.objects.get(pk=client_pk)
    for n, (seed, count) in enumerate(batches, 1):
        store_statements(
            store=store, statements=statements(seed, count), client=client, version="2.0.0"
        )
        if n % 25 == 0:
            print(f"<!-- {os.getpid()}: {n * FILL_BATCH:,} -->", file=sys.stderr, flush=True)
    connections.close_all()


def fill(store: Store, client: Client, target: int, seed: int) -> float:
    """Bring the store to `target` statements through store_statements, in FILL_PROCESSES
    processes at once (each its own batches); statements/s."""
    have = Statement.objects.filter(store=store).count()
    batches = []
    n = 0
    while have + n * FILL_BATCH < target:
        batches.append((seed + n, min(FILL_BATCH, target - have - n * FILL_BATCH)))
        n += 1
    if not batches:
        return 0.0
    connections.close_all()  # the children must not share this process's database connection
    context = multiprocessing.get_context("fork")
    start = time.perf_counter()
    procs = [
        context.Process(target=_fill_part, args=(store.pk, client.pk, batches[i::FILL_PROCESSES]))
        for i in range(FILL_PROCESSES)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise SystemExit("filling the store failed")
    return sum(count for _seed, count in batches) / (time.perf_counter() - start)


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# -- filtered queries ------------------------------------------------------------------------


def expected(
    store: Store, keys: list[str], iris: list[str]
) -> tuple[dict[Any, list[str]], dict[str, list[str]]]:
    """Newest-first statement ids per actor, per (actor, verb) and per activity mentioned
    anywhere (object or context), read from the stored JSON itself in one pass over the store
    (not through the index rows the LRS queries)."""
    wanted = set(keys)
    needles = {iri: f'"id":"{iri}"' for iri in iris}
    by_agent: dict[Any, list[str]] = {}
    by_activity: dict[str, list[str]] = {iri: [] for iri in iris}
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(
            "SELECT data FROM lrs_statement WHERE store_id = %s AND NOT voided ORDER BY seq DESC",
            [store.pk],
        )
        while chunk := cursor.fetchmany(5000):
            for (data,) in chunk:
                statement = orjson.loads(data)
                key = agent_key(statement["actor"])
                if key in wanted:
                    by_agent.setdefault(key, []).append(statement["id"])
                    by_agent.setdefault((key, statement["verb"]["id"]), []).append(statement["id"])
                for iri, needle in needles.items():
                    if needle in data:
                        by_activity[iri].append(statement["id"])
    return by_agent, by_activity


def agent_param(i: int) -> tuple[str, str]:
    agent = learner(i)
    agent.pop("name")
    key = agent_key(agent)
    assert key
    return orjson.dumps(agent).decode(), key


def http_get(port: int, auth: str, query: dict[str, str]) -> tuple[float, int, bytes]:
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "GET",
        "/xapi/statements?" + urllib.parse.urlencode(query),
        headers={"Authorization": auth, "X-Experience-API-Version": "2.0.0"},
    )
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return time.perf_counter() - began, response.status, body


def get_scenarios(
    store: Store, rng: random.Random
) -> list[tuple[str, list[dict[str, str]], dict[str, list[str]]]]:
    """Three query shapes, each with ten parameter sets and the ids the answer must hold."""
    people = rng.sample(range(LEARNERS), 10)
    agents = [agent_param(i) for i in people]
    lessons = [lesson_iri(rng.randrange(COURSES), rng.randrange(LESSONS)) for _ in range(10)]
    courses = [course_iri(c) for c in rng.sample(range(COURSES), 10)]
    by_agent, by_activity = expected(store, [k for _p, k in agents], lessons + courses)
    scenarios = []
    queries, wanted = [], {}
    for param, key in agents:
        q = {"agent": param}
        queries.append(q)
        wanted[json.dumps(q, sort_keys=True)] = by_agent.get(key, [])
    scenarios.append(("agent", queries, wanted))
    queries, wanted = [], {}
    for n, (param, key) in enumerate(agents):
        verb = VERB_IDS[n % 2]  # experienced or answered: the common ones
        q = {"agent": param, "verb": verb}
        queries.append(q)
        wanted[json.dumps(q, sort_keys=True)] = by_agent.get((key, verb), [])
    scenarios.append(("agent + verb", queries, wanted))
    for label, iris in (
        ("activity (lesson), related_activities", lessons),
        ("activity (course), related_activities", courses),
    ):
        queries, wanted = [], {}
        for iri in iris:
            q = {"activity": iri, "related_activities": "true"}
            queries.append(q)
            wanted[json.dumps(q, sort_keys=True)] = by_activity[iri]
        scenarios.append((label, queries, wanted))
    return scenarios


def run_gets(
    port: int, auth: str, scenarios: list[tuple[str, list[dict[str, str]], dict[str, list[str]]]]
) -> list[dict[str, Any]]:
    results = []
    client = TestClient()
    headers = {"HTTP_AUTHORIZATION": auth, "HTTP_X_EXPERIENCE_API_VERSION": "2.0.0"}
    for label, queries, wanted in scenarios:
        checked = mismatches = 0
        rows = []
        for q in queries:
            _t, status, body = http_get(port, auth, q)
            assert status == 200, (status, body[:300])
            answer = orjson.loads(body)
            got = [s["id"] for s in answer["statements"]]
            want = wanted[json.dumps(q, sort_keys=True)]
            checked += 1
            if got != want[:100] or bool(answer["more"]) != (len(want) > 100):
                mismatches += 1
            rows.append(len(got))
        over_http = []
        for n in range(GETS):
            t, status, _body = http_get(port, auth, queries[n % len(queries)])
            assert status == 200
            over_http.append(t)
        in_process = []
        query_counts = []
        for n in range(GETS):
            q = queries[n % len(queries)]
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get("/xapi/statements", q, **headers)
                in_process.append(time.perf_counter() - began)
            assert response.status_code == 200
            query_counts.append(len(captured))
        results.append(
            {
                "label": label,
                "http_mean": sum(over_http) / len(over_http) * 1000,
                "http_median": median(over_http) * 1000,
                "http_p95": p95(over_http) * 1000,
                "server_median": median(in_process) * 1000,
                "server_p95": p95(in_process) * 1000,
                "queries": max(query_counts),
                "rows": median(rows),
                "checked": checked,
                "mismatches": mismatches,
            }
        )
    return results


def floor_view(request: HttpRequest) -> HttpResponse:
    """The framework floor: a constant page through the same middleware; no session, as for
    an LRS client (its Basic authentication is checked by the LRS views, not the middleware)."""
    return HttpResponse(
        f"<!doctype html><title>floor</title><p>{request.user.is_authenticated}</p>"
    )


urlpatterns = [path("__floor__/", floor_view), path("", include("gilde.urls"))]


def framework_floor() -> float:
    """Median server time of the floor page in-process, as the GETs' server time is taken."""
    client = TestClient()
    times = []
    with override_settings(ROOT_URLCONF=__name__):
        client.get("/__floor__/")  # warm up
        for _ in range(GETS):
            began = time.perf_counter()
            response = client.get("/__floor__/")
            times.append(time.perf_counter() - began)
            assert response.status_code == 200
    return median(times) * 1000


# -- the run ---------------------------------------------------------------------------------


def warm_up(port: int, auth: str) -> None:
    """Let every server worker answer a few requests first: each one imports the URL
    configuration and its views on its first request (about a second of work)."""
    from concurrent.futures import ThreadPoolExecutor

    def requests(_n: int) -> None:
        for _ in range(20):
            http_get(port, auth, {"limit": "1"})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(requests, range(8)))


def make_client(server: Server) -> tuple[Store, Client, str]:
    tag = uuid.uuid4().hex[:6]
    organisation = Organisation.objects.create(slug=f"lrs-{tag}", name="Leerbedrijf")
    made = json.loads(
        gilde(
            server.env,
            "lrs-client",
            "create",
            "--organisation",
            organisation.slug,
            "--name",
            "Benchmark",
            "--json",
        )
    )
    client = Client.objects.select_related("store").get(key=made["key"])
    auth = "Basic " + base64.b64encode(f"{made['key']}:{made['secret']}".encode()).decode()
    return client.store, client, auth


def post_queries(auth: str, per_request: int, seed: int) -> int:
    """Queries of one such POST, counted in-process (the server's count is the same): the
    second of two, as the first also looks up the client."""
    post_queries_once(auth, per_request, seed + 1)
    return post_queries_once(auth, per_request, seed)


def post_queries_once(auth: str, per_request: int, seed: int) -> int:
    batch = statements(seed, per_request)
    with CaptureQueriesContext(connection) as captured:
        response = TestClient().post(
            "/xapi/statements",
            data=orjson.dumps(batch[0] if per_request == 1 else batch),
            content_type="application/json",
            HTTP_AUTHORIZATION=auth,
            HTTP_X_EXPERIENCE_API_VERSION="2.0.0",
        )
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def table_rows(
    size: str,
    single: dict[str, Any],
    batch: dict[str, Any],
    raw: dict[str, float],
    queries: tuple[int, int],
) -> Iterator[list[Any]]:
    for label, r, count in (
        ("POST 1 statement per request, 4 clients", single, queries[0]),
        (f"POST {BATCH} statements per request, 4 clients", batch, queries[1]),
    ):
        yield [
            label,
            DATABASE,
            size,
            f"{r['statements_s']:,.0f}",
            f"{r['requests_s']:,.0f}",
            f"{r['median_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            "",
            "",
            count,
            r["errors"],
            f"{r['statements_s'] / raw['statements_s']:.2f}" if r is batch else "",
        ]
    yield [
        f"floor: same rows, executemany, {BATCH} per transaction",
        DATABASE,
        size,
        f"{raw['statements_s']:,.0f}",
        f"{raw['statements_s'] / BATCH:,.0f}",
        "",
        "",
        "",
        "",
        2,
        0,
        "1.00",
    ]


def main() -> int:
    began = time.monotonic()
    timings: dict[str, float] = {}
    with Server() as server:
        store, client, auth = make_client(server)
        warm_up(server.port, auth)
        floor_store = store_for(
            organisation=Organisation.objects.create(
                slug=f"lrs-floor-{uuid.uuid4().hex[:6]}", name="Vloer"
            )
        )
        check_planned_rows(floor_store, client)
        queries = (post_queries(auth, 1, 70_000_000), post_queries(auth, BATCH, 70_000_001))

        raw0 = floor(floor_store, client, seed=10_000_000)
        single0 = load(server.port, auth, per_request=1, seed=20_000_000)
        batch0 = load(server.port, auth, per_request=BATCH, seed=30_000_000)
        at_zero = Statement.objects.filter(store=store).count()

        started = time.perf_counter()
        fill_rate = fill(store, client, STORED, seed=1)
        timings["fill"] = time.perf_counter() - started
        started = time.perf_counter()
        analyze()
        timings["analyze"] = time.perf_counter() - started

        raw1 = floor(floor_store, client, seed=40_000_000)
        single1 = load(server.port, auth, per_request=1, seed=50_000_000)
        batch1 = load(server.port, auth, per_request=BATCH, seed=60_000_000)
        size = Statement.objects.filter(store=store).count()

        scenarios = get_scenarios(store, random.Random(5))
        gets = run_gets(server.port, auth, scenarios)
        floor_ms = framework_floor()
        links = StatementLink.objects.filter(store=store).count()

    big = f"{STORED:,}"
    rows = [
        *table_rows("0", single0, batch0, raw0, queries),
        *table_rows(big, single1, batch1, raw1, queries),
    ]
    for g in gets:
        rows.append(
            [
                f"GET {g['label']} ({g['rows']:.0f} statements)",
                DATABASE,
                f"{size:,}",
                "",
                f"{1000 / g['http_mean']:,.0f}",
                f"{g['http_median']:.1f}",
                f"{g['http_p95']:.1f}",
                f"{g['server_median']:.1f}",
                f"{g['server_p95']:.1f}",
                g["queries"],
                g["mismatches"],
                "",
            ]
        )
    # The runner's summary: the ingest phases as the clients saw them over HTTP (4 at once;
    # the floor is the raw insert of one batch of the same rows), the GETs' server time.
    for stored, single, batch, raw in (
        ("0", single0, batch0, raw0),
        (big, single1, batch1, raw1),
    ):
        where = "empty store" if stored == "0" else f"store of {stored}"
        summary_row(
            scenario=f"POST 1 statement, {CLIENTS} clients at once (over HTTP), {where}",
            median_ms=single["median_ms"],
            p95_ms=single["p95_ms"],
            queries=queries[0],
            rows=f"1 statement, {stored} stored",
            floor_ms=None,
            floor="",
        )
        summary_row(
            scenario=f"POST {BATCH} statements, {CLIENTS} clients at once (over HTTP), {where}",
            median_ms=batch["median_ms"],
            p95_ms=batch["p95_ms"],
            queries=queries[1],
            rows=f"{BATCH} statements, {stored} stored",
            floor_ms=BATCH / raw["statements_s"] * 1000,
            floor="raw insert",
        )
    for g in gets:
        summary_row(
            scenario=f"GET by {g['label']}",
            median_ms=g["server_median"],
            p95_ms=g["server_p95"],
            queries=g["queries"],
            rows=f"{size:,} stored, {g['rows']:.0f} returned",
            floor_ms=floor_ms,
            floor="framework, anonymous",
        )
    print(
        f"#### Learning Record Store ({DATABASE}; `gilde serve` with {server.workers} workers "
        f"on 127.0.0.1, {CLIENTS} client processes)\n"
    )
    print(
        markdown_table(
            [
                "scenario",
                "database",
                "stored",
                "statements/s",
                "requests/s",
                "HTTP median ms",
                "HTTP p95 ms",
                "server median ms",
                "server p95 ms",
                "queries/request",
                "errors",
                "ratio to floor",
            ],
            rows,
        )
    )
    print(
        f"\nIngest phases run at most {SECONDS:.0f} s each, one new connection per request; "
        f"HTTP times are what the clients saw. *stored* is the store's size when a phase began "
        f"(the 0 phases left {at_zero:,} statements). The floor inserts {FLOOR_STATEMENTS:,} of "
        f"the same statements with their {raw0['links']:.1f} index rows each into the same "
        f"tables with plain executemany on one connection; ratio = batch ingest / floor. "
        f"Filled to {big} through store_statements in batches of {FILL_BATCH:,} "
        f"({FILL_PROCESSES} processes) at {fill_rate:,.0f} statements/s "
        f"({timings['fill']:.0f} s; ANALYZE {timings['analyze']:.1f} s); the GETs ran at "
        f"{size:,} statements and {links:,} index rows: {GETS} requests each over HTTP one at a "
        f"time, then {GETS} in-process for the server time and queries; errors = answers whose "
        f"ids differ from a direct query on the stored JSON ({gets[0]['checked']} parameter sets "
        f"each)."
    )
    for r in (single0, batch0, single1, batch1):
        if r["error"]:
            print(f"\nFirst error: {r['error']}")
    goals = [
        (
            "batches ≥ 10,000 statements/s",
            min(batch0["statements_s"], batch1["statements_s"]) >= 10_000,
        ),
        ("single ≥ 500 requests/s", min(single0["requests_s"], single1["requests_s"]) >= 500),
        ("filtered GET server p95 < 20 ms", max(g["server_p95"] for g in gets) < 20),
        (
            "ratio to floor ≥ 0.5",
            min(
                batch0["statements_s"] / raw0["statements_s"],
                batch1["statements_s"] / raw1["statements_s"],
            )
            >= 0.5,
        ),
    ]
    print("\nGoals: " + "; ".join(f"{n}: **{'met' if ok else 'not met'}**" for n, ok in goals))
    print(f"\n(Run time {time.monotonic() - began:.0f} s.)")
    errors = any(r["errors"] for r in (single0, batch0, single1, batch1)) or any(
        g["mismatches"] for g in gets
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
