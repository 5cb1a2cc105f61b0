"""Events: a series (a catalogue item of kind "event") with its sessions, registrations with a
waiting list, attendance, feedback, targets across the series and personal calendar feeds.

Times are stored as aware datetimes (UTC in the database) and shown in Europe/Amsterdam, so a
session at 19:00 stays at 19:00 on the wall clock on either side of a daylight-saving change.

One registration row per person and session, whatever happens to it: cancelling and signing up
again change its status. That keeps "registering twice" impossible by a unique constraint and
gives calendar clients one stable invitation per person and session (see events/calendar.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    ENTREPRENEURS = "entrepreneurs", _("entrepreneurs")
    MANAGERS = "managers", _("managers")
    EMPLOYEES = "employees", _("employees")
    NEWCOMERS = "newcomers", _("newcomers")
    EXPERIENCED = "experienced", _("experienced")


class EventSeries(models.Model):
    """How one event item's sessions are run, and the targets across them. Made the first time
    someone saves settings or plans a session; until then the defaults below hold."""

    item = models.OneToOneField(
        "learning.CatalogueItem", on_delete=models.PROTECT, related_name="event_series"
    )
    approval_required = models.BooleanField(
        _("a manager approves each registration"), default=False
    )
    walk_ins_allowed = models.BooleanField(
        _("people may come without registering"),
        default=True,
        help_text=_("They check in at the session; a host can add them too."),
    )
    cancel_hours = models.PositiveSmallIntegerField(
        _("cancel up to this many hours before the start"),
        default=24,
        validators=[MaxValueValidator(24 * 60)],
    )
    public = models.BooleanField(
        _("in the network's public calendar"),
        default=False,
        help_text=_("Title, time and place only; never who takes part."),
    )
    target_participants = models.PositiveIntegerField(
        _("different participants over the series"), null=True, blank=True
    )
    target_per_session = models.PositiveIntegerField(
        _("participants at each session at least"), null=True, blank=True
    )
    target_organisations = models.PositiveIntegerField(
        _("member organisations taking part"), null=True, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "event series"

    def __str__(self) -> str:
        return f"series of item {self.item_id}"


class AudienceTarget(models.Model):
    """A target of distinct participants of one audience over the series (S8: seventy
    employees over the evening sessions)."""

    series = models.ForeignKey(
        EventSeries, on_delete=models.CASCADE, related_name="audience_targets"
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    participants = models.PositiveIntegerField(
        _("different participants"), validators=[MinValueValidator(1)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "audience"], name="audience_target_once"),
            models.CheckConstraint(
                condition=Q(participants__gte=1), name="audience_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audience}: {self.participants}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")


class Session(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(EventSeries, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(_("title of this session"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_sessions",
        verbose_name=_("host"),
    )
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("What to bring or read; links are fine.")
    )
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # iCalendar SEQUENCE: raised whenever time, place or status changes (RFC 5545 3.8.7.4).
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
        ]
        indexes = [
            models.Index(fields=["series", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        return f"session {self.uuid} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class SessionReservation(models.Model):
    """Places kept for one member organisation's people until the cancellation deadline."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reservations")
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    places = models.PositiveIntegerField(_("places kept"), validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"], name="reservation_once_per_organisation"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="reservation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.places} places for {self.organisation_id}"


class RegistrationStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting for approval")
    CONFIRMED = "confirmed", _("registered")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")
    DECLINED = "declined", _("not approved")


ACTIVE_STATUSES = (
    RegistrationStatus.REQUESTED,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
)


class Registration(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations"
    )
    # The organisation the person takes part for (it counts towards its reserved places and
    # towards "organisations represented").
    organisation = models.ForeignKey(
        "tenancy.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    # The place in the queue: the moment the person went on the waiting list.
    waiting_since = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Raised on every change sent to this person's calendar (added to the session's sequence).
    ical_sequence = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="registration_once")
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} for {self.session_id} ({self.status})"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")


class CheckInMethod(models.TextChoices):
    HOST = "host", _("by the host")
    SELF = "self", _("with the QR code")


class Attendance(models.Model):
    """Who was there (or, marked by a host, was not). A walk-in came without a confirmed place.
    Being present completes the item for the person (learning.services.complete_item)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_attendances"
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    walk_in = models.BooleanField(default=False)
    method = models.CharField(max_length=10, choices=CheckInMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    completion = models.ForeignKey(
        "learning.Completion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status} at {self.session_id}"


class Feedback(models.Model):
    """A participant's short verdict on a session they attended: a score of 1 to 5 and a
    comment. Shown to the series' coordinators as averages and comments without names."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="feedback")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_feedback"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="feedback_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="feedback_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.session_id}: {self.score}"


class CalendarFeed(models.Model):
    """A person's private calendar address. Only a hash of its secret is stored; the address
    is shown once. Revoking it makes the address answer 404 at once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "revoked_at"])]

    def __str__(self) -> str:
        return f"calendar feed of {self.person_id}"
