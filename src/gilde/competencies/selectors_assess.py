"""Reads for assessment rounds, ratings of one person, evidence and prior-learning claims (EVC).

The `access_*` functions here are the gateway for these objects: they return the object or
raise Http404, the same answer for "missing" and "not yours". They build on the foundation's
rules (`tenancy.access`) and on `rater_role_for` / `can_see_levels_of`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.competencies.access import can_see_levels_of, frameworks_visible_to, rater_role_for
from gilde.competencies.models import (
    VALIDATING_ROLES,
    Assessment,
    AssessmentRound,
    ClaimStatus,
    Competency,
    Evidence,
    EvidenceKind,
    Framework,
    FunctionProfile,
    LevelDescriptor,
    PriorLearningClaim,
    RaterRole,
    Requirement,
    RoundParticipant,
    ScaleLevel,
    VersionStatus,
)
from gilde.people.models import Person
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import (
    CoachAssignment,
    Membership,
    NetworkMembershipStatus,
    Organisation,
    Role,
)

# Who may decide a prior-learning claim: the person's manager or organisation admin (MANAGER),
# or their assigned coach (ASSESSOR).
DECIDING_ROLES = (RaterRole.MANAGER, RaterRole.ASSESSOR)


def _current(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


# --- the levels of a profile or a competency, for the rating forms ---------------------------


@dataclass
class LevelOption:
    value: int
    label: str
    descriptor: str


@dataclass
class CompetencyLevels:
    """One competency with the options of its scale and the descriptor of each level."""

    competency: Competency
    options: list[LevelOption]
    required: int | None = None


def _options(levels: list[ScaleLevel], descriptors: dict[int, str]) -> list[LevelOption]:
    return [
        LevelOption(
            value=level.value,
            label=level.label,
            descriptor=descriptors.get(level.value, level.description),
        )
        for level in levels
    ]


def profile_levels(profile: FunctionProfile) -> list[CompetencyLevels]:
    """Every competency of a profile (in the framework's order) with its level options. Three
    queries."""
    version = profile.version
    requirements = list(
        Requirement.objects.filter(profile=profile)
        .select_related("competency__category")
        .order_by("competency__position", "competency__code")
    )
    levels = list(ScaleLevel.objects.filter(version_id=version.pk).order_by("value"))
    texts: dict[int, dict[int, str]] = {}
    for descriptor in LevelDescriptor.objects.filter(
        competency_id__in=[r.competency_id for r in requirements]
    ):
        texts.setdefault(descriptor.competency_id, {})[descriptor.level] = descriptor.text
    rows = []
    for requirement in requirements:
        competency = requirement.competency
        # One version object for all: its scale is then worked out once.
        competency.version = version
        rows.append(
            CompetencyLevels(
                competency=competency,
                options=_options(levels, texts.get(competency.pk, {})),
                required=requirement.level,
            )
        )
    return rows


def competency_levels(competency: Competency) -> CompetencyLevels:
    levels = list(ScaleLevel.objects.filter(version_id=competency.version_id).order_by("value"))
    texts = {d.level: d.text for d in LevelDescriptor.objects.filter(competency=competency)}
    return CompetencyLevels(competency=competency, options=_options(levels, texts))


# --- competencies to choose from ------------------------------------------------------------


def competency_key(competency: Competency) -> str:
    """How a competency is named in a form or a link: framework slug and code. A framework has
    one published version at a time, so this names the competency as it is now."""
    return f"{competency.version.framework.slug}:{competency.code}"


def published_competencies(frameworks: QuerySet[Framework]) -> QuerySet[Competency]:
    return (
        Competency.objects.filter(
            version__status=VersionStatus.PUBLISHED, version__framework__in=frameworks
        )
        .select_related("version__framework", "category")
        .order_by("version__framework__name", "position", "code")
    )


def competencies_to_rate(actor: Any, person: Any) -> QuerySet[Competency]:
    """Published competencies of frameworks that both the rater and the person can see."""
    shared = frameworks_visible_to(actor).filter(pk__in=frameworks_visible_to(person).values("pk"))
    return published_competencies(shared)


def competencies_to_claim(actor: Any) -> QuerySet[Competency]:
    """Published competencies of the frameworks of the person's organisations and networks."""
    return published_competencies(frameworks_visible_to(actor))


def competency_by_key(competencies: QuerySet[Competency], key: str) -> Competency | None:
    slug, sep, code = key.partition(":")
    if not sep or not slug or not code:
        return None
    return competencies.filter(version__framework__slug=slug, code=code).first()


def competency_choices(competencies: QuerySet[Competency]) -> list[tuple[str, Any]]:
    """Choices for a select, grouped by framework."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for competency in competencies:
        groups.setdefault(competency.version.framework.name, []).append(
            (competency_key(competency), f"{competency.code} {competency.name}")
        )
    return list(groups.items())


# --- rating one person ------------------------------------------------------------------------


def access_person_to_rate(actor: Any, person_uuid: Any) -> tuple[Person, str]:
    """The person and the role in which the actor may rate them; 404 when they may not."""
    person = Person.objects.filter(uuid=person_uuid, is_active=True).first()
    if person is None:
        raise Http404
    role = rater_role_for(actor, person)
    if role is None:
        raise Http404
    return person, role


# --- assessment rounds ------------------------------------------------------------------------


def profiles_for_organisation(organisation: Organisation) -> QuerySet[FunctionProfile]:
    """Profiles the organisation's people can be asked about: its own, and those of the
    networks it is an approved member of."""
    networks = organisation.network_memberships.filter(
        status=NetworkMembershipStatus.APPROVED
    ).values("network_id")
    return (
        FunctionProfile.objects.filter(Q(organisation=organisation) | Q(network_id__in=networks))
        .select_related("version__framework")
        .order_by("name")
    )


def round_people_choices(
    actor: Any, organisation: Organisation
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Who a round can be for: a team (organisation admins) or the actor's own reports
    (managers). Returns select choices and, per choice, (team or None, people)."""
    standing = standing_of(actor)
    current = (
        Membership.objects.current()
        .filter(organisation=organisation)
        .select_related("person", "team")
        .order_by("person__sort_key")
    )
    choices: list[tuple[str, str]] = []
    groups: dict[str, Any] = {}
    reports = [m.person for m in current.filter(manager=actor)]
    if reports:
        choices.append(("reports", _("People who report to you (%(n)d)") % {"n": len(reports)}))
        groups["reports"] = (None, reports)
    if standing.has_org_role(organisation.pk, Role.ORG_ADMIN):
        by_team: dict[int, list[Any]] = {}
        for membership in current.filter(team__isnull=False):
            by_team.setdefault(membership.team_id or 0, []).append(membership)
        for team in organisation.teams.all():
            members = by_team.get(team.pk, [])
            if not members:
                continue
            people = list({m.person_id: m.person for m in members}.values())
            key = f"team:{team.slug}"
            choices.append(
                (key, _("Team %(team)s (%(n)d)") % {"team": team.name, "n": len(people)})
            )
            groups[key] = (team, people)
    return choices, groups


def _leads(actor: Any, organisation: Organisation) -> tuple[bool, bool]:
    standing = standing_of(actor)
    return (
        standing.has_org_role(organisation.pk, Role.ORG_ADMIN),
        standing.has_org_role(organisation.pk, Role.MANAGER),
    )


def _managed_people(actor: Any, organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.current().filter(organisation=organisation, manager=actor)


def rounds_led_by(actor: Any, organisation: Organisation) -> QuerySet[AssessmentRound]:
    """Rounds the actor follows, with counts: all of the organisation for its admins; for a
    manager the rounds they started and those their reports take part in. One query."""
    is_admin, is_manager = _leads(actor, organisation)
    rounds = AssessmentRound.objects.filter(organisation=organisation)
    if not is_admin:
        if not is_manager:
            return rounds.none()
        managed = _managed_people(actor, organisation).values("person_id")
        rounds = rounds.filter(
            Q(requested_by=actor) | Q(participants__person_id__in=managed)
        ).distinct()
    return (
        rounds.select_related("profile", "team")
        .annotate(
            n_people=Count("participants", distinct=True),
            n_self=Count(
                "participants",
                filter=Q(participants__self_done_at__isnull=False),
                distinct=True,
            ),
            n_validated=Count(
                "participants",
                filter=Q(participants__validated_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("closed_at", "-created_at")
    )


@dataclass
class RoundAccess:
    round: AssessmentRound
    # Sees every participant (admin, or the manager who started it) or only their own reports.
    sees_all: bool
    is_admin: bool


def access_round(actor: Any, organisation: Organisation, round_uuid: Any) -> RoundAccess:
    """A round for the people who follow it: the organisation's admins, the manager who started
    it (while still a manager there), and managers whose reports take part (who see only
    those)."""
    found = (
        AssessmentRound.objects.filter(organisation=organisation, uuid=round_uuid)
        .select_related("profile__version__framework", "team", "requested_by", "organisation")
        .first()
    )
    if found is None:
        raise Http404
    is_admin, is_manager = _leads(actor, organisation)
    if is_admin:
        return RoundAccess(found, sees_all=True, is_admin=True)
    if not is_manager:
        raise Http404
    if found.requested_by_id == actor.pk:
        return RoundAccess(found, sees_all=True, is_admin=False)
    managed = _managed_people(actor, organisation).values("person_id")
    if found.participants.filter(person_id__in=managed).exists():
        return RoundAccess(found, sees_all=False, is_admin=False)
    raise Http404


def access_round_participation(
    actor: Any, organisation: Organisation, round_uuid: Any
) -> RoundParticipant:
    """The actor's own place in a round."""
    found = (
        RoundParticipant.objects.filter(
            round__organisation=organisation, round__uuid=round_uuid, person=actor
        )
        .select_related("round__profile__version__framework", "round__organisation", "person")
        .first()
    )
    if found is None:
        raise Http404
    return found


def validatable_person_ids(actor: Any, organisation: Organisation) -> set[int]:
    """People of the organisation whose ratings the actor validates as manager: everyone
    current for its admins, their reports for a manager. One query."""
    is_admin, _is_manager = _leads(actor, organisation)
    current = Membership.objects.current().filter(organisation=organisation)
    if not is_admin:
        current = current.filter(manager=actor)
    return set(current.exclude(person=actor).values_list("person_id", flat=True))


@dataclass
class ParticipantRow:
    participant: RoundParticipant
    may_validate: bool


@dataclass
class RoundOverview:
    rows: list[ParticipantRow] = field(default_factory=list)
    total: int = 0
    self_done: int = 0
    validated: int = 0

    @property
    def self_percent(self) -> int:
        return round(100 * self.self_done / self.total) if self.total else 0

    @property
    def validated_percent(self) -> int:
        return round(100 * self.validated / self.total) if self.total else 0


def round_overview(actor: Any, access: RoundAccess) -> RoundOverview:
    """Participants of a round with their progress. Two queries, whatever the number of
    participants."""
    organisation = access.round.organisation
    participants = RoundParticipant.objects.filter(round=access.round).select_related("person")
    if not access.sees_all:
        participants = participants.filter(
            person_id__in=_managed_people(actor, organisation).values("person_id")
        )
    validatable = validatable_person_ids(actor, organisation)
    overview = RoundOverview()
    for participant in participants.order_by("person__sort_key"):
        overview.rows.append(ParticipantRow(participant, participant.person_id in validatable))
        overview.total += 1
        overview.self_done += participant.self_done_at is not None
        overview.validated += participant.validated_at is not None
    return overview


def access_round_person(access: RoundAccess, actor: Any, person_uuid: Any) -> RoundParticipant:
    """A participant the actor may validate: part of the round, and the actor is their manager,
    organisation admin, coach or mentor."""
    found = (
        RoundParticipant.objects.filter(round=access.round, person__uuid=person_uuid)
        .select_related("person")
        .first()
    )
    if found is None or found.person_id == actor.pk:
        raise Http404
    if rater_role_for(actor, found.person) not in VALIDATING_ROLES:
        raise Http404
    if not access.sees_all and not (
        _managed_people(actor, access.round.organisation).filter(person=found.person).exists()
    ):
        raise Http404
    return found


def latest_round_ratings(
    assessment_round: AssessmentRound, person: Any, role: str
) -> dict[int, Assessment]:
    """The latest rating per competency (by id) that `person` got in this round in `role`
    (self, or any validating role). One query."""
    ratings = Assessment.objects.filter(round=assessment_round, person=person)
    if role == RaterRole.SELF:
        ratings = ratings.filter(rater_role=RaterRole.SELF)
    else:
        ratings = ratings.filter(rater_role__in=VALIDATING_ROLES)
    latest: dict[int, Assessment] = {}
    for rating in ratings.order_by("assessed_on", "created_at", "pk"):
        latest[rating.competency_id] = rating
    return latest


def open_rounds_for(person: Any) -> QuerySet[RoundParticipant]:
    """The person's places in rounds that are still open, soonest due first. One query."""
    return (
        RoundParticipant.objects.filter(
            person=person,
            round__closed_at__isnull=True,
            round__organisation_id__in=Membership.objects.current()
            .filter(person=person)
            .values("organisation_id"),
        )
        .select_related("round__organisation", "round__profile")
        .order_by("round__due_date", "round__created_at")
    )


# --- evidence ---------------------------------------------------------------------------------


def access_evidence(actor: Any, evidence_uuid: Any) -> Evidence:
    """An evidence file for the person it belongs to, and for whoever may see their levels."""
    found = (
        Evidence.objects.filter(uuid=evidence_uuid, kind=EvidenceKind.FILE)
        .select_related("person")
        .first()
    )
    if found is None or not found.file:
        raise Http404
    if found.person_id != getattr(actor, "pk", None) and not can_see_levels_of(actor, found.person):
        raise Http404
    return found


def rating_history(
    person: Any, competency: Competency, limit: int = 20
) -> list[tuple[Assessment, list[Evidence]]]:
    """The latest ratings of a person on a competency (by code, over all versions of its
    framework), each with its evidence. Two queries."""
    ratings = list(
        Assessment.objects.filter(
            person=person,
            framework_id=competency.version.framework_id,
            competency__code=competency.code,
        )
        .select_related("rater")
        .order_by("-assessed_on", "-created_at")[:limit]
    )
    by_assessment: dict[int, list[Evidence]] = {}
    for evidence in Evidence.objects.filter(assessment__in=ratings).order_by("created_at"):
        by_assessment.setdefault(evidence.assessment_id or 0, []).append(evidence)
    return [(rating, by_assessment.get(rating.pk, [])) for rating in ratings]


# --- prior learning (EVC) ---------------------------------------------------------------------


def claim_organisations(actor: Any, competency: Competency) -> list[Organisation]:
    """The actor's current organisations that may decide a claim on this competency: the owner
    of an organisation framework, or members of the network that shares it."""
    framework = competency.version.framework
    current = Membership.objects.current().filter(person=actor)
    if framework.organisation_id is not None:
        current = current.filter(organisation_id=framework.organisation_id)
    else:
        current = current.filter(
            organisation__network_memberships__network_id=framework.network_id or 0,
            organisation__network_memberships__status=NetworkMembershipStatus.APPROVED,
        )
    organisations = {
        m.organisation.pk: m.organisation for m in current.select_related("organisation")
    }
    return sorted(organisations.values(), key=lambda o: o.name)


def claims_of(person: Any) -> QuerySet[PriorLearningClaim]:
    return (
        PriorLearningClaim.objects.filter(person=person)
        .select_related("competency__version__framework", "organisation")
        .order_by("-created_at")
    )


def claims_to_decide(actor: Any) -> QuerySet[PriorLearningClaim]:
    """Open claims the actor may decide: of people they manage, of people at an organisation
    they administer, of people they coach. One query (after the actor's standing)."""
    if not getattr(actor, "is_authenticated", False):
        return PriorLearningClaim.objects.none()
    admin_orgs = [o.pk for o in standing_of(actor).admin_organisations()]
    led = Membership.objects.filter(_current(), person=OuterRef("person")).filter(
        Q(manager=actor) | Q(organisation_id__in=admin_orgs)
    )
    coached = CoachAssignment.objects.filter(_current(), coach=actor, person=OuterRef("person"))
    return (
        PriorLearningClaim.objects.filter(status=ClaimStatus.SUBMITTED)
        .exclude(person=actor)
        .filter(Exists(led) | Exists(coached))
        .select_related("person", "competency__version__framework", "organisation")
        .order_by("created_at")
    )


def access_claim(actor: Any, claim_uuid: Any) -> PriorLearningClaim:
    """A claim for the person who made it and for whoever may see their levels."""
    found = (
        PriorLearningClaim.objects.filter(uuid=claim_uuid)
        .select_related(
            "person", "competency__version__framework", "organisation", "assessor", "assessment"
        )
        .first()
    )
    if found is None:
        raise Http404
    if found.person_id != getattr(actor, "pk", None) and not can_see_levels_of(actor, found.person):
        raise Http404
    return found


def decider_role(actor: Any, claim: PriorLearningClaim) -> str | None:
    """The role in which the actor may decide the claim (manager or assessor), or None."""
    if claim.person_id == getattr(actor, "pk", None):
        return None
    role = rater_role_for(actor, claim.person)
    return role if role in DECIDING_ROLES else None


# --- the home page ----------------------------------------------------------------------------


def assessment_home(actor: Any) -> dict[str, Any]:
    """What the home page shows about rounds and prior learning. Two queries (after the
    actor's standing)."""
    standing = standing_of(actor)
    leads = {o.pk: o for o in [*standing.admin_organisations(), *standing.manager_organisations()]}
    return {
        "open_rounds": list(open_rounds_for(actor)),
        "claims_to_decide": claims_to_decide(actor).count(),
        "round_organisations": sorted(leads.values(), key=lambda o: o.name),
    }
