"""Monitoring without surveillance: the manager's team overview (who has a plan, agreed, last and
next check-in, overdue actions, goals achieved) in a fixed number of queries; an admin's counts;
a coordinator's counts per member organisation and targets — numbers, never contents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from gilde.development import services
from gilde.development.models import ActionKind, GoalStatus, Measure, PlanAction
from gilde.tenancy.models import MembershipKind, Role
from gilde.tenancy.services import membership_create
from tests.conftest import World, make_person
from tests.development.conftest import DevWorld, agreed_plan, client_for, today, write_plan

pytestmark = pytest.mark.django_db


def test_the_manager_sees_plan_status_check_ins_and_overdue_actions(dev: DevWorld) -> None:
    a = dev.world.a
    plan = agreed_plan(dev)
    goal = plan.goals.get()
    services.goal_status_set(actor=a.learner, goal=goal, status=GoalStatus.ACHIEVED)
    PlanAction.objects.filter(goal=goal).update(due_date=today() - dt.timedelta(days=2))
    check_in = services.check_in_plan(
        actor=a.manager,
        person=a.learner,
        leader=a.manager,
        organisation=a.org,
        ad_hoc=True,
        scheduled_for=None,
    )
    services.check_in_note_add(
        actor=a.learner, check_in=check_in, text="Heel privé", visibility="private"
    )
    services.check_in_plan(
        actor=a.manager,
        person=a.learner,
        leader=a.manager,
        organisation=a.org,
        scheduled_for=timezone.now() + dt.timedelta(days=14),
    )
    page = client_for(a.manager).get(reverse("development:team", args=[a.org.slug]))
    overview = page.context["overview"]
    [row] = overview.rows
    assert row.person == a.learner
    assert row.agreed and (row.goals, row.achieved, row.overdue) == (1, 1, 1)
    assert row.last_check_in is not None and row.next_check_in is not None
    body = page.content.decode()
    assert "Heel privé" not in body and plan.learning_question not in body
    assert overview.totals.agreed_percent == 100


def test_the_admin_sees_everyone_others_get_404(dev: DevWorld) -> None:
    world = dev.world
    write_plan(dev)
    page = client_for(world.a.admin).get(reverse("development:team", args=[world.a.org.slug]))
    overview = page.context["overview"]
    assert len(overview.rows) == 6  # everyone at the organisation but the admin
    assert overview.totals.with_plan == 0  # a draft is not counted as a plan yet
    url = reverse("development:team", args=[world.a.org.slug])
    for person in (
        world.a.learner,
        world.a.mentor,
        world.a.coordinator,
        world.b.manager,
        world.b.admin,
    ):
        assert client_for(person).get(url).status_code == 404


def test_team_overview_queries_are_constant_in_the_number_of_people(
    dev: DevWorld, django_assert_max_num_queries: Any
) -> None:
    a = dev.world.a
    agreed_plan(dev)
    client = client_for(a.manager)
    url = reverse("development:team", args=[a.org.slug])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(15):
        person = make_person(f"t{n}@example.org", "Teun", f"Team{n}")
        membership_create(
            actor=None, person=person, organisation=a.org, roles=[Role.LEARNER], manager=a.manager
        )
        plan = services.plan_create(
            actor=person,
            organisation=a.org,
            title="Plan",
            period_start=today(),
            period_end=today() + dt.timedelta(days=200),
            learning_question="Vraag",
        )
        goal = services.goal_save(
            actor=person,
            plan=plan,
            what="Doel",
            why="",
            how_i_know="",
            due_date=today() + dt.timedelta(days=100),
            competencies=[(dev.safety, 2)],
        )
        services.action_save(actor=person, goal=goal, kind=ActionKind.OTHER, description="Iets")
        services.check_in_plan(
            actor=a.manager,
            person=person,
            leader=a.manager,
            organisation=a.org,
            scheduled_for=timezone.now() + dt.timedelta(days=3),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["overview"].rows) == 16


def test_the_coordinator_sees_counts_per_organisation_and_share_targets(dev: DevWorld) -> None:
    world = dev.world
    a = world.a
    agreed_plan(dev)
    for n in range(3):
        candidate = make_person(f"c{n}@example.org", "Kees", f"Kandidaat{n}")
        membership_create(
            actor=None,
            person=candidate,
            organisation=a.org,
            roles=[Role.LEARNER],
            kind=MembershipKind.CANDIDATE,
            manager=a.manager,
        )
        if n == 0:
            plan = write_plan(dev, person=candidate)
            services.plan_submit(actor=candidate, plan=plan)
    services.target_set(
        actor=a.coordinator,
        network=a.network,
        measure=Measure.SHARE_WITH_PLAN,
        membership_kind=MembershipKind.CANDIDATE,
        value=25,
    )
    services.target_set(
        actor=a.coordinator, network=a.network, measure=Measure.PLANS_WRITTEN, value=50
    )
    page = client_for(a.coordinator).get(reverse("development:network", args=[a.network.slug]))
    overview = page.context["overview"]
    row = next(r for r in overview.rows if r.organisation == a.org)
    assert (row.people, row.written, row.agreed, row.people_with_plan) == (10, 2, 1, 2)
    share = next(t for t in overview.targets if t.target.measure == Measure.SHARE_WITH_PLAN)
    assert (share.actual, share.out_of, share.met) == (33, 3, True)
    written = next(t for t in overview.targets if t.target.measure == Measure.PLANS_WRITTEN)
    assert (written.actual, written.met) == (2, False)
    body = page.content.decode()
    assert "Hoe word ik" not in body and world.a.learner.family_name not in body
    for person in (a.admin, a.manager, world.b.coordinator):
        assert (
            client_for(person)
            .get(reverse("development:network", args=[a.network.slug]))
            .status_code
            == 404
        )


def test_network_overview_queries_are_constant(
    world: World, dev: DevWorld, django_assert_max_num_queries: Any
) -> None:
    a = world.a
    services.target_set(
        actor=a.coordinator, network=a.network, measure=Measure.PLANS_AGREED, value=5
    )
    client = client_for(a.coordinator)
    url = reverse("development:network", args=[a.network.slug])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    agreed_plan(dev)
    for n in range(5):
        membership_create(
            actor=None,
            person=make_person(f"m{n}@example.org", "Mo", f"Meer{n}"),
            organisation=a.org,
            roles=[Role.LEARNER],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
