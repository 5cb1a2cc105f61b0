"""The xAPI HTTP interface (xAPI 1.0.3 and 2.0.0, Communication part) under /xapi/.

One dispatcher (`endpoint`) does what every resource shares — CORS, the alternate request syntax of
1.0.3, the version header, HTTP Basic authentication against LRS clients, error responses and the
consistency headers — and hands a parsed `XRequest` to the resource function.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.parser
import email.policy
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from gilde.lrs import documents, selectors
from gilde.lrs.models import Client, Scope
from gilde.lrs.services import Conflict, client_for_credentials, store_statements
from gilde.lrs.validation import StatementInvalid, check_uuid

MAX_BODY = int(getattr(settings, "LRS_MAX_BODY", 16 * 1024 * 1024))
VERSIONS_1 = {"1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3"}
VERSIONS_2 = {"2.0", "2.0.0"}
_ALT_HEADERS = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "content-length": "CONTENT_LENGTH",
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
}
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "HEAD, GET, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Content-Type, Content-Length, Authorization, X-Experience-API-Version, If-Match, "
        "If-None-Match, Accept-Language"
    ),
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Content-Type, X-Experience-API-Version, "
        "X-Experience-API-Consistent-Through"
    ),
}


class XapiError(Exception):
    def __init__(self, status: int, message: str, version: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.version = version


@dataclass
class XRequest:
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    content_type: str
    version: str
    client: Client | None
    full_params: dict[str, str] = field(default_factory=dict)

    @property
    def v2(self) -> bool:
        return self.version.startswith("2")

    def require(self, *scopes: str) -> None:
        assert self.client is not None
        have = self.client.scope_set
        if Scope.ALL in have:
            return
        if self.method in ("GET", "HEAD") and Scope.ALL_READ in have:
            return
        if not have.intersection(scopes):
            raise XapiError(403, "this client's scope does not allow this request")


def _json(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json")


def _error(status: int, message: str) -> HttpResponse:
    return _json({"error": {"code": status, "message": message}}, status)


def _read_body(request: HttpRequest) -> bytes:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise XapiError(400, "Content-Length is not a number") from None
    if length > MAX_BODY:
        raise XapiError(413, f"the request body is larger than {MAX_BODY} bytes")
    if length == 0:
        return b""
    return request.read(length)


def _authenticate(header: str) -> Client:
    if not header.startswith("Basic "):
        raise XapiError(401, "HTTP Basic authentication is required")
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise XapiError(401, "the Authorization header is malformed") from None
    key, sep, secret = decoded.partition(":")
    if not sep:
        raise XapiError(401, "the Authorization header is malformed")
    client = client_for_credentials(key, secret)
    if client is None:
        raise XapiError(401, "unknown key or wrong secret")
    return client


def _cors(response: HttpResponse) -> HttpResponse:
    for name, value in _CORS.items():
        response[name] = value
    return response


Handler = Callable[[XRequest], HttpResponse]


def endpoint(handler: Handler, *, needs_auth: bool = True, needs_version: bool = True) -> Any:
    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        if request.method == "OPTIONS":
            return _cors(HttpResponse(status=200))
        version = "2.0.0"
        try:
            xreq = _parse(request, needs_auth=needs_auth, needs_version=needs_version)
            version = xreq.version
            response = handler(xreq)
            if request.method == "HEAD":
                response.content = b""
        except XapiError as error:
            response = _error(error.status, str(error))
            version = error.version or version
            if error.status == 401:
                response["WWW-Authenticate"] = 'Basic realm="xAPI"'
        except StatementInvalid as error:
            response = _error(400, str(error))
        except Conflict as error:
            response = _error(409, str(error))
        now = timezone.now()
        response["X-Experience-API-Version"] = "2.0.0" if version.startswith("2") else "1.0.3"
        response["X-Experience-API-Consistent-Through"] = now.isoformat(
            timespec="milliseconds"
        ).replace("+00:00", "Z")
        response["Date"] = http_date(now.timestamp())
        response["Cache-Control"] = "no-store"
        return _cors(response)

    return view


def _parse(request: HttpRequest, *, needs_auth: bool, needs_version: bool) -> XRequest:
    method = (request.method or "GET").upper()
    query = dict(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
    headers = {
        "authorization": request.META.get("HTTP_AUTHORIZATION", ""),
        "x-experience-api-version": request.META.get("HTTP_X_EXPERIENCE_API_VERSION", ""),
        "content-type": request.META.get("CONTENT_TYPE", ""),
        "if-match": request.META.get("HTTP_IF_MATCH", ""),
        "if-none-match": request.META.get("HTTP_IF_NONE_MATCH", ""),
        "accept-language": request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
    }
    body = _read_body(request) if method in ("POST", "PUT", "DELETE") else b""
    params = query
    if "method" in query:
        version = headers["x-experience-api-version"]
        if method != "POST":
            raise XapiError(400, "the alternate request syntax must be sent as POST")
        if version.strip() in VERSIONS_2:
            raise XapiError(400, "xAPI 2.0 has no alternate request syntax")
        if len(query) > 1:
            raise XapiError(400, "with the alternate request syntax, only 'method' is in the URL")
        if not headers["content-type"].startswith("application/x-www-form-urlencoded"):
            raise XapiError(400, "the alternate request syntax needs a form-encoded body")
        method = query["method"].upper()
        if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
            raise XapiError(400, "unknown method in the alternate request syntax")
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        params = {}
        content_type = ""
        for name, value in form.items():
            lower = name.lower()
            if lower in _ALT_HEADERS:
                if lower == "content-type":
                    content_type = value
                if lower != "content-length":
                    headers[lower] = value
            elif name == "content":
                continue
            else:
                params[name] = value
        if method in ("PUT", "POST") and "content" not in form:
            raise XapiError(400, "the alternate request syntax needs a 'content' form field")
        body = form.get("content", "").encode()
        headers["content-type"] = content_type or "application/json"
        if headers["x-experience-api-version"].strip() in VERSIONS_2:
            raise XapiError(400, "xAPI 2.0 has no alternate request syntax")
    if any("\x00" in name or "\x00" in value for name, value in params.items()):
        raise XapiError(400, "parameters must not contain NUL characters")
    version = headers["x-experience-api-version"].strip()
    if not version:
        if needs_version:
            reported = None
            if headers["authorization"]:
                try:
                    reported = _authenticate(headers["authorization"]).xapi_version
                except XapiError:
                    reported = None
            raise XapiError(400, "the X-Experience-API-Version header is missing", reported)
        version = "2.0.0"
    elif version not in VERSIONS_1 and version not in VERSIONS_2:
        raise XapiError(400, f"xAPI version {version} is not supported (1.0.x or 2.0.0)")
    client = None
    if needs_auth:
        client = _authenticate(headers["authorization"])
    return XRequest(
        method=method,
        params=params,
        headers=headers,
        body=body,
        content_type=headers["content-type"].split(";")[0].strip().lower(),
        version=version,
        client=client,
        full_params=params,
    )


# -- Statements ------------------------------------------------------------------------------


def _decode_json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise StatementInvalid(f"the body is not valid JSON ({error})") from None


def _payload(part: Any) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _split_multipart(req: XRequest) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    raw_type = req.headers["content-type"]
    if "boundary=" not in raw_type:
        raise StatementInvalid("multipart/mixed needs a boundary")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + raw_type.encode("latin-1") + b"\r\n\r\n" + req.body
    )
    if not message.is_multipart():
        raise StatementInvalid("the multipart body could not be read")
    parts = list(message.iter_parts())
    if not parts:
        raise StatementInvalid("the multipart body has no parts")
    first = parts[0]
    if first.get_content_type() != "application/json":
        raise StatementInvalid("the first part of a multipart request must be application/json")
    statements = _decode_json(_payload(first))
    attachments: dict[str, tuple[str, bytes]] = {}
    for part in parts[1:]:
        sha2 = part.get("X-Experience-API-Hash")
        if not sha2:
            raise StatementInvalid("an attachment part has no X-Experience-API-Hash header")
        encoding = (part.get("Content-Transfer-Encoding") or "").strip().lower()
        if encoding != "binary":
            raise StatementInvalid("attachment parts need Content-Transfer-Encoding: binary")
        payload = _payload(part)
        attachments[str(sha2).strip()] = (part.get_content_type(), payload)
    declared = set()
    for s in statements if isinstance(statements, list) else [statements]:
        if isinstance(s, dict):
            for a in s.get("attachments") or ():
                if isinstance(a, dict) and "sha2" in a:
                    declared.add(a["sha2"])
    extra = set(attachments) - declared
    if extra:
        raise StatementInvalid(f"attachment part {sorted(extra)[0]} is not in any statement")
    import hashlib

    for sha2, (_ctype, content) in attachments.items():
        wanted = sha2.lower()
        if wanted not in (hashlib.sha256(content).hexdigest(), hashlib.sha512(content).hexdigest()):
            raise StatementInvalid(f"attachment {sha2}: content does not match its hash")
    return statements, attachments


def _statement_body(req: XRequest) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    if req.content_type == "multipart/mixed":
        return _split_multipart(req)
    if req.content_type != "application/json":
        raise StatementInvalid("Content-Type must be application/json or multipart/mixed")
    return _decode_json(req.body), {}


def statements(req: XRequest) -> HttpResponse:
    assert req.client is not None
    store = req.client.store
    stored_version = "2.0.0" if req.v2 else "1.0.0"
    if req.method == "PUT":
        req.require(Scope.STATEMENTS_WRITE)
        sid = req.params.get("statementId")
        if not sid:
            raise StatementInvalid("statementId: a PUT needs a statementId parameter")
        extra = set(req.params) - {"statementId"}
        if extra:
            raise StatementInvalid(f"{sorted(extra)[0]}: unknown parameter")
        check_uuid(sid, "statementId")
        data, attachments = _statement_body(req)
        if isinstance(data, list):
            raise StatementInvalid("a PUT takes one statement, not a list")
        store_statements(
            store=store,
            statements=data,
            client=req.client,
            version=stored_version,
            statement_id=sid,
            attachments=attachments,
        )
        return HttpResponse(status=204)
    if req.method == "POST":
        req.require(Scope.STATEMENTS_WRITE)
        if req.params:
            raise StatementInvalid(f"{sorted(req.params)[0]}: unknown parameter")
        data, attachments = _statement_body(req)
        written = store_statements(
            store=store,
            statements=data,
            client=req.client,
            version=stored_version,
            attachments=attachments,
        )
        return _json(written.ids)
    if req.method in ("GET", "HEAD"):
        req.require(Scope.STATEMENTS_READ, Scope.STATEMENTS_READ_MINE)
        return selectors.statements_response(req)
    raise XapiError(405, f"{req.method} is not allowed on statements")


def about(req: XRequest) -> HttpResponse:
    if req.method not in ("GET", "HEAD"):
        raise XapiError(405, f"{req.method} is not allowed on about")
    return _json({"version": ["1.0.3", "2.0.0"], "extensions": {}})


def activities(req: XRequest) -> HttpResponse:
    if req.method not in ("GET", "HEAD"):
        raise XapiError(405, f"{req.method} is not allowed on activities")
    return selectors.activity_response(req)


def agents(req: XRequest) -> HttpResponse:
    if req.method not in ("GET", "HEAD"):
        raise XapiError(405, f"{req.method} is not allowed on agents")
    return selectors.person_response(req)


def more_url(params: dict[str, str], after: int) -> str:
    query = {k: v for k, v in params.items() if k != "after"}
    query["after"] = str(after)
    return "/xapi/statements?" + urlencode(query)


def last_modified(moment: dt.datetime) -> str:
    return http_date(moment.timestamp())


statements_view = endpoint(statements)
state_view = endpoint(documents.state)
activity_profile_view = endpoint(documents.activity_profile)
agent_profile_view = endpoint(documents.agent_profile)
activities_view = endpoint(activities)
agents_view = endpoint(agents)
about_view = endpoint(about, needs_auth=False, needs_version=False)


@cache
def _openapi_document() -> bytes:
    return (Path(__file__).parent / "openapi.json").read_bytes()


@require_safe
def openapi_view(request: HttpRequest) -> HttpResponse:
    """The OpenAPI description of the resources above (a static file: openapi.json beside this
    module), public like `about`: it describes the interface, never anyone's data."""
    response = HttpResponse(_openapi_document(), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
