"""The pages people use every day, on a generated region (`gilde generate --scale region`).

benchmarks/run.py generates the dataset once per database and runs this script against it
(BENCH_GENERATED=1); run alone, the script generates it itself (BENCH_SCALE, default region;
`pilot` for a quick look). Three personas, as in the load test: a learner of a mid-sized
organisation, the owner (admin and manager) of the largest organisation, and a network
coordinator; and an LRS client reading and writing statements.

Each page is requested through Django's test client in-process (middleware, views, templates,
the database; no network), after one warm-up request. Reads are compared with the framework
floor: a constant page for a logged-in person through the same middleware and database. The
write path (a batch of statements) is compared with the raw insert of the same statement rows.

    uv run python benchmarks/run.py region
    BENCH_SCALE=pilot uv run python benchmarks/bench_region.py
"""

from __future__ import annotations

import base64
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import count_queries, markdown_table, median, p95, setup_django, summary_row

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
DATABASE = setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402

from gilde.generator.services import generate  # noqa: E402
from gilde.learning.models import CatalogueItem, Enrolment  # noqa: E402
from gilde.lrs.models import Statement  # noqa: E402
from gilde.lrs.services import agent_for, client_create, store_for  # noqa: E402
from gilde.people.models import Person  # noqa: E402
from gilde.tenancy.models import Membership, Network, NetworkRole, Organisation  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
SCALE = os.environ.get("BENCH_SCALE", "region")
WRITE_BATCH = 100


def floor_view(request: HttpRequest) -> HttpResponse:
    """The framework floor: a constant page for a logged-in person (session and user loaded)."""
    return HttpResponse(
        f"<!doctype html><title>floor</title><p>{request.user.is_authenticated}</p>"
    )


urlpatterns = [path("__floor__/", floor_view), path("", include("gilde.urls"))]


def measure(
    client: Client, url: str, *, headers: dict[str, str] | None = None, repeat: int = REPEAT
) -> tuple[float, float, int]:
    first = client.get(url, headers=headers)
    if first.status_code != 200:
        raise SystemExit(f"{url} answered {first.status_code}")
    times, queries = [], 0
    for _ in range(repeat):
        with count_queries() as ctx:
            start = time.perf_counter()
            client.get(url, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return median(times), p95(times), queries


def personas() -> dict[str, Any]:
    """The people and places measured, chosen by rule from whatever was generated."""
    largest = Organisation.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()
    assert largest is not None, "no generated data: run gilde generate first"
    owner = (
        Membership.objects.filter(organisation=largest, roles__role="org_admin")
        .select_related("person")
        .first()
    )
    assert owner is not None
    # A learner in a mid-sized organisation with the most enrolments there.
    sizes = sorted(Organisation.objects.annotate(n=Count("memberships")).values_list("n", "pk"))
    middle_org = sizes[len(sizes) // 2][1]
    learner_id = (
        Enrolment.objects.filter(organisation_id=middle_org)
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "person_id")
        .values_list("person_id", flat=True)
        .first()
    )
    learner = Person.objects.get(pk=learner_id)
    learner_org = Organisation.objects.get(pk=middle_org)
    enrolment = Enrolment.objects.filter(person=learner).select_related("item").first()
    assert enrolment is not None
    held = NetworkRole.objects.select_related("person", "network").order_by("pk").first()
    assert held is not None
    network: Network = held.network
    return {
        "largest": largest,
        "owner": owner.person,
        "learner": learner,
        "learner_org": learner_org,
        "item": enrolment.item,
        "coordinator": held.person,
        "network": network,
        "team_size": Membership.objects.filter(organisation=largest).count(),
    }


def statements_for(person: Any, item: CatalogueItem, rng: random.Random) -> list[dict[str, Any]]:
    activity = f"https://gilde.example/xapi/activities/learning/{item.uuid}"
    return [
        {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": agent_for(person),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/progressed"},
            "object": {"objectType": "Activity", "id": activity},
            "result": {"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": n}},
            "timestamp": "2026-01-05T10:00:00Z",
        }
        for n in range(WRITE_BATCH)
    ]


def write_scenario(
    client: Client, auth: str, who: dict[str, Any]
) -> tuple[float, float, int, float]:
    """POST batches of new statements, and the floor: the same statement rows inserted raw."""
    rng = random.Random(11)
    headers = {"Authorization": auth, "X-Experience-API-Version": "2.0.0"}
    times, queries = [], 0
    for i in range(REPEAT + 1):
        body = json.dumps(statements_for(who["learner"], who["item"], rng))
        with count_queries() as ctx:
            start = time.perf_counter()
            response = client.post(
                "/xapi/statements", body, content_type="application/json", headers=headers
            )
            took = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"POST /xapi/statements answered {response.status_code}")
        if i:
            times.append(took)
            queries = len(ctx.captured_queries)
    # The floor: copies of the stored rows (new ids, same columns) in one bulk insert each.
    template = list(Statement.objects.order_by("-seq")[:WRITE_BATCH])
    floor_times = []
    for _ in range(REPEAT):
        rows = []
        for row in template:
            row.seq = None  # type: ignore[assignment]
            row.statement_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            rows.append(row)
        start = time.perf_counter()
        with transaction.atomic():
            Statement.objects.bulk_create(rows)
        floor_times.append((time.perf_counter() - start) * 1000)
    return median(times), p95(times), queries, median(floor_times)


def main() -> None:
    started = time.perf_counter()
    generated = os.environ.get("BENCH_GENERATED") == "1"
    if not generated:
        result = generate(scale=SCALE, seed=1)
        print(
            f"Generated the {SCALE} scale in {time.perf_counter() - started:,.0f} s: "
            + ", ".join(f"{v:,} {k}" for k, v in result.counts.items())
            + "\n"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    who = personas()
    statements = Statement.objects.count()
    store = store_for(organisation=who["learner_org"])
    made = client_create(actor=None, store=store, name="benchmark")
    auth = "Basic " + base64.b64encode(f"{made.key}:{made.secret}".encode()).decode()
    xapi = {"X-Experience-API-Version": "2.0.0", "Authorization": auth}
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    largest, network = who["largest"].slug, who["network"].slug
    agent = json.dumps(agent_for(who["learner"]))
    activity = f"https://gilde.example/xapi/activities/learning/{who['item'].uuid}"
    with override_settings(
        ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], STORAGES=plain_static
    ):
        clients = {}
        for role in ("learner", "owner", "coordinator"):
            clients[role] = Client()
            clients[role].force_login(who[role])
        lrs = Client()
        floor = measure(clients["learner"], "/__floor__/")
        scenarios: list[tuple[str, str, str, dict[str, str] | None, str]] = [
            ("learner: home", "learner", reverse("core:home"), None, ""),
            ("learner: catalogue", "learner", reverse("learning:catalogue"), None, ""),
            ("learner: my learning", "learner", reverse("learning:mine"), None, ""),
            (
                "learner: catalogue item",
                "learner",
                reverse("learning:item-detail", args=[who["item"].uuid]),
                None,
                "",
            ),
            ("learner: my competencies", "learner", reverse("competencies:mine"), None, ""),
            ("learner: my learning records", "learner", reverse("records:mine"), None, ""),
            ("learner: my events", "learner", reverse("events:mine"), None, ""),
            ("learner: my development", "learner", reverse("development:mine"), None, ""),
            (
                "manager: team at a glance (matrix)",
                "owner",
                reverse("competencies:matrix", args=[largest]),
                None,
                f"{who['team_size']} people",
            ),
            (
                "manager: team learning progress",
                "owner",
                reverse("learning:team", args=[largest]),
                None,
                f"{who['team_size']} people",
            ),
            (
                "manager: people list",
                "owner",
                reverse("people:list", args=[largest]),
                None,
                f"{who['team_size']} people",
            ),
            (
                "manager: development of the team",
                "owner",
                reverse("development:team", args=[largest]),
                None,
                f"{who['team_size']} people",
            ),
            (
                "coordinator: organisations of the network",
                "coordinator",
                reverse("tenancy:organisations", args=[network]),
                None,
                "",
            ),
            (
                "coordinator: network gaps",
                "coordinator",
                reverse("competencies:network-gaps", args=[network]),
                None,
                "",
            ),
            (
                "LRS: statements of one learner",
                "lrs",
                f"/xapi/statements?agent={agent}&limit=50",
                xapi,
                f"{statements:,} stored",
            ),
            (
                "LRS: statements about one activity",
                "lrs",
                f"/xapi/statements?activity={activity}&related_activities=true&limit=50",
                xapi,
                f"{statements:,} stored",
            ),
        ]
        rows = [("framework floor (constant page, logged in)", "-", *floor, "1.0")]
        summary_row(
            scenario="framework floor",
            median_ms=floor[0],
            p95_ms=floor[1],
            queries=floor[2],
            rows="-",
            floor_ms=floor[0],
        )
        for name, role, url, headers, size in scenarios:
            client = lrs if role == "lrs" else clients[role]
            med, high, queries = measure(client, url, headers=headers)
            rows.append((name, size or "-", med, high, queries, f"{med / floor[0]:.1f}"))
            summary_row(
                scenario=name,
                median_ms=med,
                p95_ms=high,
                queries=queries,
                rows=size or "-",
                floor_ms=floor[0],
            )
        med, high, queries, raw = write_scenario(lrs, auth, who)
        rows.append(
            (
                f"LRS: POST {WRITE_BATCH} statements (floor: raw insert of the rows)",
                f"{WRITE_BATCH} statements",
                med,
                high,
                queries,
                f"{med / raw:.1f}",
            )
        )
        summary_row(
            scenario=f"LRS: POST {WRITE_BATCH} statements",
            median_ms=med,
            p95_ms=high,
            queries=queries,
            rows=f"{WRITE_BATCH} statements",
            floor_ms=raw,
            floor="raw insert",
        )
    print(
        f"Pages on the generated {SCALE} dataset ({DATABASE}); server time in-process, "
        f"median and p95 of {REPEAT} requests after a warm-up; {statements:,} learning records "
        f"stored; largest organisation {who['team_size']} people.\n"
    )
    print(
        markdown_table(
            ["scenario", "rows", "median ms", "p95 ms", "queries", "ratio to floor"],
            [(n, size, f"{a:.1f}", f"{b:.1f}", q, ratio) for n, size, a, b, q, ratio in rows],
        )
    )


if __name__ == "__main__":
    main()
