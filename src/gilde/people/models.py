from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.people.names import full_name, sort_name


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Person:
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Person:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """One account for life. A person moves between organisations; the account stays theirs."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    given_name = models.CharField(_("first name"), max_length=100, blank=True)
    infix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    family_name = models.CharField(_("last name"), max_length=150, blank=True)
    sort_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    preferred_language = models.CharField(_("language"), max_length=8, default="nl")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return full_name(self.given_name, self.infix, self.family_name) or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.given_name or self.email

    def refresh_sort_key(self) -> None:
        self.sort_key = sort_name(self.given_name, self.infix, self.family_name) or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The sort key is a pure function of the name fields; keeping it in step here is storage
        # bookkeeping, not business logic.
        self.refresh_sort_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"given_name", "infix", "family_name"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)


def _token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation with given roles. Accepting it creates the
    account (or uses the existing one) and the membership."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    given_name = models.CharField(_("first name"), max_length=100, blank=True)
    infix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    family_name = models.CharField(_("last name"), max_length=150, blank=True)
    team = models.ForeignKey("tenancy.Team", null=True, blank=True, on_delete=models.SET_NULL)
    function_title = models.CharField(_("job title"), max_length=200, blank=True)
    roles = models.JSONField(default=list)
    invited_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation for {self.email}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ImportBatchStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    IMPORTED = "imported", _("imported")


class ImportBatch(models.Model):
    """One uploaded HR file between upload and confirmation: the rows as parsed and the column
    mapping the admin chose, so the preview and the confirmation need no second upload. After the
    import the rows are dropped (they hold personal data); the counts stay."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="import_batches"
    )
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    file_kind = models.CharField(max_length=8)
    header = models.JSONField(default=list)
    # [[line number in the file, [cell, cell, ...]], ...]
    rows = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    # One import field name (or "") per column of the header.
    mapping = models.JSONField(default=list)
    create_teams = models.BooleanField(default=False)
    # Goes up with every mapping change, so a confirmation of an outdated preview is refused.
    revision = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=ImportBatchStatus.choices, default=ImportBatchStatus.PENDING
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.filename
