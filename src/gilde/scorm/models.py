"""Packaged e-learning: SCORM 1.2 / 2004 packages and cmi5 courses, and what learners do in them.

A package is a catalogue item of kind "package" with versions. Each version keeps its files
(through Django's storage, under `scorm/<version uuid>/`) and the structure read from its
manifest. Uploading a new version never touches the old one: learners who started on it keep
their registration, their data and the content they started with; new registrations take the
newest version.

A registration is one learner's run through one version (for cmi5 it is the cmi5 registration).
Per SCO (or AU) the learner's data is kept per attempt (`ActivityAttempt`): the whole CMI data
model as the SCO left it, plus the values Gilde reads for progress and results. A session is one
launch; it carries the (hashed) credentials a launched cmi5 AU uses.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Standard(models.TextChoices):
    SCORM12 = "scorm12", "SCORM 1.2"
    SCORM2004 = "scorm2004", "SCORM 2004"
    CMI5 = "cmi5", "cmi5"


class Package(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.OneToOneField(
        "learning.CatalogueItem", on_delete=models.PROTECT, related_name="package"
    )
    # The version new registrations start on: the newest upload.
    current = models.ForeignKey(
        "PackageVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.item_id)


class PackageVersion(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    standard = models.CharField(max_length=10, choices=Standard.choices)
    edition = models.CharField(max_length=30)
    identifier = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    unpacked_bytes = models.BigIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)
    # The organization tree (SCORM) or course structure (cmi5) as read from the manifest.
    structure = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["package", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["package", "number"], name="package_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def storage_prefix(self) -> str:
        return f"scorm/{self.uuid}/"


class Registration(models.Model):
    """One learner's run through one version of a package. `state` holds what sequencing and
    rollup need between launches (per activity: attempts, completion, satisfaction, measure;
    shared global objectives; for cmi5 each AU's and block's satisfaction)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        PackageVersion, on_delete=models.PROTECT, related_name="registrations"
    )
    enrolment = models.ForeignKey(
        "learning.Enrolment", on_delete=models.PROTECT, related_name="package_registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="package_registrations"
    )
    state = models.JSONField(default=dict)
    current_activity = models.CharField(max_length=255, blank=True)
    suspended_activity = models.CharField(max_length=255, blank=True)
    completion_status = models.CharField(max_length=12, default="unknown")
    success_status = models.CharField(max_length=12, default="unknown")
    score_scaled = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    total_seconds = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "version"], name="package_registration_once"
            )
        ]
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return str(self.uuid)


class ActivityAttempt(models.Model):
    """The learner's data in one SCO (or AU), one attempt. `cmi` is the whole data model as the
    SCO committed it (interactions, objectives, comments included); the columns beside it are
    read from it for progress, results and reports. Commits carry a sequence number: one that
    is not newer than `commit_seq` changes nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="attempts"
    )
    activity_id = models.CharField(max_length=255)
    number = models.PositiveIntegerField(default=1)
    cmi = models.JSONField(default=dict)
    commit_seq = models.PositiveIntegerField(default=0)
    completion_status = models.CharField(max_length=12, default="unknown")
    success_status = models.CharField(max_length=12, default="unknown")
    score_raw = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_min = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    progress_measure = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    exit = models.CharField(max_length=20, blank=True)
    total_seconds = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registration", "activity_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "activity_id", "number"], name="activity_attempt_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} #{self.number}"


class LaunchMode(models.TextChoices):
    NORMAL = "Normal", _("normal")
    BROWSE = "Browse", _("browse")
    REVIEW = "Review", _("review")


class Session(models.Model):
    """One launch of one SCO or AU. Its uuid is the cmi5 session id. A cmi5 AU gets a one-time
    fetch address; the credential it then receives is kept only as a hash."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="sessions"
    )
    attempt = models.ForeignKey(
        ActivityAttempt, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity_id = models.CharField(max_length=255)
    launch_mode = models.CharField(
        max_length=6, choices=LaunchMode.choices, default=LaunchMode.NORMAL
    )
    page_origin = models.CharField(max_length=200, blank=True)
    content_origin = models.CharField(max_length=200, blank=True)
    # cmi5: the AU's launch URL with the launch parameters (the fetch URL is used once).
    launch_url = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # cmi5
    auth_hash = models.CharField(max_length=64, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    initialized_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)
    # Verbs the AU sent in this session that cmi5 allows once per session.
    cmi5_verbs = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["registration", "created_at"])]

    def __str__(self) -> str:
        return str(self.uuid)
