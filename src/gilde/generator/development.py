"""Development plans: a share of the members writes a plan with one to three goals on their
profile's competencies, each with an action (a catalogue item they can reach, or a task on the
job); about half hand the plan in to their manager."""

from __future__ import annotations

import datetime as dt

from gilde.development.models import ActionKind
from gilde.development.services import action_save, goal_save, plan_create, plan_submit
from gilde.generator.services import REFERENCE_DAY, World

QUESTIONS = (
    "Hoe word ik zelfstandiger in mijn vak?",
    "Hoe kan ik nieuwe collega's beter inwerken?",
    "Wat heb ik nodig om teamleider te worden?",
    "Hoe blijf ik bij met nieuwe machines en software?",
    "Hoe help ik klanten sneller en beter?",
)


def build(world: World) -> dict[str, int]:
    size, rng = world.size, world.rng
    if not size.plans:
        return {}
    candidates = [m for m in world.members if m.profile_competencies]
    chosen = rng.sample(candidates, min(size.plans, len(candidates)))
    plans = goals = submitted = 0
    for member in chosen:
        start = REFERENCE_DAY - dt.timedelta(days=rng.randint(0, 200))
        end = start + dt.timedelta(days=365)
        plan = plan_create(
            actor=member.person,
            organisation=member.organisation,
            title=f"Ontwikkelplan {start.year}",
            period_start=start,
            period_end=end,
            learning_question=rng.choice(QUESTIONS),
        )
        reachable = world.items[member.network_index] + world.org_items.get(
            member.organisation.pk, []
        )
        for competency in rng.sample(member.profile_competencies, rng.randint(1, 3)):
            goal = goal_save(
                actor=member.person,
                plan=plan,
                what=f"Beter worden in: {competency.name.lower()}",
                why="Dat vraagt mijn werk steeds vaker.",
                how_i_know="Mijn leidinggevende ziet het terug in mijn werk.",
                due_date=end - dt.timedelta(days=rng.randint(0, 120)),
                competencies=[(competency, rng.randint(2, 4))],
            )
            item = rng.choice(reachable) if reachable and rng.random() < 0.7 else None
            action_save(
                actor=member.person,
                goal=goal,
                kind=ActionKind.LEARNING if item else ActionKind.ON_THE_JOB,
                description=item.title if item else "Een week meedraaien met een ervaren collega.",
                catalogue_item=item,
            )
            goals += 1
        if member.manager is not None and rng.random() < 0.5:
            plan_submit(actor=member.person, plan=plan)
            submitted += 1
        plans += 1
        if plans % 50 == 0:
            world.report("development plans", plans, len(chosen))
    world.report("development plans", plans, len(chosen))
    return {"development plans": plans, "goals": goals, "plans handed in": submitted}
