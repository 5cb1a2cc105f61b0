"""Network events: series of four weekly sessions, and members registering for them.

Events lie ahead, so their dates are counted from today (next week onwards), unlike the rest of
the data; everything else about them comes from the seed. Registrations go through
`registration_create`: a full session puts the next person on its waiting list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gilde.events.services import EventError, SessionTimes, registration_create, sessions_create
from gilde.generator.services import World, hours, split, today
from gilde.learning import services as learning
from gilde.learning.models import ItemKind

SUBJECTS = (
    "Netwerkbijeenkomst", "Masterclass", "Workshop", "Intervisie", "Kennissessie", "Praktijkdag",
)  # fmt: skip
THEMES = (
    "veilig werken", "klantcontact", "digitaal ondernemen", "leidinggeven", "duurzaamheid",
    "nieuwe collega's inwerken", "werken met data", "vakmanschap doorgeven",
)  # fmt: skip
SESSIONS = 4


def build(world: World) -> dict[str, int]:
    size, rng = world.size, world.rng
    if not size.event_series:
        return {}
    per_network = split(size.event_series, size.networks, rng, least=1, skew=8.0)
    sessions_of: list[list[Any]] = []
    first_week = today() + dt.timedelta(days=7 - today().weekday())
    made = 0
    for n, network in enumerate(world.networks):
        coordinator = world.coordinators[n]
        network_sessions: list[Any] = []
        for _ in range(per_network[n]):
            title = f"{rng.choice(SUBJECTS)} {rng.choice(THEMES)}"
            item = learning.item_create(
                actor=coordinator,
                kind=ItemKind.EVENT,
                network=network,
                fields={
                    "title": title,
                    "summary": f"{title}: samen met collega's uit het netwerk.",
                    "language": "nl",
                    "study_load_hours": hours(rng),
                    "audience": "Medewerkers van de leden",
                    "certificate_enabled": False,
                },
                tags=["netwerk"],
            )
            item = learning.item_publish(actor=coordinator, item=item)
            start = dt.time(rng.choice((9, 13, 19)), 0)
            network_sessions += sessions_create(
                actor=coordinator,
                item=item,
                times=SessionTimes(
                    first_week + dt.timedelta(days=rng.randint(0, 4) + 7 * rng.randint(0, 8)),
                    start,
                    dt.time(start.hour + 3, 0),
                ),
                fields={
                    "title": "",
                    "address": f"{rng.choice(('Industrieweg', 'Marktplein', 'Havenkade'))} "
                    f"{rng.randint(1, 120)}, {network.name.removeprefix('Leernetwerk ')}",
                    "capacity": rng.choice((12, 20, 25, 40)),
                    "host": coordinator,
                },
                every_weeks=1,
                count=SESSIONS,
            )
            made += 1
            world.report("events", made, size.event_series)
        sessions_of.append(network_sessions)

    by_network: list[list[Any]] = [[] for _ in world.networks]
    for member in world.members:
        by_network[member.network_index].append(member)
    registered = attempts = 0
    taken: set[tuple[int, int]] = set()
    while registered < size.registrations and attempts < 3 * size.registrations:
        attempts += 1
        n = rng.randrange(len(world.networks))
        if not by_network[n] or not sessions_of[n]:
            continue
        member, session = rng.choice(by_network[n]), rng.choice(sessions_of[n])
        if (member.person.pk, session.pk) in taken:
            continue
        taken.add((member.person.pk, session.pk))
        try:
            registration_create(actor=member.person, session=session)
        except EventError:
            continue  # registered for this series already, say: draw again
        registered += 1
        if registered % 100 == 0:
            world.report("events", registered, size.registrations)
    return {"event series": made, "sessions": made * SESSIONS, "registrations": registered}
