"""Development plans: the learner writes, the manager comments and agrees, agreed versions are
kept, a change makes the plan a draft again, a plan closes with a look back; bad input changes
nothing; a completed catalogue item ticks its action. Personas: the learner (owner), their
manager, an admin of the organisation, a mentor and a coach of the same side, and outsiders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from gilde.audit.models import AuditEvent
from gilde.development import services
from gilde.development.models import (
    ActionKind,
    ActionStatus,
    DevelopmentPlan,
    Goal,
    PlanAction,
    PlanRevision,
    PlanStatus,
)
from gilde.learning import services as learning_services
from tests.development.conftest import DevWorld, agreed_plan, client_for, today, write_plan

pytestmark = pytest.mark.django_db


def plan_url(plan: DevelopmentPlan, name: str = "development:plan", *extra: Any) -> str:
    return reverse(name, args=[plan.uuid, *extra])


def test_learner_writes_a_plan_with_two_goals_from_their_gaps_and_submits(
    dev: DevWorld, django_capture_on_commit_callbacks: Any
) -> None:
    a = dev.world.a
    learner = client_for(a.learner)
    response = learner.post(
        reverse("development:plan-create"),
        {
            "organisation": a.org.pk,
            "title": "Mijn plan",
            "period_start": today().isoformat(),
            "period_end": (today() + dt.timedelta(days=365)).isoformat(),
            "learning_question": "Hoe geef ik veilig les aan nieuwe groepen?",
        },
    )
    plan = DevelopmentPlan.objects.get(person=a.learner)
    assert response.status_code == 302
    page = learner.get(plan_url(plan))
    # The gaps of the learner's profile are suggested, with the item that helps.
    suggestions = page.context["suggestions"]
    assert {s.gap.competency.code for s in suggestions} == {"VEI-01", "EHBO-01", "DID-01"}
    safety = next(s for s in suggestions if s.gap.competency.code == "VEI-01")
    assert safety.items == [dev.item]
    assert "Make this a goal" in page.content.decode()
    # The suggestion's link fills in the competency and the level asked.
    form = learner.get(
        plan_url(plan, "development:goal-create"),
        {"competency": dev.safety.pk, "level": 3, "what": "Veilig werken"},
    )
    assert form.context["form"].initial["competency_1"] == dev.safety.pk
    for code, competency in (("VEI-01", dev.safety), ("DID-01", dev.teaching)):
        response = learner.post(
            plan_url(plan, "development:goal-create"),
            {
                "what": f"Beter in {code}",
                "why": "Voor mijn groepen",
                "how_i_know": "Mijn collega ziet het",
                "due_date": (today() + dt.timedelta(days=120)).isoformat(),
                "competency_1": competency.pk,
                "level_1": 3,
            },
        )
        assert response.status_code == 302, response.context["form"].errors
    goals = list(plan.goals.order_by("position"))
    assert [g.what for g in goals] == ["Beter in VEI-01", "Beter in DID-01"]
    learner.post(
        plan_url(plan, "development:action-create", goals[0].uuid),
        {"kind": ActionKind.LEARNING, "catalogue_item": dev.item.pk, "description": ""},
    )
    learner.post(
        plan_url(plan, "development:action-create", goals[1].uuid),
        {"kind": ActionKind.COACHING, "description": "Meelopen met een ervaren trainer"},
    )
    assert goals[0].actions.get().description == dev.item.title
    with django_capture_on_commit_callbacks(execute=True):
        response = learner.post(plan_url(plan, "development:plan-submit"), follow=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert "sent to your manager" in response.content.decode()
    # The manager is told by e-mail.
    assert [m.to for m in mail.outbox] == [[a.manager.email]]


def test_manager_comments_and_agrees_and_the_version_is_kept(dev: DevWorld) -> None:
    a = dev.world.a
    plan = write_plan(dev, goals=2)
    services.plan_submit(actor=a.learner, plan=plan)
    manager = client_for(a.manager)
    page = manager.get(plan_url(plan))
    assert page.status_code == 200
    assert page.context["access"].leads
    assert "Agree the plan" in page.content.decode()
    manager.post(plan_url(plan, "development:plan-comment"), {"text": "Mooi plan, doe het!"})
    assert plan.comments.get().text == "Mooi plan, doe het!"
    manager.post(plan_url(plan, "development:plan-agree"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    assert plan.agreed_by == a.manager
    revision = plan.revisions.get()
    assert revision.number == 1 and revision.agreed_by == a.manager
    assert [g["what"] for g in revision.snapshot["goals"]] == ["Doel 1", "Doel 2"]
    # The learner changes the plan: a draft again, the agreed version stays.
    goal = plan.goals.first()
    assert goal is not None
    services.goal_save(
        actor=a.learner,
        plan=plan,
        goal=goal,
        what="Doel 1, scherper",
        why="",
        how_i_know="",
        due_date=goal.due_date,
        competencies=[(dev.safety, 4)],
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    services.plan_submit(actor=a.learner, plan=plan)
    services.plan_agree(actor=a.manager, plan=plan)
    numbers = list(plan.revisions.values_list("number", flat=True))
    assert numbers == [2, 1]
    old = client_for(a.learner).get(plan_url(plan, "development:plan-revision", 1))
    assert "Doel 1" in old.content.decode() and "scherper" not in old.content.decode()


def test_progress_does_not_undo_the_agreement(dev: DevWorld) -> None:
    plan = agreed_plan(dev)
    action = PlanAction.objects.get(goal__plan=plan)
    learner = client_for(dev.world.a.learner)
    response = learner.post(
        plan_url(plan, "development:action-progress", action.uuid),
        {"status": ActionStatus.DONE},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "done" in response.content.decode()
    action.refresh_from_db()
    plan.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_at is not None
    assert plan.status == PlanStatus.AGREED


def test_completing_the_linked_catalogue_item_ticks_the_action(dev: DevWorld) -> None:
    a = dev.world.a
    plan = write_plan(dev)
    goal = plan.goals.get()
    action = services.action_save(
        actor=a.learner,
        goal=goal,
        kind=ActionKind.LEARNING,
        description="",
        catalogue_item=dev.item,
    )
    enrolment = learning_services.enrolment_self_create(actor=a.learner, item=dev.item)
    learning_services.external_proof_submit(
        actor=a.learner, enrolment=enrolment, link="https://example.org/bewijs"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completion is not None
    assert AuditEvent.objects.filter(action="development.action_completed").exists()
    # Another person's completion of the same item ticks nothing of this plan.
    other = PlanAction.objects.filter(goal=goal).exclude(pk=action.pk).get()
    assert other.status == ActionStatus.OPEN


def test_closing_asks_for_a_look_back(dev: DevWorld) -> None:
    plan = agreed_plan(dev)
    learner = client_for(dev.world.a.learner)
    response = learner.post(plan_url(plan, "development:plan-close"), {"reflection": "  "})
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    learner.post(plan_url(plan, "development:plan-close"), {"reflection": "Veel geleerd."})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and plan.reflection == "Veel geleerd."
    # Closed: nothing changes any more, and a new plan can start.
    goal = plan.goals.get()
    assert learner.get(plan_url(plan, "development:goal-edit", goal.uuid)).status_code == 404
    with pytest.raises(services.DevelopmentError):
        services.goal_status_set(actor=dev.world.a.learner, goal=goal, status="achieved")
    write_plan(dev)


# --- bad input ----------------------------------------------------------------------------------


def test_a_plan_without_goals_cannot_be_sent_for_agreement(dev: DevWorld) -> None:
    plan = write_plan(dev, goals=0)
    before = AuditEvent.objects.count()
    response = client_for(dev.world.a.learner).post(
        plan_url(plan, "development:plan-submit"), follow=True
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.submitted_at is None
    assert "Add at least one goal" in response.content.decode()
    assert AuditEvent.objects.count() == before
    assert mail.outbox == []


def test_a_goal_without_a_competency_or_action_blocks_the_request(dev: DevWorld) -> None:
    a = dev.world.a
    plan = write_plan(dev, goals=0)
    services.goal_save(
        actor=a.learner,
        plan=plan,
        what="Zonder koppeling",
        why="",
        how_i_know="",
        due_date=today() + dt.timedelta(days=30),
        competencies=[],
    )
    with pytest.raises(services.DevelopmentError) as error:
        services.plan_submit(actor=a.learner, plan=plan)
    assert "needs a competency" in str(error.value)
    assert "at least one action" in str(error.value)


def test_dates_in_the_wrong_order_are_refused(dev: DevWorld) -> None:
    a = dev.world.a
    learner = client_for(a.learner)
    response = learner.post(
        reverse("development:plan-create"),
        {
            "organisation": a.org.pk,
            "title": "Verkeerd",
            "period_start": today().isoformat(),
            "period_end": (today() - dt.timedelta(days=1)).isoformat(),
            "learning_question": "Vraag",
        },
    )
    assert response.status_code == 200
    assert "comes before its start" in response.content.decode()
    assert not DevelopmentPlan.objects.exists()
    plan = write_plan(dev, goals=0)
    response = learner.post(
        plan_url(plan, "development:goal-create"),
        {
            "what": "Te laat",
            "due_date": (plan.period_end + dt.timedelta(days=1)).isoformat(),
            "competency_1": dev.safety.pk,
            "level_1": 3,
        },
    )
    assert "falls outside the plan" in response.content.decode()
    assert not Goal.objects.exists()


def test_goal_levels_and_numbers_are_checked(dev: DevWorld) -> None:
    a = dev.world.a
    plan = write_plan(dev, goals=5)
    with pytest.raises(services.DevelopmentError, match="at most 5 goals"):
        services.goal_save(
            actor=a.learner,
            plan=plan,
            what="Zesde",
            why="",
            how_i_know="",
            due_date=today() + dt.timedelta(days=10),
            competencies=[(dev.safety, 2)],
        )
    goal = plan.goals.first()
    assert goal is not None
    with pytest.raises(services.DevelopmentError, match="not on this scale"):
        services.goal_save(
            actor=a.learner,
            plan=plan,
            goal=goal,
            what="x",
            why="",
            how_i_know="",
            due_date=goal.due_date,
            competencies=[(dev.safety, 9)],
        )
    assert plan.goals.count() == 5
    # A competency that is not in the lists is refused by the form.
    response = client_for(a.learner).post(
        plan_url(plan, "development:goal-edit", goal.uuid),
        {"what": "x", "due_date": goal.due_date.isoformat(), "competency_1": 999999, "level_1": 2},
    )
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.what == "Doel 1"


def test_an_event_action_must_point_at_an_event(dev: DevWorld) -> None:
    plan = write_plan(dev)
    with pytest.raises(services.DevelopmentError, match="event from the catalogue"):
        services.action_save(
            actor=dev.world.a.learner,
            goal=plan.goals.get(),
            kind=ActionKind.EVENT,
            description="",
            catalogue_item=dev.item,
        )


def test_nobody_agrees_their_own_plan_and_only_a_sent_plan_is_agreed(dev: DevWorld) -> None:
    a = dev.world.a
    plan = write_plan(dev)
    with pytest.raises(services.DevelopmentError, match="Only a plan that waits"):
        services.plan_agree(actor=a.manager, plan=plan)
    services.plan_submit(actor=a.learner, plan=plan)
    with pytest.raises(services.DevelopmentError):
        services.plan_agree(actor=a.learner, plan=plan)
    assert not PlanRevision.objects.exists()


# --- who sees what --------------------------------------------------------------------------------


def test_who_sees_a_plan(dev: DevWorld) -> None:
    world = dev.world
    plan = agreed_plan(dev)
    url = plan_url(plan)
    allowed = {"learner": world.a.learner, "manager": world.a.manager, "admin": world.a.admin}
    for name, person in allowed.items():
        assert client_for(person).get(url).status_code == 200, name
    refused = {
        "mentor": world.a.mentor,
        "coach": world.a.coach,
        "coordinator": world.a.coordinator,
        "author": world.a.author,
        **{f"B/{k}": v for k, v in world.b.personas().items()},
    }
    for name, person in refused.items():
        assert client_for(person).get(url).status_code == 404, name
    assert Client().get(url).status_code == 302


def test_the_manager_cannot_change_the_plan_and_an_admin_can_agree(dev: DevWorld) -> None:
    a = dev.world.a
    plan = write_plan(dev)
    manager = client_for(a.manager)
    goal = plan.goals.get()
    assert manager.get(plan_url(plan, "development:goal-edit", goal.uuid)).status_code == 404
    assert manager.post(plan_url(plan, "development:plan-submit")).status_code == 404
    services.plan_submit(actor=a.learner, plan=plan)
    client_for(a.admin).post(plan_url(plan, "development:plan-agree"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED and plan.agreed_by == a.admin


def test_plan_page_queries_do_not_grow_with_goals_and_actions(
    dev: DevWorld, django_assert_max_num_queries: Any
) -> None:
    a = dev.world.a
    plan = write_plan(dev, goals=1)
    services.action_save(
        actor=a.learner,
        goal=plan.goals.get(),
        kind=ActionKind.LEARNING,
        description="",
        catalogue_item=dev.item,
    )
    learner = client_for(a.learner)
    learner.get(plan_url(plan))
    with django_assert_max_num_queries(60) as one_goal:
        learner.get(plan_url(plan))
    for n in range(4):
        goal = services.goal_save(
            actor=a.learner,
            plan=plan,
            what=f"Extra {n}",
            why="",
            how_i_know="",
            due_date=today() + dt.timedelta(days=30),
            competencies=[(dev.teaching, 2), (dev.first_aid, 2)],
        )
        services.action_save(
            actor=a.learner,
            goal=goal,
            kind=ActionKind.LEARNING,
            description="",
            catalogue_item=dev.item,
        )
        for k in range(2):
            services.action_save(
                actor=a.learner, goal=goal, kind=ActionKind.OTHER, description=f"Actie {k}"
            )
    with django_assert_max_num_queries(len(one_goal.captured_queries)):
        learner.get(plan_url(plan))


def test_my_development_page_lists_plans_and_what_waits(dev: DevWorld) -> None:
    plan = write_plan(dev)
    services.plan_submit(actor=dev.world.a.learner, plan=plan)
    page = client_for(dev.world.a.manager).get(reverse("development:mine"))
    assert page.status_code == 200
    assert plan in page.context["data"].to_agree
    mine = client_for(dev.world.a.learner).get(reverse("development:mine"))
    assert mine.context["data"].plans == [plan]
