"""The cmi5 AU's side of Gilde, on the content address: the fetch URL and the xAPI endpoint.

The endpoint is the LRS's own xAPI interface (lrs/xapi.py: CORS, versions, errors, the same
validation and storage) with one difference: the AU authenticates with its session's
credential, and every request is checked against what cmi5 allows that AU (its own learner,
registration, session and activity; the statement rules of cmi5 section 9; LMS.LaunchData is
read-only). What cmi5 forbids is answered with 403.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from gilde.lrs import documents, xapi
from gilde.lrs.selectors import parse_agent_param
from gilde.lrs.services import agent_for, store_for
from gilde.lrs.validation import StatementInvalid, agent_key
from gilde.scorm import cmi5, origins
from gilde.scorm.models import Session

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Authorization",
}


@csrf_exempt
def fetch(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "OPTIONS":
        response = HttpResponse(status=200)
    elif request.method != "POST":
        raise Http404
    else:
        payload = origins.unsign("fetch", token, request)
        session = (
            Session.objects.filter(uuid=str(payload.get("s") or "")).first() if payload else None
        )
        if session is None:
            raise Http404
        response = JsonResponse(cmi5.fetch_credential(session))
    for name, value in CORS.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def _refuse(message: str) -> Any:
    return xapi.XapiError(403, message)


def _same_agent(raw: str, expected: str | None) -> bool:
    return bool(raw) and agent_key(parse_agent_param(raw)) == expected


def _handle(req: xapi.XRequest, resource: str) -> HttpResponse:
    resource = resource.strip("/")
    if resource == "about":
        return xapi.about(req)
    session = cmi5.session_for_credential(req.headers.get("authorization", ""))
    if session is None:
        raise xapi.XapiError(401, "unknown, used up or expired cmi5 credential")
    registration = session.registration
    req.client = cmi5.launcher_client(store_for(**cmi5._store_kwargs(registration)))
    actor = agent_key(agent_for(registration.person))
    au = cmi5._au(registration, int(session.activity_id))
    try:
        if resource == "statements":
            return _statements(req, session, actor)
        if resource == "activities/state":
            if "agent" in req.params and not _same_agent(req.params["agent"], actor):
                raise _refuse("state of another learner")
            if req.params.get("activityId") not in (None, au["lms_id"]):
                raise _refuse("state of another activity")
            registration_param = req.params.get("registration")
            if registration_param and registration_param.lower() != str(registration.uuid):
                raise _refuse("state of another registration")
            if req.method not in ("GET", "HEAD"):
                cmi5.check_launch_data_write(req.params)
            return documents.state(req)
        if resource == "agents/profile":
            if "agent" in req.params and not _same_agent(req.params["agent"], actor):
                raise _refuse("profile of another learner")
            if (
                req.method in ("PUT", "POST")
                and req.params.get("profileId") == "cmi5LearnerPreferences"
                and "agent" in req.params
            ):
                if req.content_type != "application/json":
                    raise _refuse("cmi5LearnerPreferences is application/json (11)")
                cmi5.check_learner_preferences(req.body)
            if (
                req.method in ("GET", "HEAD")
                and req.params.get("profileId") == "cmi5LearnerPreferences"
                and "agent" in req.params
            ):
                cmi5.preferences_read(session)
            return documents.agent_profile(req)
        if resource == "activities/profile":
            if req.method not in ("GET", "HEAD"):
                raise _refuse("activity profiles are read-only for an AU")
            return documents.activity_profile(req)
    except cmi5.Cmi5Refused as refused:
        raise _refuse(str(refused)) from refused
    raise xapi.XapiError(404, "no such resource")


def _statements(req: xapi.XRequest, session: Session, actor: str | None) -> HttpResponse:
    if req.method in ("GET", "HEAD"):
        if not _same_agent(req.params.get("agent", ""), actor):
            raise _refuse("an AU reads only its own learner's statements (agent=...)")
        return xapi.statements(req)
    if req.method not in ("PUT", "POST"):
        raise xapi.XapiError(405, f"{req.method} is not allowed on statements")
    if req.content_type != "application/json":
        raise _refuse("cmi5 statements are sent as application/json")
    try:
        data = orjson.loads(req.body)
    except orjson.JSONDecodeError:
        raise StatementInvalid("the body is not valid JSON") from None
    batch = data if isinstance(data, list) else [data]
    if req.method == "PUT" and isinstance(data, dict) and "id" not in data:
        data["id"] = req.params.get("statementId")
    names: list[str] = []
    seen = list(session.cmi5_verbs)
    initialized = session.initialized_at
    try:
        for statement in batch:
            name = cmi5.check_statement(statement, session, seen)
            if name == "initialized":
                session.initialized_at = session.initialized_at or session.created_at
            if name == "terminated" or name:
                seen.append(name)
            names.append(name)
    except cmi5.Cmi5Refused as refused:
        raise _refuse(str(refused)) from refused
    finally:
        session.initialized_at = initialized
    response = xapi.statements(req)
    if response.status_code in (200, 204):
        cmi5.statements_received(session, batch, names)
    return response


@csrf_exempt
def xapi_view(request: HttpRequest, resource: str) -> HttpResponse:
    view = xapi.endpoint(lambda req: _handle(req, resource), needs_auth=False)
    response: HttpResponse = view(request)
    # AUs are pages in a browser: a Basic challenge would open a log-in dialog and stall them.
    if "WWW-Authenticate" in response:
        del response["WWW-Authenticate"]
    return response
