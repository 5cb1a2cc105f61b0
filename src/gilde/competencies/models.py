"""Competency frameworks with a proficiency scale, function profiles, and assessments.

A framework is owned by a network (shared by its members) or by one organisation. Its content lives
in versions: a published version is never edited; editing makes a new draft version. Competencies
keep their `code` across versions, so a person's level on "CNC-01" can be followed over versions,
while each assessment keeps pointing at the exact version it assessed.

Every scale maps onto one common 0–1 range (`normalised`), so that frameworks with different
scales can be compared and aggregated.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    network = models.ForeignKey(
        "tenancy.Network",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(network__isnull=False) & Q(organisation__isnull=True))
                | (Q(network__isnull=True) & Q(organisation__isnull=False)),
                name="framework_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="version_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} v{self.number}"


class ScaleLevel(models.Model):
    """One step of a version's proficiency scale (1 beginner … 4 expert by default)."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(_("label"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["version", "value"]
        constraints = [models.UniqueConstraint(fields=["version", "value"], name="level_once")]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class Category(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="category_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="competencies"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="competencies"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    esco_uri = models.URLField(_("ESCO URI"), max_length=300, blank=True)
    # A sub-competency names the code of the competency it is part of (same version). Codes, not
    # row ids, so that the grouping is copied with the version and read from an import file.
    parent_code = models.CharField(_("part of"), max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "code"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="competency_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LevelDescriptor(models.Model):
    """What a level means for one competency ("level 3: programs a 5-axis job alone")."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="descriptor_once")
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}@{self.level}"


class FunctionProfile(models.Model):
    """A function ("CNC-verspaner") with the level it requires per competency of one version."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="profiles")
    network = models.ForeignKey(
        "tenancy.Network", null=True, blank=True, on_delete=models.PROTECT, related_name="profiles"
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(network__isnull=False) & Q(organisation__isnull=True))
                | (Q(network__isnull=True) & Q(organisation__isnull=False)),
                name="profile_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    profile = models.ForeignKey(
        FunctionProfile, on_delete=models.CASCADE, related_name="requirements"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("required level"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "competency"], name="requirement_once")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.competency_id}≥{self.level}"


class ProfileAssignment(models.Model):
    """The function profile of one membership (the job), or a person's own target profile
    (where they want to grow: membership empty)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile_assignments"
    )
    membership = models.OneToOneField(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="profile_assignment",
    )
    profile = models.ForeignKey(FunctionProfile, on_delete=models.PROTECT, related_name="+")
    is_target = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_target=True), name="one_target_profile"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.profile_id}"


class RaterRole(models.TextChoices):
    SELF = "self", _("self")
    MANAGER = "manager", _("manager")
    ASSESSOR = "assessor", _("coach / assessor")
    MENTOR = "mentor", _("workplace mentor")
    PEER = "peer", _("peer")


# Ratings by these roles validate a level; self and peer ratings are shown beside it.
VALIDATING_ROLES = (RaterRole.MANAGER, RaterRole.ASSESSOR, RaterRole.MENTOR)


class AssessmentSource(models.TextChoices):
    DIRECT = "direct", _("rating")
    ROUND = "round", _("assessment round")
    MATRIX = "matrix", _("team overview")
    PRIOR_LEARNING = "prior_learning", _("prior learning (EVC)")
    IMPORT = "import", _("import")


class Assessment(models.Model):
    """One rating of one person on one competency. Never changed, never deleted: the history of
    ratings is the record."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    normalised = models.FloatField()
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings_given",
    )
    rater_role = models.CharField(max_length=10, choices=RaterRole.choices)
    organisation = models.ForeignKey(
        "tenancy.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        max_length=16, choices=AssessmentSource.choices, default=AssessmentSource.DIRECT
    )
    round = models.ForeignKey(
        "AssessmentRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    assessed_on = models.DateField(default=timezone.localdate)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["person", "framework", "competency"]),
            models.Index(fields=["person", "assessed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.competency_id}={self.level} ({self.rater_role})"


class CurrentLevel(models.Model):
    """Where a person stands on one competency (by code, within one framework): kept up to date
    by `assessment_record` in the same transaction as the rating, so that overviews of thousands
    of people read one row per cell. See services.current_level_rule for the rule."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="current_levels"
    )
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)
    validated = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_normalised = models.FloatField(null=True, blank=True)
    self_rating = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    self_normalised = models.FloatField(null=True, blank=True)
    disagreement = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "framework", "code"], name="current_level_once"
            )
        ]
        indexes = [models.Index(fields=["framework", "code"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.code}"

    @property
    def normalised(self) -> float | None:
        """The level that counts: validated if there is one, else the self-rating."""
        if self.validated_normalised is not None:
            return self.validated_normalised
        return self.self_normalised


class AssessmentRound(models.Model):
    """A manager or admin asks people to rate themselves on a profile by a date; the manager
    then validates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="assessment_rounds"
    )
    team = models.ForeignKey(
        "tenancy.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    profile = models.ForeignKey(FunctionProfile, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("rate yourself before"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title


class RoundParticipant(models.Model):
    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_rounds"
    )
    self_done_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="participant_once")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.person_id}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("file")
    LINK = "link", _("link")


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.person_id}/{instance.uuid}/{filename}"


class Evidence(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    kind = models.CharField(max_length=8, choices=EvidenceKind.choices)
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    link = models.URLField(max_length=500, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename or self.link


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for an assessor")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("not accepted")


class PriorLearningClaim(models.Model):
    """Recognition of prior learning (EVC): a person shows evidence for a competency; an
    assessor accepts it with a level (which becomes a validated assessment) or not."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prior_learning_claims"
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    claimed_level = models.PositiveSmallIntegerField(_("level you claim"))
    statement = models.TextField(_("what you did and where"))
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="claims")
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"EVC {self.person_id} {self.competency_id}"


class FrameworkImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    IMPORTED = "imported", _("imported")


class FrameworkImport(models.Model):
    """An uploaded framework file between upload and confirmation: the competencies as read from
    the file, so that the preview and the confirmation need no second upload. Either it goes into
    an existing framework (a new draft) or it makes a new framework for the owner named here."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.CASCADE, related_name="imports"
    )
    network = models.ForeignKey(
        "tenancy.Network", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8)
    # {"scale": [[value, label, description], ...] or null, "competencies": [{...}, ...]}
    payload = models.JSONField(default=dict)
    # The scale chosen on the upload page for a new framework, used when the file has none.
    levels = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10,
        choices=FrameworkImportStatus.choices,
        default=FrameworkImportStatus.PENDING,
    )
    version = models.ForeignKey(
        FrameworkVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.filename
