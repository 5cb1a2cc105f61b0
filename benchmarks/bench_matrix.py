"""The team at a glance for a large organisation, and the network-wide gaps.

One organisation of 1,000 people with a function profile of 60 competencies and about ten ratings
per cell (600,000 assessments, 60,000 current levels), and 4,000 more people with the same
profile at 20 other organisations of the network (one rating on half of the competencies each),
so that the coordinator's aggregate covers 5,000 people. Ratings are bulk-loaded for speed; the
current levels are worked out from them with the same rule as the service (latest validating
rating, else latest self-rating; a disagreement at two or more steps).

Server time is measured in-process through Django's test client (middleware, views, templates),
next to a framework floor: a bare view returning a constant page for a logged-in person. The
matrix goal is a p95 below 150 ms for a page of 50 people × 60 competencies.

    uv run python benchmarks/run.py matrix                                   # SQLite
    .ci/with-postgres uv run python benchmarks/bench_matrix.py               # PostgreSQL
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import count_queries, markdown_table, median, p95, setup_django, summary_row

# Production-like (DEBUG off) but served over plain HTTP by the in-process client.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
DATABASE = setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from gilde.competencies.models import (  # noqa: E402
    VALIDATING_ROLES,
    Assessment,
    AssessmentSource,
    Category,
    Competency,
    CurrentLevel,
    Framework,
    FrameworkVersion,
    FunctionProfile,
    ProfileAssignment,
    RaterRole,
    Requirement,
    ScaleLevel,
    VersionStatus,
)
from gilde.people.models import Person  # noqa: E402
from gilde.people.names import sort_name  # noqa: E402
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

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
PEOPLE = int(os.environ.get("BENCH_MATRIX_PEOPLE", "1000"))
NETWORK_PEOPLE = int(os.environ.get("BENCH_NETWORK_PEOPLE", "5000"))
COMPETENCIES = 60
LEVELS = (1, 2, 3, 4)
BATCH = 2000


def floor_view(request: HttpRequest) -> HttpResponse:
    """The framework floor: a constant page for a logged-in person (session and user loaded,
    as on every real page), no data of our own."""
    return HttpResponse(
        f"<!doctype html><title>floor</title><p>{request.user.is_authenticated}</p>"
    )


urlpatterns = [path("__floor__/", floor_view), path("", include("gilde.urls"))]


def _norm(level: int) -> float:
    return (level - LEVELS[0]) / (LEVELS[-1] - LEVELS[0])


def _people(tag: str, start: int, n: int) -> list[Person]:
    rows = []
    for i in range(start, start + n):
        person = Person(
            email=f"p{tag}-{i}@bench.example", given_name="Sanne", family_name=f"Bakker{i:05d}"
        )
        person.sort_key = sort_name("Sanne", "", f"Bakker{i:05d}")
        person.set_unusable_password()
        rows.append(person)
    return Person.objects.bulk_create(rows, batch_size=BATCH)


def _members(
    people: list[Person], organisation: Organisation, since: dt.date, manager: Person | None
) -> list[Membership]:
    rows = Membership.objects.bulk_create(
        [
            Membership(
                person=p,
                organisation=organisation,
                start_date=since,
                manager=manager,
                function_title="Verspaner",
            )
            for p in people
        ],
        batch_size=BATCH,
    )
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=m, role=Role.LEARNER) for m in rows], batch_size=BATCH
    )
    return rows


class Loader:
    """Ratings and current levels for many people, loaded in batches of people so that memory
    stays small."""

    def __init__(
        self, framework: Framework, competencies: list[Competency], organisation: Organisation
    ) -> None:
        self.framework = framework
        self.competencies = competencies
        self.organisation = organisation
        self.assessments = 0
        self.current = 0

    def load(self, people: list[Person], plan: Any, rater: Person, rng: random.Random) -> None:
        for start in range(0, len(people), 25):
            chunk = people[start : start + 25]
            history: list[Assessment] = []
            for person in chunk:
                for competency in self.competencies:
                    history += plan(person, competency, rater, rng)
            with transaction.atomic():
                created = Assessment.objects.bulk_create(history, batch_size=BATCH)
                CurrentLevel.objects.bulk_create(self._current(created), batch_size=BATCH)
            self.assessments += len(created)

    def rating(
        self,
        person: Person,
        competency: Competency,
        rater: Person | None,
        role: str,
        level: int,
        on: dt.date,
        n: int,
    ) -> Assessment:
        return Assessment(
            uuid=uuid.uuid4(),
            person=person,
            competency=competency,
            framework=self.framework,
            level=level,
            normalised=_norm(level),
            rater=rater,
            rater_role=role,
            organisation=self.organisation,
            source=AssessmentSource.DIRECT,
            assessed_on=on,
            created_at=dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(minutes=n),
        )

    def _current(self, created: list[Assessment]) -> list[CurrentLevel]:
        """The service's rule, applied to the loaded ratings."""
        latest: dict[tuple[int, str], list[Assessment | None]] = {}
        for a in sorted(created, key=lambda a: (a.assessed_on, a.created_at, a.pk or 0)):
            slot = latest.setdefault((a.person_id, a.competency.code), [None, None])
            if a.rater_role in VALIDATING_ROLES:
                slot[0] = a
            elif a.rater_role == RaterRole.SELF:
                slot[1] = a
        rows = []
        now = timezone.now()
        for (person_id, code), (validated, self_rated) in latest.items():
            v = validated.normalised if validated else None
            s = self_rated.normalised if self_rated else None
            rows.append(
                CurrentLevel(
                    person_id=person_id,
                    framework=self.framework,
                    code=code,
                    validated=validated,
                    validated_normalised=v,
                    self_rating=self_rated,
                    self_normalised=s,
                    disagreement=v is not None and s is not None and abs(v - s) >= 2 / 3 - 1e-9,
                    updated_at=now,
                )
            )
        self.current += len(rows)
        return rows


def build() -> dict[str, Any]:
    """Bulk-build the dataset (setup, not measured)."""
    rng = random.Random(2026)
    today = timezone.localdate()
    since = today - dt.timedelta(days=800)
    tag = uuid.uuid4().hex[:6]
    network = Network.objects.create(slug=f"net-{tag}", name="Techniek Gelderland")
    big = Organisation.objects.create(slug=f"big-{tag}", name="Verspaning Groot")
    others = Organisation.objects.bulk_create(
        [Organisation(slug=f"o{tag}-{i}", name=f"Werkplaats {i:02d}") for i in range(20)]
    )
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(
                network=network, organisation=o, status=NetworkMembershipStatus.APPROVED
            )
            for o in [big, *others]
        ]
    )
    admin = Person.objects.create_user(
        f"admin-{tag}@bench.example", "x", given_name="Anne", family_name="Beheer"
    )
    coordinator = Person.objects.create_user(
        f"coord-{tag}@bench.example", "x", given_name="Cora", family_name="Coördinator"
    )
    NetworkRole.objects.create(
        network=network, person=coordinator, role=NetworkRoleKind.COORDINATOR
    )
    admin_membership = Membership.objects.create(person=admin, organisation=big, start_date=since)
    MembershipRole.objects.create(membership=admin_membership, role=Role.ORG_ADMIN)

    framework = Framework.objects.create(slug=f"fw-{tag}", name="Verspanen", network=network)
    version = FrameworkVersion.objects.create(
        framework=framework, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    ScaleLevel.objects.bulk_create(
        [ScaleLevel(version=version, value=v, label=f"niveau {v}") for v in LEVELS]
    )
    categories = Category.objects.bulk_create(
        [
            Category(version=version, name=name, position=i)
            for i, name in enumerate(["Vakkennis", "Meten", "Proces", "21e-eeuwse vaardigheden"])
        ]
    )
    competencies = Competency.objects.bulk_create(
        [
            Competency(
                version=version,
                category=categories[i % len(categories)],
                code=f"VS-{i + 1:02d}",
                name=f"Competentie {i + 1}",
                position=i,
            )
            for i in range(COMPETENCIES)
        ]
    )
    profile = FunctionProfile.objects.create(
        slug=f"verspaner-{tag}", name="CNC-verspaner", version=version, network=network
    )
    Requirement.objects.bulk_create(
        [
            Requirement(profile=profile, competency=c, level=2 + i % 3, weight=1 + i % 3)
            for i, c in enumerate(competencies)
        ]
    )

    # The organisation of 1,000: about ten ratings per cell over two years, self and manager
    # taking turns, levels growing slowly.
    loader = Loader(framework, competencies, big)

    def history(person: Person, competency: Competency, rater: Person, rng: random.Random) -> Any:
        n = rng.randint(6, 14)
        level = rng.choice((1, 1, 2))
        rows = []
        for k in range(n):
            if rng.random() < 0.3 and level < LEVELS[-1]:
                level += 1
            on = since + dt.timedelta(days=int(780 * (k + rng.random()) / n))
            role = RaterRole.SELF if k % 2 == 0 else RaterRole.MANAGER
            shown = min(
                LEVELS[-1], level + (1 if role == RaterRole.SELF and rng.random() < 0.3 else 0)
            )
            who = person if role == RaterRole.SELF else rater
            rows.append(loader.rating(person, competency, who, role, shown, on, k))
        return rows

    people = _people(tag, 0, PEOPLE)
    memberships = _members(people, big, since, admin)
    started = time.perf_counter()
    loader.load(people, history, admin, rng)
    big_ratings, big_current = loader.assessments, loader.current
    big_seconds = time.perf_counter() - started

    # 4,000 more at 20 other organisations: one manager rating on half of the competencies.
    def once(person: Person, competency: Competency, rater: Person, rng: random.Random) -> Any:
        if competency.position % 2:
            return []
        on = today - dt.timedelta(days=rng.randint(0, 400))
        return [
            loader.rating(person, competency, rater, RaterRole.MANAGER, rng.choice(LEVELS), on, 0)
        ]

    extra = NETWORK_PEOPLE - PEOPLE
    other_people = _people(tag, PEOPLE, extra)
    other_memberships = []
    for i, organisation in enumerate(others):
        share = other_people[i * extra // len(others) : (i + 1) * extra // len(others)]
        other_memberships += _members(share, organisation, since, None)
    loader.organisation = others[0]
    loader.load(other_people, once, admin, rng)
    ProfileAssignment.objects.bulk_create(
        [
            ProfileAssignment(person_id=m.person_id, membership=m, profile=profile)
            for m in [*memberships, *other_memberships]
        ],
        batch_size=BATCH,
    )
    # A live database has planner statistics (PostgreSQL's autovacuum, SQLite's ANALYZE); a
    # freshly bulk-loaded one does not, and would be measured with plans nobody runs.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "admin": admin,
        "coordinator": coordinator,
        "organisation": big,
        "network": network,
        "someone": people[PEOPLE // 2],
        "assessments": loader.assessments,
        "current": loader.current,
        "big_assessments": big_ratings,
        "big_current": big_current,
        "big_seconds": big_seconds,
    }


def measure(client: Client, url: str, repeat: int = REPEAT) -> tuple[float, float, int, str]:
    client.get(url)  # warm up
    times = []
    queries = 0
    body = ""
    for _ in range(repeat):
        with count_queries() as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        body = response.content.decode("utf-8-sig", errors="replace")
    return median(times), p95(times), queries, body


def covers(what: str, rows: int, people: int) -> str:
    """The size a summary row covers: what the page shows, out of how many people."""
    if what == "-":
        return "-"
    if what == "people":
        return f"{rows:,} of {people:,} people"
    if what == "ratings":
        return f"{rows:,} ratings"
    return f"{rows:,} {what}, {people:,} people"


def main() -> None:
    started = time.perf_counter()
    data = build()
    setup = time.perf_counter() - started
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    org = data["organisation"].slug
    matrix = reverse("competencies:matrix", args=[org])
    middle = max(1, PEOPLE // 100)
    with override_settings(
        ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], STORAGES=plain_static
    ):
        admin = Client()
        admin.force_login(data["admin"])
        coordinator = Client()
        coordinator.force_login(data["coordinator"])
        floor = measure(admin, "/__floor__/")
        cells = COMPETENCIES * 50
        scenarios: list[tuple[str, Client, str, str, int]] = [
            ("framework floor (constant page, logged in)", admin, "/__floor__/", "-", 1),
            (f"matrix, first page (50 × {COMPETENCIES})", admin, matrix, "cells", REPEAT),
            (
                f"matrix, middle page {middle} (50 × {COMPETENCIES})",
                admin,
                f"{matrix}?page={middle}",
                "cells",
                REPEAT,
            ),
            (
                "matrix, biggest gap first (sorts all 1,000)",
                admin,
                f"{matrix}?sort=gap",
                "cells",
                REPEAT,
            ),
            (
                "matrix, list view for a phone",
                admin,
                f"{matrix}?view=list",
                "people",
                REPEAT,
            ),
            (
                "matrix export, CSV of all people",
                admin,
                reverse("competencies:matrix-export", args=[org, "csv"]),
                "lines",
                5,
            ),
            (
                "gaps of the organisation (1,000 people)",
                admin,
                reverse("competencies:gaps", args=[org]),
                "competencies",
                REPEAT,
            ),
            (
                f"network gaps, coordinator ({NETWORK_PEOPLE:,} people)",
                coordinator,
                reverse("competencies:network-gaps", args=[data["network"].slug]),
                "competencies",
                REPEAT,
            ),
            (
                "one person's profile (about 600 ratings)",
                admin,
                reverse("competencies:person", args=[data["someone"].uuid]),
                "ratings",
                REPEAT,
            ),
        ]
        # The runner's summary: short names (the rows column gives the size); the middle page
        # is left out, as it does the same work as the first.
        summary_names = {
            "framework floor (constant page, logged in)": "framework floor",
            f"matrix, first page (50 × {COMPETENCIES})": "matrix, first page",
            "matrix, biggest gap first (sorts all 1,000)": "matrix, biggest gap first",
            "matrix, list view for a phone": "matrix, list view for a phone",
            "matrix export, CSV of all people": "matrix export, CSV of all people",
            "gaps of the organisation (1,000 people)": "gaps of the organisation",
            f"network gaps, coordinator ({NETWORK_PEOPLE:,} people)": "network gaps, coordinator",
            "one person's profile (about 600 ratings)": "one person's profile",
        }
        results = []
        for name, client, url, what, repeat in scenarios:
            if url == "/__floor__/":
                med, high, queries, body = floor
            else:
                med, high, queries, body = measure(client, url, repeat)
            if what == "cells":
                rows = body.count('<td class="c ')
            elif what == "people":
                rows = body.count('<li class="card">')
            elif what == "lines":
                rows = body.count("\r\n") - 2
            elif what == "competencies":
                rows = body.count('<th scope="row"><strong>')
            elif what == "ratings":
                rows = body.split('id="h-history"')[-1].count("<tr>") - body.split(
                    'id="h-history"'
                )[-1].count("<thead>")
            else:
                rows = 1
            if name in summary_names:
                summary_row(
                    scenario=summary_names[name],
                    median_ms=med,
                    p95_ms=high,
                    queries=queries,
                    rows=covers(what, rows, NETWORK_PEOPLE if client is coordinator else PEOPLE),
                    floor_ms=floor[0],
                )
            results.append(
                (
                    name,
                    DATABASE,
                    f"{med:.1f}",
                    f"{high:.1f}",
                    queries,
                    f"{rows:,}",
                    f"{med / floor[0]:.1f}",
                )
            )
    print(f"\n### Team at a glance ({DATABASE}, {REPEAT} requests each, server time in-process)\n")
    print(
        f"Data: {PEOPLE:,} people × {COMPETENCIES} competencies in one organisation with "
        f"{data['big_assessments']:,} ratings and {data['big_current']:,} current levels; "
        f"{NETWORK_PEOPLE:,} people in the network, {data['assessments']:,} ratings and "
        f"{data['current']:,} current levels in all. Setup {setup:.0f} s (ratings of the "
        f"organisation {data['big_seconds']:.0f} s).\n"
    )
    print(
        markdown_table(
            [
                "scenario",
                "database",
                "median ms",
                "p95 ms",
                "queries/request",
                "rows",
                "ratio to floor",
            ],
            results,
        )
    )
    first = next(r for r in results if r[0].startswith("matrix, first page"))
    verdict = "met" if float(first[3]) < 150 else "NOT met"
    print(f"\nGoal p95 < 150 ms for the matrix page: **{verdict}** ({first[3]} ms).")
    print(f"Cells: {cells:,} per page of the matrix.")


if __name__ == "__main__":
    main()
