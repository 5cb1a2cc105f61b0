"""Where packaged content is served from, and the signed addresses that reach it.

Content runs on an origin of its own (docs/scorm.md): `SCORM_CONTENT_URL`, or on a laptop the
other loopback name (a page on localhost plays content from 127.0.0.1 and the other way round;
browsers keep cookies per host name, so neither sees the other's). Every content, player and
commit address carries a signed token naming what it opens and for which origins it was made:
it works only on that content origin, for a limited time, and cannot be guessed or altered.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

LOOPBACK = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}
# Long enough for a working day in one course without reloading the page.
TOKEN_MAX_AGE = 12 * 60 * 60


def page_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def content_origin_for(request: HttpRequest) -> str | None:
    """The origin content is played from for a page served on this request's host, or None when
    no separate origin is set up (packages do not play then)."""
    configured = str(getattr(settings, "SCORM_CONTENT_URL", "") or "").rstrip("/")
    if configured:
        parts = urlsplit(configured)
        return f"{parts.scheme}://{parts.netloc}"
    host = request.get_host()
    name, _sep, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    other = LOOPBACK.get(name)
    if other is None:
        return None
    return f"{request.scheme}://{other}{':' + port if port else ''}"


def configured_content_host() -> str:
    configured = str(getattr(settings, "SCORM_CONTENT_URL", "") or "")
    return urlsplit(configured).netloc.lower() if configured else ""


def sign(kind: str, payload: dict[str, Any]) -> str:
    return signing.dumps(payload, salt=f"gilde.scorm.{kind}", compress=True)


def unsign(kind: str, token: str, request: HttpRequest) -> dict[str, Any] | None:
    """The token's payload if it is genuine, fresh and used on the origin it was made for."""
    try:
        payload = signing.loads(token, salt=f"gilde.scorm.{kind}", max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    if payload.get("c") != page_origin(request):
        return None
    return payload
