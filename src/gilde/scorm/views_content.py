"""What the content address serves (see origins.py and docs/scorm.md): package files, the
player that holds the SCORM runtime next to the SCO, and the player's commits.

These views run without sessions, cookies or CSRF tokens (the content address has none): each
address carries a signed token that names what it opens and for which origin it was made. The
commit endpoint is therefore CSRF-safe by construction: nothing a browser sends on its own
(cookies) authorises it, only the token in the address the player was given.
"""

from __future__ import annotations

import mimetypes
import posixpath
from typing import Any

import orjson
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from gilde.scorm import origins, services
from gilde.scorm.models import PackageVersion, Session, Standard

# The SCORM runtime scripts, as npm installs them (package.json).
RUNTIME = {
    Standard.SCORM12: "vendor/scorm-again/scorm12.min.js",
    Standard.SCORM2004: "vendor/scorm-again/scorm2004.min.js",
}


def content_token(version: PackageVersion, content_origin: str, page_origin: str) -> str:
    return origins.sign("content", {"v": str(version.uuid), "c": content_origin, "p": page_origin})


def content_url(version: PackageVersion, content_origin: str, page_origin: str, href: str) -> str:
    token = content_token(version, content_origin, page_origin)
    return content_origin + reverse("scorm:content", args=[token, "x"])[:-1] + href


def _frame_policy(*ancestors: str) -> str:
    return "frame-ancestors " + " ".join(dict.fromkeys(a for a in ancestors if a))


def content(request: HttpRequest, token: str, file_path: str) -> HttpResponseBase:
    payload = origins.unsign("content", token, request)
    if payload is None or request.method not in ("GET", "HEAD"):
        raise Http404
    clean = posixpath.normpath(file_path)
    if clean.startswith(("../", "/")) or clean in (".", ".."):
        raise Http404
    name = f"scorm/{payload['v']}/{clean}"
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    content_type, encoding = mimetypes.guess_type(clean)
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    # Content may be framed by the player (same origin) and by Gilde's page (a cmi5 AU).
    response["Content-Security-Policy"] = _frame_policy("'self'", payload.get("p", ""))
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _session_of(request: HttpRequest, token: str) -> tuple[Session, dict[str, Any]]:
    payload = origins.unsign("player", token, request)
    if payload is None:
        raise Http404
    session = (
        Session.objects.filter(uuid=str(payload.get("s") or ""))
        .select_related("registration", "registration__version", "registration__person", "attempt")
        .first()
    )
    if session is None or session.attempt_id is None:
        raise Http404
    return session, payload


def player(request: HttpRequest, token: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        raise Http404
    session, payload = _session_of(request, token)
    version = session.registration.version
    page_origin = payload.get("p", "")
    try:
        data = services.launch_data(session)
    except services.PackageError:
        raise Http404 from None
    data["content_url"] = content_url(
        version, origins.page_origin(request), page_origin, data.pop("href")
    )
    data["commit_url"] = reverse("scorm:commit", args=[token])
    data["page_origin"] = page_origin
    data["ended"] = session.ended_at is not None
    response = render(
        request,
        "scorm/player.html",
        {
            "data": data,
            "runtime": page_origin + static(RUNTIME[Standard(version.standard)]),
            "player_js": page_origin + static("gilde/scorm-player.js"),
            "player_css": page_origin + static("gilde/scorm-player.css"),
            "title": data["title"],
        },
    )
    response["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'none'",
            f"script-src {page_origin}",
            f"style-src {page_origin}",
            "frame-src 'self'",
            "connect-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
            _frame_policy(page_origin),
        ]
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _result(ok: bool, code: int = 0, **extra: Any) -> JsonResponse:
    return JsonResponse({"result": "true" if ok else "false", "errorCode": code, **extra})


@csrf_exempt
def commit(request: HttpRequest, token: str) -> HttpResponse:
    """The player's commits: {"seq": n, "terminate": bool, "nav": "...", "cmi": {...}}.
    Idempotent and in order: a sequence number that is not newer than the stored one is
    answered with success and changes nothing."""
    if request.method != "POST":
        raise Http404
    session, _payload = _session_of(request, token)
    try:
        body = orjson.loads(request.body[: services.MAX_CMI_BYTES + 4096])
    except orjson.JSONDecodeError:
        return _result(False, 101, errorMessage="the body is not JSON")
    if not isinstance(body, dict):
        return _result(False, 101, errorMessage="the body is not a JSON object")
    try:
        seq = int(body.get("seq", 0))
    except (TypeError, ValueError):
        seq = 0
    if seq < 1:
        return _result(False, 101, errorMessage="seq must be a positive number")
    cmi = body.get("cmi")
    if isinstance(cmi, dict) and isinstance(cmi.get("cmi"), dict):
        cmi = cmi["cmi"]
    try:
        result = services.attempt_commit(
            session=session,
            seq=seq,
            cmi=cmi,
            terminate=bool(body.get("terminate")),
            nav_request=str(body.get("nav") or "")[:300],
        )
    except services.PackageError as error:
        return _result(False, 101, errorMessage=str(error))
    return _result(True, 0, stored=result.stored, next=result.next_request, target=result.target)
