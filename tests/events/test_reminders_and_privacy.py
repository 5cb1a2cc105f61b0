"""Reminders the day before (the background task) and personal data: a person's download holds
their registrations, attendance and feedback; erasure ends open registrations and removes what
says more than the numbers need."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from gilde.events import attendance, feeds, services
from gilde.events.models import (
    CalendarFeed,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
)
from gilde.events.privacy import events_erase, events_export
from gilde.events.tasks import session_reminders_send
from gilde.learning.models import CatalogueItem
from tests.conftest import World
from tests.events.conftest import plan, plan_now

pytestmark = pytest.mark.django_db


def test_the_reminder_goes_once_to_people_with_a_place_the_day_before(
    world: World, series: CatalogueItem, mailoutbox: list[Any]
) -> None:
    session = plan(world, series, capacity=1)[0]
    services.registration_create(actor=world.a.learner, session=session)
    services.registration_create(actor=world.a.author, session=session)  # waiting
    # Too early: a week before, the task sends nothing.
    assert session_reminders_send.call(session.pk) == 0
    tomorrow = timezone.now() + dt.timedelta(hours=23)
    Session.objects.filter(pk=session.pk).update(
        starts_at=tomorrow, ends_at=tomorrow + dt.timedelta(hours=2)
    )
    mailoutbox.clear()
    assert session_reminders_send.call(session.pk) == 1
    assert [m.to for m in mailoutbox] == [[world.a.learner.email]]
    assert session_reminders_send.call(session.pk) == 0, "a second run reminds nobody again"


def test_a_cancelled_session_sends_no_reminder(world: World, series: CatalogueItem) -> None:
    session = plan(world, series)[0]
    services.registration_create(actor=world.a.learner, session=session)
    services.session_cancel(actor=world.a.coordinator, session=session)
    tomorrow = timezone.now() + dt.timedelta(hours=23)
    Session.objects.filter(pk=session.pk).update(
        starts_at=tomorrow, ends_at=tomorrow + dt.timedelta(hours=2)
    )
    assert session_reminders_send.call(session.pk) == 0


def test_the_download_holds_registrations_attendance_and_feedback(
    world: World, series: CatalogueItem
) -> None:
    coming = plan(world, series)[0]
    services.registration_create(actor=world.a.learner, session=coming)
    now = plan_now(world, series)
    attendance.check_in_self(
        actor=world.a.learner, session=now, token=attendance.check_in_token(now)
    )
    attendance.feedback_give(actor=world.a.learner, session=now, score=5, comment="Top")
    feeds.calendar_feed_create(actor=world.a.learner)
    data = events_export(world.a.learner)
    assert [r["status"] for r in data["registrations"]] == ["confirmed"]
    assert data["attendance"][0]["walk_in"] is True
    assert data["feedback"][0]["comment"] == "Top"
    assert len(data["calendar_addresses"]) == 1
    assert events_export(world.a.author)["registrations"] == []


def test_erasure_ends_open_registrations_and_clears_comments_and_addresses(
    world: World, series: CatalogueItem
) -> None:
    coming = plan(world, series, host=world.a.learner)[0]
    services.registration_create(actor=world.a.learner, session=coming)
    now = plan_now(world, series)
    attendance.check_in_self(
        actor=world.a.learner, session=now, token=attendance.check_in_token(now)
    )
    attendance.feedback_give(actor=world.a.learner, session=now, score=4, comment="Prima")
    feeds.calendar_feed_create(actor=world.a.learner)
    events_erase(world.a.learner)
    assert Registration.objects.get(session=coming).status == RegistrationStatus.CANCELLED
    feedback = Feedback.objects.get()
    assert (feedback.score, feedback.comment) == (4, "")
    assert not CalendarFeed.objects.exists()
    assert Session.objects.get(pk=coming.pk).host is None
