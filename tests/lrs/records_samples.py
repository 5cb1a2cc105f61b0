"""Learning records for the browser tests and the access matrix: statements recorded through
the LRS's own interface, and an xAPI client of the home organisation."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone

from gilde.lrs.services import agent_for, client_create, record_statements, store_for
from tests.conftest import World

ADL = "http://adlnet.gov/expapi/verbs/"


def activity(name: str, *, slug: str = "", dutch: str = "") -> dict[str, Any]:
    names = {"en": name}
    if dutch:
        names["nl"] = dutch
    return {
        "objectType": "Activity",
        "id": f"{settings.SITE_URL.rstrip('/')}/xapi/activities/test/{slug or uuid.uuid4()}",
        "definition": {"name": names},
    }


def statement(
    person: Any,
    verb: str,
    name: str,
    *,
    days_ago: float = 0,
    result: dict[str, Any] | None = None,
    display: dict[str, str] | None = None,
    dutch: str = "",
    slug: str = "",
) -> dict[str, Any]:
    verb_id = verb if ":" in verb else ADL + verb
    built: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": agent_for(person),
        "verb": {"id": verb_id, "display": display or {"en-US": verb_id.rsplit("/", 1)[-1]}},
        "object": activity(name, slug=slug, dutch=dutch),
        "timestamp": (timezone.now() - dt.timedelta(days=days_ago)).isoformat(),
    }
    if result is not None:
        built["result"] = result
    return built


def record(
    person: Any, *statements: dict[str, Any], organisation: Any = None, network: Any = None
) -> list[str]:
    return record_statements(
        statements=list(statements), organisation=organisation, network=network, person=person
    )


def records_samples(world: World) -> dict[str, Any]:
    """A client of Org A and a few records of A's learner and of the placed temp worker."""
    a = world.a
    record(
        a.learner,
        statement(
            a.learner, "completed", "Veilig werken A", days_ago=3, result={"completion": True}
        ),
        statement(a.learner, "passed", "Toets A", days_ago=2, result={"success": True}),
        organisation=a.org,
    )
    record(
        world.temp_worker,
        statement(world.temp_worker, "attended", "Werkplaatsinstructie", days_ago=1),
        organisation=a.org,
    )
    client = client_create(
        actor=a.admin, store=store_for(organisation=a.org), name="Leerplatform A"
    ).client
    return {"lrs_client": client}
