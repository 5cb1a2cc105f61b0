"""Loading (and wiping) the demo's competency frameworks, function profiles and assessment
histories. Everything goes through the competency services, so a rating in the demo follows the
same current-level rule as a rating in a real network.

Ratings are generated per person from their story (see competencies_data.Story) with a random
generator seeded by the person's key, so each load gives the same histories, dated back from the
day of loading.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from gilde.competencies.models import (
    Assessment,
    AssessmentRound,
    Competency,
    CurrentLevel,
    Evidence,
    Framework,
    FrameworkVersion,
    FunctionProfile,
    PriorLearningClaim,
    ProfileAssignment,
    RaterRole,
    RoundParticipant,
)
from gilde.competencies.services import (
    assessment_record,
    claim_submit,
    competency_save,
    framework_create,
    profile_assign,
    profile_save,
    round_create,
    round_self_assess,
    round_validate,
    target_profile_set,
    version_new_draft,
    version_publish,
)
from gilde.demo.competencies_data import (
    ASSIGNMENTS,
    CLAIMS,
    CYCLES,
    FRAMEWORKS,
    NEW_VERSIONS,
    PROFILES,
    ROUNDS,
    SCALE,
    AssignmentSpec,
    CompetencySpec,
    FrameworkSpec,
    ProfileSpec,
    RoundSpec,
    Story,
)
from gilde.people.models import Person
from gilde.tenancy.models import (
    CoachAssignment,
    Membership,
    Network,
    NetworkRole,
    NetworkRoleKind,
    Organisation,
    Role,
)

LOWEST, HIGHEST = SCALE[0][0], SCALE[-1][0]


@dataclass
class CompetencyLoadResult:
    frameworks: int = 0
    profiles: int = 0
    assessments: int = 0


@dataclass
class _Loaded:
    """What the loader made so far, by the keys used in competencies_data."""

    today: dt.date
    people: dict[str, Person]
    networks: dict[str, Network]
    organisations: dict[str, Organisation]
    frameworks: dict[str, Framework] = field(default_factory=dict)
    # Published versions of each framework, oldest first, with the day they were published.
    versions: dict[str, list[tuple[int, FrameworkVersion]]] = field(default_factory=dict)
    profiles: dict[str, FunctionProfile] = field(default_factory=dict)
    competencies: dict[int, dict[str, Competency]] = field(default_factory=dict)
    assessments: int = 0

    def competency(self, framework: str, code: str, days_ago: int) -> Competency:
        """The competency as it was `days_ago`: in the version published by then."""
        versions = self.versions[framework]
        version = versions[0][1]
        for published_days_ago, candidate in versions:
            if published_days_ago >= days_ago:
                version = candidate
        if version.pk not in self.competencies:
            # Loaded through the version, so every competency shares its cached scale.
            self.competencies[version.pk] = {c.code: c for c in version.competencies.all()}
        return self.competencies[version.pk][code]


def _clamp(level: int) -> int:
    return max(LOWEST, min(HIGHEST, level))


def _backdate(model: Any, pk: int, days_ago: int, *fields: str) -> None:
    """Date a freshly made demo row back, so the history looks lived in."""
    moment = timezone.now() - dt.timedelta(days=days_ago)
    model.objects.filter(pk=pk).update(**dict.fromkeys(fields, moment))


def _owner_actor(loaded: _Loaded, spec: FrameworkSpec | ProfileSpec) -> Person | None:
    """Who maintains a framework or profile: the network's coordinator, or an organisation
    admin."""
    if spec.network:
        held = NetworkRole.objects.filter(
            network=loaded.networks[spec.network], role=NetworkRoleKind.COORDINATOR
        ).first()
        return held.person if held else None
    admin = (
        Membership.objects.filter(organisation=loaded.organisations[spec.organisation])
        .with_role(Role.ORG_ADMIN)
        .order_by("pk")
        .first()
    )
    return admin.person if admin else None


def _descriptors(spec: CompetencySpec) -> dict[int, str]:
    return {value: text for (value, _label, _d), text in zip(SCALE, spec.levels, strict=True)}


def _framework_load(loaded: _Loaded, spec: FrameworkSpec) -> None:
    actor = _owner_actor(loaded, spec)
    framework = framework_create(
        actor=actor,
        name=spec.name,
        network=loaded.networks.get(spec.network),
        organisation=loaded.organisations.get(spec.organisation),
        description=spec.description,
        scale=SCALE,
    )
    version = framework.versions.get()
    for competency in spec.competencies:
        competency_save(
            actor=actor,
            version=version,
            code=competency.code,
            name=competency.name,
            description=competency.description,
            category=competency.category,
            descriptors=_descriptors(competency),
        )
    version = version_publish(actor=actor, version=version)
    _backdate(Framework, framework.pk, spec.published_days_ago + 14, "created_at")
    _backdate(FrameworkVersion, version.pk, spec.published_days_ago + 14, "created_at")
    _backdate(FrameworkVersion, version.pk, spec.published_days_ago, "published_at")
    loaded.frameworks[spec.key] = framework
    loaded.versions[spec.key] = [(spec.published_days_ago, version)]


def _new_versions_load(loaded: _Loaded) -> None:
    for spec in NEW_VERSIONS:
        framework = loaded.frameworks[spec.framework]
        owner = next(f for f in FRAMEWORKS if f.key == spec.framework)
        actor = _owner_actor(loaded, owner)
        draft = version_new_draft(actor=actor, framework=framework, note=spec.note)
        in_draft = {c.code: c for c in draft.competencies.all()}
        for changed in spec.changed:
            competency_save(
                actor=actor,
                version=draft,
                code=changed.code,
                name=changed.name,
                description=changed.description,
                category=changed.category,
                descriptors=_descriptors(changed),
                competency=in_draft[changed.code],
            )
        published = version_publish(actor=actor, version=draft)
        _backdate(FrameworkVersion, published.pk, spec.published_days_ago + 7, "created_at")
        _backdate(FrameworkVersion, published.pk, spec.published_days_ago, "published_at")
        loaded.versions[spec.framework].append((spec.published_days_ago, published))


def _profiles_load(loaded: _Loaded) -> None:
    for spec in PROFILES:
        versions = loaded.versions[spec.framework]
        actor = _owner_actor(loaded, spec)
        requirements = {code: (level, weight) for code, level, weight in spec.requirements}
        # Made on the first version; moved along when a newer version was published.
        profile = None
        for _days, version in versions:
            profile = profile_save(
                actor=actor,
                name=spec.name,
                description=spec.description,
                version=version,
                requirements=requirements,
                network=loaded.networks.get(spec.network),
                organisation=loaded.organisations.get(spec.organisation),
                profile=profile,
            )
        assert profile is not None
        _backdate(FunctionProfile, profile.pk, versions[0][0] - 7, "created_at")
        loaded.profiles[spec.key] = profile


def _membership_for(loaded: _Loaded, spec: AssignmentSpec) -> Membership:
    memberships = Membership.objects.current(loaded.today).filter(person=loaded.people[spec.person])
    if spec.organisation:
        memberships = memberships.filter(organisation=loaded.organisations[spec.organisation])
    found = memberships.select_related("organisation", "manager", "mentor").order_by("pk").first()
    if found is None:
        raise LookupError(f"no current membership for {spec.person}")
    return found


def _validator(membership: Membership) -> tuple[Person, str]:
    """Who validates this person's levels at this workplace: their manager, else their
    workplace mentor, else an organisation admin."""
    if membership.manager is not None:
        return membership.manager, RaterRole.MANAGER
    if membership.mentor is not None:
        return membership.mentor, RaterRole.MENTOR
    admin = (
        Membership.objects.filter(organisation=membership.organisation)
        .with_role(Role.ORG_ADMIN)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise LookupError(f"nobody validates at {membership.organisation}")
    return admin.person, RaterRole.MANAGER


@dataclass
class _Trajectory:
    """Levels per competency per cycle, for the validator and for the person."""

    validated: dict[str, list[int]]
    self: dict[str, list[int]]


def _trajectory(
    rng: random.Random, requirements: Iterable[tuple[str, int, int]], story: Story, cycles: int
) -> _Trajectory:
    required = {code: level for code, level, _weight in requirements}
    codes = list(required)
    validated: dict[str, list[int]] = {}
    self_levels: dict[str, list[int]] = {}
    odd = set(rng.sample(codes, k=min(3, len(codes))))
    steps = max(cycles, 1)
    for code in codes:
        end = _clamp(required[code] + rng.choice((-1, 0, 0, 0, 1)))
        if story is Story.GROWING:
            end = _clamp(max(end, required[code]))
            start = _clamp(end - rng.choice((1, 1, 2)))
        else:
            start = end if rng.random() < 0.7 else _clamp(end - 1)
        if story is Story.OVERCONFIDENT and code in odd:
            end, start = min(end, HIGHEST - 2), min(start, HIGHEST - 2)
        if story is Story.MODEST and code in odd:
            end, start = max(end, LOWEST + 2), max(start, LOWEST + 2)
        levels = [
            round(start + (end - start) * (i / (steps - 1) if steps > 1 else 1.0))
            for i in range(steps)
        ]
        validated[code] = levels
        if story is Story.OVERCONFIDENT and code in odd:
            own = [_clamp(level + (2 if i == steps - 1 else 1)) for i, level in enumerate(levels)]
        elif story is Story.MODEST and code in odd:
            own = [_clamp(level - (2 if i == steps - 1 else 1)) for i, level in enumerate(levels)]
        else:
            own = [_clamp(level + rng.choice((0, 0, 0, 1, -1))) for level in levels]
        self_levels[code] = own
    return _Trajectory(validated, self_levels)


def _rate(
    loaded: _Loaded,
    *,
    framework: str,
    code: str,
    days_ago: int,
    actor: Person,
    person: Person,
    role: str,
    level: int,
    organisation: Organisation,
) -> None:
    assessment_record(
        actor=actor,
        person=person,
        competency=loaded.competency(framework, code, days_ago),
        level=level,
        organisation=organisation,
        assessed_on=loaded.today - dt.timedelta(days=days_ago),
        rater_role=role,
    )
    loaded.assessments += 1


@dataclass
class _Story:
    """One person's profile and generated levels, kept for the open round."""

    spec: AssignmentSpec
    membership: Membership
    trajectory: _Trajectory


def _history_load(
    loaded: _Loaded, spec: AssignmentSpec, coaches: dict[int, Person], seed: int
) -> _Story:
    person = loaded.people[spec.person]
    membership = _membership_for(loaded, spec)
    organisation = membership.organisation
    profile_spec = next(p for p in PROFILES if p.key == spec.profile)
    profile_assign(
        actor=membership.manager or _validator(membership)[0],
        membership=membership,
        profile=loaded.profiles[spec.profile],
    )
    if spec.target:
        target_profile_set(actor=person, profile=loaded.profiles[spec.target])
    rng = random.Random(f"{seed}:{spec.person}")  # noqa: S311 - repeatable demo data
    if not spec.cycles:
        return _Story(spec, membership, _newcomer_trajectory(rng, spec))
    trajectory = _trajectory(rng, profile_spec.requirements, spec.story, len(spec.cycles))
    validator, role = _validator(membership)
    coach = coaches.get(person.pk)
    framework = profile_spec.framework
    for step, cycle in enumerate(spec.cycles):
        self_day = CYCLES[cycle] + rng.randint(-6, 6)
        check_day = max(1, self_day - rng.randint(5, 14))
        last = step == len(spec.cycles) - 1
        codes = sorted(trajectory.validated)
        if not last:
            # Earlier conversations covered part of the profile; the latest covered all of it.
            codes = sorted(rng.sample(codes, k=(len(codes) + 1) // 2))
        for code in codes:
            _rate(
                loaded,
                framework=framework,
                code=code,
                days_ago=self_day,
                actor=person,
                person=person,
                role=RaterRole.SELF,
                level=trajectory.self[code][step],
                organisation=organisation,
            )
            if spec.story is Story.SELF_ONLY:
                continue
            _rate(
                loaded,
                framework=framework,
                code=code,
                days_ago=check_day,
                actor=validator,
                person=person,
                role=role,
                level=trajectory.validated[code][step],
                organisation=organisation,
            )
        if coach is not None and last and spec.story is not Story.SELF_ONLY:
            # The network's coach looks at two competencies in a coaching session.
            for code in rng.sample(sorted(trajectory.validated), k=2):
                _rate(
                    loaded,
                    framework=framework,
                    code=code,
                    days_ago=max(1, check_day - 3),
                    actor=coach,
                    person=person,
                    role=RaterRole.ASSESSOR,
                    level=trajectory.validated[code][step],
                    organisation=organisation,
                )
    return _Story(spec, membership, trajectory)


def _round_load(loaded: _Loaded, spec: RoundSpec, stories: dict[str, _Story], seed: int) -> None:
    organisation = loaded.organisations[spec.organisation]
    lead = loaded.people[spec.requested_by]
    profile = loaded.profiles[spec.profile]
    participants = [loaded.people[key] for key in (*spec.done, *spec.waiting)]
    assessment_round = round_create(
        actor=lead,
        organisation=organisation,
        title=spec.title,
        profile=profile,
        due_date=loaded.today + dt.timedelta(days=spec.due_in_days),
        people=participants,
        team=organisation.teams.filter(name=spec.team).first(),
    )
    _backdate(AssessmentRound, assessment_round.pk, spec.created_days_ago, "created_at")
    rng = random.Random(f"{seed}:round:{spec.title}")  # noqa: S311 - repeatable demo data
    for key in spec.done:
        trajectory = stories[key].trajectory
        own: dict[str, tuple[int, str]] = {}
        for code, levels in trajectory.self.items():
            if levels:
                level = levels[-1]
                if stories[key].spec.story is Story.GROWING:
                    level = _clamp(level + rng.choice((0, 1)))
            else:
                # A newcomer rates themselves for the first time.
                level = _clamp(trajectory.validated[code][0] if trajectory.validated[code] else 2)
            own[code] = (level, "")
        round_self_assess(actor=loaded.people[key], assessment_round=assessment_round, ratings=own)
        loaded.assessments += len(own)
        done_at = rng.randint(2, spec.created_days_ago - 1)
        RoundParticipant.objects.filter(round=assessment_round, person=loaded.people[key]).update(
            self_done_at=timezone.now() - dt.timedelta(days=done_at)
        )
    for key in spec.validated:
        trajectory = stories[key].trajectory
        checked = {code: (levels[-1], "") for code, levels in trajectory.validated.items()}
        round_validate(
            actor=lead,
            assessment_round=assessment_round,
            person=loaded.people[key],
            ratings=checked,
        )
        loaded.assessments += len(checked)


def _newcomer_trajectory(rng: random.Random, spec: AssignmentSpec) -> _Trajectory:
    """Someone with no ratings yet: where they start, a level or so below what is required."""
    profile_spec = next(p for p in PROFILES if p.key == spec.profile)
    start = {
        code: [_clamp(level - rng.choice((0, 1, 1)))]
        for code, level, _weight in profile_spec.requirements
    }
    return _Trajectory(validated=start, self={code: [] for code in start})


def _claims_load(loaded: _Loaded) -> None:
    for spec in CLAIMS:
        claim = claim_submit(
            actor=loaded.people[spec.person],
            organisation=loaded.organisations[spec.organisation],
            competency=loaded.competency(spec.framework, spec.competency, 0),
            claimed_level=spec.level,
            statement=spec.statement,
            links=[spec.link],
        )
        _backdate(PriorLearningClaim, claim.pk, spec.submitted_days_ago, "created_at")
        Evidence.objects.filter(claims=claim).update(description=spec.link_description)


def demo_competencies_load(
    *, people: dict[str, Person], today: dt.date, seed: int
) -> CompetencyLoadResult:
    """Frameworks, profiles, and the people's ratings, rounds and claims. Called by demo_load
    right after the networks were made, in the same transaction."""
    owned: list[FrameworkSpec | ProfileSpec] = [*FRAMEWORKS, *PROFILES]
    slugs = {spec.network for spec in owned if spec.network}
    org_slugs = {spec.organisation for spec in owned if spec.organisation}
    org_slugs |= {a.organisation for a in ASSIGNMENTS if a.organisation}
    org_slugs |= {r.organisation for r in ROUNDS} | {c.organisation for c in CLAIMS}
    loaded = _Loaded(
        today=today,
        people=people,
        networks={n.slug: n for n in Network.objects.filter(slug__in=slugs)},
        organisations={o.slug: o for o in Organisation.objects.filter(slug__in=org_slugs)},
    )
    for spec in FRAMEWORKS:
        _framework_load(loaded, spec)
    _new_versions_load(loaded)
    _profiles_load(loaded)
    coaches = {
        a.person_id: a.coach
        for a in CoachAssignment.objects.filter(person__in=people.values()).select_related("coach")
    }
    stories = {
        assignment.person: _history_load(loaded, assignment, coaches, seed)
        for assignment in ASSIGNMENTS
    }
    for round_spec in ROUNDS:
        _round_load(loaded, round_spec, stories, seed)
    _claims_load(loaded)
    return CompetencyLoadResult(
        frameworks=len(loaded.frameworks),
        profiles=len(loaded.profiles),
        assessments=loaded.assessments,
    )


@transaction.atomic
def demo_competencies_reset(
    *, networks: QuerySet[Network], org_ids: list[int], people: QuerySet[Person]
) -> None:
    """Remove the competency rows of the demo before the people, organisations and networks
    they point at: claims and evidence (with their files), rounds, levels, ratings, profiles
    and frameworks."""
    frameworks = Framework.objects.filter(Q(network__in=networks) | Q(organisation_id__in=org_ids))
    profiles = FunctionProfile.objects.filter(
        Q(network__in=networks)
        | Q(organisation_id__in=org_ids)
        | Q(version__framework__in=frameworks)
    )
    of_people = Q(person__in=people)
    claims = PriorLearningClaim.objects.filter(
        of_people
        | Q(organisation_id__in=org_ids)
        | Q(competency__version__framework__in=frameworks)
    )
    evidence = Evidence.objects.filter(of_people | Q(claims__in=claims)).distinct()
    for item in evidence.exclude(file=""):
        item.file.delete(save=False)
    Evidence.objects.filter(pk__in=list(evidence.values_list("pk", flat=True))).delete()
    claims.delete()
    rounds = AssessmentRound.objects.filter(
        Q(organisation_id__in=org_ids) | Q(profile__in=profiles)
    )
    RoundParticipant.objects.filter(Q(round__in=rounds) | of_people).delete()
    rounds.delete()
    CurrentLevel.objects.filter(of_people | Q(framework__in=frameworks)).delete()
    Assessment.objects.filter(of_people | Q(framework__in=frameworks)).delete()
    ProfileAssignment.objects.filter(of_people | Q(profile__in=profiles)).delete()
    profiles.delete()
    frameworks.delete()
