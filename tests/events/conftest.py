"""Events test data on top of the shared world: a network series of network A (coordinated by
A's coordinator) and helpers to plan sessions at a given moment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from gilde.events import services
from gilde.events.models import Session
from gilde.learning.models import CatalogueItem, ItemKind
from tests.conftest import World
from tests.learning.conftest import make_item


def make_series(world: World, *, title: str = "Ontbijtsessies", **settings: Any) -> CatalogueItem:
    item = make_item(
        actor=world.a.coordinator, title=title, kind=ItemKind.EVENT, network=world.a.network
    )
    if settings:
        services.series_settings_save(actor=world.a.coordinator, item=item, fields=settings)
    return item


def plan(
    world: World,
    item: CatalogueItem,
    *,
    starts: dt.datetime | None = None,
    hours: float = 2,
    capacity: int = 10,
    host: Any = None,
    audience: str = "",
    count: int = 1,
) -> list[Session]:
    """Sessions starting at `starts` (default: in a week, 08:00 Dutch time)."""
    zone = services.local_zone()
    if starts is None:
        day = timezone.localdate() + dt.timedelta(days=7)
        starts = dt.datetime.combine(day, dt.time(8, 0), tzinfo=zone)
    local = starts.astimezone(zone)
    end = local + dt.timedelta(hours=hours)
    times = services.SessionTimes(local.date(), local.time(), end.time())
    if end.date() != local.date():
        times = services.SessionTimes(local.date(), local.time(), dt.time(23, 59))
    return services.sessions_create(
        actor=world.a.coordinator,
        item=item,
        times=times,
        fields={
            "title": "",
            "address": "Stationsplein 1, Utrecht",
            "capacity": capacity,
            "host": host,
            "audience": audience,
        },
        count=count,
    )


def plan_now(
    world: World, item: CatalogueItem, *, started_minutes_ago: int = 10, **kw: Any
) -> Session:
    """A session that is on right now (for check-in and attendance)."""
    starts = timezone.now() - dt.timedelta(minutes=started_minutes_ago)
    session = plan(world, item, starts=starts.replace(second=0, microsecond=0), **kw)[0]
    # Keep it on for an hour whatever the clock says (the helper's end may be cut at midnight).
    Session.objects.filter(pk=session.pk).update(ends_at=timezone.now() + dt.timedelta(hours=1))
    session.refresh_from_db()
    return session


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """The tests read the English messages (the interface is Dutch by default)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def series(world: World) -> CatalogueItem:
    return make_series(world)


def ics_of(mail: Any) -> str:
    """The iCalendar attachment of an e-mail, as text ("" if it has none)."""
    for attachment in mail.attachments:
        content = attachment[1]
        if attachment[0].endswith(".ics"):
            return content if isinstance(content, str) else content.decode()
    return ""
