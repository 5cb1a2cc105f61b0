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
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.competencies.access import rater_role_for
from gilde.competencies.models import (
    VALIDATING_ROLES,
    Assessment,
    AssessmentSource,
    Category,
    Competency,
    CurrentLevel,
    Framework,
    FrameworkVersion,
    FunctionProfile,
    LevelDescriptor,
    ProfileAssignment,
    RaterRole,
    Requirement,
    ScaleLevel,
    VersionStatus,
)
from gilde.tenancy.models import Membership, Network, Organisation

DEFAULT_SCALE = (
    (1, "beginner", "Knows the basics; works with help."),
    (2, "advanced beginner", "Does common tasks alone; asks for help with the rest."),
    (3, "competent", "Works alone, also on uncommon tasks."),
    (4, "expert", "Teaches others and improves how the work is done."),
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


# Words used in page addresses next to slugs ("frameworks/new/"): never a slug.
RESERVED_SLUGS = frozenset({"new", "import"})


def _unique_slug(model: Any, name: str) -> str:
    base = slugify(name)[:50] or "x"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        slug, n = f"{base[:46]}-{n}", n + 1
    return slug


# --- frameworks -------------------------------------------------------------------------------


@transaction.atomic
def framework_create(
    *,
    actor: Any,
    name: str,
    network: Network | None = None,
    organisation: Organisation | None = None,
    description: str = "",
    scale: Sequence[tuple[int, str, str]] = DEFAULT_SCALE,
) -> Framework:
    if (network is None) == (organisation is None):
        raise CompetencyError(_("A framework belongs to one network or to one organisation."))
    if not name.strip():
        raise CompetencyError(_("Give the framework a name."))
    values = [v for v, _label, _d in scale]
    if len(set(values)) != len(values) or len(values) < 2:
        raise CompetencyError(_("A scale needs at least two different levels."))
    framework = Framework.objects.create(
        slug=_unique_slug(Framework, name),
        name=name.strip(),
        description=description.strip(),
        network=network,
        organisation=organisation,
    )
    version = FrameworkVersion.objects.create(framework=framework, number=1)
    ScaleLevel.objects.bulk_create(
        [ScaleLevel(version=version, value=v, label=label, description=d) for v, label, d in scale]
    )
    audit_record(
        actor=actor,
        action="framework.create",
        network=network,
        organisation=organisation,
        framework=framework.name,
    )
    return framework


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
    audit_record(
        actor=actor,
        action="framework.publish",
        network=framework.network,
        organisation=framework.organisation,
        framework=framework.name,
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
    audit_record(
        actor=actor,
        action="framework.new_version",
        network=framework.network,
        organisation=framework.organisation,
        framework=framework.name,
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
    audit_record(
        actor=actor,
        action="framework.competency_delete",
        network=framework.network,
        organisation=framework.organisation,
        framework=framework.name,
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
    audit_record(
        actor=actor,
        action="framework.scale_update",
        network=framework.network,
        organisation=framework.organisation,
        framework=framework.name,
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
            slug=_unique_slug(FunctionProfile, name),
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
