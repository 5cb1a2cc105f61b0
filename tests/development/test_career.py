"""Career plans by a job coach: the person's consent decides what the coach sees; a coach not
assigned, the person's employer and the network's coordinator see no plan; the coordinator sees
counts against the target; the plan prints for the conversation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gilde.development import services, services_career
from gilde.development.models import CareerPlan, CareerStatus, Measure
from gilde.tenancy.models import CoachAssignment
from tests.conftest import World
from tests.development.conftest import client_for

pytestmark = pytest.mark.django_db


def started(world: World) -> CareerPlan:
    return services_career.career_plan_start(
        actor=world.a.coach, person=world.a.learner, network=world.a.network
    )


def test_coach_starts_a_plan_and_the_person_is_asked_for_consent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    a = world.a
    coach = client_for(a.coach)
    page = coach.get(reverse("development:caseload"))
    assert page.status_code == 200
    choices = dict(page.context["start_form"].fields["person"].choices)
    key = next(k for k, label in choices.items() if a.learner.display_name in label)
    with django_capture_on_commit_callbacks(execute=True):
        coach.post(reverse("development:career-start"), {"person": key})
    plan = CareerPlan.objects.get()
    assert plan.status == CareerStatus.AWAITING_CONSENT
    assert [m.to for m in mail.outbox] == [[a.learner.email]]
    # Before consent the coach sees the name and the status, no form and no content.
    detail = coach.get(reverse("development:career", args=[plan.uuid]))
    assert not detail.context["access"].sees_content
    assert "form" not in detail.context
    assert coach.get(reverse("development:career-print", args=[plan.uuid])).status_code == 404
    with pytest.raises(services.DevelopmentError, match="not given consent"):
        services_career.career_step_add(actor=a.coach, plan=plan, description="x", due_date=None)


def test_with_consent_the_coach_writes_and_without_it_sees_nothing(world: World) -> None:
    a = world.a
    plan = started(world)
    learner = client_for(a.learner)
    learner.post(reverse("development:career-consent", args=[plan.uuid]), {"consent": "give"})
    plan.refresh_from_db()
    assert plan.status == CareerStatus.ACTIVE and plan.consent_given_at is not None
    coach = client_for(a.coach)
    coach.post(
        reverse("development:career-edit", args=[plan.uuid]),
        {
            "intake_date": timezone.localdate().isoformat(),
            "intake": "Eerste gesprek",
            "strengths": "Handig met techniek",
            "chosen_route": "Opleiding warmtepompmonteur",
        },
    )
    coach.post(
        reverse("development:career-step", args=[plan.uuid]),
        {"description": "Inschrijven opleiding", "due_date": ""},
    )
    coach.post(reverse("development:career-note", args=[plan.uuid]), {"text": "Gaat goed"})
    plan.refresh_from_db()
    assert plan.strengths == "Handig met techniek"
    step = plan.steps.get()
    coach.post(reverse("development:career-step-done", args=[plan.uuid, step.uuid]), {"done": "1"})
    step.refresh_from_db()
    assert step.done_at is not None
    printed = coach.get(reverse("development:career-print", args=[plan.uuid]))
    assert "Handig met techniek" in printed.content.decode()
    assert "Gaat goed" in printed.content.decode()
    # The person withdraws: the coach keeps the name and the status, nothing else.
    learner.post(reverse("development:career-consent", args=[plan.uuid]), {"consent": "withdraw"})
    plan.refresh_from_db()
    assert plan.status == CareerStatus.WITHDRAWN
    page = coach.get(reverse("development:career", args=[plan.uuid]))
    assert "Handig met techniek" not in page.content.decode()
    assert "Gaat goed" not in page.content.decode()
    assert coach.get(reverse("development:career-print", args=[plan.uuid])).status_code == 404
    with pytest.raises(services.DevelopmentError):
        services_career.career_note_add(actor=a.coach, plan=plan, text="toch")
    # The person still reads what was written.
    assert (
        "Handig met techniek"
        in learner.get(reverse("development:career", args=[plan.uuid])).content.decode()
    )


def test_only_the_person_gives_consent(world: World) -> None:
    plan = started(world)
    assert (
        client_for(world.a.coach)
        .post(reverse("development:career-consent", args=[plan.uuid]), {"consent": "give"})
        .status_code
        == 404
    )
    with pytest.raises(services.DevelopmentError, match="person themselves"):
        services_career.career_consent_give(actor=world.a.coach, plan=plan)
    plan.refresh_from_db()
    assert plan.status == CareerStatus.AWAITING_CONSENT


def test_who_sees_a_career_plan(world: World) -> None:
    a = world.a
    plan = started(world)
    services_career.career_consent_give(actor=a.learner, plan=plan)
    services_career.career_plan_update(
        actor=a.coach, plan=plan, intake_date=None, strengths="Geheime kracht"
    )
    url = reverse("development:career", args=[plan.uuid])
    assert client_for(a.learner).get(url).status_code == 200
    assert client_for(a.coach).get(url).status_code == 200
    others = {
        "manager": a.manager,
        "admin": a.admin,
        "coordinator": a.coordinator,
        "mentor": a.mentor,
        **{f"B/{k}": v for k, v in world.b.personas().items()},
    }
    for name, person in others.items():
        assert client_for(person).get(url).status_code == 404, name
    # The coordinator sees the caseload as counts, never the plan.
    network = client_for(a.coordinator).get(reverse("development:network", args=[a.network.slug]))
    assert network.context["overview"].career == {CareerStatus.ACTIVE: 1}
    assert "Geheime kracht" not in network.content.decode()
    # When the coach's assignment ends, so does the coach's access.
    CoachAssignment.objects.filter(coach=a.coach, person=a.learner).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    assert client_for(a.coach).get(url).status_code == 404


def test_a_coach_starts_plans_only_with_people_assigned_to_them(world: World) -> None:
    with pytest.raises(services.DevelopmentError, match="assigned to you"):
        services_career.career_plan_start(
            actor=world.a.coach, person=world.a.manager, network=world.a.network
        )
    with pytest.raises(services.DevelopmentError, match="assigned to you"):
        services_career.career_plan_start(
            actor=world.b.coach, person=world.a.learner, network=world.a.network
        )
    started(world)
    with pytest.raises(services.DevelopmentError, match="already have an open plan"):
        started(world)
    assert client_for(world.a.learner).get(reverse("development:caseload")).status_code == 404


def test_closing_needs_an_evaluation(world: World) -> None:
    a = world.a
    plan = started(world)
    services_career.career_consent_give(actor=a.learner, plan=plan)
    coach = client_for(a.coach)
    response = coach.post(reverse("development:career-close", args=[plan.uuid]), {"evaluation": ""})
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.status == CareerStatus.ACTIVE
    coach.post(
        reverse("development:career-close", args=[plan.uuid]), {"evaluation": "Aan het werk"}
    )
    plan.refresh_from_db()
    assert plan.status == CareerStatus.CLOSED and plan.evaluation == "Aan het werk"


def test_bad_dates_are_refused(world: World) -> None:
    a = world.a
    plan = started(world)
    services_career.career_consent_give(actor=a.learner, plan=plan)
    with pytest.raises(services.DevelopmentError, match="future"):
        services_career.career_plan_update(
            actor=a.coach, plan=plan, intake_date=timezone.localdate() + dt.timedelta(days=2)
        )
    services_career.career_plan_update(
        actor=a.coach, plan=plan, intake_date=timezone.localdate() - dt.timedelta(days=10)
    )
    with pytest.raises(services.DevelopmentError, match="before the intake"):
        services_career.career_step_add(
            actor=a.coach,
            plan=plan,
            description="Te vroeg",
            due_date=timezone.localdate() - dt.timedelta(days=20),
        )
    assert not plan.steps.exists()


def test_the_coordinator_sets_the_target_of_fifty_plans(world: World) -> None:
    a = world.a
    coordinator = client_for(a.coordinator)
    url = reverse("development:target-set", args=[a.network.slug])
    coordinator.post(url, {"measure": Measure.CAREER_PLANS, "value": 50})
    plan = started(world)
    services_career.career_consent_give(actor=a.learner, plan=plan)
    page = coordinator.get(reverse("development:network", args=[a.network.slug]))
    progress = page.context["overview"].targets[0]
    assert (progress.actual, progress.target.value) == (1, 50)
    assert "<svg" in page.content.decode()
    # Bad input: a share over 100% and a made-up measure change nothing.
    coordinator.post(url, {"measure": Measure.SHARE_WITH_PLAN, "value": 120})
    coordinator.post(url, {"measure": "nonsense", "value": 5})
    assert a.network.development_targets.count() == 1
    for person in (a.admin, world.b.coordinator):
        assert (
            client_for(person).post(url, {"measure": Measure.PLANS_WRITTEN, "value": 3}).status_code
            == 404
        )
    assert a.network.development_targets.count() == 1
