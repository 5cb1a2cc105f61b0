"""The xAPI document resources: State, Activity Profile and Agent Profile.

All three keep opaque documents with an ETag (SHA-1 of the content, quoted). Concurrency follows
the specification: `If-Match` / `If-None-Match` preconditions answer 412 when they fail, and a PUT
without either header to a document that exists answers 409 (for the State resource only from
xAPI 2.0 on; 1.0.3 lets State PUTs overwrite). POST merges JSON objects key by key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from gilde.lrs.models import Document, DocumentKind, Scope
from gilde.lrs.selectors import parse_agent_param
from gilde.lrs.validation import StatementInvalid, agent_key, check_iri, check_timestamp, check_uuid

if TYPE_CHECKING:
    from gilde.lrs.xapi import XRequest


@dataclass(frozen=True)
class Spec:
    kind: str
    id_param: str
    activity: bool
    agent: bool
    registration: bool
    scope: str


STATE = Spec(DocumentKind.STATE, "stateId", True, True, True, Scope.STATE)
ACTIVITY_PROFILE = Spec(
    DocumentKind.ACTIVITY_PROFILE, "profileId", True, False, False, Scope.PROFILE
)
AGENT_PROFILE = Spec(DocumentKind.AGENT_PROFILE, "profileId", False, True, False, Scope.PROFILE)


def _error(req: XRequest, status: int, message: str) -> Any:
    from gilde.lrs.xapi import XapiError

    return XapiError(status, message)


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha1(content).hexdigest() + '"'  # noqa: S324 - an entity tag


def _tags(header: str) -> list[str]:
    return [t.strip().removeprefix("W/").strip('"') for t in header.split(",") if t.strip()]


def _key(req: XRequest, spec: Spec) -> dict[str, str]:
    params = req.params
    allowed = {spec.id_param, "since"}
    key: dict[str, str] = {"activity": "", "agent": "", "registration": ""}
    if spec.activity:
        allowed.add("activityId")
        if not params.get("activityId"):
            raise StatementInvalid("activityId: required")
        key["activity"] = check_iri(params["activityId"], "activityId")
    if spec.agent:
        allowed.add("agent")
        if not params.get("agent"):
            raise StatementInvalid("agent: required")
        agent = parse_agent_param(params["agent"])
        key["agent"] = agent_key(agent) or ""
    if spec.registration:
        allowed.add("registration")
        if "registration" in params:
            key["registration"] = check_uuid(params["registration"], "registration").lower()
    extra = set(params) - allowed
    if extra:
        raise StatementInvalid(f"{sorted(extra)[0]}: unknown parameter")
    return key


def _resource(req: XRequest, spec: Spec) -> HttpResponse:
    assert req.client is not None
    store = req.client.store
    if req.method not in ("GET", "HEAD") or not req.client.scope_set & {
        Scope.ALL,
        Scope.ALL_READ,
        spec.scope,
    }:
        req.require(spec.scope)
    key = _key(req, spec)
    doc_id = req.params.get(spec.id_param)
    base = Document.objects.filter(store=store, kind=spec.kind, **key)
    if req.method in ("GET", "HEAD"):
        if doc_id is None:
            ids = base
            if "since" in req.params:
                ids = ids.filter(updated__gt=check_timestamp(req.params["since"], "since"))
            found = list(ids.order_by("updated", "id").values_list("doc_id", flat=True))
            return HttpResponse(orjson.dumps(found), content_type="application/json")
        if "since" in req.params:
            raise StatementInvalid("since: not allowed with " + spec.id_param)
        doc = base.filter(doc_id=doc_id).first()
        if doc is None:
            raise _error(req, 404, "no such document")
        response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
        response["ETag"] = doc.etag
        response["Last-Modified"] = http_date(doc.updated.timestamp())
        return response
    if "since" in req.params:
        raise StatementInvalid("since: only for GET")
    if req.method == "DELETE":
        with transaction.atomic():
            if doc_id is None:
                if spec.kind != DocumentKind.STATE:
                    raise StatementInvalid(f"{spec.id_param}: required")
                base.delete()
                return HttpResponse(status=204)
            doc = base.select_for_update().filter(doc_id=doc_id).first()
            _preconditions(req, doc, spec, put=False)
            if doc is not None:
                doc.delete()
        return HttpResponse(status=204)
    if req.method not in ("PUT", "POST"):
        raise _error(req, 405, f"{req.method} is not allowed here")
    if doc_id is None:
        raise StatementInvalid(f"{spec.id_param}: required")
    content_type = req.content_type or "application/octet-stream"
    body = req.body
    if content_type == "application/json":
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise StatementInvalid("the document is not valid JSON") from None
    for _ in range(2):
        try:
            with transaction.atomic():
                doc = base.select_for_update().filter(doc_id=doc_id).first()
                _preconditions(req, doc, spec, put=req.method == "PUT")
                if req.method == "POST" and doc is not None:
                    if doc.content_type != "application/json" or content_type != "application/json":
                        raise StatementInvalid(
                            "POST merges JSON documents: both must be application/json"
                        )
                    old = orjson.loads(bytes(doc.content))
                    if not isinstance(old, dict) or not isinstance(parsed, dict):
                        raise StatementInvalid("POST merges JSON objects, not other JSON values")
                    old.update(parsed)
                    body = orjson.dumps(old)
                now = timezone.now()
                if doc is None:
                    Document.objects.create(
                        store=store,
                        kind=spec.kind,
                        doc_id=doc_id,
                        content=body,
                        content_type=content_type,
                        etag=_etag(body),
                        updated=now,
                        **key,
                    )
                else:
                    doc.content = body
                    doc.content_type = content_type
                    doc.etag = _etag(body)
                    doc.updated = now
                    doc.save(update_fields=["content", "content_type", "etag", "updated"])
            return HttpResponse(status=204)
        except IntegrityError:
            continue
    raise _error(req, 409, "the document was changed at the same time; try again")


def _preconditions(req: XRequest, doc: Document | None, spec: Spec, *, put: bool) -> None:
    if_match = req.headers.get("if-match", "")
    if_none = req.headers.get("if-none-match", "")
    if if_match:
        tags = _tags(if_match)
        if doc is None or ("*" not in tags and doc.etag.strip('"') not in tags):
            raise _error(req, 412, "If-Match does not match the document's current ETag")
    if if_none:
        tags = _tags(if_none)
        if doc is not None and ("*" in tags or doc.etag.strip('"') in tags):
            raise _error(req, 412, "If-None-Match: the document exists")
    unconditional = put and not if_match and not if_none
    if unconditional and doc is None and not req.v2 and spec.kind != DocumentKind.STATE:
        # xAPI 1.0.3 asks profile PUTs to say which version they replace, even a new one.
        raise _error(req, 400, "send If-None-Match: * to create a profile document")
    if unconditional and doc is not None and (spec.kind != DocumentKind.STATE or req.v2):
        raise _error(
            req,
            409,
            "the document exists: send If-Match with its ETag (or If-None-Match: *) to "
            "say which version you mean to replace",
        )


def state(req: XRequest) -> HttpResponse:
    return _resource(req, STATE)


def activity_profile(req: XRequest) -> HttpResponse:
    return _resource(req, ACTIVITY_PROFILE)


def agent_profile(req: XRequest) -> HttpResponse:
    return _resource(req, AGENT_PROFILE)
