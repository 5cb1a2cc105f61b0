"""The learning catalogue at the size of a busy network.

A network with 2,000 catalogue items (1,000 shared by the network, 500 private to the measured
organisation, 500 private to another member, which must stay invisible), three tags each from a
pool of 60; a learner with 50 enrolments; an organisation admin leading 200 people who are each
enrolled in the same 20 items (4,000 enrolments, some done, some overdue). Rows are bulk-loaded
for speed; the pages are then read through Django's test client (middleware, views, templates).

Each row gives the median and 95th percentile of the server time and the number of queries,
which must not depend on the number of rows (the tests in tests/learning assert that too).

    uv run python benchmarks/run.py learning                                  # SQLite
    .ci/with-postgres uv run python benchmarks/bench_learning.py              # PostgreSQL
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

from gilde.learning.models import (  # noqa: E402
    CatalogueItem,
    Enrolment,
    EnrolmentStatus,
    EnrolmentVia,
    ItemKind,
    ItemStatus,
    Tag,
)
from gilde.people.models import Person  # noqa: E402
from gilde.people.names import sort_name  # noqa: E402
from gilde.tenancy.models import (  # noqa: E402
    Membership,
    MembershipRole,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    Organisation,
    Role,
)

ITEMS_NETWORK, ITEMS_OWN, ITEMS_OTHER = 1000, 500, 500
LEARNER_ENROLMENTS = 50
TEAM, TEAM_ITEMS = 200, 20
REPEAT = 30
BATCH = 1000
KINDS = [ItemKind.EXTERNAL, ItemKind.LESSON, ItemKind.ON_THE_JOB, ItemKind.EVENT]
WORDS = [
    "webwinkel", "klantdata", "marketing", "veiligheid", "lassen", "frezen", "kassa",
    "voorraad", "service", "gesprek", "planning", "hygiëne", "excel", "sociale media",
    "fotografie", "leiderschap", "coachen", "feedback", "ergonomie", "eerste hulp",
]  # fmt: skip


def floor_view(request: HttpRequest) -> HttpResponse:
    """The framework floor: a constant page for a logged-in person (session and user loaded,
    as on every real page), no data of our own."""
    return HttpResponse(
        f"<!doctype html><title>floor</title><p>{request.user.is_authenticated}</p>"
    )


urlpatterns = [path("__floor__/", floor_view), path("", include("gilde.urls"))]


def _people(tag: str, n: int) -> list[Person]:
    rows = []
    for i in range(n):
        person = Person(
            email=f"{tag}-{i}@bench.example", given_name="Sam", family_name=f"Jansen{i:05d}"
        )
        person.sort_key = sort_name("Sam", "", f"Jansen{i:05d}")
        person.set_unusable_password()
        rows.append(person)
    return Person.objects.bulk_create(rows, batch_size=BATCH)


def _members(people: list[Person], org: Organisation, role: str, manager: Any = None) -> None:
    since = timezone.localdate() - dt.timedelta(days=100)
    memberships = Membership.objects.bulk_create(
        [Membership(person=p, organisation=org, start_date=since, manager=manager) for p in people],
        batch_size=BATCH,
    )
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=m, role=role) for m in memberships], batch_size=BATCH
    )


def _items(rng: random.Random, n: int, start: int, **owner: Any) -> list[CatalogueItem]:
    rows = []
    for i in range(start, start + n):
        word = WORDS[i % len(WORDS)]
        rows.append(
            CatalogueItem(
                slug=f"item-{i}",
                kind=KINDS[i % len(KINDS)],
                status=ItemStatus.PUBLISHED if i % 10 else ItemStatus.DRAFT,
                title=f"{word.capitalize()} deel {i}",
                summary=f"Korte cursus over {word} voor kleine bedrijven ({i}).",
                language="nl" if i % 7 else "en",
                study_load_hours=Decimal(1 + i % 8),
                provider="Academie" if i % len(KINDS) == 0 else "",
                **owner,
            )
        )
    return CatalogueItem.objects.bulk_create(rows, batch_size=BATCH)


def build() -> dict[str, Any]:
    rng = random.Random(7)
    network = Network.objects.create(slug="bench-net", name="Benchnetwerk")
    org = Organisation.objects.create(slug="bench-org", name="Benchbedrijf")
    other = Organisation.objects.create(slug="bench-other", name="Ander bedrijf")
    for o in (org, other):
        NetworkMembership.objects.create(
            network=network, organisation=o, status=NetworkMembershipStatus.APPROVED
        )
    (admin,) = _people("admin", 1)
    (learner,) = _people("learner", 1)
    _members([admin], org, Role.ORG_ADMIN)
    _members([learner], org, Role.LEARNER)
    team = _people("team", TEAM)
    _members(team, org, Role.LEARNER, manager=admin)

    items = _items(rng, ITEMS_NETWORK, 0, network=network)
    items += _items(rng, ITEMS_OWN, ITEMS_NETWORK, organisation=org)
    items += _items(rng, ITEMS_OTHER, ITEMS_NETWORK + ITEMS_OWN, organisation=other)
    tags = Tag.objects.bulk_create([Tag(name=f"trefwoord {i}") for i in range(60)])
    through = CatalogueItem.tags.through
    through.objects.bulk_create(
        [
            through(catalogueitem_id=item.pk, tag_id=tag.pk)
            for item in items
            for tag in rng.sample(tags, 3)
        ],
        batch_size=BATCH,
    )

    today = timezone.localdate()
    published_own = [
        i for i in items if i.status == ItemStatus.PUBLISHED and i.organisation_id == org.pk
    ]
    enrolments = [
        Enrolment(
            person=learner,
            item=item,
            organisation=org,
            via=EnrolmentVia.SELF,
            due_date=today + dt.timedelta(days=n - 5),
            progress_percent=n % 100,
        )
        for n, item in enumerate(published_own[:LEARNER_ENROLMENTS])
    ]
    course_items = published_own[LEARNER_ENROLMENTS : LEARNER_ENROLMENTS + TEAM_ITEMS]
    for p, person in enumerate(team):
        for c, item in enumerate(course_items):
            done = (p + c) % 3 == 0
            enrolments.append(
                Enrolment(
                    person=person,
                    item=item,
                    organisation=org,
                    via=EnrolmentVia.MANAGER,
                    enrolled_by=admin,
                    due_date=today + dt.timedelta(days=(p + c) % 30 - 10),
                    status=EnrolmentStatus.COMPLETED if done else EnrolmentStatus.ACTIVE,
                    progress_percent=100 if done else (p * c) % 100,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    return {"org": org, "admin": admin, "learner": learner}


def measure(client: Client, url: str, repeat: int = REPEAT) -> tuple[float, float, int]:
    client.get(url)  # warm up
    times = []
    queries = 0
    for _ in range(repeat):
        with count_queries() as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return median(times), p95(times), queries


def main() -> None:
    started = time.perf_counter()
    data = build()
    setup = time.perf_counter() - started
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    catalogue = reverse("learning:catalogue")
    with override_settings(
        ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], STORAGES=plain_static
    ):
        learner = Client()
        learner.force_login(data["learner"])
        admin = Client()
        admin.force_login(data["admin"])
        floor = measure(learner, "/__floor__/")[0]
        team = reverse("learning:team", args=[data["org"].slug])
        items = f"{ITEMS_NETWORK + ITEMS_OWN + ITEMS_OTHER:,} items"
        enrolments = f"{LEARNER_ENROLMENTS} enrolments"
        progress = f"{TEAM} people × {TEAM_ITEMS} items"
        # The last element is the size for the runner's summary; None leaves a row out of it
        # (two-word search does the same work as one-word search).
        scenarios = [
            ("catalogue, first page (1,350 of the 2,000 visible)", learner, catalogue, items),
            ("catalogue, search one word", learner, f"{catalogue}?q=marketing", items),
            ("catalogue, search two words", learner, f"{catalogue}?q=korte+lassen", None),
            (
                "catalogue, kind and language",
                learner,
                f"{catalogue}?kind=external&language=en",
                items,
            ),
            ("catalogue, page 40", learner, f"{catalogue}?page=40", items),
            (
                f"home page, learner with {LEARNER_ENROLMENTS} enrolments",
                learner,
                "/",
                enrolments,
            ),
            (
                f"my learning ({LEARNER_ENROLMENTS} enrolments)",
                learner,
                reverse("learning:mine"),
                enrolments,
            ),
            (f"team progress, first 50 of {TEAM} × {TEAM_ITEMS}", admin, team, progress),
            (
                f"team progress, last page of {TEAM} × {TEAM_ITEMS}",
                admin,
                f"{team}?page=4",
                progress,
            ),
        ]
        rows = []
        for label, client, url, covers in scenarios:
            med, high, queries = measure(client, url)
            rows.append((label, f"{med:.1f}", f"{high:.1f}", queries))
            if covers is not None:
                summary_row(
                    scenario=label,
                    median_ms=med,
                    p95_ms=high,
                    queries=queries,
                    rows=covers,
                    floor_ms=floor,
                )
    print(f"### Learning catalogue ({DATABASE})\n")
    print(
        f"{ITEMS_NETWORK + ITEMS_OWN + ITEMS_OTHER:,} items, {TEAM} people × {TEAM_ITEMS} items; "
        f"loaded in {setup:.1f} s; {REPEAT} requests per row.\n"
    )
    print(markdown_table(["page", "median ms", "p95 ms", "queries"], rows))
    print()


if __name__ == "__main__":
    main()
