"""Writes for competencies: frameworks and their versions, profiles, and assessments.

The current-level rule (also in docs/competencies.md):

  For one person and one competency (by code, within one framework), the *validated level* is the
  most recent rating (by date assessed, then by time entered) given by a manager, a coach /
  assessor or a workplace mentor. The *self-rating* is the most recent rating by the person
  themselves. The level that counts is the validated level; if there is none yet, the self-rating
  counts and is shown as not validated. When both exist and differ by two or more steps of the
  scale, the cell is flagged as a disagreement. Peer ratings are kept and shown, never counted.
  Nothing is overwritten: a later rating simply becomes the latest.

Levels are compared on the common 0–1 range: normalised = (level − lowest) / (highest − lowest)
of the scale of the version the rating was given on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.audit.services import audit_record
from gilde.competencies.access import rater_role_for
from gilde.competencies.evidence import (
    MAX_FILES_PER_CLAIM,
    CheckedFile,
    check_link,
    check_upload,
)
from gilde.competencies.models import (
    VALIDATING_ROLES,
    Assessment,
    AssessmentRound,
    AssessmentSource,
    Category,
    ClaimStatus,
    Competency,
    CurrentLevel,
    Evidence,
    EvidenceKind,
    Framework,
    FrameworkVersion,
    FunctionProfile,
    LevelDescriptor,
    PriorLearningClaim,
    ProfileAssignment,
    RaterRole,
    Requirement,
    RoundParticipant,
    ScaleLevel,
    VersionStatus,
)
from gilde.tenancy.models import Membership, Network, Organisation
from gilde.tenancy.services import unique_slug

# Labels are stored in the language of the person creating the framework (they can rename them).
DEFAULT_SCALE: tuple[tuple[int, Any, Any], ...] = (
    (1, gettext_lazy("beginner"), gettext_lazy("Knows the basics; works with help.")),
    (
        2,
        gettext_lazy("advanced beginner"),
        gettext_lazy("Does common tasks alone; asks for help with the rest."),
    ),
    (3, gettext_lazy("competent"), gettext_lazy("Works alone, also on uncommon tasks.")),
    (4, gettext_lazy("expert"), gettext_lazy("Teaches others and improves how the work is done.")),
)
DISAGREEMENT_STEPS = 2


class CompetencyError(ValueError):
    """A rule refused the change; the message is fit to show to the user."""


@dataclass(frozen=True)
class Scale:
    values: tuple[int, ...]

    @property
    def lowest(self) -> int:
        return self.values[0]

    @property
    def highest(self) -> int:
        return self.values[-1]

    @property
    def step(self) -> float:
        """One step of this scale on the common 0–1 range."""
        return 1.0 / (self.highest - self.lowest) if self.highest > self.lowest else 1.0

    def normalise(self, level: int) -> float:
        if level not in self.values:
            raise CompetencyError(
                _("Level %(level)s is not on this scale (%(low)s to %(high)s).")
                % {"level": level, "low": self.lowest, "high": self.highest}
            )
        if self.highest == self.lowest:
            return 1.0
        return (level - self.lowest) / (self.highest - self.lowest)

    def from_normalised(self, value: float) -> int:
        """The nearest level of this scale to a 0–1 value."""
        return min(self.values, key=lambda v: abs(self.normalise(v) - value))


def scale_of(version: FrameworkVersion) -> Scale:
    cached = getattr(version, "_scale", None)
    if cached is None:
        values = tuple(sorted(version.levels.values_list("value", flat=True)))
        if len(values) < 2:
            raise CompetencyError(_("A scale needs at least two levels."))
        cached = Scale(values)
        version._scale = cached  # type: ignore[attr-defined]
    return cached


# --- frameworks -------------------------------------------------------------------------------


@transaction.atomic
def framework_create(
    *,
    actor: Any,
    name: str,
    network: Network | None = None,
    organisation: Organisation | None = None,
    description: str = "",
    scale: Sequence[tuple[int, Any, Any]] = DEFAULT_SCALE,
) -> Framework:
    if (network is None) == (organisation is None):
        raise CompetencyError(_("A framework belongs to one network or to one organisation."))
    if not name.strip():
        raise CompetencyError(_("Give the framework a name."))
    values = [v for v, _label, _d in scale]
    if len(set(values)) != len(values) or len(values) < 2:
        raise CompetencyError(_("A scale needs at least two different levels."))
    framework = Framework.objects.create(
        slug=unique_slug(Framework, name),
        name=name.strip(),
        description=description.strip(),
        network=network,
        organisation=organisation,
    )
    version = FrameworkVersion.objects.create(framework=framework, number=1)
    ScaleLevel.objects.bulk_create(
        [
            ScaleLevel(version=version, value=v, label=str(label), description=str(d))
            for v, label, d in scale
        ]
    )
    audit_record(
        actor=actor,
        action="framework.create",
        network=network,
        organisation=organisation,
        framework=framework.name,
    )
    return framework


def _audit_framework(*, actor: Any, action: str, framework: Framework, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        network=framework.network,
        organisation=framework.organisation,
        framework=framework.name,
        **detail,
    )


def latest_version(framework: Framework, *, published: bool = False) -> FrameworkVersion | None:
    versions = framework.versions.all()
    if published:
        versions = versions.filter(status=VersionStatus.PUBLISHED)
    return versions.order_by("-number").first()


def draft_version(framework: Framework) -> FrameworkVersion | None:
    return framework.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()


@transaction.atomic
def version_publish(*, actor: Any, version: FrameworkVersion) -> FrameworkVersion:
    locked = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise CompetencyError(_("Only a draft can be published."))
    if not locked.competencies.exists():
        raise CompetencyError(_("Add at least one competency before publishing."))
    FrameworkVersion.objects.filter(
        framework_id=locked.framework_id, status=VersionStatus.PUBLISHED
    ).update(status=VersionStatus.RETIRED)
    locked.status = VersionStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    framework = locked.framework
    _audit_framework(
        actor=actor,
        action="framework.publish",
        framework=framework,
        version=locked.number,
    )
    return locked


@transaction.atomic
def version_new_draft(*, actor: Any, framework: Framework, note: str = "") -> FrameworkVersion:
    """Start a new draft as a copy of the latest version. Published versions are never edited;
    assessments keep pointing at the version they assessed."""
    if draft_version(framework) is not None:
        raise CompetencyError(_("There is already a draft of this framework."))
    source = latest_version(framework)
    if source is None:
        raise CompetencyError(_("This framework has no version to copy."))
    draft = FrameworkVersion.objects.create(
        framework=framework, number=source.number + 1, note=note.strip()
    )
    ScaleLevel.objects.bulk_create(
        [
            ScaleLevel(version=draft, value=lv.value, label=lv.label, description=lv.description)
            for lv in source.levels.all()
        ]
    )
    categories = {}
    for category in source.categories.all():
        categories[category.pk] = Category.objects.create(
            version=draft, name=category.name, position=category.position
        )
    old_competencies = list(source.competencies.prefetch_related("descriptors"))
    new_competencies = Competency.objects.bulk_create(
        [
            Competency(
                version=draft,
                category=categories.get(c.category_id) if c.category_id else None,
                code=c.code,
                name=c.name,
                description=c.description,
                esco_uri=c.esco_uri,
                parent_code=c.parent_code,
                position=c.position,
            )
            for c in old_competencies
        ]
    )
    by_code = {c.code: c for c in new_competencies}
    if any(c.pk is None for c in new_competencies):
        by_code = {c.code: c for c in draft.competencies.all()}
    LevelDescriptor.objects.bulk_create(
        [
            LevelDescriptor(competency=by_code[c.code], level=d.level, text=d.text)
            for c in old_competencies
            for d in c.descriptors.all()
        ]
    )
    _audit_framework(
        actor=actor,
        action="framework.new_version",
        framework=framework,
        version=draft.number,
    )
    return draft


def _require_draft(version: FrameworkVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise CompetencyError(
            _("A published version cannot be changed. Start a new version to make changes.")
        )


CODE_MAX = 40
NAME_MAX = 200
CATEGORY_MAX = 200
ESCO_URI_MAX = 300
LABEL_MAX = 100
# ESCO concepts are named by URIs such as http://data.europa.eu/esco/skill/<uuid>.
ESCO_URI = re.compile(r"^https?://data\.europa\.eu/esco/[a-z][a-z-]*/[A-Za-z0-9][A-Za-z0-9._~-]*$")


def code_problem(code: str) -> str | None:
    """Why a competency code cannot be used, or None. A code appears in page addresses, so a
    slash is not allowed."""
    if not code:
        return _("The code is empty.")
    if len(code) > CODE_MAX:
        return _("A code has at most %(max)d characters.") % {"max": CODE_MAX}
    if "/" in code or "\\" in code or any(c.isspace() or not c.isprintable() for c in code):
        return _("A code has no spaces and no slashes. For example: CNC-01.")
    return None


def esco_uri_problem(uri: str) -> str | None:
    """Why a text is not an ESCO URI, or None (an empty text is no URI, which is fine)."""
    if not uri:
        return None
    if len(uri) > ESCO_URI_MAX or not ESCO_URI.match(uri):
        return _(
            "“%(uri)s” is not an ESCO URI. It looks like "
            "http://data.europa.eu/esco/skill/ followed by a code."
        ) % {"uri": uri[:80]}
    return None


def parent_cycle(parents: dict[str, str], start: str) -> list[str] | None:
    """The codes that go round in a circle when following "part of" from `start`, or None.
    `parents` maps a code (folded to lower case) to its parent's code (folded)."""
    seen: list[str] = []
    code = start
    while code:
        if code in seen:
            return seen[seen.index(code) :]
        seen.append(code)
        code = parents.get(code, "")
    return None


@transaction.atomic
def competency_save(
    *,
    actor: Any,
    version: FrameworkVersion,
    code: str,
    name: str,
    description: str = "",
    category: str = "",
    esco_uri: str = "",
    descriptors: dict[int, str] | None = None,
    competency: Competency | None = None,
    parent: str | None = None,
) -> Competency:
    """Add a competency to a draft, or change one (`competency` given). `parent` is the code of
    the competency this one is part of ("" for none; None leaves it as it is)."""
    _require_draft(version)
    code, name = code.strip(), name.strip()
    category, esco_uri = category.strip(), esco_uri.strip()
    if not code or not name:
        raise CompetencyError(_("A competency needs a code and a name."))
    problem = code_problem(code) or esco_uri_problem(esco_uri)
    if problem:
        raise CompetencyError(problem)
    if len(name) > NAME_MAX or len(category) > CATEGORY_MAX:
        raise CompetencyError(
            _("A name has at most %(max)d characters.") % {"max": max(NAME_MAX, CATEGORY_MAX)}
        )
    clash = version.competencies.filter(code__iexact=code)
    if competency is not None:
        clash = clash.exclude(pk=competency.pk)
    if clash.exists():
        raise CompetencyError(_("The code %(code)s is used already.") % {"code": code})
    scale = scale_of(version)
    for level in descriptors or {}:
        scale.normalise(level)
    old_code = competency.code if competency is not None else ""
    if parent is None:
        parent = competency.parent_code if competency is not None else ""
    parent = parent.strip()
    if parent:
        rest = version.competencies.all()
        if competency is not None:
            rest = rest.exclude(pk=competency.pk)
        others = dict(rest.values_list("code", "parent_code"))
        known = {c.casefold(): c for c in others}
        if parent.casefold() not in known and parent.casefold() != code.casefold():
            raise CompetencyError(
                _("There is no competency with the code %(code)s in this version.")
                % {"code": parent}
            )
        parent = known.get(parent.casefold(), parent)
        chain = {c.casefold(): p.casefold() for c, p in others.items()}
        if old_code:
            chain = {
                c: (code.casefold() if p == old_code.casefold() else p) for c, p in chain.items()
            }
        chain[code.casefold()] = parent.casefold()
        if parent_cycle(chain, code.casefold()):
            raise CompetencyError(
                _("%(code)s cannot be part of %(parent)s: that would make a circle.")
                % {"code": code, "parent": parent}
            )
    category_row = None
    if category:
        category_row, _created = Category.objects.get_or_create(
            version=version,
            name=category,
            defaults={"position": version.categories.count()},
        )
    if competency is None:
        competency = Competency.objects.create(
            version=version,
            category=category_row,
            code=code,
            name=name,
            description=description.strip(),
            esco_uri=esco_uri,
            parent_code=parent,
            position=version.competencies.count(),
        )
    else:
        competency.code, competency.name = code, name
        competency.description, competency.esco_uri = description.strip(), esco_uri
        competency.category, competency.parent_code = category_row, parent
        competency.save(
            update_fields=["code", "name", "description", "esco_uri", "category", "parent_code"]
        )
        if old_code != code:
            version.competencies.filter(parent_code=old_code).update(parent_code=code)
    if descriptors is not None:
        competency.descriptors.all().delete()
        LevelDescriptor.objects.bulk_create(
            [
                LevelDescriptor(competency=competency, level=level, text=text.strip())
                for level, text in sorted(descriptors.items())
                if text.strip()
            ]
        )
    return competency


@transaction.atomic
def competency_delete(*, actor: Any, competency: Competency) -> None:
    """Take a competency out of a draft. Its sub-competencies must be moved or removed first."""
    version = competency.version
    _require_draft(version)
    children = list(
        version.competencies.filter(parent_code=competency.code).values_list("code", flat=True)
    )
    if children:
        raise CompetencyError(
            _("First remove %(children)s or make them part of another competency.")
            % {"children": ", ".join(children)}
        )
    try:
        with transaction.atomic():
            competency.delete()
    except ProtectedError:
        raise CompetencyError(
            _("This competency is used by a rating or a claim and cannot be removed.")
        ) from None
    framework = version.framework
    _audit_framework(
        actor=actor,
        action="framework.competency_delete",
        framework=framework,
        version=version.number,
        code=competency.code,
    )


@transaction.atomic
def version_scale_update(
    *, actor: Any, version: FrameworkVersion, labels: dict[int, tuple[str, str]]
) -> None:
    """Change the names (and explanations) of the levels of a draft's scale. The number of
    levels stays as it is."""
    _require_draft(version)
    levels = {lv.value: lv for lv in version.levels.all()}
    if set(labels) != set(levels):
        raise CompetencyError(_("Give a name to every level of the scale."))
    for value, (label, description) in labels.items():
        label = label.strip()
        if not label:
            raise CompetencyError(_("Give a name to every level of the scale."))
        if len(label) > LABEL_MAX:
            raise CompetencyError(
                _("The name of a level has at most %(max)d characters.") % {"max": LABEL_MAX}
            )
        levels[value].label, levels[value].description = label, description.strip()
    ScaleLevel.objects.bulk_update(list(levels.values()), ["label", "description"])
    framework = version.framework
    _audit_framework(
        actor=actor,
        action="framework.scale_update",
        framework=framework,
        version=version.number,
    )


# --- profiles ---------------------------------------------------------------------------------


@transaction.atomic
def profile_save(
    *,
    actor: Any,
    name: str,
    version: FrameworkVersion,
    requirements: dict[str, tuple[int, int]],
    network: Network | None = None,
    organisation: Organisation | None = None,
    description: str = "",
    profile: FunctionProfile | None = None,
) -> FunctionProfile:
    """Create or change a function profile: `requirements` maps competency code to
    (required level, weight)."""
    if profile is None and (network is None) == (organisation is None):
        raise CompetencyError(_("A profile belongs to one network or to one organisation."))
    if not name.strip():
        raise CompetencyError(_("Give the profile a name."))
    if version.status == VersionStatus.DRAFT:
        raise CompetencyError(_("Publish the framework before you use it in a profile."))
    scale = scale_of(version)
    competencies = {c.code: c for c in version.competencies.all()}
    rows = []
    for code, (level, weight) in requirements.items():
        if code not in competencies:
            raise CompetencyError(_("Unknown competency code %(code)s.") % {"code": code})
        scale.normalise(level)
        if not 1 <= weight <= 10:
            raise CompetencyError(_("A weight lies between 1 and 10."))
        rows.append((competencies[code], level, weight))
    if profile is None:
        profile = FunctionProfile.objects.create(
            slug=unique_slug(FunctionProfile, name),
            name=name.strip(),
            description=description.strip(),
            version=version,
            network=network,
            organisation=organisation,
        )
    else:
        profile.name, profile.description, profile.version = (
            name.strip(),
            description.strip(),
            version,
        )
        profile.save(update_fields=["name", "description", "version"])
        profile.requirements.all().delete()
    Requirement.objects.bulk_create(
        [Requirement(profile=profile, competency=c, level=lv, weight=w) for c, lv, w in rows]
    )
    audit_record(
        actor=actor,
        action="profile.save",
        network=profile.network,
        organisation=profile.organisation,
        profile=profile.name,
    )
    return profile


@transaction.atomic
def profile_assign(
    *, actor: Any, membership: Membership, profile: FunctionProfile | None
) -> ProfileAssignment | None:
    ProfileAssignment.objects.filter(membership=membership).delete()
    audit_record(
        actor=actor,
        action="profile.assign",
        organisation=membership.organisation,
        subject=membership.person,
        profile=profile.name if profile else "",
    )
    if profile is None:
        return None
    return ProfileAssignment.objects.create(
        person=membership.person, membership=membership, profile=profile
    )


@transaction.atomic
def target_profile_set(*, actor: Any, profile: FunctionProfile | None) -> ProfileAssignment | None:
    """A person picks the profile they want to grow towards (or none)."""
    ProfileAssignment.objects.filter(person=actor, is_target=True).delete()
    if profile is None:
        return None
    return ProfileAssignment.objects.create(person=actor, profile=profile, is_target=True)


# --- assessments ------------------------------------------------------------------------------


def _later(a: Assessment, b: Assessment | None) -> bool:
    if b is None:
        return True
    return (a.assessed_on, a.created_at, a.pk) >= (b.assessed_on, b.created_at, b.pk)


def _apply_to_current(assessment: Assessment, scale: Scale) -> CurrentLevel:
    current, _created = CurrentLevel.objects.select_for_update().get_or_create(
        person_id=assessment.person_id,
        framework_id=assessment.framework_id,
        code=assessment.competency.code,
    )
    fields = ["updated_at", "disagreement"]
    if assessment.rater_role in VALIDATING_ROLES and _later(assessment, current.validated):
        current.validated = assessment
        current.validated_normalised = assessment.normalised
        fields += ["validated", "validated_normalised"]
    elif assessment.rater_role == RaterRole.SELF and _later(assessment, current.self_rating):
        current.self_rating = assessment
        current.self_normalised = assessment.normalised
        fields += ["self_rating", "self_normalised"]
    current.disagreement = (
        current.validated_normalised is not None
        and current.self_normalised is not None
        and abs(current.validated_normalised - current.self_normalised)
        >= DISAGREEMENT_STEPS * scale.step - 1e-9
    )
    current.updated_at = timezone.now()
    current.save(update_fields=fields)
    return current


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    person: Any,
    competency: Competency,
    level: int,
    comment: str = "",
    source: str = AssessmentSource.DIRECT,
    organisation: Organisation | None = None,
    round: Any = None,
    assessed_on: dt.date | None = None,
    rater_role: str | None = None,
) -> Assessment:
    """Record one rating and bring the person's current level up to date, in one transaction.

    The rater's role is worked out from who they are to the person (self, manager, coach,
    mentor, peer); someone with no such relation cannot rate. `rater_role` may only be passed by
    trusted callers (the EVC decision, imports, the demo) and must then be a validating role or
    self."""
    role = rater_role or rater_role_for(actor, person)
    if role is None:
        raise CompetencyError(_("You cannot rate this person."))
    version = competency.version
    if version.status == VersionStatus.DRAFT:
        raise CompetencyError(_("This competency is in a draft; publish the framework first."))
    scale = scale_of(version)
    normalised = scale.normalise(level)
    day = assessed_on or timezone.localdate()
    if day > timezone.localdate():
        raise CompetencyError(_("A rating cannot be dated in the future."))
    if organisation is None:
        membership = Membership.objects.current().filter(person=person).first()
        organisation = membership.organisation if membership else None
    assessment = Assessment.objects.create(
        person=person,
        competency=competency,
        framework_id=version.framework_id,
        level=level,
        normalised=normalised,
        rater=actor if getattr(actor, "is_authenticated", False) else None,
        rater_role=role,
        organisation=organisation,
        source=source,
        round=round,
        assessed_on=day,
        comment=comment.strip(),
    )
    assessment.competency = competency
    _apply_to_current(assessment, scale)
    return assessment


def assessments_bulk_record(*, entries: Iterable[dict[str, Any]]) -> int:
    """Record many ratings (demo, generator) through the same rule, one transaction."""
    n = 0
    with transaction.atomic():
        for entry in entries:
            assessment_record(**entry)
            n += 1
    return n


def assessments_load(*, entries: Sequence[Assessment]) -> int:
    """Store many ratings at once (the reference-data generator, bulk imports) and bring the
    current levels up to date by the same rule as `assessment_record`: the latest validating
    rating and the latest self-rating per person and competency, and a disagreement when they lie
    two steps or more apart. Unsaved `Assessment` objects with `competency` set; `normalised` is
    filled in here. One transaction; a few queries per thousand ratings."""
    if not entries:
        return 0
    scales: dict[int, Scale] = {}
    for entry in entries:
        version = entry.competency.version
        if version.pk not in scales:
            if version.status == VersionStatus.DRAFT:
                raise CompetencyError(
                    _("This competency is in a draft; publish the framework first.")
                )
            scales[version.pk] = scale_of(version)
        entry.normalised = scales[version.pk].normalise(entry.level)
        entry.framework_id = version.framework_id
    with transaction.atomic():
        created = Assessment.objects.bulk_create(entries, batch_size=500)
        person_ids = {a.person_id for a in created}
        framework_ids = {a.framework_id for a in created}
        existing = {
            (c.person_id, c.framework_id, c.code): c
            for c in CurrentLevel.objects.select_for_update(of=("self",))
            .filter(person_id__in=person_ids, framework_id__in=framework_ids)
            .select_related("validated", "self_rating")
        }
        new: dict[tuple[int, int, str], CurrentLevel] = {}
        changed: set[tuple[int, int, str]] = set()
        now = timezone.now()
        for a in created:
            key = (a.person_id, a.framework_id, a.competency.code)
            current = existing.get(key) or new.get(key)
            if current is None:
                current = new[key] = CurrentLevel(
                    person_id=a.person_id, framework_id=a.framework_id, code=key[2]
                )
            elif key in existing:
                changed.add(key)
            if a.rater_role in VALIDATING_ROLES and _later(a, current.validated):
                current.validated = a
                current.validated_normalised = a.normalised
            elif a.rater_role == RaterRole.SELF and _later(a, current.self_rating):
                current.self_rating = a
                current.self_normalised = a.normalised
            step = scales[a.competency.version_id].step
            current.disagreement = (
                current.validated_normalised is not None
                and current.self_normalised is not None
                and abs(current.validated_normalised - current.self_normalised)
                >= DISAGREEMENT_STEPS * step - 1e-9
            )
            current.updated_at = now
        CurrentLevel.objects.bulk_create(list(new.values()), batch_size=500)
        CurrentLevel.objects.bulk_update(
            [existing[key] for key in changed],
            [
                "validated",
                "validated_normalised",
                "self_rating",
                "self_normalised",
                "disagreement",
                "updated_at",
            ],
            batch_size=500,
        )
    return len(created)


# --- assessment rounds, ratings with evidence, prior learning (EVC) ---------------------------


def _stored_files_removed(stored: list[Evidence]) -> None:
    """Files are written outside the database transaction: remove them when it fails."""
    for evidence in stored:
        if evidence.file:
            evidence.file.delete(save=False)


def _evidence_file_store(
    *,
    actor: Any,
    person: Any,
    checked: CheckedFile,
    assessment: Assessment | None = None,
    description: str = "",
) -> Evidence:
    evidence = Evidence(
        person=person,
        assessment=assessment,
        kind=EvidenceKind.FILE,
        filename=checked.filename,
        content_type=checked.kind.content_type,
        size=checked.size,
        description=description.strip()[:300],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    checked.upload.seek(0)
    evidence.file.save(checked.filename, checked.upload, save=False)
    evidence.save()
    return evidence


def _evidence_link_store(
    *, actor: Any, person: Any, link: str, assessment: Assessment | None = None
) -> Evidence:
    return Evidence.objects.create(
        person=person,
        assessment=assessment,
        kind=EvidenceKind.LINK,
        link=link,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def round_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    profile: FunctionProfile,
    due_date: dt.date,
    people: Sequence[Any],
    team: Any = None,
) -> AssessmentRound:
    """Ask people to rate themselves on a profile by a date. The caller has checked that the
    actor leads these people and that the profile is open to the organisation."""
    title = title.strip()
    if not title:
        raise CompetencyError(_("Give the round a title."))
    if due_date < timezone.localdate():
        raise CompetencyError(_("The date cannot be in the past."))
    if not profile.requirements.exists():
        raise CompetencyError(_("This profile has no competencies yet."))
    unique = list({person.pk: person for person in people}.values())
    if not unique:
        raise CompetencyError(_("Nobody takes part. Choose a team or the people you manage."))
    assessment_round = AssessmentRound.objects.create(
        organisation=organisation,
        team=team,
        profile=profile,
        title=title,
        due_date=due_date,
        requested_by=actor,
    )
    RoundParticipant.objects.bulk_create(
        [RoundParticipant(round=assessment_round, person=person) for person in unique]
    )
    audit_record(
        actor=actor,
        action="round.create",
        organisation=organisation,
        round=title,
        profile=profile.name,
        people=len(unique),
        due_date=due_date.isoformat(),
    )
    return assessment_round


@transaction.atomic
def round_close(*, actor: Any, assessment_round: AssessmentRound) -> AssessmentRound:
    locked = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    if locked.closed_at is not None:
        raise CompetencyError(_("This round is closed already."))
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    audit_record(
        actor=actor, action="round.close", organisation=locked.organisation, round=locked.title
    )
    return locked


def _round_ratings(
    *,
    actor: Any,
    person: Any,
    assessment_round: AssessmentRound,
    ratings: dict[str, tuple[int, str]],
    role: str,
) -> list[Assessment]:
    """Record one rating per competency of the round's profile (`ratings` maps code to
    (level, comment)); every competency must be rated."""
    profile = assessment_round.profile
    version = profile.version
    requirements = list(
        profile.requirements.select_related("competency").order_by(
            "competency__position", "competency__code"
        )
    )
    codes = {r.competency.code for r in requirements}
    unknown = set(ratings) - codes
    if unknown:
        raise CompetencyError(_("Unknown competency code %(code)s.") % {"code": sorted(unknown)[0]})
    missing = [r.competency for r in requirements if r.competency.code not in ratings]
    if missing:
        raise CompetencyError(
            _("Choose a level for %(name)s.") % {"name": f"{missing[0].code} {missing[0].name}"}
        )
    recorded = []
    for requirement in requirements:
        competency = requirement.competency
        # One version object for every competency: its scale is worked out once.
        competency.version = version
        level, comment = ratings[competency.code]
        recorded.append(
            assessment_record(
                actor=actor,
                person=person,
                competency=competency,
                level=level,
                comment=comment,
                source=AssessmentSource.ROUND,
                organisation=assessment_round.organisation,
                round=assessment_round,
                rater_role=role,
            )
        )
    return recorded


@transaction.atomic
def round_self_assess(
    *, actor: Any, assessment_round: AssessmentRound, ratings: dict[str, tuple[int, str]]
) -> list[Assessment]:
    """A participant rates themselves on every competency of the round's profile. Saving again
    adds new self-ratings; the earlier ones stay in the history."""
    participant = (
        RoundParticipant.objects.select_for_update()
        .filter(round=assessment_round, person=actor)
        .first()
    )
    if participant is None:
        raise CompetencyError(_("You do not take part in this round."))
    if assessment_round.closed_at is not None:
        raise CompetencyError(_("This round is closed; ratings can no longer be changed here."))
    recorded = _round_ratings(
        actor=actor,
        person=actor,
        assessment_round=assessment_round,
        ratings=ratings,
        role=RaterRole.SELF,
    )
    participant.self_done_at = timezone.now()
    participant.save(update_fields=["self_done_at"])
    audit_record(
        actor=actor,
        action="round.self_assess",
        organisation=assessment_round.organisation,
        subject=actor,
        round=assessment_round.title,
    )
    return recorded


@transaction.atomic
def round_validate(
    *,
    actor: Any,
    assessment_round: AssessmentRound,
    person: Any,
    ratings: dict[str, tuple[int, str]],
) -> list[Assessment]:
    """The manager (or admin, coach, mentor) records the validated level of a participant on
    every competency of the round's profile."""
    participant = (
        RoundParticipant.objects.select_for_update()
        .filter(round=assessment_round, person=person)
        .first()
    )
    if participant is None:
        raise CompetencyError(_("This person does not take part in this round."))
    if assessment_round.closed_at is not None:
        raise CompetencyError(_("This round is closed; ratings can no longer be changed here."))
    role = rater_role_for(actor, person)
    if role not in VALIDATING_ROLES:
        raise CompetencyError(_("You cannot validate the levels of this person."))
    recorded = _round_ratings(
        actor=actor, person=person, assessment_round=assessment_round, ratings=ratings, role=role
    )
    participant.validated_at = timezone.now()
    participant.save(update_fields=["validated_at"])
    audit_record(
        actor=actor,
        action="round.validate",
        organisation=assessment_round.organisation,
        subject=person,
        round=assessment_round.title,
    )
    return recorded


def rating_with_evidence_record(
    *,
    actor: Any,
    person: Any,
    competency: Competency,
    level: int,
    assessed_on: dt.date | None = None,
    comment: str = "",
    upload: Any = None,
    link: str = "",
) -> Assessment:
    """Rate one person on one competency, with an optional evidence file and link, in one
    transaction. The file and link are checked before anything is stored."""
    checked = check_upload(upload) if upload is not None else None
    link = check_link(link) if link.strip() else ""
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            assessment = assessment_record(
                actor=actor,
                person=person,
                competency=competency,
                level=level,
                comment=comment,
                assessed_on=assessed_on,
            )
            if checked is not None:
                stored.append(
                    _evidence_file_store(
                        actor=actor, person=person, checked=checked, assessment=assessment
                    )
                )
            if link:
                _evidence_link_store(actor=actor, person=person, link=link, assessment=assessment)
            audit_record(
                actor=actor,
                action="assessment.rate",
                organisation=assessment.organisation,
                subject=person,
                competency=competency.code,
                level=level,
                role=assessment.rater_role,
            )
    except Exception:
        _stored_files_removed(stored)
        raise
    return assessment


def claim_submit(
    *,
    actor: Any,
    organisation: Organisation,
    competency: Competency,
    claimed_level: int,
    statement: str,
    uploads: Sequence[Any] = (),
    links: Sequence[str] = (),
) -> PriorLearningClaim:
    """A person asks for recognition of what they learned elsewhere (EVC), with evidence. The
    caller has checked that the person works at `organisation` and may see the competency."""
    statement = statement.strip()
    if not statement:
        raise CompetencyError(_("Tell what you did and where."))
    if competency.version.status == VersionStatus.DRAFT:
        raise CompetencyError(_("This competency is in a draft; publish the framework first."))
    scale_of(competency.version).normalise(claimed_level)
    if len(uploads) + len(links) > MAX_FILES_PER_CLAIM * 2:
        raise CompetencyError(_("Too many files and links at once."))
    checked = [check_upload(upload) for upload in uploads]
    clean_links = [check_link(link) for link in links if link.strip()]
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            claim = PriorLearningClaim.objects.create(
                person=actor,
                organisation=organisation,
                competency=competency,
                claimed_level=claimed_level,
                statement=statement,
            )
            for item in checked:
                stored.append(_evidence_file_store(actor=actor, person=actor, checked=item))
            for link in clean_links:
                stored.append(_evidence_link_store(actor=actor, person=actor, link=link))
            claim.evidence.set(stored)
            audit_record(
                actor=actor,
                action="claim.submit",
                organisation=organisation,
                subject=actor,
                competency=competency.code,
                level=claimed_level,
            )
    except Exception:
        _stored_files_removed(stored)
        raise
    return claim


def _claim_locked(claim: PriorLearningClaim) -> PriorLearningClaim:
    locked = (
        PriorLearningClaim.objects.select_for_update()
        .select_related("person", "competency__version", "organisation")
        .get(pk=claim.pk)
    )
    if locked.status != ClaimStatus.SUBMITTED:
        raise CompetencyError(_("This claim has been decided already."))
    return locked


def _decider_role(actor: Any, claim: PriorLearningClaim) -> str:
    role = None if claim.person_id == actor.pk else rater_role_for(actor, claim.person)
    if role not in (RaterRole.MANAGER, RaterRole.ASSESSOR):
        raise CompetencyError(
            _("Only the manager, an organisation admin or the coach of this person can decide.")
        )
    return role


@transaction.atomic
def claim_accept(
    *, actor: Any, claim: PriorLearningClaim, level: int, note: str = ""
) -> Assessment:
    """Accept a claim with a level: this records a validated rating (source: prior learning)
    linked to the claim and its evidence."""
    locked = _claim_locked(claim)
    role = _decider_role(actor, locked)
    assessment = assessment_record(
        actor=actor,
        person=locked.person,
        competency=locked.competency,
        level=level,
        comment=note,
        source=AssessmentSource.PRIOR_LEARNING,
        organisation=locked.organisation,
        rater_role=role,
    )
    locked.status = ClaimStatus.ACCEPTED
    locked.assessor = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.assessment = assessment
    locked.save(update_fields=["status", "assessor", "decided_at", "decision_note", "assessment"])
    locked.evidence.filter(assessment__isnull=True).update(assessment=assessment)
    audit_record(
        actor=actor,
        action="claim.accept",
        organisation=locked.organisation,
        subject=locked.person,
        competency=locked.competency.code,
        level=level,
    )
    return assessment


@transaction.atomic
def claim_reject(*, actor: Any, claim: PriorLearningClaim, note: str) -> PriorLearningClaim:
    """Turn a claim down, with a note that tells the person why."""
    note = note.strip()
    if not note:
        raise CompetencyError(_("Tell the person why the claim is not accepted."))
    locked = _claim_locked(claim)
    _decider_role(actor, locked)
    locked.status = ClaimStatus.REJECTED
    locked.assessor = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "assessor", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action="claim.reject",
        organisation=locked.organisation,
        subject=locked.person,
        competency=locked.competency.code,
    )
    return locked
