"""Writes to the Learning Record Store.

`store_statements` is the one write path for statements: the xAPI endpoint and Gilde's own apps
(through `record_statements`) both end here, so every statement is validated and indexed the same
way. A request's statements are written in one transaction with a handful of queries whatever
their number: one to find ids that exist already, bulk inserts for statements and their index
rows, one update for voided targets.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from gilde.audit.services import audit_record
from gilde.lrs.models import (
    Attachment,
    Client,
    LinkKind,
    Scope,
    Statement,
    StatementLink,
    Store,
)
from gilde.lrs.validation import (
    IFIS,
    SIGNATURE,
    VOIDED,
    StatementInvalid,
    agent_key,
    parse_timestamp,
    validate_statements,
)
from gilde.tenancy.models import Network, Organisation

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]


class Conflict(Exception):
    """A statement id that exists already with different content (HTTP 409)."""


def store_for(*, organisation: Organisation | None = None, network: Network | None = None) -> Store:
    """The store of an organisation or a network, made on first use."""
    if (organisation is None) == (network is None):
        raise ValueError("a store belongs to exactly one organisation or network")
    if organisation is not None:
        store, _ = Store.objects.get_or_create(organisation=organisation)
    else:
        store, _ = Store.objects.get_or_create(network=network)
    return store


def site_home() -> str:
    return str(settings.SITE_URL).rstrip("/") + "/"


def authority_for(client: Client | None) -> dict[str, Any]:
    """The authority the LRS writes into statements: the client, or Gilde itself."""
    if client is None:
        return {
            "objectType": "Agent",
            "name": "Gilde",
            "account": {"homePage": site_home(), "name": "gilde"},
        }
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": site_home(), "name": f"lrs-client:{client.key}"},
    }


# -- clients -------------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewClient:
    client: Client
    key: str
    secret: str


def client_create(
    *,
    actor: Any,
    store: Store,
    name: str,
    scopes: Iterable[str] = (Scope.ALL,),
    xapi_version: str = "2.0.0",
) -> NewClient:
    """A new LRS client; the secret is shown once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise ValueError("a client needs a name")
    chosen = [str(s) for s in scopes]
    unknown = set(chosen) - set(Scope.values)
    if unknown or not chosen:
        raise ValueError("unknown scope: " + ", ".join(sorted(unknown)) if unknown else "no scope")
    if xapi_version not in ("1.0.3", "2.0.0"):
        raise ValueError("xAPI version must be 1.0.3 or 2.0.0")
    key = secrets.token_hex(10)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = Client.objects.create(
            store=store,
            name=name[:200],
            key=key,
            secret_hash=_hash_secret(secret),
            scopes=" ".join(chosen),
            xapi_version=xapi_version,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="lrs.client_created",
            organisation=store.organisation,
            network=store.network,
            name=client.name,
            scopes=client.scopes,
        )
    return NewClient(client=client, key=key, secret=secret)


def client_revoke(*, actor: Any, client: Client) -> Client:
    with transaction.atomic():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            forget_client(locked.key)
            store = locked.store
            audit_record(
                actor=actor,
                action="lrs.client_revoked",
                organisation=store.organisation,
                network=store.network,
                name=locked.name,
            )
    return locked


# Every xAPI request names its client: a client found is remembered in this process for a few
# seconds, keyed by its key and the hash of the secret presented (a wrong secret is never a hit).
# Revoking or changing a client forgets it here at once; other server processes forget it
# within CLIENT_CACHE_SECONDS.
CLIENT_CACHE_SECONDS = 10.0
_CLIENT_CACHE_SIZE = 1000
_clients: dict[tuple[str, str], tuple[float, Client]] = {}


def client_for_credentials(key: str, secret: str) -> Client | None:
    """The active client with this key and secret, or None (constant-time comparison)."""
    presented = _hash_secret(secret)
    now = time.monotonic()
    cached = _clients.get((key, presented))
    if cached is not None and cached[0] > now:
        return cached[1]
    client = Client.objects.select_related("store").filter(key=key, revoked_at=None).first()
    if client is None:
        return None
    if not secrets.compare_digest(client.secret_hash, presented):
        return None
    if len(_clients) >= _CLIENT_CACHE_SIZE:
        _clients.clear()
    _clients[(key, presented)] = (now + CLIENT_CACHE_SECONDS, client)
    return client


def forget_client(key: str | None = None) -> None:
    """Drop a client (or, without a key, every client) from this process's cache."""
    for cached in list(_clients):
        if key is None or cached[0] == key:
            _clients.pop(cached, None)


def _forget_saved_client(sender: Any, instance: Client, **kwargs: Any) -> None:
    forget_client(instance.key)


post_save.connect(_forget_saved_client, sender=Client, dispatch_uid="lrs_forget_saved_client")
post_delete.connect(_forget_saved_client, sender=Client, dispatch_uid="lrs_forget_deleted_client")


# -- statements ----------------------------------------------------------------------------


def _iso(moment: Any) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def digest(statement: dict[str, Any]) -> str:
    """A fingerprint of a statement as the client sent it, minus what the LRS fills in."""
    sent = {k: v for k, v in statement.items() if k not in ("stored", "authority", "version")}
    return hashlib.sha1(orjson.dumps(sent, option=orjson.OPT_SORT_KEYS)).hexdigest()  # noqa: S324


@dataclass
class _Links:
    rows: list[tuple[str, str, bool]] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, kind: str, key: str | None, direct: bool) -> None:
        if not key:
            return
        if (kind, key) in self.seen:
            if direct:
                # Upgrade an indirect row already collected for the same key.
                self.rows = [(k, v, d or (k == kind and v == key)) for (k, v, d) in self.rows]
            return
        self.seen.add((kind, key))
        self.rows.append((kind, key, direct))

    def agent(self, agent: dict[str, Any] | None, direct: bool) -> None:
        if not agent:
            return
        self.add(LinkKind.AGENT, agent_key(agent), direct)
        for member in agent.get("member") or ():
            self.add(LinkKind.AGENT, agent_key(member), False)

    def activities(self, context: dict[str, Any]) -> None:
        for value in (context.get("contextActivities") or {}).values():
            for activity in value if isinstance(value, list) else [value]:
                self.add(LinkKind.ACTIVITY, activity["id"], False)


def _collect_links(statement: dict[str, Any]) -> _Links:
    links = _Links()
    links.agent(statement["actor"], True)
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        links.add(LinkKind.ACTIVITY, obj["id"], True)
    elif kind in ("Agent", "Group"):
        links.agent(obj, True)
    elif kind == "SubStatement":
        links.agent(obj["actor"], False)
        sub_obj = obj["object"]
        sub_kind = sub_obj.get("objectType", "Activity")
        if sub_kind == "Activity":
            links.add(LinkKind.ACTIVITY, sub_obj["id"], False)
        elif sub_kind in ("Agent", "Group"):
            links.agent(sub_obj, False)
        sub_context = obj.get("context") or {}
        links.activities(sub_context)
        links.agent(sub_context.get("instructor"), False)
        links.agent(sub_context.get("team"), False)
    context = statement.get("context") or {}
    links.activities(context)
    links.agent(context.get("instructor"), False)
    links.agent(context.get("team"), False)
    for item in context.get("contextAgents") or ():
        links.agent(item.get("agent"), False)
    for item in context.get("contextGroups") or ():
        links.agent(item.get("group"), False)
    links.agent(statement.get("authority"), False)
    return links


@dataclass
class Written:
    ids: list[str]
    created: int


def _people_for(store: Store, statements: list[dict[str, Any]]) -> dict[str, Any]:
    """Gilde accounts behind the actors: an account on this site, or a member's e-mail."""
    from gilde.people.models import Person

    home = site_home()
    uuids: set[str] = set()
    mboxes: set[str] = set()
    for s in statements:
        actor = s["actor"]
        account = actor.get("account")
        if account and account.get("homePage") == home:
            uuids.add(account["name"])
        elif "mbox" in actor:
            mboxes.add(actor["mbox"][7:].lower())
    found: dict[str, Any] = {}
    if uuids:
        valid = []
        for value in uuids:
            try:
                valid.append(uuid.UUID(value))
            except ValueError:
                continue
        for person in Person.objects.filter(uuid__in=valid).only("pk", "uuid"):
            found["account:" + home + "|" + str(person.uuid)] = person
    if mboxes:
        for pk, email in _members_by_email(store, sorted(mboxes)):
            found["mbox:mailto:" + email.lower()] = Person(pk=pk, email=email)
    return found


def _members_by_email(store: Store, emails: list[str]) -> list[tuple[int, str]]:
    """(pk, e-mail) of the people with these addresses whom the store's owner employs (for a
    network's store: whom one of its approved member organisations employs): an e-mail address
    alone must not link someone else's records to a Gilde account.

    Plain SQL: it runs for every statement request with an mbox actor, and building the joined
    query through the ORM cost several times more than the database needed to answer it."""
    from gilde.people.models import Person
    from gilde.tenancy.models import Membership, NetworkMembership, NetworkMembershipStatus

    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name

    def column(model: Any, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    # Names from the models, values as parameters (hence the noqa: S608 below).
    people, person_id, address = (
        quote(Person._meta.db_table),
        column(Person, "id"),
        column(Person, "email"),
    )
    members, member, employer = (
        quote(Membership._meta.db_table),
        column(Membership, "person"),
        column(Membership, "organisation"),
    )
    employed = f"SELECT 1 FROM {members} m WHERE m.{member} = p.{person_id} AND "  # noqa: S608
    if store.organisation_id:
        employed += f"m.{employer} = %s"
        owner: list[Any] = [store.organisation_id]
    else:
        joined, organisation, network, status = (
            quote(NetworkMembership._meta.db_table),
            column(NetworkMembership, "organisation"),
            column(NetworkMembership, "network"),
            column(NetworkMembership, "status"),
        )
        employed += (
            f"EXISTS (SELECT 1 FROM {joined} n WHERE n.{organisation} = m.{employer} "  # noqa: S608
            f"AND n.{network} = %s AND n.{status} = %s)"
        )
        owner = [store.network_id, NetworkMembershipStatus.APPROVED]
    listed = ", ".join(["%s"] * len(emails))
    sql = f"SELECT p.{person_id}, p.{address} FROM {people} p WHERE p.{address} IN ({listed}) "  # noqa: S608
    sql += f"AND EXISTS ({employed})"
    with db.cursor() as cursor:
        cursor.execute(sql, [*emails, *owner])
        return [(int(pk), str(email)) for pk, email in cursor.fetchall()]


def store_statements(
    *,
    store: Store,
    statements: Any,
    client: Client | None = None,
    version: str = "1.0.0",
    statement_id: str | None = None,
    attachments: dict[str, tuple[str, bytes]] | None = None,
    people: dict[str, Any] | None = None,
) -> Written:
    """Validate and store statements; raise StatementInvalid (400) or Conflict (409).

    `statements` is a decoded statement or list. `statement_id` is the id of a PUT. `attachments`
    maps SHA-2 hashes to (content type, bytes) from a multipart request. Re-sending a statement
    that is stored already with the same content changes nothing; `created` counts new rows.
    """
    batch = validate_statements(statements)
    for s in batch:
        _normalise(s)
    if statement_id is not None:
        given = batch[0].get("id")
        if given is not None and given.lower() != statement_id.lower():
            raise StatementInvalid("id: differs from the statementId parameter")
        batch[0]["id"] = statement_id
    attachments = attachments or {}
    _check_attachments(batch, attachments)

    now = timezone.now()
    # Kept to the millisecond, as it is written in the statement: `since` and `until` compare
    # against what clients were shown.
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    stored = _iso(now)
    authority = authority_for(client)
    ids: list[str] = []
    seen_ids: set[str] = set()
    digests: dict[str, str] = {}
    for s in batch:
        sid = s.get("id")
        if sid is None:
            sid = str(uuid.uuid4())
        else:
            sid = str(uuid.UUID(sid))
            if sid in seen_ids:
                raise StatementInvalid(f"id: {sid} occurs twice in the request")
        seen_ids.add(sid)
        ids.append(sid)
        digests[sid] = digest(s)

    if people is None:
        people = _people_for(store, batch)
    # Everything that needs no lock is done before the transaction, so that writers hold it (on
    # SQLite the database's one write lock) only for the checks and the inserts.
    prepared = _prepare(
        store=store,
        batch=batch,
        ids=ids,
        stored=stored,
        now=now,
        authority=authority,
        client=client,
        version=version,
        people=people,
    )
    for _ in range(3):
        try:
            with _writers_in_turn(), transaction.atomic():
                return _write(
                    store=store,
                    batch=batch,
                    ids=ids,
                    digests=digests,
                    prepared=prepared,
                    attachments=attachments,
                )
        except IntegrityError:
            # Another request stored one of these ids between our check and our insert: check
            # again, now that it is visible.
            continue
    raise Conflict("the statements could not be stored; try again")


@contextmanager
def _writers_in_turn() -> Iterator[None]:
    """On SQLite, writers of statements queue for the write lock on an operating-system lock.

    SQLite lets a writer that finds the database locked sleep and retry (after 1, 2, 5 ... 100
    ms) instead of waking it when the lock is free, so with several clients sending batches
    most of the time went to sleeping. A blocking flock() on a file beside the database wakes
    the next writer the moment the previous one is done. Only outside a transaction (which may
    hold SQLite's lock already) and where the system has flock(); elsewhere nothing changes.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if (
        fcntl is None or db.vendor != "sqlite" or db.in_atomic_block or db.is_in_memory_db()  # type: ignore[attr-defined]
    ):
        yield
        return
    descriptor = os.open(f"{db.settings_dict['NAME']}.lrs-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _normalise(statement: dict[str, Any]) -> None:
    """Context activities are always returned as arrays (xAPI Data 2.4.6.2)."""
    for node in (statement, statement["object"]):
        context = node.get("context") if isinstance(node, dict) else None
        if context and "contextActivities" in context:
            context["contextActivities"] = {
                k: v if isinstance(v, list) else [v]
                for k, v in context["contextActivities"].items()
            }


def _check_attachments(batch: list[dict[str, Any]], given: dict[str, tuple[str, bytes]]) -> None:
    for index, s in enumerate(batch):
        for attachment in s.get("attachments") or ():
            if attachment["usageType"] == SIGNATURE:
                if attachment["contentType"] != "application/octet-stream":
                    raise StatementInvalid(
                        f"attachments: a signature must have contentType application/octet-stream"
                        f" (statement {index})"
                    )
                if attachment["sha2"] not in given:
                    raise StatementInvalid("attachments: the signature's content is missing")
                from gilde.lrs.signatures import check_signature

                check_signature(s, given[attachment["sha2"]][1])
            elif "fileUrl" not in attachment and attachment["sha2"] not in given:
                raise StatementInvalid(
                    f"attachments: no content sent for sha2 {attachment['sha2']} "
                    f"and no fileUrl (statement {index})"
                )


def _prepare(
    *,
    store: Store,
    batch: list[dict[str, Any]],
    ids: list[str],
    stored: str,
    now: Any,
    authority: dict[str, Any],
    client: Client | None,
    version: str,
    people: dict[str, Any],
) -> list[tuple[Statement, _Links, tuple[Any, ...]]]:
    """The row, its index rows and its column values for the database, of every statement, as
    they will be stored if it is new."""
    rows = []
    links = []
    for index, s in enumerate(batch):
        full = dict(s)
        full["id"] = ids[index]
        full["stored"] = stored
        full["authority"] = authority
        full.setdefault("version", version)
        if "timestamp" not in full:
            full["timestamp"] = stored
            moment = now
        else:
            moment = parse_timestamp(full["timestamp"])
        context = s.get("context") or {}
        obj = s["object"]
        kind = obj.get("objectType", "Activity")
        actor_key = agent_key(s["actor"]) or ""
        person = people.get(actor_key)
        row = Statement(
            store_id=store.pk,
            statement_id=ids[index],
            client_id=client.pk if client is not None else None,
            person_id=person.pk if person is not None else None,
            verb=s["verb"]["id"],
            activity=obj["id"] if kind == "Activity" else "",
            registration=context.get("registration"),
            refers_to=str(uuid.UUID(obj["id"])) if kind == "StatementRef" else None,
            stored=now,
            timestamp=moment,
            data=orjson.dumps(full).decode(),
            has_attachments=bool(s.get("attachments")),
        )
        rows.append(row)
        links.append(_collect_links(full))
    return list(zip(rows, links, _db_values(rows), strict=True))


def _write(
    *,
    store: Store,
    batch: list[dict[str, Any]],
    ids: list[str],
    digests: dict[str, str],
    prepared: list[tuple[Statement, _Links, tuple[Any, ...]]],
    attachments: dict[str, tuple[str, bytes]],
) -> Written:
    # Without statement references nothing below depends on which ids are stored already: the
    # rows are inserted skipping those ids, and only those are read back and compared. With
    # references the ids are looked up first, as the voiding rules concern new statements only.
    plain = not any(s["object"].get("objectType") == "StatementRef" for s in batch)
    existing = {} if plain else _stored_data(store, ids)
    _same_or_conflict(existing, digests)

    voided_targets: set[str] = set()
    refs: dict[int, str] = {}
    fresh: list[tuple[int, dict[str, Any]]] = []
    for index, s in enumerate(batch):
        if ids[index] in existing:
            continue
        fresh.append((index, s))
        obj = s["object"]
        if obj.get("objectType") == "StatementRef":
            refs[index] = str(uuid.UUID(obj["id"]))
            if s["verb"]["id"] == VOIDED:
                voided_targets.add(refs[index])

    if voided_targets:
        voiding = Statement.objects.filter(
            store=store, statement_id__in=voided_targets, verb=VOIDED
        ).values_list("statement_id", flat=True)
        bad = [str(v) for v in voiding] + [
            ids[i] for i, s in fresh if ids[i] in voided_targets and s["verb"]["id"] == VOIDED
        ]
        if bad:
            raise StatementInvalid(f"object: statement {bad[0]} is a voiding statement")

    rows = [prepared[index][0] for index, _s in fresh]
    links = [prepared[index][1] for index, _s in fresh]
    values = [prepared[index][2] for index, _s in fresh]
    created = _insert_statements(rows, values, skip_existing=plain)
    if len(created) < len(rows):
        _same_or_conflict(
            _stored_data(store, [str(row.statement_id) for row in rows if row.seq is None]),
            digests,
        )
        links = [collected for row, collected in zip(rows, links, strict=True) if row.seq]
    if refs:
        _inherit_refs(store, fresh, created, links, refs, ids)
    _insert_links(
        [
            (row.pk, store.pk, kind, key, direct)
            for row, collected in zip(created, links, strict=True)
            for kind, key, direct in collected.rows
        ]
    )
    if voided_targets:
        Statement.objects.filter(store=store, statement_id__in=voided_targets).exclude(
            verb=VOIDED
        ).update(voided=True)
    if attachments:
        Attachment.objects.bulk_create(
            [
                Attachment(store=store, sha2=sha2, content_type=ctype, content=content)
                for sha2, (ctype, content) in attachments.items()
            ],
            ignore_conflicts=True,
        )
    return Written(ids=ids, created=len(created))


def _stored_data(store: Store, ids: list[str]) -> dict[str, str]:
    return {
        str(sid): data
        for sid, data in Statement.objects.filter(store=store, statement_id__in=ids).values_list(
            "statement_id", "data"
        )
    }


def _same_or_conflict(existing: dict[str, str], digests: dict[str, str]) -> None:
    for sid, data in existing.items():
        old = orjson.loads(data)
        if digest(old) != digests[sid] and not _same_sent(old, digests[sid]):
            raise Conflict(f"statement {sid} exists already with different content")


def _insert(
    model: Any, names: list[str], rows: list[tuple[Any, ...]], suffix: str = ""
) -> list[Any]:
    """Insert `rows` (values ready for the database) into the `names` columns of `model`'s table
    with plain SQL, ending each INSERT with `suffix` (ON CONFLICT, RETURNING); what it returns.

    On PostgreSQL: one INSERT ... SELECT FROM UNNEST(one array per column), a short statement
    whatever the number of rows, as Django's bulk_create does (psycopg parses a long statement
    in Python on every call). Elsewhere: VALUES lists cut to the database's parameter limit."""
    if not rows:
        return []
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(quote(f.column) for f in fields)
    # Names from the models, values as parameters (hence the noqa: S608 below).
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
    found: list[Any] = []
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            arrays = ", ".join(f"(%s)::{f.db_type(db).split('(')[0]}[]" for f in fields)
            cursor.execute(
                f"{head}SELECT * FROM UNNEST({arrays}) {suffix}",  # noqa: S608
                [list(column) for column in zip(*rows, strict=True)],
            )
            return cursor.fetchall() if "RETURNING" in suffix else []
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        limit = db.features.max_query_params or 10_000
        if db.vendor == "sqlite" and hasattr(db.connection, "getlimit"):
            # Django assumes SQLite's old limit of 999 parameters; ask the library (32,766
            # since SQLite 3.32), so that a batch of 100 takes two INSERTs instead of six.
            limit = db.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per = max(limit // len(fields), 1)
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            cursor.execute(
                f"{head}VALUES {', '.join([one] * len(chunk))} {suffix}",
                [value for row in chunk for value in row],
            )
            if "RETURNING" in suffix:
                found += cursor.fetchall()
    return found


_CONVERTED = {"UUIDField", "DateTimeField"}


def _statement_fields() -> list[Any]:
    return [f for f in Statement._meta.concrete_fields if f.attname != "seq"]


def _db_values(rows: list[Statement]) -> list[tuple[Any, ...]]:
    """Each row's column values as the database takes them (all but seq)."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = _statement_fields()
    # Only UUIDs and date-times need converting; the rest are plain already.
    converted = {f.attname for f in fields if f.get_internal_type() in _CONVERTED}
    return [
        tuple(
            f.get_db_prep_save(row.__dict__[f.attname], db)
            if f.attname in converted
            else row.__dict__[f.attname]
            for f in fields
        )
        for row in rows
    ]


def _insert_statements(
    rows: list[Statement], values: list[tuple[Any, ...]], *, skip_existing: bool = False
) -> list[Statement]:
    """The statements inserted (their `values` from _db_values); the rows stored, each with its
    sequence number. With `skip_existing`, ids the store has already are left out (their rows
    keep seq None)."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    suffix = f"RETURNING {quote('seq')}, {quote('statement_id')}"
    if skip_existing:
        suffix = f"ON CONFLICT ({quote('store_id')}, {quote('statement_id')}) DO NOTHING {suffix}"
    by_id: dict[str, Statement] = {}
    for row in rows:
        row.seq = None
        by_id[str(row.statement_id)] = row
    names = [f.name for f in _statement_fields()]
    for seq, statement_id in _insert(Statement, names, values, suffix):
        by_id[str(uuid.UUID(str(statement_id)))].seq = seq
    return [row for row in rows if row.seq is not None]


def _insert_links(rows: list[tuple[int, int, str, str, bool]]) -> None:
    """Index rows, inserted with plain SQL. They are many (about seven per statement) and
    plain: a model instance for each cost several times more than storing it."""
    _insert(StatementLink, ["statement", "store", "kind", "key", "direct"], rows)


def _same_sent(old: dict[str, Any], wanted: str) -> bool:
    # A statement stored without a timestamp got the stored time as its timestamp.
    if old.get("timestamp") == old.get("stored"):
        trimmed = {k: v for k, v in old.items() if k != "timestamp"}
        return digest(trimmed) == wanted
    return False


def _inherit_refs(
    store: Store,
    fresh: list[tuple[int, dict[str, Any]]],
    created: list[Statement],
    links: list[_Links],
    refs: dict[int, str],
    ids: list[str],
) -> None:
    """A statement that refers to another one also matches the filters the target matches."""
    position = {index: n for n, (index, _) in enumerate(fresh)}
    targets = set(refs.values())
    found: dict[str, tuple[str, str | None, list[tuple[str, str, bool]]]] = {}
    for row in Statement.objects.filter(store=store, statement_id__in=targets):
        own = [
            (str(k), str(v), bool(d)) for k, v, d in row.links.values_list("kind", "key", "direct")
        ]
        found[str(row.statement_id)] = (
            row.verb,
            str(row.registration) if row.registration else None,
            own,
        )
    for n, (index, _s) in enumerate(fresh):
        sid = ids[index]
        if sid in targets and sid not in found:
            row = created[n]
            found[sid] = (
                row.verb,
                str(row.registration) if row.registration else None,
                list(links[n].rows),
            )
    for index, target in refs.items():
        if target not in found:
            continue
        verb, registration, target_links = found[target]
        collected = links[position[index]]
        collected.add(LinkKind.VERB, verb, True)
        collected.add(LinkKind.REGISTRATION, registration, True)
        for kind, key, direct in target_links:
            if kind in (LinkKind.AGENT, LinkKind.ACTIVITY):
                collected.add(kind, key, direct)
        _ = created


# -- the internal interface -------------------------------------------------------------------


def agent_for(person: Any) -> dict[str, Any]:
    """The xAPI Agent for a Gilde account: an account on this site named by the person's uuid."""
    return {
        "objectType": "Agent",
        "name": person.get_full_name(),
        "account": {"homePage": site_home(), "name": str(person.uuid)},
    }


def record_statements(
    *,
    statements: list[dict[str, Any]],
    organisation: Organisation | None = None,
    network: Network | None = None,
    person: Any = None,
) -> list[str]:
    """Record Gilde's own learning acts in the organisation's (or network's) store.

    Runs inside the caller's transaction when there is one (then the statements are stored or
    dropped with the caller's other writes). `person`, when given, is linked to every statement
    as its actor's account. Raises StatementInvalid for statements the specification refuses.
    """
    store = store_for(organisation=organisation, network=network)
    people = None
    if person is not None:
        people = {}
        for s in statements:
            key = agent_key(s["actor"])
            if key:
                people[key] = person
    written = store_statements(store=store, statements=list(statements), people=people)
    return written.ids


__all__ = [
    "IFIS",
    "Conflict",
    "NewClient",
    "StatementInvalid",
    "Written",
    "agent_for",
    "client_create",
    "client_for_credentials",
    "client_revoke",
    "forget_client",
    "record_statements",
    "store_for",
    "store_statements",
]
