"""Reads from the Learning Record Store: statement queries and the Activities and Agents resources.

Every query is scoped to the requesting client's store (and, for a client that may only read its
own statements, to that client). Filters run on indexed columns and the link index; pages are cut
by the statement sequence number (keyset paging), never by OFFSET.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import orjson
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils.http import http_date

from gilde.lrs.models import Attachment, LinkKind, Scope, Statement, StatementLink, Store
from gilde.lrs.validation import (
    IFIS,
    StatementInvalid,
    agent_key,
    check_iri,
    check_timestamp,
    check_uuid,
    validate_agent,
)

if TYPE_CHECKING:
    from gilde.lrs.xapi import XRequest

PAGE_SIZE = 100
MAX_PAGE = 500
_SINGLE_ALLOWED = {"statementId", "voidedStatementId", "attachments", "format"}
_ALLOWED = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "after",
}


def _bool(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise StatementInvalid(f"{name}: must be true or false")
    return value == "true"


def parse_agent_param(raw: str, name: str = "agent") -> dict[str, Any]:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise StatementInvalid(f"{name}: is not valid JSON") from None
    return validate_agent(value)


def _links(store: Store, kind: str, key: str, *, direct_only: bool) -> QuerySet[Any]:
    links = StatementLink.objects.filter(store=store, kind=kind, key=key)
    if direct_only:
        links = links.filter(direct=True)
    return links.values("statement_id")


def statement_queryset(
    store: Store,
    params: dict[str, str],
    client: Any = None,
    *,
    after: int | None = None,
    ascending: bool = False,
) -> QuerySet[Any]:
    """The statements matching xAPI filter parameters past the page cursor `after`, newest
    first (oldest first when `ascending`), not yet cut.

    An agent or activity filter joins the statement to its index row, and the page is ordered
    and bounded by that row's statement column: the database then reads the index newest first
    and stops after one page, however many statements match (`seq IN (...)` read them all).
    """
    qs = Statement.objects.filter(store=store, voided=False)
    if client is not None:
        qs = qs.filter(client=client)
    bound = "gt" if ascending else "lt"
    linked: list[dict[str, Any]] = []
    if "agent" in params:
        key = agent_key(parse_agent_param(params["agent"]))
        assert key is not None
        related = _bool(params, "related_agents")
        linked.append(_link_filter(LinkKind.AGENT, key, direct_only=not related))
    if "verb" in params:
        verb = check_iri(params["verb"], "verb")
        inherited = _links(store, LinkKind.VERB, verb, direct_only=False)
        if inherited.exists():
            qs = qs.filter(Q(verb=verb) | Q(seq__in=inherited))
        else:
            qs = qs.filter(verb=verb)
    if "activity" in params:
        activity = check_iri(params["activity"], "activity")
        related = _bool(params, "related_activities")
        linked.append(_link_filter(LinkKind.ACTIVITY, activity, direct_only=not related))
    if "registration" in params:
        registration = check_uuid(params["registration"], "registration").lower()
        inherited = _links(store, LinkKind.REGISTRATION, registration, direct_only=False)
        if inherited.exists():
            qs = qs.filter(Q(registration=registration) | Q(seq__in=inherited))
        else:
            qs = qs.filter(registration=registration)
    if "since" in params:
        qs = qs.filter(stored__gt=check_timestamp(params["since"], "since"))
    if "until" in params:
        qs = qs.filter(stored__lte=check_timestamp(params["until"], "until"))
    for conditions in linked:
        # One filter() per index row: each condition set is its own join.
        conditions["links__store"] = store
        if after is not None:
            conditions[f"links__statement__{bound}"] = after
        qs = qs.filter(**conditions)
    if after is not None:
        qs = qs.filter(**{f"seq__{bound}": after})
    order = "links__statement" if linked else "seq"
    return qs.order_by(order if ascending else f"-{order}")


def _link_filter(kind: str, key: str, *, direct_only: bool) -> dict[str, Any]:
    conditions: dict[str, Any] = {"links__kind": kind, "links__key": key}
    if direct_only:
        conditions["links__direct"] = True
    return conditions


def _format(params: dict[str, str]) -> str:
    fmt = params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise StatementInvalid("format: must be exact, ids or canonical")
    return fmt


def _own_client(req: XRequest) -> Any:
    client = req.client
    assert client is not None
    scopes = client.scope_set
    if scopes & {Scope.ALL, Scope.ALL_READ, Scope.STATEMENTS_READ}:
        return None
    return client


def statements_response(req: XRequest) -> HttpResponse:
    assert req.client is not None
    store = req.client.store
    params = req.params
    own = _own_client(req)
    fmt = _format(params)
    with_attachments = _bool(params, "attachments")
    languages = _accepted_languages(req.headers.get("accept-language", ""))
    if "statementId" in params or "voidedStatementId" in params:
        extra = set(params) - _SINGLE_ALLOWED
        if extra or ("statementId" in params and "voidedStatementId" in params):
            name = sorted(extra)[0] if extra else "voidedStatementId"
            raise StatementInvalid(f"{name}: not allowed with statementId or voidedStatementId")
        voided = "voidedStatementId" in params
        sid = params["voidedStatementId" if voided else "statementId"]
        check_uuid(sid, "voidedStatementId" if voided else "statementId")
        qs = Statement.objects.filter(store=store, statement_id=sid.lower(), voided=voided)
        if own is not None:
            qs = qs.filter(client=own)
        row = qs.values_list("data", "stored").first()
        if row is None:
            return HttpResponse(
                orjson.dumps({"error": {"code": 404, "message": "no such statement"}}),
                status=404,
                content_type="application/json",
            )
        data, stored = row
        body = _formatted(data, fmt, languages)
        response = _with_attachments(store, body, [data], with_attachments)
        response["Last-Modified"] = http_date(stored.timestamp())
        return response

    extra = set(params) - _ALLOWED
    if extra:
        raise StatementInvalid(f"{sorted(extra)[0]}: unknown parameter")
    try:
        limit = int(params.get("limit", PAGE_SIZE))
    except ValueError:
        raise StatementInvalid("limit: must be a whole number") from None
    if limit < 0:
        raise StatementInvalid("limit: must not be negative")
    limit = MAX_PAGE if limit == 0 else min(limit, MAX_PAGE)
    ascending = _bool(params, "ascending")
    _bool(params, "related_agents")
    _bool(params, "related_activities")
    after = None
    if "after" in params:
        try:
            after = int(params["after"])
        except ValueError:
            raise StatementInvalid("after: not a page cursor") from None
    qs = statement_queryset(store, params, own, after=after, ascending=ascending)
    rows = list(qs.values_list("seq", "data", "stored")[: limit + 1])
    more = ""
    if len(rows) > limit:
        rows = rows[:limit]
        from gilde.lrs.xapi import more_url

        more = more_url(params, rows[-1][0])
    parts = [_formatted(data, fmt, languages) for _seq, data, _stored in rows]
    body = '{"statements":[' + ",".join(parts) + '],"more":' + orjson.dumps(more).decode() + "}"
    response = _with_attachments(store, body, [d for _s, d, _t in rows], with_attachments)
    if rows:
        newest = max(stored for _s, _d, stored in rows)
        response["Last-Modified"] = http_date(newest.timestamp())
    return response


def _with_attachments(
    store: Store, body: str, datas: list[str], with_attachments: bool
) -> HttpResponse:
    if not with_attachments:
        return HttpResponse(body, content_type="application/json")
    wanted: list[str] = []
    for data in datas:
        if '"attachments"' not in data:
            continue
        for attachment in orjson.loads(data).get("attachments") or ():
            if attachment["sha2"] not in wanted:
                wanted.append(attachment["sha2"])
    found = {a.sha2: a for a in Attachment.objects.filter(store=store, sha2__in=wanted)}
    boundary = hashlib.sha1(body.encode()).hexdigest()  # noqa: S324 - a boundary, not security
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        body.encode(),
    ]
    for sha2 in wanted:
        attachment = found.get(sha2)
        if attachment is None:
            continue
        chunks.append(
            (
                f"\r\n--{boundary}\r\nContent-Type: {attachment.content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
            ).encode()
        )
        chunks.append(bytes(attachment.content))
    chunks.append(f"\r\n--{boundary}--".encode())
    return HttpResponse(b"".join(chunks), content_type=f'multipart/mixed; boundary="{boundary}"')


# -- formats ------------------------------------------------------------------------------


def _accepted_languages(header: str) -> list[str]:
    ranked = []
    for index, item in enumerate(header.split(",")):
        tag, _, q = item.strip().partition(";q=")
        if not tag:
            continue
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        ranked.append((-weight, index, tag.strip().lower()))
    return [tag for _w, _i, tag in sorted(ranked)]


def _formatted(data: str, fmt: str, languages: list[str]) -> str:
    if fmt == "exact":
        return data
    statement = orjson.loads(data)
    if fmt == "ids":
        statement = _ids_statement(statement)
    else:
        _canonical(statement, languages)
    return orjson.dumps(statement).decode()


def _pick(value: dict[str, str], languages: list[str]) -> dict[str, str]:
    if len(value) <= 1:
        return value
    lowered = {k.lower(): k for k in value}
    for tag in languages:
        if tag in lowered:
            return {lowered[tag]: value[lowered[tag]]}
        for key_lower, key in lowered.items():
            if key_lower.split("-")[0] == tag.split("-")[0]:
                return {key: value[key]}
    first = next(iter(value))
    return {first: value[first]}


def _canonical(node: Any, languages: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _canonical(item, languages)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "extensions":
            continue
        if key in ("display", "name", "description") and isinstance(value, dict):
            node[key] = _pick(value, languages)
        else:
            _canonical(value, languages)


def _ids_agent(agent: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "objectType" in agent:
        out["objectType"] = agent["objectType"]
    for ifi in IFIS:
        if ifi in agent:
            out[ifi] = agent[ifi]
    if agent.get("objectType") == "Group" and not any(i in agent for i in IFIS):
        out["member"] = [_ids_agent(m) for m in agent.get("member") or ()]
    return out


def _ids_activity(activity: dict[str, Any]) -> dict[str, Any]:
    return {"id": activity["id"]}


def _ids_object(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return _ids_activity(obj)
    if kind in ("Agent", "Group"):
        return _ids_agent(obj)
    if kind == "SubStatement":
        return _ids_statement(obj)
    return obj


def _ids_statement(s: dict[str, Any]) -> dict[str, Any]:
    out = dict(s)
    out["actor"] = _ids_agent(s["actor"])
    out["verb"] = {"id": s["verb"]["id"]}
    out["object"] = _ids_object(s["object"])
    if "authority" in s:
        out["authority"] = _ids_agent(s["authority"])
    context = s.get("context")
    if context:
        ctx = dict(context)
        for name in ("instructor", "team"):
            if name in ctx:
                ctx[name] = _ids_agent(ctx[name])
        if "contextActivities" in ctx:
            ctx["contextActivities"] = {
                k: [_ids_activity(a) for a in (v if isinstance(v, list) else [v])]
                for k, v in ctx["contextActivities"].items()
            }
        if "contextAgents" in ctx:
            ctx["contextAgents"] = [
                {**c, "agent": _ids_agent(c["agent"])} for c in ctx["contextAgents"]
            ]
        if "contextGroups" in ctx:
            ctx["contextGroups"] = [
                {**c, "group": _ids_agent(c["group"])} for c in ctx["contextGroups"]
            ]
        out["context"] = ctx
    return out


# -- Activities and Agents resources ---------------------------------------------------------


def _activities_in(statement: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    stack: list[Any] = [statement]
    while stack:
        node = stack.pop()
        obj = node.get("object") or {}
        if obj.get("objectType", "Activity") == "Activity" and "id" in obj:
            found.append(obj)
        elif obj.get("objectType") == "SubStatement":
            stack.append(obj)
        for value in ((node.get("context") or {}).get("contextActivities") or {}).values():
            found.extend(value if isinstance(value, list) else [value])
    return found


def activity_response(req: XRequest) -> HttpResponse:
    assert req.client is not None
    activity_id = req.params.get("activityId")
    if not activity_id:
        raise StatementInvalid("activityId: required")
    check_iri(activity_id, "activityId")
    store = req.client.store
    datas = list(
        Statement.objects.filter(
            store=store, seq__in=_links(store, LinkKind.ACTIVITY, activity_id, direct_only=False)
        )
        .order_by("-seq")
        .values_list("data", flat=True)[:50]
    )
    definition: dict[str, Any] = {}
    for data in reversed(datas):
        for activity in _activities_in(orjson.loads(data)):
            if activity["id"] == activity_id and "definition" in activity:
                for key, value in activity["definition"].items():
                    if isinstance(value, dict) and isinstance(definition.get(key), dict):
                        definition[key] = {**definition[key], **value}
                    else:
                        definition[key] = value
    body: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition:
        body["definition"] = definition
    return HttpResponse(orjson.dumps(body), content_type="application/json")


def person_response(req: XRequest) -> HttpResponse:
    raw = req.params.get("agent")
    if not raw:
        raise StatementInvalid("agent: required")
    agent = parse_agent_param(raw)
    person: dict[str, Any] = {"objectType": "Person"}
    if agent.get("name"):
        person["name"] = [agent["name"]]
    for ifi in IFIS:
        if ifi in agent:
            person[ifi] = [agent[ifi]]
    return HttpResponse(orjson.dumps(person), content_type="application/json")
