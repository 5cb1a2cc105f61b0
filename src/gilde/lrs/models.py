"""The Learning Record Store: xAPI statements, their index rows, attachments and documents.

A *store* is one tenant's LRS: every organisation and every network has at most one, made on first
use. Statements are kept once, as the JSON text the LRS returns (`data`), plus the columns and
index rows that the query filters need. Nothing here is ever updated except the `voided` flag.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gilde.tenancy.models import Network, Organisation


class Store(models.Model):
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="lrs_store"
    )
    network = models.OneToOneField(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="lrs_store"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(network__isnull=True))
                | (Q(organisation__isnull=True) & Q(network__isnull=False)),
                name="lrs_store_one_owner",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.network)

    @property
    def owner(self) -> Organisation | Network:
        owner = self.organisation or self.network
        assert owner is not None
        return owner


class Scope(models.TextChoices):
    """The xAPI scope names (xAPI 1.0.3 Communication 4.2, OAuth scope list)."""

    ALL = "all", _("Read and write everything")
    ALL_READ = "all/read", _("Read everything")
    STATEMENTS_WRITE = "statements/write", _("Write statements")
    STATEMENTS_READ = "statements/read", _("Read all statements")
    STATEMENTS_READ_MINE = "statements/read/mine", _("Read own statements")
    STATE = "state", _("Read and write state")
    PROFILE = "profile", _("Read and write profiles")


class Client(models.Model):
    """A program that talks xAPI to a store with a key and a secret (HTTP Basic)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(max_length=64, unique=True)
    # SHA-256 of a 256-bit random secret: a slow password hash buys nothing for random secrets
    # and would cost every request milliseconds.
    secret_hash = models.CharField(max_length=64)
    scopes = models.CharField(max_length=200, default=Scope.ALL)
    # The version reported to this client when a request carries no X-Experience-API-Version
    # header (an error in both versions, but the answer must still name one).
    xapi_version = models.CharField(
        max_length=5, choices=[("1.0.3", "1.0.3"), ("2.0.0", "2.0.0")], default="2.0.0"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s for s in self.scopes.split() if s)


class Statement(models.Model):
    seq = models.BigAutoField(primary_key=True)
    # Indexed through the unique (store, statement_id) constraint and the composite indexes.
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_index=False)
    statement_id = models.UUIDField()
    # Clients are revoked, never deleted, so this needs no index of its own.
    client = models.ForeignKey(
        Client,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # The Gilde account the actor is, when the LRS could tell (see services.person_of).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lrs_statements",
        db_index=False,
    )
    verb = models.CharField(max_length=2048)
    # The object's activity IRI when the object is an activity: for the learner's record page.
    activity = models.CharField(max_length=2048, blank=True, default="")
    registration = models.UUIDField(null=True, blank=True)
    # The statement this one refers to (voiding statements and other StatementRefs).
    refers_to = models.UUIDField(null=True, blank=True)
    voided = models.BooleanField(default=False)
    stored = models.DateTimeField()
    timestamp = models.DateTimeField()
    data = models.TextField()
    has_attachments = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "statement_id"], name="lrs_statement_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["store", "verb", "seq"], name="lrs_stmt_verb"),
            models.Index(fields=["store", "registration", "seq"], name="lrs_stmt_registration"),
            models.Index(fields=["store", "stored"], name="lrs_stmt_stored"),
            models.Index(fields=["person", "seq"], name="lrs_stmt_person"),
            models.Index(fields=["store", "refers_to"], name="lrs_stmt_refers_to"),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class LinkKind(models.TextChoices):
    AGENT = "a", _("agent")
    ACTIVITY = "c", _("activity")
    # Verbs and registrations of a statement that this one refers to (xAPI filter rule for
    # StatementRefs); a statement's own verb and registration are columns.
    VERB = "v", _("verb")
    REGISTRATION = "r", _("registration")


class StatementLink(models.Model):
    """One row per agent or activity a statement mentions: the index behind every filter.

    `direct` marks what the plain `agent` / `activity` filters match (actor, object); the others are
    found only with `related_agents` / `related_activities`.
    """

    id = models.BigAutoField(primary_key=True)
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, db_column="statement_seq", related_name="links"
    )
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=1, choices=LinkKind.choices)
    key = models.CharField(max_length=2048)
    direct = models.BooleanField()

    class Meta:
        indexes = [
            # Statement before direct: the rows for one key come newest first whether or not
            # the query wants only direct ones, so a page of the newest stops after `limit`.
            models.Index(
                fields=["store", "kind", "key", "statement", "direct"], name="lrs_link_key_seq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class Attachment(models.Model):
    """Attachment content, kept once per store and SHA-256."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    sha2 = models.CharField(max_length=128)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "sha2"], name="lrs_attachment_unique")
        ]

    def __str__(self) -> str:
        return self.sha2


class DocumentKind(models.TextChoices):
    STATE = "state", _("state")
    ACTIVITY_PROFILE = "activity_profile", _("activity profile")
    AGENT_PROFILE = "agent_profile", _("agent profile")


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document (xAPI document resources)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    activity = models.CharField(max_length=2048, blank=True, default="")
    agent = models.CharField(max_length=2048, blank=True, default="")
    # An empty string when the State has no registration: unique constraints treat NULLs apart.
    registration = models.CharField(max_length=36, blank=True, default="")
    doc_id = models.CharField(max_length=2048)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lrs_documents",
    )
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind", "activity", "agent", "registration", "doc_id"],
                name="lrs_document_unique",
            )
        ]

    def __str__(self) -> str:
        return self.doc_id
