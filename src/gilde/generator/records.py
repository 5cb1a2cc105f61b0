"""Learning records up to the scale's number: what learners did inside their enrolments.

The enrolments and completions wrote their own statements already; the rest are the traces a
course leaves while it is being followed (launched, progressed with a share done, answered
questions), stored through the Learning Record Store's own `store_statements`, in batches per
organisation, with ids and timestamps drawn from the seed.
"""

from __future__ import annotations

from typing import Any

from gilde.generator.services import World
from gilde.learning import records
from gilde.lrs.models import Statement
from gilde.lrs.services import store_for, store_statements

BATCH = 1000
PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"


def build(world: World) -> dict[str, int]:
    rng = world.rng
    target = world.size.records
    existing = Statement.objects.count()
    wanted = max(0, target - existing)
    if not world.enrolments or not wanted:
        return {"learning records": existing}
    # Each organisation's store gets the records of its own enrolments.
    by_org: dict[int, list[Any]] = {}
    for enrolment in world.enrolments:
        by_org.setdefault(enrolment.organisation_id, []).append(enrolment)
    organisations = {o.pk: o for group in world.organisations for o in group}
    order = sorted(by_org)
    weights = [len(by_org[pk]) for pk in order]
    written = 0
    while written < wanted:
        pk = rng.choices(order, weights)[0]
        enrolments = by_org[pk]
        batch = [
            _statement(world, rng.choice(enrolments)) for _ in range(min(BATCH, wanted - written))
        ]
        # The store links each statement to the learner's account (one query per batch).
        store_statements(store=store_for(organisation=organisations[pk]), statements=batch)
        written += len(batch)
        world.report("learning records", written, wanted)
    return {"learning records": existing + written}


def _statement(world: World, enrolment: Any) -> dict[str, Any]:
    rng = world.rng
    item = enrolment.item
    roll = rng.random()
    result: dict[str, Any] | None
    if roll < 0.2:
        verb, result = "launched", None
    elif roll < 0.8:
        done = rng.randint(1, 99)
        verb = "progressed"
        result = {"extensions": {PROGRESS: done}, "duration": f"PT{rng.randint(1, 90)}M"}
    else:
        verb = "answered"
        result = {"success": rng.random() < 0.7, "response": rng.choice(["a", "b", "c", "d"])}
    return records.statement(
        person=enrolment.person,
        verb_name=verb,
        obj=records.activity_for_item(item),
        enrolment=enrolment,
        result=result,
        statement_id=str(world.uuid()),
        timestamp=world.moment_back(540),
        language=item.language,
    )
