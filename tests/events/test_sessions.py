"""Planning sessions: one or a recurring set, Dutch wall-clock time across daylight-saving
changes, bad input, and who may plan (coordinator yes, learner and outsiders no)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.events import services
from gilde.events.models import Session
from gilde.learning.models import CatalogueItem
from tests.conftest import World
from tests.events.conftest import ics_of, plan

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _future_sunday(month: int) -> dt.date:
    """The last Sunday of March or October of a coming year (when the clocks change)."""
    year = timezone.localdate().year + 1
    day = dt.date(year, month, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


@pytest.mark.parametrize("month", [3, 10])
def test_weekly_sessions_keep_their_wall_clock_time_across_the_clock_change(
    world: World, series: CatalogueItem, month: int
) -> None:
    change = _future_sunday(month)
    first = change - dt.timedelta(days=7)
    made = services.sessions_create(
        actor=world.a.coordinator,
        item=series,
        times=services.SessionTimes(first, dt.time(19, 0), dt.time(21, 0)),
        fields={"address": "Dorpsstraat 3", "capacity": 20},
        count=3,
    )
    assert len(made) == 3
    for session in made:
        local = session.starts_at.astimezone(AMS)
        assert (local.hour, local.minute) == (19, 0)
        assert session.ends_at - session.starts_at == dt.timedelta(hours=2)
    offsets = [s.starts_at.astimezone(AMS).utcoffset() for s in made]
    assert offsets[0] != offsets[-1], "one side of the change is summer time, the other not"


@pytest.mark.parametrize("month", [3, 10])
def test_a_session_on_the_night_of_the_clock_change_lasts_its_real_length(
    world: World, series: CatalogueItem, month: int
) -> None:
    day = _future_sunday(month)
    session = services.sessions_create(
        actor=world.a.coordinator,
        item=series,
        times=services.SessionTimes(day, dt.time(1, 0), dt.time(4, 0)),
        fields={"address": "Dorpsstraat 3", "capacity": 5},
    )[0]
    stored = Session.objects.get(pk=session.pk)
    # Three wall-clock hours are two real hours in March (an hour is skipped) and four in
    # October (an hour happens twice).
    expected = {3: dt.timedelta(hours=2), 10: dt.timedelta(hours=4)}[month]
    assert stored.ends_at - stored.starts_at == expected
    assert stored.starts_at.astimezone(AMS).hour == 1


def test_the_coordinator_plans_sessions_in_the_browser_form(
    world: World, series: CatalogueItem
) -> None:
    day = timezone.localdate() + dt.timedelta(days=10)
    response = client_for(world.a.coordinator).post(
        reverse("events:session-create", args=[series.uuid]),
        {
            "date": day.isoformat(),
            "start": "08:00",
            "end": "09:30",
            "address": "Energieweg 5, Arnhem",
            "capacity": "12",
            "audience": "entrepreneurs",
            "count": "4",
            "every_weeks": "2",
        },
    )
    assert response.status_code == 302
    sessions = list(Session.objects.filter(series__item=series))
    assert len(sessions) == 4
    assert sessions[1].starts_at.astimezone(AMS).date() == day + dt.timedelta(weeks=2)
    assert {s.audience for s in sessions} == {"entrepreneurs"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": "10:00", "end": "09:00"}, "ends before it starts"),
        ({"capacity": "0"}, "at least one place"),
        ({"address": ""}, "address or an online meeting link"),
    ],
)
def test_bad_session_input_gets_a_message_and_changes_nothing(
    world: World, series: CatalogueItem, change: dict[str, str], message: str
) -> None:
    data = {
        "date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        "start": "08:00",
        "end": "09:30",
        "address": "Energieweg 5",
        "capacity": "12",
        "count": "1",
        "every_weeks": "1",
        **change,
    }
    response = client_for(world.a.coordinator).post(
        reverse("events:session-create", args=[series.uuid]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_the_service_refuses_a_session_that_ends_before_it_starts(
    world: World, series: CatalogueItem
) -> None:
    with pytest.raises(services.EventError, match="ends before it starts"):
        services.sessions_create(
            actor=world.a.coordinator,
            item=series,
            times=services.SessionTimes(timezone.localdate(), dt.time(10), dt.time(9)),
            fields={"address": "x", "capacity": 3},
        )
    with pytest.raises(services.EventError, match="at least one place"):
        services.sessions_create(
            actor=world.a.coordinator,
            item=series,
            times=services.SessionTimes(timezone.localdate(), dt.time(9), dt.time(10)),
            fields={"address": "x", "capacity": 0},
        )
    assert not Session.objects.exists()


def test_only_coordinators_plan_and_outsiders_see_nothing(
    world: World, series: CatalogueItem
) -> None:
    plan(world, series)
    url = reverse("events:session-create", args=[series.uuid])
    assert client_for(world.a.coordinator).get(url).status_code == 200
    assert client_for(world.a.learner).get(url).status_code == 404
    page = reverse("events:series", args=[series.uuid])
    assert client_for(world.a.learner).get(page).status_code == 200
    assert client_for(world.b.learner).get(page).status_code == 404
    assert client_for(world.b.coordinator).get(page).status_code == 404
    with pytest.raises(services.EventError):
        plan_as(world.a.learner, series)


def plan_as(actor: Any, item: CatalogueItem) -> None:
    services.sessions_create(
        actor=actor,
        item=item,
        times=services.SessionTimes(timezone.localdate(), dt.time(9), dt.time(10)),
        fields={"address": "x", "capacity": 3},
    )


def test_changing_the_time_raises_the_sequence_and_tells_those_registered(
    world: World,
    series: CatalogueItem,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = plan(world, series)[0]
    services.registration_create(actor=world.a.learner, session=session)
    local = session.starts_at.astimezone(AMS)
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.session_update(
            actor=world.a.coordinator,
            session=session,
            times=services.SessionTimes(local.date(), dt.time(9, 0), dt.time(11, 0)),
            fields={"address": session.address, "capacity": 10},
        )
    assert updated.sequence == 1
    assert [m.to for m in mailoutbox] == [[world.a.learner.email]]
    assert "METHOD:REQUEST" in ics_of(mailoutbox[0])


def test_fewer_places_than_people_registered_is_refused(
    world: World, series: CatalogueItem
) -> None:
    session = plan(world, series, capacity=2)[0]
    services.registration_create(actor=world.a.learner, session=session)
    services.registration_create(actor=world.a.manager, session=session)
    local = session.starts_at.astimezone(AMS)
    with pytest.raises(services.EventError, match="at least that many"):
        services.session_update(
            actor=world.a.coordinator,
            session=session,
            times=services.SessionTimes(local.date(), local.time(), dt.time(23, 0)),
            fields={"address": session.address, "capacity": 1},
        )
    session.refresh_from_db()
    assert session.capacity == 2
