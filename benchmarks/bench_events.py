"""Events at the size of a busy network.

A network with ten member organisations and 1,200 people; an event series with 12 sessions of
100 participants each (six sessions over, with attendance and feedback; six to come), and a
public series with 1,000 sessions for the network's calendar feed. A smaller series (12 × 10)
and a 100-session feed are measured too: the number of queries must be the same at both sizes
(tests/events assert that as well). Rows are bulk-loaded; the pages are read through Django's
test client (middleware, views, templates); the feeds are parsed back with `icalendar` once to
check they hold every session.

    uv run python benchmarks/run.py events                                  # SQLite
    .ci/with-postgres uv run python benchmarks/bench_events.py              # PostgreSQL
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import count_queries, markdown_table, median, p95, setup_django, summary_row

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
DATABASE = setup_django()

from django.conf import settings  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from icalendar import Calendar  # noqa: E402

from gilde.events.models import (  # noqa: E402
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    EventSeries,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
)
from gilde.learning.models import CatalogueItem, ItemKind, ItemStatus  # noqa: E402
from gilde.people.models import Person  # noqa: E402
from gilde.tenancy.models import (  # noqa: E402
    Membership,
    MembershipRole,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    NetworkRole,
    NetworkRoleKind,
    Organisation,
    Role,
)

ORGS, PEOPLE = 10, 1200
SESSIONS, PARTICIPANTS = 12, 100
FEED_SESSIONS = 1000
REPEAT = 30
BATCH = 500


def floor_view(request: HttpRequest) -> HttpResponse:
    """The framework floor: a constant page through the same middleware (for a logged-in
    person, session and user loaded; for an anonymous visitor, nothing)."""
    return HttpResponse(
        f"<!doctype html><title>floor</title><p>{request.user.is_authenticated}</p>"
    )


urlpatterns = [path("__floor__/", floor_view), path("", include("gilde.urls"))]


def _series(network: Network, title: str, *, public: bool = False) -> EventSeries:
    item = CatalogueItem.objects.create(
        network=network,
        slug=title.lower().replace(" ", "-"),
        kind=ItemKind.EVENT,
        status=ItemStatus.PUBLISHED,
        title=title,
        study_load_hours=Decimal("2"),
    )
    return EventSeries.objects.create(
        item=item, public=public, target_participants=900, target_per_session=80
    )


def _sessions(series: EventSeries, n: int, *, first: dt.datetime) -> list[Session]:
    return Session.objects.bulk_create(
        [
            Session(
                series=series,
                title=f"Sessie {i + 1}",
                starts_at=first + dt.timedelta(days=7 * i),
                ends_at=first + dt.timedelta(days=7 * i, hours=2),
                address="Energieweg 1, Zaandam",
                capacity=120,
                audience="employees",
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )


def _fill(
    sessions: list[Session], people: list[Person], orgs: dict[int, int], per: int, rng: Any
) -> None:
    now = timezone.now()
    registrations, attendances, feedback = [], [], []
    for session in sessions:
        for person in rng.sample(people, per):
            registrations.append(
                Registration(
                    session=session,
                    person=person,
                    organisation_id=orgs[person.pk],
                    status=RegistrationStatus.CONFIRMED,
                    confirmed_at=now,
                )
            )
            if session.ends_at < now and rng.random() < 0.85:
                attendances.append(
                    Attendance(
                        session=session,
                        person=person,
                        organisation_id=orgs[person.pk],
                        status=AttendanceStatus.PRESENT,
                        method=CheckInMethod.HOST,
                    )
                )
                if rng.random() < 0.2:
                    feedback.append(
                        Feedback(session=session, person=person, score=rng.randint(3, 5))
                    )
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    Feedback.objects.bulk_create(feedback, batch_size=BATCH)


def build() -> dict[str, Any]:
    rng = random.Random(8)
    network = Network.objects.create(slug="bench-events", name="Bench events")
    orgs = Organisation.objects.bulk_create(
        [Organisation(slug=f"bench-org-{i}", name=f"Bedrijf {i}") for i in range(ORGS)]
    )
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(
                network=network, organisation=o, status=NetworkMembershipStatus.APPROVED
            )
            for o in orgs
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(email=f"p{i}@bench.example", given_name="Piet", family_name=f"Deelnemer {i}")
            for i in range(PEOPLE)
        ],
        batch_size=BATCH,
    )
    people = list(Person.objects.filter(email__endswith="@bench.example").order_by("pk"))
    start = timezone.localdate() - dt.timedelta(days=365)
    memberships = Membership.objects.bulk_create(
        [
            Membership(person=p, organisation=orgs[i % ORGS], start_date=start)
            for i, p in enumerate(people)
        ],
        batch_size=BATCH,
    )
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=m, role=Role.LEARNER) for m in memberships], batch_size=BATCH
    )
    coordinator = people[0]
    NetworkRole.objects.create(
        network=network, person=coordinator, role=NetworkRoleKind.COORDINATOR
    )
    org_of = {p.pk: orgs[i % ORGS].pk for i, p in enumerate(people)}
    first = timezone.now() - dt.timedelta(days=7 * SESSIONS // 2)
    big = _series(network, "Avondsessies groot")
    big_sessions = _sessions(big, SESSIONS, first=first)
    _fill(big_sessions, people, org_of, PARTICIPANTS, rng)
    small = _series(network, "Avondsessies klein")
    _fill(_sessions(small, SESSIONS, first=first), people, org_of, PARTICIPANTS // 10, rng)
    feed_small = Network.objects.create(slug="bench-feed-small", name="Klein netwerk")
    NetworkMembership.objects.create(
        network=feed_small, organisation=orgs[0], status=NetworkMembershipStatus.APPROVED
    )
    _sessions(_series(network, "Open kalender", public=True), FEED_SESSIONS, first=first)
    _sessions(_series(feed_small, "Open kalender klein", public=True), 100, first=first)
    return {
        "coordinator": coordinator,
        "network": network,
        "feed_small": feed_small,
        "big": big.item,
        "small": small.item,
        "session": big_sessions[0],
    }


def measure(client: Client, url: str, repeat: int = REPEAT) -> tuple[float, float, int, bytes]:
    client.get(url)  # warm up
    times = []
    queries = 0
    body = b""
    for _ in range(repeat):
        with count_queries() as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        body = response.content
    return median(times), p95(times), queries, body


def main() -> None:
    started = time.perf_counter()
    data = build()
    setup = time.perf_counter() - started
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], STORAGES=plain_static
    ):
        coordinator = Client()
        coordinator.force_login(data["coordinator"])
        anonymous = Client()
        floors = {
            coordinator: (measure(coordinator, "/__floor__/")[0], "framework"),
            anonymous: (measure(anonymous, "/__floor__/")[0], "framework, anonymous"),
        }
        feed = reverse("events:network-feed", args=[data["network"].slug])
        small_feed = reverse("events:network-feed", args=[data["feed_small"].slug])
        scenarios = [
            (
                f"series page, {SESSIONS} × {PARTICIPANTS // 10}, with progress",
                coordinator,
                reverse("events:series", args=[data["small"].uuid]),
                None,
                f"{SESSIONS} sessions × {PARTICIPANTS // 10} participants",
            ),
            (
                f"series page, {SESSIONS} × {PARTICIPANTS}, with progress",
                coordinator,
                reverse("events:series", args=[data["big"].uuid]),
                None,
                f"{SESSIONS} sessions × {PARTICIPANTS} participants",
            ),
            (
                f"session page, {PARTICIPANTS} participants",
                coordinator,
                reverse("events:session", args=[data["session"].uuid]),
                None,
                f"{PARTICIPANTS} participants",
            ),
            (
                f"attendance list, {PARTICIPANTS} participants",
                coordinator,
                reverse("events:attendance", args=[data["session"].uuid]),
                None,
                f"{PARTICIPANTS} participants",
            ),
            ("network calendar feed, 100 sessions", anonymous, small_feed, 100, "100 sessions"),
            (
                f"network calendar feed, {FEED_SESSIONS:,} sessions",
                anonymous,
                feed,
                FEED_SESSIONS,
                f"{FEED_SESSIONS:,} sessions",
            ),
        ]
        rows = []
        for label, client, url, expected, covers in scenarios:
            med, high, queries, body = measure(client, url)
            if expected is not None:
                found = [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]
                if len(found) != expected:
                    raise SystemExit(f"{url}: {len(found)} events, expected {expected}")
            rows.append((label, f"{med:.1f}", f"{high:.1f}", queries))
            floor_ms, floor = floors[client]
            summary_row(
                scenario=label,
                median_ms=med,
                p95_ms=high,
                queries=queries,
                rows=covers,
                floor_ms=floor_ms,
                floor=floor,
            )
    print(f"### Events ({DATABASE})\n")
    print(
        f"{PEOPLE:,} people in {ORGS} organisations; loaded in {setup:.1f} s; "
        f"{REPEAT} requests per row.\n"
    )
    print(markdown_table(["page", "median ms", "p95 ms", "queries"], rows))
    print()


if __name__ == "__main__":
    main()
