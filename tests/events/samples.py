"""Objects of the home side (network A) for the access matrix: an event series of network A
with one session hosted by A's mentor, the learner's registration, and a public series so that
the network's public calendar has something to show."""

from __future__ import annotations

from typing import Any

from gilde.events import services
from tests.conftest import World
from tests.events.conftest import make_series, plan


def events_samples(world: World) -> dict[str, Any]:
    item = make_series(world, title="Avondsessie techniek", public=True)
    session = plan(world, item, host=world.a.mentor)[0]
    registration = services.registration_create(actor=world.a.learner, session=session)
    return {
        "event_series": item,
        "event_session": session,
        "event_registration": registration,
    }
