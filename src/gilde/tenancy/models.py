"""Networks of independent organisations, their teams, and people's memberships over time.

A person has one account for life (people.Person) and a membership per organisation they belong to,
with dates: a temp worker has a membership at the agency and, while placed, one at the host.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Network(models.Model):
    """A consortium of organisations that learn together (the foundation, school or lead firm)."""

    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    enrolment_open = models.BooleanField(
        _("open for applications"),
        default=False,
        help_text=_("Other organisations can apply to join; a coordinator decides."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("company")
    SCHOOL = "school", _("school")
    TEMP_AGENCY = "temp_agency", _("temp agency")
    CERTIFYING_BODY = "certifying_body", _("certifying body")
    CONTENT_PARTNER = "content_partner", _("content partner")
    FOUNDATION = "foundation", _("foundation")


class Organisation(models.Model):
    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY
    )
    city = models.CharField(_("place"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembershipStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    APPROVED = "approved", _("member")
    REJECTED = "rejected", _("rejected")
    LEFT = "left", _("left")


class NetworkMembership(models.Model):
    """An organisation's place in a network: it applies, a coordinator approves, it may leave."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="network_memberships"
    )
    status = models.CharField(
        max_length=10,
        choices=NetworkMembershipStatus.choices,
        default=NetworkMembershipStatus.APPLIED,
    )
    motivation = models.TextField(_("motivation"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    applied_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="one_place_per_network"
            )
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.network_id} ({self.status})"


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="team_slug_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipKind(models.TextChoices):
    EMPLOYEE = "employee", _("employee")
    PLACEMENT = "placement", _("placed temp worker")
    CANDIDATE = "candidate", _("candidate")
    TRAINEE = "trainee", _("trainee")
    EXTERNAL = "external", _("external")


class Role(models.TextChoices):
    """Roles inside one organisation (a membership can hold several)."""

    ORG_ADMIN = "org_admin", _("organisation admin")
    MANAGER = "manager", _("manager")
    MENTOR = "mentor", _("workplace mentor")
    AUTHOR = "author", _("author")
    LEARNER = "learner", _("learner")


class NetworkRoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("network coordinator")
    COACH = "coach", _("coach / facilitator")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: dt.date | None = None) -> MembershipQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))

    def with_role(self, role: str) -> MembershipQuerySet:
        return self.filter(roles__role=role)


class Membership(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_memberships",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentored_memberships",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=MembershipKind.choices, default=MembershipKind.EMPLOYEE
    )
    placed_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        help_text=_("The temp agency that placed this person here."),
    )
    function_title = models.CharField(_("job title"), max_length=200, blank=True)
    employee_number = models.CharField(_("employee number"), max_length=50, blank=True)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "end_date"]),
            models.Index(fields=["organisation", "employee_number"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class MembershipRole(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="role_once_per_membership")
        ]
        indexes = [models.Index(fields=["role", "membership"])]

    def __str__(self) -> str:
        return self.role


class NetworkRole(models.Model):
    """A person's role for a whole network: coordinator or coach/facilitator."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles"
    )
    role = models.CharField(max_length=12, choices=NetworkRoleKind.choices)
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "person", "role"], name="network_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.role} of network {self.network_id}"


class CoachAssignment(models.Model):
    """A coach (job coach, mastermind facilitator) assigned to one person: a cross-organisation
    visibility rule that lasts from start to end."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="coach_assignments")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coachees"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaches"
    )
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"coach {self.coach_id} for {self.person_id}"


class Consent(models.Model):
    """A person lets one organisation (e.g. a certifying body) see their record. Withdrawable."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="consents_received"
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"consent of {self.person_id} to {self.organisation_id}: {self.purpose}"
