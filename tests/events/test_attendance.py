"""Attendance: the host's one-tap list, QR self check-in (only in the session window, only with
a real code, only registered people or walk-ins when allowed), the completion and learning
record that follow, feedback, and the series' target progress for those who may see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.events import attendance, services
from gilde.events.models import Attendance, AttendanceStatus, Feedback
from gilde.learning.models import Completion, CompletionResult
from gilde.lrs.models import Statement
from tests.conftest import World
from tests.events.conftest import make_series, plan, plan_now

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_host_taps_a_person_present_and_the_item_is_completed(world: World) -> None:
    item = make_series(world)
    session = plan_now(world, item, host=world.a.mentor)
    now_registration = _register_before_start(world, session)
    host = client_for(world.a.mentor)
    url = reverse("events:attendance", args=[session.uuid])
    page = host.get(url)
    assert page.status_code == 200
    response = host.post(
        url, {"registration": str(now_registration.uuid), "present": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    record = Attendance.objects.get(session=session, person=world.a.learner)
    assert record.status == AttendanceStatus.PRESENT and not record.walk_in
    completion = Completion.objects.get(person=world.a.learner, item=item)
    assert completion.result == CompletionResult.ATTENDED
    assert record.completion == completion
    assert Statement.objects.filter(verb="http://adlnet.gov/expapi/verbs/attended").exists()
    # Once completed, present stays present.
    again = host.post(url, {"registration": str(now_registration.uuid), "present": "0"})
    assert again.status_code == 302
    record.refresh_from_db()
    assert record.status == AttendanceStatus.PRESENT


def _register_before_start(world: World, session: Any) -> Any:
    """Register the learner as if before the start (registration closes at the start)."""
    from gilde.events.models import Registration, RegistrationStatus

    return Registration.objects.create(
        session=session,
        person=world.a.learner,
        organisation=world.a.org,
        status=RegistrationStatus.CONFIRMED,
        confirmed_at=session.starts_at - dt.timedelta(days=1),
    )


def test_only_the_host_or_a_coordinator_takes_attendance(world: World) -> None:
    item = make_series(world)
    session = plan_now(world, item, host=world.a.mentor)
    registration = _register_before_start(world, session)
    url = reverse("events:attendance", args=[session.uuid])
    data = {"registration": str(registration.uuid), "present": "1"}
    assert client_for(world.a.learner).post(url, data).status_code == 404
    assert client_for(world.a.manager).get(url).status_code == 404
    assert client_for(world.b.coordinator).post(url, data).status_code == 404
    assert client_for(world.a.coordinator).get(url).status_code == 200
    assert not Attendance.objects.exists()


def test_a_registered_person_checks_in_with_the_qr_code_during_the_session(world: World) -> None:
    item = make_series(world, walk_ins_allowed=False)
    session = plan_now(world, item)
    _register_before_start(world, session)
    url = reverse("events:check-in", args=[session.uuid, attendance.check_in_token(session)])
    client = client_for(world.a.learner)
    assert client.get(url).status_code == 200
    assert not Attendance.objects.exists(), "opening the page changes nothing"
    response = client.post(url)
    assert response.status_code == 302
    record = Attendance.objects.get(session=session, person=world.a.learner)
    assert record.method == "self" and record.status == AttendanceStatus.PRESENT


def test_a_forged_code_or_a_check_in_outside_the_window_changes_nothing(world: World) -> None:
    item = make_series(world)
    later = plan(world, item)[0]
    now = plan_now(world, item)
    _register_before_start(world, now)
    client = client_for(world.a.learner)
    forged = reverse("events:check-in", args=[now.uuid, "forged-code"])
    assert client.post(forged).status_code == 404
    other = reverse("events:check-in", args=[now.uuid, attendance.check_in_token(later)])
    assert client.post(other).status_code == 404
    with pytest.raises(services.EventError, match="not valid"):
        attendance.check_in_self(actor=world.a.learner, session=now, token="forged")
    services.registration_create(actor=world.a.learner, session=later)
    early = reverse("events:check-in", args=[later.uuid, attendance.check_in_token(later)])
    response = client.post(early, follow=True)
    assert "Check-in opens half an hour before the start" in response.content.decode()
    later.starts_at = timezone.now() - dt.timedelta(hours=3)
    later.ends_at = timezone.now() - dt.timedelta(hours=1)
    later.save()
    response = client.post(early, follow=True)
    assert "check-in is closed" in response.content.decode()
    assert not Attendance.objects.exists()


def test_walk_ins_check_in_only_when_the_series_allows_it(world: World) -> None:
    closed = make_series(world, title="Alleen met plek", walk_ins_allowed=False)
    session = plan_now(world, closed)
    token = attendance.check_in_token(session)
    with pytest.raises(services.EventError, match="registered with a place"):
        attendance.check_in_self(actor=world.a.author, session=session, token=token)
    open_series = make_series(world, title="Iedereen welkom")
    walk_in_session = plan_now(world, open_series)
    record = attendance.check_in_self(
        actor=world.a.author,
        session=walk_in_session,
        token=attendance.check_in_token(walk_in_session),
    )
    assert record.walk_in
    # Someone of another network is no walk-in here: the session is not theirs to see.
    response = client_for(world.b.learner).post(
        reverse(
            "events:check-in",
            args=[walk_in_session.uuid, attendance.check_in_token(walk_in_session)],
        )
    )
    assert response.status_code == 404
    with pytest.raises(services.EventError, match="not in the catalogue"):
        attendance.check_in_self(
            actor=world.b.learner,
            session=walk_in_session,
            token=attendance.check_in_token(walk_in_session),
        )


def test_feedback_only_from_people_who_were_there_and_once(world: World) -> None:
    item = make_series(world)
    session = plan_now(world, item)
    with pytest.raises(services.EventError, match="who were there"):
        attendance.feedback_give(actor=world.a.learner, session=session, score=4)
    attendance.check_in_self(
        actor=world.a.learner, session=session, token=attendance.check_in_token(session)
    )
    client = client_for(world.a.learner)
    url = reverse("events:feedback", args=[session.uuid])
    assert client.post(url, {"score": "9"}, follow=True).status_code == 200
    assert not Feedback.objects.exists()
    client.post(url, {"score": "4", "comment": "Goede sprekers"})
    response = client.post(url, {"score": "5"}, follow=True)
    assert "already" in response.content.decode()
    assert Feedback.objects.get().score == 4


def test_the_series_page_shows_target_progress_to_the_coordinator_and_not_to_a_learner(
    world: World, django_assert_max_num_queries: Any
) -> None:
    item = make_series(world, target_participants=3, target_per_session=2, target_organisations=2)
    session = plan_now(world, item, audience="employees")
    for person in (world.a.learner, world.a.author):
        attendance.check_in_self(
            actor=person, session=session, token=attendance.check_in_token(session)
        )
    plan(world, item, count=5)
    url = reverse("events:series", args=[item.uuid])
    coordinator = client_for(world.a.coordinator)
    with django_assert_max_num_queries(25):
        page = coordinator.get(url)
    html = page.content.decode()
    assert 'id="targets-chart-title"' in html
    assert "2/3" in html  # two different participants of three
    assert world.a.org.name in html  # per organisation, for the coordinator
    manager_html = client_for(world.a.manager).get(url).content.decode()
    assert 'id="targets-chart-title"' in manager_html
    learner_html = client_for(world.a.learner).get(url).content.decode()
    assert "targets-chart" not in learner_html
    assert client_for(world.b.coordinator).get(url).status_code == 404


def test_the_coordinator_exports_participants_and_attendance(world: World) -> None:
    item = make_series(world)
    session = plan_now(world, item)
    attendance.check_in_self(
        actor=world.a.learner, session=session, token=attendance.check_in_token(session)
    )
    coordinator = client_for(world.a.coordinator)
    csv = coordinator.get(reverse("events:series-export", args=[item.uuid, "csv"]))
    assert csv.status_code == 200
    assert world.a.learner.email in csv.content.decode("utf-8-sig")
    xlsx = coordinator.get(reverse("events:series-export", args=[item.uuid, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert (
        client_for(world.a.manager)
        .get(reverse("events:series-export", args=[item.uuid, "csv"]))
        .status_code
        == 404
    )
