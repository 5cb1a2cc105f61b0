"""A competency framework per network, a function profile per trade, and ratings.

Each network publishes its own framework (the scale's competencies divided over the networks, in
categories); every member gets a function profile of twelve of them; the ratings are self-ratings
and their manager's ratings spread over the past two years, loaded through `assessments_load`,
which keeps the current levels by the same rule as a single rating.
"""

from __future__ import annotations

from typing import Any

from gilde.competencies.models import Assessment, AssessmentSource, RaterRole
from gilde.competencies.services import (
    assessments_load,
    competency_save,
    framework_create,
    latest_version,
    profile_assign,
    profile_save,
    version_publish,
)
from gilde.generator.services import World, chunks, split

CATEGORIES = (
    ("VAK", "Vakmanschap"), ("KLA", "Klant en service"), ("VEI", "Veiligheid"),
    ("DIG", "Digitale vaardigheden"), ("SAM", "Samenwerken"), ("ORG", "Organiseren"),
)  # fmt: skip
SKILLS = (
    "werken met", "plannen van", "controleren van", "uitleggen van", "onderhouden van",
    "verbeteren van", "rapporteren over", "veilig omgaan met", "adviseren over", "inkopen van",
)  # fmt: skip
SUBJECTS = (
    "gereedschap", "klantvragen", "voorraad", "machines", "de kassa", "offertes", "orders",
    "materialen", "het rooster", "de webwinkel", "klachten", "tekeningen", "gevaarlijke stoffen",
    "sociale media", "de planning", "facturen", "nieuwe collega's", "kwaliteitscontroles",
)  # fmt: skip
PROFILE_SIZE = 12
BATCH = 5000


def build(world: World) -> dict[str, int]:
    size, rng = world.size, world.rng
    per_network = split(size.competencies, size.networks, rng, least=PROFILE_SIZE, skew=8.0)
    profiles: list[list[Any]] = []
    codes_of: list[list[Any]] = []
    competencies = 0
    for n, network in enumerate(world.networks):
        actor = world.coordinators[n]
        framework = framework_create(
            actor=actor,
            network=network,
            name=f"Vakmanschap {network.name.removeprefix('Leernetwerk ')}",
            description="Wat vakmensen in de bedrijven van het netwerk kunnen.",
        )
        version = latest_version(framework)
        assert version is not None
        made = []
        for i in range(per_network[n]):
            prefix, category = CATEGORIES[i % len(CATEGORIES)]
            made.append(
                competency_save(
                    actor=actor,
                    version=version,
                    code=f"{prefix}-{i + 1:03d}",
                    name=f"{rng.choice(SKILLS).capitalize()} {rng.choice(SUBJECTS)}",
                    category=category,
                )
            )
        version = version_publish(actor=actor, version=version)
        made = list(version.competencies.select_related("version").order_by("code"))
        competencies += len(made)
        world.frameworks.append(version)
        codes_of.append(made)
        network_profiles = []
        for p in range(min(4, max(1, len(made) // PROFILE_SIZE))):
            chosen = rng.sample(made, PROFILE_SIZE)
            network_profiles.append(
                profile_save(
                    actor=actor,
                    name=f"Profiel {p + 1}: {chosen[0].name.lower()}",
                    version=version,
                    network=network,
                    requirements={c.code: (rng.randint(2, 4), rng.randint(1, 5)) for c in chosen},
                )
            )
        profiles.append(network_profiles)
        world.report("competencies and ratings", n + 1, size.networks)

    by_profile: dict[int, list[Any]] = {}
    for member in world.members:
        profile = rng.choice(profiles[member.network_index])
        profile_assign(actor=None, membership=member.membership, profile=profile)
        if profile.pk not in by_profile:
            by_profile[profile.pk] = [
                r.competency for r in profile.requirements.select_related("competency__version")
            ]
        member.profile_competencies = by_profile[profile.pk]

    ratings = split(size.assessments, len(world.members), rng, least=1, skew=3.0)
    pending: list[Assessment] = []
    loaded = 0
    for member, count in zip(world.members, ratings, strict=True):
        own = member.profile_competencies
        everything = codes_of[member.network_index]
        for _ in range(count):
            competency = rng.choice(own) if rng.random() < 0.8 else rng.choice(everything)
            by_manager = member.manager is not None and rng.random() < 0.45
            pending.append(
                Assessment(
                    uuid=world.uuid(),
                    person=member.person,
                    competency=competency,
                    level=rng.choice((1, 2, 2, 3, 3, 3, 4, 4)),
                    rater=member.manager if by_manager else member.person,
                    rater_role=RaterRole.MANAGER if by_manager else RaterRole.SELF,
                    organisation=member.organisation,
                    source=AssessmentSource.DIRECT,
                    assessed_on=world.day_back(730),
                )
            )
        if len(pending) >= BATCH:
            loaded += _load(pending)
            pending = []
            world.report("competencies and ratings", loaded, size.assessments)
    loaded += _load(pending)
    world.report("competencies and ratings", loaded, size.assessments)
    return {"competencies": competencies, "assessments": loaded}


def _load(pending: list[Assessment]) -> int:
    total = 0
    for chunk in chunks(pending, BATCH):
        total += assessments_load(entries=chunk)
    return total
