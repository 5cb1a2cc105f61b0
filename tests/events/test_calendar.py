"""iCalendar: invitations and cancellations parse with the icalendar library, keep their UID
across an update with a higher SEQUENCE; the private feed (made, revoked) and the network's
public feed, each read with a constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from gilde.events import calendar, feeds, services
from gilde.events.models import Registration
from gilde.learning.models import CatalogueItem
from tests.conftest import World
from tests.events.conftest import ics_of, make_series, plan

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def events_of(data: bytes | str) -> list[Any]:
    parsed = Calendar.from_ical(data)
    return [c for c in parsed.walk() if c.name == "VEVENT"]


def test_an_invitation_round_trips_and_keeps_its_uid_across_an_update(
    world: World,
    series: CatalogueItem,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = plan(world, series)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(actor=world.a.learner, session=session)
    first = Calendar.from_ical(ics_of(mailoutbox[-1]))
    assert str(first["METHOD"]) == "REQUEST"
    (event,) = events_of(ics_of(mailoutbox[-1]))
    uid, sequence = str(event["UID"]), int(event["SEQUENCE"])
    assert event.decoded("DTSTART") == session.starts_at
    assert str(event["ATTENDEE"]) == f"mailto:{world.a.learner.email}"
    assert str(event["ORGANIZER"]).startswith("mailto:")

    local = session.starts_at.astimezone(AMS)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            actor=world.a.coordinator,
            session=session,
            times=services.SessionTimes(local.date(), dt.time(10, 0), dt.time(12, 0)),
            fields={"address": "Nieuwe plek 2", "capacity": 10},
        )
    (moved,) = events_of(ics_of(mailoutbox[-1]))
    assert str(moved["UID"]) == uid
    assert int(moved["SEQUENCE"]) > sequence
    assert moved.decoded("DTSTART").astimezone(AMS).hour == 10
    assert "Nieuwe plek 2" in str(moved["LOCATION"])

    registration = Registration.objects.get(session=session, person=world.a.learner)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=world.a.learner, registration=registration)
    cancel = Calendar.from_ical(ics_of(mailoutbox[-1]))
    (cancelled,) = events_of(ics_of(mailoutbox[-1]))
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(cancelled["UID"]) == uid
    assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_cancelling_a_session_sends_a_cancellation_with_the_same_uid(
    world: World,
    series: CatalogueItem,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = plan(world, series)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(actor=world.a.learner, session=session)
    (before,) = events_of(ics_of(mailoutbox[-1]))
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(actor=world.a.coordinator, session=session, reason="Storm")
    assert "Storm" in mailoutbox[-1].body
    (after,) = events_of(ics_of(mailoutbox[-1]))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_the_private_feed_works_until_it_is_revoked(world: World, series: CatalogueItem) -> None:
    sessions = plan(world, series, count=3)
    services.registration_create(actor=world.a.learner, session=sessions[0])
    services.registration_create(actor=world.a.learner, session=sessions[2])
    client = Client()
    client.force_login(world.a.learner)
    page = client.post(reverse("events:feed-create"), {"make": "1"}, follow=True)
    html = page.content.decode()
    assert "/events/calendar/" in html
    _feed, token = feeds.calendar_feed_create(actor=world.a.learner)
    anonymous = Client()
    response = anonymous.get(reverse("events:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    uids = {str(e["UID"]) for e in events_of(response.content)}
    assert uids == {calendar.session_uid(sessions[0]), calendar.session_uid(sessions[2])}
    feeds.calendar_feed_revoke(actor=world.a.learner)
    assert anonymous.get(reverse("events:feed", args=[token])).status_code == 404
    assert anonymous.get(reverse("events:feed", args=["made-up"])).status_code == 404


def test_a_new_address_stops_the_old_one(world: World) -> None:
    _first, old = feeds.calendar_feed_create(actor=world.a.learner)
    _second, new = feeds.calendar_feed_create(actor=world.a.learner)
    client = Client()
    assert client.get(reverse("events:feed", args=[old])).status_code == 404
    assert client.get(reverse("events:feed", args=[new])).status_code == 200


def test_the_network_feed_shows_only_public_sessions_and_no_people(
    world: World, django_assert_max_num_queries: Any
) -> None:
    public = make_series(world, title="Open avond", public=True)
    private = make_series(world, title="Besloten ontbijt")
    shown = plan(world, public, count=5)
    plan(world, private)
    services.registration_create(actor=world.a.learner, session=shown[0])
    client = Client()
    url = reverse("events:network-feed", args=[world.a.network.slug])
    with django_assert_max_num_queries(3):
        response = client.get(url)
    body = response.content.decode()
    found = events_of(response.content)
    assert len(found) == 5
    assert "Besloten ontbijt" not in body
    assert world.a.learner.email not in body and "ATTENDEE" not in body
    plan(world, public, count=20)
    with django_assert_max_num_queries(3):
        assert len(events_of(client.get(url).content)) == 25


def test_a_session_on_the_clock_change_has_the_right_utc_times(
    world: World, series: CatalogueItem
) -> None:
    year = dt.date.today().year + 1
    day = dt.date(year, 10, 31)
    day -= dt.timedelta(days=(day.weekday() + 1) % 7)
    session = services.sessions_create(
        actor=world.a.coordinator,
        item=series,
        times=services.SessionTimes(day, dt.time(19, 0), dt.time(21, 0)),
        fields={"address": "Dorpsstraat 3", "capacity": 5},
    )[0]
    (event,) = events_of(calendar.session_ics(session))
    # 19:00 winter time in Amsterdam is 18:00 UTC.
    assert event.decoded("DTSTART") == dt.datetime.combine(day, dt.time(18, 0), tzinfo=dt.UTC)
