"""Lists that grow with the network: an organisation's people list (1,000 members) and the
coordinator's organisation list (10 vs 5,000 member organisations).

Server time is measured in-process through Django's test client (the whole middleware stack and
template rendering, no network), next to a framework floor: a bare view returning a constant page
through the same stack and database. Ratios to the floor are what we compare across machines.

    uv run python benchmarks/bench_lists.py            # SQLite in a temporary file
    DATABASE_URL=postgres://... uv run python benchmarks/bench_lists.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import setup_django, summary_row

# Production-like (DEBUG off) but served over plain HTTP by the in-process client.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
DATABASE = setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from gilde.people.models import Person  # noqa: E402
from gilde.people.names import sort_name  # noqa: E402
from gilde.tenancy.models import (  # noqa: E402
    Membership,
    MembershipRole,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    NetworkRole,
    Organisation,
    Role,
)

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def floor_view(request: HttpRequest) -> HttpResponse:
    """The framework floor: a constant page for a logged-in person (session and user loaded,
    as on every real page), no data of our own."""
    return HttpResponse(
        f"<!doctype html><title>floor</title><p>{request.user.is_authenticated}</p>"
    )


urlpatterns = [path("__floor__/", floor_view), path("", include("gilde.urls"))]


def _person(email: str, given: str, family: str) -> Person:
    p = Person(email=email, given_name=given, family_name=family)
    p.sort_key = sort_name(given, "", family)
    p.set_unusable_password()
    return p


def build() -> dict[str, str]:
    """Bulk-build the dataset (setup, not measured)."""
    today = timezone.localdate()
    tag = uuid.uuid4().hex[:6]
    small = Network.objects.create(slug=f"small-{tag}", name="Klein netwerk")
    large = Network.objects.create(slug=f"large-{tag}", name="Groot netwerk")
    fifty = Network.objects.create(slug=f"fifty-{tag}", name="Netwerk van 50")
    coordinator = Person.objects.create_user(
        f"coord-{tag}@bench.example", "x", given_name="Cora", family_name="Coördinator"
    )
    for net in (small, large, fifty):
        NetworkRole.objects.create(network=net, person=coordinator, role="coordinator")
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(slug=f"o{tag}-{i}", name=f"Bedrijf {i:05d}", city="Utrecht")
            for i in range(5010)
        ]
    )
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(
                network=small, organisation=o, status=NetworkMembershipStatus.APPROVED
            )
            for o in orgs[:10]
        ]
        + [
            NetworkMembership(
                network=large, organisation=o, status=NetworkMembershipStatus.APPROVED
            )
            for o in orgs[10:]
        ]
        + [
            NetworkMembership(
                network=fifty, organisation=o, status=NetworkMembershipStatus.APPROVED
            )
            for o in orgs[10:60]
        ]
    )
    # Two people in every organisation, so the per-organisation head count has work to do.
    people = Person.objects.bulk_create(
        [
            _person(f"p{tag}-{i}@bench.example", "Piet", f"Jansen{i:05d}")
            for i in range(2 * len(orgs))
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(person=p, organisation=orgs[i // 2], start_date=today)
            for i, p in enumerate(people)
        ]
    )
    # One organisation with 1,000 members and its admin.
    big = orgs[0]
    admin = Person.objects.create_user(
        f"admin-{tag}@bench.example", "x", given_name="Anne", family_name="Beheer"
    )
    members = Person.objects.bulk_create(
        [_person(f"m{tag}-{i}@bench.example", "Marie", f"de Vries{i:04d}") for i in range(1000)]
    )
    rows = Membership.objects.bulk_create(
        [
            Membership(person=p, organisation=big, start_date=today, function_title="Medewerker")
            for p in members
        ]
        + [Membership(person=admin, organisation=big, start_date=today)]
    )
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=m, role=Role.LEARNER) for m in rows]
        + [MembershipRole(membership=rows[-1], role=Role.ORG_ADMIN)]
    )
    # A live database has planner statistics (PostgreSQL's autovacuum, SQLite's ANALYZE); a
    # freshly bulk-loaded one does not, and would be measured with plans nobody runs.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "coordinator": coordinator.email,
        "admin": admin.email,
        "small": small.slug,
        "large": large.slug,
        "fifty": fifty.slug,
        "big_org": big.slug,
    }


def measure(client: Client, url: str) -> tuple[float, float, int, int]:
    client.get(url)  # warm up
    times = []
    queries = 0
    status = 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        status = response.status_code
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, queries, status


def main() -> None:
    data = build()
    vendor = DATABASE
    results = []
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], STORAGES=plain_static
    ):
        coordinator = Client()
        coordinator.force_login(Person.objects.get(email=data["coordinator"]))
        admin = Client()
        admin.force_login(Person.objects.get(email=data["admin"]))
        floor = measure(coordinator, "/__floor__/")
        scenarios = [
            (
                "framework floor (constant page, logged in)",
                coordinator,
                "/__floor__/",
                1,
                "framework floor",
                "-",
            ),
            (
                "people list, organisation of 1,000",
                admin,
                f"/org/{data['big_org']}/people/",
                1001,
                "people list, organisation of 1,000",
                "1,003 people",
            ),
            (
                "organisation list, network of 10",
                coordinator,
                f"/networks/{data['small']}/organisations/",
                10,
                "organisation list, network of 10",
                "10 organisations",
            ),
            (
                "organisation list, network of 50 (one full page)",
                coordinator,
                f"/networks/{data['fifty']}/organisations/",
                50,
                "organisation list, network of 50 (one full page)",
                "50 organisations",
            ),
            (
                "organisation list, network of 5,000",
                coordinator,
                f"/networks/{data['large']}/organisations/",
                5000,
                "organisation list, network of 5,000 (page of 50)",
                "5,000 organisations",
            ),
            (
                "home page, coordinator of both",
                coordinator,
                "/",
                2,
                "home page, coordinator of 3 networks",
                "3 networks",
            ),
        ]
        for name, client, url, rows, short, size in scenarios:
            median, p95, queries, _ = floor if url == "/__floor__/" else measure(client, url)
            results.append((name, median, p95, queries, rows))
            summary_row(
                scenario=short,
                median_ms=median,
                p95_ms=p95,
                queries=queries,
                rows=size,
                floor_ms=floor[0],
            )
    print(f"\n### Lists ({vendor}, {REPEAT} requests each, server time in-process)\n")
    print("| scenario | database | median ms | p95 ms | queries/request | rows | ratio to floor |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, median, p95, queries, rows in results:
        print(
            f"| {name} | {vendor} | {median:.1f} | {p95:.1f} | {queries} | {rows} | {median / floor[0]:.1f} |"
        )
    small = next(r for r in results if r[0].endswith("network of 10"))
    large = next(r for r in results if r[0].endswith("network of 5,000"))
    fifty = next(r for r in results if "network of 50 " in r[0])
    print(
        f"\nRatio organisation list 5,000 / 10 organisations: **{large[1] / small[1]:.2f}** (goal ≤ 1.2; the 5,000 page renders 50 rows, the 10 page 10)"
    )
    print(
        f"Ratio organisation list 5,000 / 50 organisations (same 50 rows rendered): **{large[1] / fifty[1]:.2f}**"
    )


if __name__ == "__main__":
    main()
