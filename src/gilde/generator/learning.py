"""The catalogue, enrolments and completions.

Half of the items are shared by a network, half belong to one organisation (spread with the same
long tail as the people); external courses and on-the-job assignments, tagged, published by their
author. Learners enrol themselves in items their organisation reaches; about a third finish, with
proof (external courses) or signed off by their manager (assignments). Every enrolment and
completion writes its learning record and audit event as it does on the web pages.
"""

from __future__ import annotations

from typing import Any

from gilde.generator.services import World, hours, split
from gilde.learning import services
from gilde.learning.models import ItemKind

TOPICS = (
    "Veilig werken op hoogte", "Klantgericht verkopen", "Excel voor de werkvloer",
    "Eerste hulp bij ongelukken", "Lassen voor beginners", "Social media voor de winkel",
    "Plannen en organiseren", "Feedback geven", "Voorraadbeheer", "Heftruck rijden",
    "Hygiëne in de keuken", "Omgaan met klachten", "Basis CNC-frezen", "Digitale facturen",
    "Coachend leidinggeven", "Werken met de kassa", "Brandveiligheid", "Ergonomisch werken",
    "Productfotografie", "Duurzaam inkopen", "Nieuwe collega's inwerken", "VCA basis",
)  # fmt: skip
PROVIDERS = ("Leerwerkplaats Oost", "Vakschool Noord", "Online Academie", "ROC Rivierenland")
TAGS = (
    "veiligheid", "verkoop", "digitaal", "leiderschap", "techniek", "service", "logistiek",
    "communicatie", "kwaliteit", "administratie", "horeca", "zorg",
)  # fmt: skip


def build(world: World) -> dict[str, int]:
    size, rng = world.size, world.rng
    shared = size.items // 2
    per_network = split(shared, size.networks, rng, least=1, skew=8.0)
    per_org = split(size.items - shared, size.organisations, rng, least=0, skew=1.3)
    owners: dict[int, Any] = {}
    for member in world.members:  # the first person of each organisation is its owner
        owners.setdefault(member.organisation.pk, member.person)
    count = 0
    org_number = 0
    for n, network in enumerate(world.networks):
        reach: list[Any] = []
        for _ in range(per_network[n]):
            reach.append(_item(world, network=network, author=world.coordinators[n], n=count))
            count += 1
            world.report("catalogue and enrolments", count, size.items)
        world.items.append(reach)
        for organisation in world.organisations[n]:
            own = []
            for _ in range(per_org[org_number]):
                own.append(
                    _item(
                        world,
                        organisation=organisation,
                        author=owners[organisation.pk],
                        n=count,
                    )
                )
                count += 1
                world.report("catalogue and enrolments", count, size.items)
            world.org_items[organisation.pk] = own
            org_number += 1

    reach = [
        world.items[m.network_index] + world.org_items[m.organisation.pk] for m in world.members
    ]
    per_person = _capped(
        split(size.enrolments, len(world.members), rng, least=0, skew=2.5),
        [len(r) for r in reach],
    )
    enrolled = completed = 0
    for member, reachable, wanted in zip(world.members, reach, per_person, strict=True):
        for item in rng.sample(reachable, wanted):
            enrolment = services.enrolment_self_create(actor=member.person, item=item)
            world.enrolments.append(enrolment)
            enrolled += 1
            if rng.random() < size.completed_share and _complete(world, member, enrolment):
                completed += 1
            if enrolled % 200 == 0:
                world.report("catalogue and enrolments", enrolled, size.enrolments)
    world.report("catalogue and enrolments", enrolled, size.enrolments)
    return {"catalogue items": count, "enrolments": enrolled, "completions": completed}


def _capped(wanted: list[int], room: list[int]) -> list[int]:
    """`wanted` with nobody above their room (the items they can reach); what is cut off goes
    to the others in turn, as far as their room allows."""
    counts = [min(w, r) for w, r in zip(wanted, room, strict=True)]
    spare = sum(wanted) - sum(counts)
    while spare > 0:
        open_ = [i for i, (c, r) in enumerate(zip(counts, room, strict=True)) if c < r]
        if not open_:
            break
        for i in open_[:spare]:
            counts[i] += 1
        spare -= min(spare, len(open_))
    return counts


def _item(
    world: World, *, author: Any, n: int, network: Any = None, organisation: Any = None
) -> Any:
    rng = world.rng
    topic = rng.choice(TOPICS)
    external = rng.random() < 0.6
    fields: dict[str, Any] = {
        "title": f"{topic} {n + 1}",
        "summary": f"{topic}: wat je ervoor moet weten en kunnen, in de praktijk geoefend.",
        "language": "nl",
        "study_load_hours": hours(rng),
        "audience": "Iedereen die ermee werkt",
        "certificate_enabled": False,
    }
    if external:
        kind = ItemKind.EXTERNAL
        fields["provider"] = rng.choice(PROVIDERS)
        fields["url"] = f"https://opleiding.example/{n + 1}"
    else:
        kind = ItemKind.ON_THE_JOB
        fields["instructions"] = f"Oefen '{topic.lower()}' een week lang op je eigen werkplek."
        fields["sign_off_by"] = "mentor_or_manager"
    item = services.item_create(
        actor=author,
        kind=kind,
        fields=fields,
        network=network,
        organisation=organisation,
        tags=rng.sample(TAGS, 2),
    )
    return services.item_publish(actor=author, item=item)


def _complete(world: World, member: Any, enrolment: Any) -> bool:
    if enrolment.item.kind == ItemKind.EXTERNAL:
        services.external_proof_submit(
            actor=member.person,
            enrolment=enrolment,
            link=f"https://opleiding.example/certificaat/{enrolment.uuid}",
        )
        return True
    if member.manager is None:
        return False
    services.on_the_job_sign_off(actor=member.manager, enrolment=enrolment)
    return True
