"""Check-ins: planning with a manager or coach, the organisation's questions, notes whose
visibility is explicit and tested from every role (a private note is read by its writer alone,
not by the other person, an admin or a coordinator), follow-up that lands in the plan, and
reminders that go out once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gilde.development import services
from gilde.development.models import (
    CheckIn,
    CheckInNote,
    CheckInPrompt,
    CheckInStatus,
    NoteVisibility,
    PlanAction,
    PlanStatus,
)
from gilde.development.prompts import DEFAULT_PROMPTS
from gilde.development.tasks import reminders_sweep
from tests.conftest import World
from tests.development.conftest import DevWorld, agreed_plan, client_for

pytestmark = pytest.mark.django_db


def soon(days: int = 3) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def planned(world: World, **kwargs: Any) -> CheckIn:
    a = world.a
    return services.check_in_plan(
        actor=kwargs.pop("actor", a.learner),
        person=a.learner,
        leader=kwargs.pop("leader", a.manager),
        organisation=kwargs.pop("organisation", a.org),
        scheduled_for=kwargs.pop("scheduled_for", soon()),
        **kwargs,
    )


def test_learner_plans_a_check_in_with_their_manager(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    a = world.a
    learner = client_for(a.learner)
    form = learner.get(reverse("development:check-in-create"))
    choices = dict(form.context["form"].fields["partner"].choices)
    assert any(a.manager.display_name in label for label in choices.values())
    key = next(k for k, label in choices.items() if a.manager.display_name in label)
    day = timezone.localdate() + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        response = learner.post(
            reverse("development:check-in-create"),
            {"partner": key, "day": day.isoformat(), "time": "10:30"},
        )
    check_in = CheckIn.objects.get()
    assert response.status_code == 302
    assert (check_in.person, check_in.leader, check_in.organisation) == (
        a.learner,
        a.manager,
        a.org,
    )
    assert timezone.localtime(check_in.scheduled_for).hour == 10
    # The questions are the built-in ones (the organisation has none of its own).
    assert check_in.prompts == [str(p) for p in DEFAULT_PROMPTS]
    assert [m.to for m in mail.outbox] == [[a.manager.email]]


def test_the_manager_and_the_coach_plan_with_the_people_they_lead(world: World) -> None:
    a = world.a
    by_manager = planned(world, actor=a.manager)
    assert by_manager.created_by == a.manager
    by_coach = services.check_in_plan(
        actor=a.coach,
        person=a.learner,
        leader=a.coach,
        network=a.network,
        scheduled_for=soon(),
    )
    assert by_coach.network == a.network and by_coach.organisation is None


def test_bad_check_ins_are_refused(world: World) -> None:
    a, b = world.a, world.b
    with pytest.raises(services.DevelopmentError, match="in the past"):
        planned(world, scheduled_for=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(services.DevelopmentError, match="your own manager or coach"):
        planned(world, leader=a.mentor)
    with pytest.raises(services.DevelopmentError, match="your own manager or coach"):
        planned(world, leader=b.manager, actor=b.manager)
    with pytest.raises(services.DevelopmentError, match="take part in"):
        planned(world, actor=a.admin)
    # The form asks for a date unless the talk is happening now.
    learner = client_for(a.learner)
    key = next(
        iter(
            dict(
                learner.get(reverse("development:check-in-create"))
                .context["form"]
                .fields["partner"]
                .choices
            )
        )
    )
    response = learner.post(reverse("development:check-in-create"), {"partner": key})
    assert "Choose a date" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_an_ad_hoc_check_in_is_held_at_once(world: World) -> None:
    check_in = planned(world, actor=world.a.manager, ad_hoc=True, scheduled_for=None)
    assert check_in.status == CheckInStatus.HELD and check_in.held_at is not None


def test_private_notes_are_read_by_their_writer_alone(world: World) -> None:
    a, b = world.a, world.b
    check_in = planned(world)
    services.check_in_note_add(
        actor=a.learner, check_in=check_in, text="Ik twijfel over mijn baan", visibility="private"
    )
    services.check_in_note_add(
        actor=a.learner, check_in=check_in, text="We spraken over de cursus", visibility="shared"
    )
    services.check_in_note_add(
        actor=a.manager, check_in=check_in, text="Let op motivatie", visibility="private"
    )
    url = reverse("development:check-in", args=[check_in.uuid])
    learner_page = client_for(a.learner).get(url).content.decode()
    assert "Ik twijfel over mijn baan" in learner_page
    assert "We spraken over de cursus" in learner_page
    assert "Let op motivatie" not in learner_page
    manager_page = client_for(a.manager).get(url).content.decode()
    assert "Ik twijfel over mijn baan" not in manager_page
    assert "We spraken over de cursus" in manager_page
    assert "Let op motivatie" in manager_page
    # Everyone else: no check-in at all (404), and no note text anywhere they can look.
    others = {
        "admin": a.admin,
        "coordinator": a.coordinator,
        "coach": a.coach,
        "mentor": a.mentor,
        "author": a.author,
        **{f"B/{k}": v for k, v in b.personas().items()},
    }
    for name, person in others.items():
        client = client_for(person)
        assert client.get(url).status_code == 404, name
        for page in ("development:mine",):
            body = client.get(reverse(page)).content.decode()
            assert "Ik twijfel" not in body and "Let op motivatie" not in body, name
    admin_overview = client_for(a.admin).get(reverse("development:team", args=[a.org.slug]))
    assert "Ik twijfel" not in admin_overview.content.decode()


def test_a_note_is_written_only_by_the_two_people(world: World) -> None:
    check_in = planned(world)
    for person in (world.a.admin, world.b.manager):
        response = client_for(person).post(
            reverse("development:check-in-note", args=[check_in.uuid]),
            {"text": "Ingebroken", "visibility": "shared"},
        )
        assert response.status_code == 404
    with pytest.raises(services.DevelopmentError):
        services.check_in_note_add(
            actor=world.a.admin, check_in=check_in, text="x", visibility="shared"
        )
    assert not CheckInNote.objects.exists()
    response = client_for(world.a.learner).post(
        reverse("development:check-in-note", args=[check_in.uuid]),
        {"text": " ", "visibility": "shared"},
    )
    assert response.status_code == 200
    assert not CheckInNote.objects.exists()


def test_agreed_follow_up_lands_in_the_plan_without_undoing_the_agreement(dev: DevWorld) -> None:
    a = dev.world.a
    plan = agreed_plan(dev)
    check_in = planned(dev.world)
    assert check_in.plan == plan
    goal = plan.goals.get()
    client_for(a.manager).post(
        reverse("development:check-in-follow-up", args=[check_in.uuid]),
        {"goal": goal.pk, "description": "Meelopen met Sanne", "due_date": ""},
    )
    action = PlanAction.objects.get(check_in=check_in)
    assert action.goal == goal and action.created_by == a.manager
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    page = client_for(a.learner).get(reverse("development:plan", args=[plan.uuid]))
    assert "Meelopen met Sanne" in page.content.decode()


def test_a_coach_sees_no_goals_of_the_plan_and_cannot_add_to_it(dev: DevWorld) -> None:
    a = dev.world.a
    plan = agreed_plan(dev)
    check_in = services.check_in_plan(
        actor=a.coach, person=a.learner, leader=a.coach, network=a.network, scheduled_for=soon()
    )
    page = client_for(a.coach).get(reverse("development:check-in", args=[check_in.uuid]))
    assert page.context["page"].goals == []
    assert "Doel 1" not in page.content.decode()
    with pytest.raises(services.DevelopmentError):
        services.check_in_follow_up(
            actor=a.coach, check_in=check_in, goal=plan.goals.get(), description="x", due_date=None
        )


def test_held_and_cancelled(world: World) -> None:
    check_in = planned(world)
    client_for(world.a.manager).post(reverse("development:check-in-held", args=[check_in.uuid]))
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.HELD
    with pytest.raises(services.DevelopmentError):
        services.check_in_cancel(actor=world.a.learner, check_in=check_in)


def test_reminders_go_out_the_day_before_and_when_overdue_once(world: World) -> None:
    a = world.a
    tomorrow = planned(world, scheduled_for=timezone.now() + dt.timedelta(hours=20))
    late = planned(world, scheduled_for=timezone.now() + dt.timedelta(minutes=1))
    CheckIn.objects.filter(pk=late.pk).update(scheduled_for=timezone.now() - dt.timedelta(days=2))
    mail.outbox.clear()
    assert reminders_sweep() == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(mail.outbox) == 3  # both people the day before; the leader when overdue
    assert any("not taken place" in s for s in subjects)
    assert {tuple(m.to) for m in mail.outbox} == {(a.learner.email,), (a.manager.email,)}
    assert reminders_sweep() == 0
    tomorrow.refresh_from_db()
    assert tomorrow.reminded_at is not None


def test_an_admin_edits_the_questions_others_cannot(world: World) -> None:
    a = world.a
    url = reverse("development:prompts", args=[a.org.slug])
    for person in (a.manager, a.learner, world.b.admin):
        assert client_for(person).get(url).status_code == 404
    client_for(a.admin).post(url, {"questions": "Hoe gaat het?\n\nWat heb je nodig?\n"})
    assert list(CheckInPrompt.objects.values_list("text", flat=True)) == [
        "Hoe gaat het?",
        "Wat heb je nodig?",
    ]
    assert planned(world).prompts == ["Hoe gaat het?", "Wat heb je nodig?"]
    response = client_for(a.admin).post(url, {"questions": "x" * 301})
    assert "at most 300 characters" in response.content.decode()
    assert CheckInPrompt.objects.count() == 2


def test_check_in_page_queries_do_not_grow_with_notes(
    world: World, django_assert_max_num_queries: Any
) -> None:
    check_in = planned(world)
    client = client_for(world.a.learner)
    url = reverse("development:check-in", args=[check_in.uuid])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(10):
        services.check_in_note_add(
            actor=world.a.learner, check_in=check_in, text=f"n{n}", visibility=NoteVisibility.SHARED
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
