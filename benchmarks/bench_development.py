"""Development at the size of a busy network.

- A manager's team overview of 200 people, each with a plan (draft, waiting, agreed or closed),
  two goals and six actions (some overdue) and two check-ins; and the same for 20 people: the
  number of queries must be the same at both sizes (tests/development assert that too).
- A network's needs-analysis report across 50 member organisations with 5,000 anonymous
  responses on 10 competencies (50,000 answers); and across 5 organisations with 500: again the
  same number of queries.

Rows are bulk-loaded; the pages are read through Django's test client (middleware, views,
templates, the heatmap).

    uv run python benchmarks/run.py development                             # SQLite
    .ci/with-postgres uv run python benchmarks/bench_development.py         # PostgreSQL
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
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

from gilde.competencies.models import (  # noqa: E402
    Competency,
    Framework,
    FrameworkVersion,
    ScaleLevel,
    VersionStatus,
)
from gilde.development.models import (  # noqa: E402
    ActionKind,
    ActionStatus,
    CheckIn,
    CheckInStatus,
    DevelopmentPlan,
    Goal,
    GoalCompetency,
    PlanAction,
    PlanStatus,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyMode,
    SurveyResponse,
    SurveyStatus,
)
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

TEAM_BIG, TEAM_SMALL = 200, 20
ORGS_BIG, RESPONSES_BIG = 50, 5000
ORGS_SMALL, RESPONSES_SMALL = 5, 500
CODES = [f"NB-{n:02d}" for n in range(1, 11)]
REPEAT = 20
BATCH = 1000


def floor_view(request: HttpRequest) -> HttpResponse:
    """The framework floor: a constant page for a logged-in person (session and user loaded,
    as on every real page), no data of our own."""
    return HttpResponse(
        f"<!doctype html><title>floor</title><p>{request.user.is_authenticated}</p>"
    )


urlpatterns = [path("__floor__/", floor_view), path("", include("gilde.urls"))]


def _people(prefix: str, n: int) -> list[Person]:
    Person.objects.bulk_create(
        [
            Person(
                email=f"{prefix}{i}@bench.example", given_name="Piet", family_name=f"{prefix} {i}"
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    return list(Person.objects.filter(email__startswith=prefix).order_by("pk"))


def _members(people: list[Person], orgs: list[Organisation], manager: Person | None = None) -> None:
    start = timezone.localdate() - dt.timedelta(days=400)
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                person=p, organisation=orgs[i % len(orgs)], manager=manager, start_date=start
            )
            for i, p in enumerate(people)
        ],
        batch_size=BATCH,
    )
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=m, role=Role.LEARNER) for m in memberships], batch_size=BATCH
    )


def _framework(network: Network) -> tuple[Framework, FrameworkVersion, list[Competency]]:
    framework = Framework.objects.create(slug="bench-dev", name="Bench", network=network)
    version = FrameworkVersion.objects.create(
        framework=framework, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    ScaleLevel.objects.bulk_create(
        [ScaleLevel(version=version, value=v, label=str(v)) for v in (1, 2, 3, 4)]
    )
    competencies = Competency.objects.bulk_create(
        [
            Competency(version=version, code=code, name=f"Vak {code}", position=i)
            for i, code in enumerate(CODES)
        ]
    )
    return framework, version, competencies


def _team(org: Organisation, prefix: str, size: int, competency: Competency, rng: Any) -> Person:
    manager = _people(f"{prefix}lead", 1)[0]
    _members([manager], [org])
    MembershipRole.objects.create(
        membership=Membership.objects.get(person=manager), role=Role.MANAGER
    )
    people = _people(prefix, size)
    _members(people, [org], manager=manager)
    today = timezone.localdate()
    statuses = [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.AGREED, PlanStatus.CLOSED]
    plans = DevelopmentPlan.objects.bulk_create(
        [
            DevelopmentPlan(
                person=p,
                organisation=org,
                title="Plan",
                period_start=today - dt.timedelta(days=100),
                period_end=today + dt.timedelta(days=265),
                learning_question="Vraag",
                status=statuses[i % 4],
                submitted_at=timezone.now() if i % 4 else None,
                agreed_at=timezone.now() if i % 4 >= 2 else None,
            )
            for i, p in enumerate(people)
            if i % 10  # one in ten has no plan
        ],
        batch_size=BATCH,
    )
    goals = Goal.objects.bulk_create(
        [
            Goal(plan=plan, position=n, what=f"Doel {n}", due_date=today + dt.timedelta(days=60))
            for plan in plans
            for n in (1, 2)
        ],
        batch_size=BATCH,
    )
    GoalCompetency.objects.bulk_create(
        [GoalCompetency(goal=g, competency=competency, target_level=3) for g in goals],
        batch_size=BATCH,
    )
    PlanAction.objects.bulk_create(
        [
            PlanAction(
                goal=g,
                position=n,
                kind=ActionKind.OTHER,
                description="Actie",
                due_date=today + dt.timedelta(days=rng.randint(-30, 60)),
                status=rng.choice([ActionStatus.OPEN, ActionStatus.DONE]),
            )
            for g in goals
            for n in (1, 2, 3)
        ],
        batch_size=BATCH,
    )
    now = timezone.now()
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                person=p,
                leader=manager,
                organisation=org,
                scheduled_for=now + dt.timedelta(days=offset),
                status=CheckInStatus.HELD if offset < 0 else CheckInStatus.PLANNED,
                held_at=now + dt.timedelta(days=offset) if offset < 0 else None,
            )
            for p in people
            for offset in (-rng.randint(1, 80), rng.randint(1, 40))
        ],
        batch_size=BATCH,
    )
    return manager


def _survey(
    network: Network,
    framework: Framework,
    version: FrameworkVersion,
    orgs: list[Organisation],
    responses: int,
    rng: Any,
    tag: str,
) -> Survey:
    people = _people(f"{tag}r", responses)
    _members(people, orgs)
    survey = Survey.objects.create(
        network=network,
        title=f"Behoeftepeiling {tag}",
        framework=framework,
        version=version,
        codes=CODES,
        open_questions=["Wat helpt jou?"],
        mode=SurveyMode.ANONYMOUS,
        status=SurveyStatus.CLOSED,
        closes_on=timezone.localdate(),
    )
    SurveyInvitation.objects.bulk_create(
        [
            SurveyInvitation(
                survey=survey, person=p, organisation=orgs[i % len(orgs)], answered=True
            )
            for i, p in enumerate(people)
        ],
        batch_size=BATCH,
    )
    stored = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey,
                organisation=orgs[i % len(orgs)],
                prefers_on_the_job=rng.random() < 0.7,
                prefers_elearning=rng.random() < 0.4,
                hours_per_week=rng.choice(["lt1", "1-2", "2-4", "gt4"]),
                open_answers=["Meer oefenen" if rng.random() < 0.3 else ""],
            )
            for i in range(responses)
        ],
        batch_size=BATCH,
    )
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(
                response=r,
                code=code,
                need=rng.randint(1, 4),
                level=(level := rng.randint(1, 4)),
                level_normalised=(level - 1) / 3,
            )
            for r in stored
            for code in CODES
        ],
        batch_size=BATCH,
    )
    return survey


def build() -> dict[str, Any]:
    rng = random.Random(4)
    network = Network.objects.create(slug="bench-development", name="Bench development")
    orgs = Organisation.objects.bulk_create(
        [Organisation(slug=f"bench-dev-org-{i}", name=f"Bedrijf {i:02d}") for i in range(ORGS_BIG)]
    )
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(
                network=network, organisation=o, status=NetworkMembershipStatus.APPROVED
            )
            for o in orgs
        ]
    )
    small_network = Network.objects.create(slug="bench-development-small", name="Klein")
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(
                network=small_network, organisation=o, status=NetworkMembershipStatus.APPROVED
            )
            for o in orgs[:ORGS_SMALL]
        ]
    )
    coordinator = _people("coord", 1)[0]
    _members([coordinator], [orgs[0]])
    for n in (network, small_network):
        NetworkRole.objects.create(network=n, person=coordinator, role=NetworkRoleKind.COORDINATOR)
    framework, version, competencies = _framework(network)
    big_manager = _team(orgs[0], "big", TEAM_BIG, competencies[0], rng)
    small_manager = _team(orgs[1], "small", TEAM_SMALL, competencies[0], rng)
    big = _survey(network, framework, version, orgs, RESPONSES_BIG, rng, "b")
    small = _survey(small_network, framework, version, orgs[:ORGS_SMALL], RESPONSES_SMALL, rng, "s")
    return {
        "coordinator": coordinator,
        "big_manager": big_manager,
        "small_manager": small_manager,
        "orgs": orgs,
        "big": big,
        "small": small,
    }


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
    with override_settings(
        ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], STORAGES=plain_static
    ):

        def logged_in(person: Person) -> Client:
            client = Client()
            client.force_login(person)
            return client

        floor = measure(logged_in(data["coordinator"]), "/__floor__/")[0]
        orgs = data["orgs"]
        scenarios = [
            (
                f"team overview, {TEAM_SMALL} people",
                logged_in(data["small_manager"]),
                reverse("development:team", args=[orgs[1].slug]),
                f"{TEAM_SMALL} people",
            ),
            (
                f"team overview, {TEAM_BIG} people",
                logged_in(data["big_manager"]),
                reverse("development:team", args=[orgs[0].slug]),
                f"{TEAM_BIG} people",
            ),
            (
                f"needs report, {ORGS_SMALL} organisations, {RESPONSES_SMALL:,} responses",
                logged_in(data["coordinator"]),
                reverse("development:survey-report", args=[data["small"].uuid]),
                f"{RESPONSES_SMALL:,} responses × {len(CODES)} competencies",
            ),
            (
                f"needs report, {ORGS_BIG} organisations, {RESPONSES_BIG:,} responses",
                logged_in(data["coordinator"]),
                reverse("development:survey-report", args=[data["big"].uuid]),
                f"{RESPONSES_BIG:,} responses × {len(CODES)} competencies",
            ),
            (
                f"needs report export (XLSX), {ORGS_BIG} organisations",
                logged_in(data["coordinator"]),
                reverse("development:survey-export", args=[data["big"].uuid, "xlsx"]),
                f"{RESPONSES_BIG:,} responses × {len(CODES)} competencies",
            ),
        ]
        rows = []
        for label, client, url, covers in scenarios:
            med, high, queries = measure(client, url)
            rows.append((label, f"{med:.1f}", f"{high:.1f}", queries))
            summary_row(
                scenario=label,
                median_ms=med,
                p95_ms=high,
                queries=queries,
                rows=covers,
                floor_ms=floor,
            )
    print(f"### Development ({DATABASE})\n")
    print(
        f"Team overviews of {TEAM_SMALL} and {TEAM_BIG} people; needs reports over "
        f"{RESPONSES_SMALL:,} and {RESPONSES_BIG:,} anonymous responses × {len(CODES)} "
        f"competencies; loaded in {setup:.1f} s; {REPEAT} requests per row.\n"
    )
    print(markdown_table(["page", "median ms", "p95 ms", "queries"], rows))
    print()


if __name__ == "__main__":
    main()
