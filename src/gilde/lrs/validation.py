"""xAPI statement validation (xAPI 1.0.3 and 2.0.0 / IEEE 9274.1.1-2023, Data part).

Statements are checked as plain dicts against strict pydantic models: unknown properties are
refused, nothing is coerced ("true" is not a boolean), and each error names the property path.
`validate_statements` returns the dicts unchanged, so what was sent is what is stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal, NotRequired, Required

from pydantic import (
    AfterValidator,
    ConfigDict,
    Discriminator,
    Tag,
    TypeAdapter,
    ValidationError,
    with_config,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"

# Control characters are no part of an IRI (RFC 3987) nor of an e-mail address; PostgreSQL
# cannot store NUL in the columns these go into.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_MBOX = re.compile(r"^mailto:[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_SHA2 = re.compile(r"^[0-9a-fA-F]{56}$|^[0-9a-fA-F]{64}$|^[0-9a-fA-F]{96}$|^[0-9a-fA-F]{128}$")
_VERSION = re.compile(r"^(1\.0(\.\d+)?|2\.0(\.\d+)?)$")
# RFC 5646 language tags (the regular grammar; grandfathered irregular tags are not accepted).
_LANGTAG = re.compile(
    r"^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+)$"
)
# ISO 8601 date-time, extended or basic format, with an optional offset that is not "-00:00".
_TIMESTAMP = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_NUM = r"(?:\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"^P(?:{_NUM}W|(?=\d|T\d)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?"
    rf"(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?)$"
)
INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)
_COMPONENT_LISTS = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
}


def _fail(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _iri(value: str) -> str:
    if not _IRI.match(value):
        raise _fail("iri", f"must be an absolute IRI (scheme:rest), not {value!r}")
    return value


def _uuid(value: str) -> str:
    if not _UUID.match(value):
        raise _fail("uuid", "must be a UUID")
    return value


def _mbox(value: str) -> str:
    if not _MBOX.match(value):
        raise _fail("mbox", "must be a mailto: IRI of an e-mail address")
    return value


def _sha1(value: str) -> str:
    if not _SHA1.match(value):
        raise _fail("sha1", "must be a hex-encoded SHA-1 hash")
    return value


def _sha2(value: str) -> str:
    if not _SHA2.match(value):
        raise _fail("sha2", "must be a hex-encoded SHA-2 hash")
    return value


def parse_timestamp(value: str) -> dt.datetime | None:
    """An ISO 8601 date-time as an aware datetime (UTC when it has no offset), or None."""
    m = _TIMESTAMP.match(value)
    if not m:
        return None
    year, month, day, hour, minute, second, fraction, offset = m.groups()
    if offset in {"-00", "-0000", "-00:00"}:
        return None
    try:
        tz: dt.tzinfo = dt.UTC
        if offset and offset != "Z":
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
            if hours > 23 or minutes > 59:
                return None
            tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        moment = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz
        )
        # The same moment in UTC, as it is stored and compared: PostgreSQL takes offsets up to
        # 15:59 only, and 0001-01-01T00:00 at +01:00 (before year 1 in UTC) is no moment at all.
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


def _timestamp(value: str) -> str:
    if parse_timestamp(value) is None:
        raise _fail("timestamp", f"must be an ISO 8601 date-time, not {value!r}")
    return value


def _duration(value: str) -> str:
    if not _DURATION.match(value):
        raise _fail("duration", "must be an ISO 8601 duration")
    return value


def _version(value: str) -> str:
    if not _VERSION.match(value):
        raise _fail("version", "must be 1.0.x or 2.0.x")
    return value


def _language_map(value: dict[str, str]) -> dict[str, str]:
    for tag in value:
        if not _LANGTAG.match(tag):
            raise _fail("language", f"{tag!r} is not an RFC 5646 language tag")
    return value


def _extensions(value: dict[str, Any]) -> dict[str, Any]:
    for key in value:
        if not _IRI.match(key):
            raise _fail("extensions", f"extension key {key!r} is not an IRI")
    return value


def _langtag(value: str) -> str:
    if not _LANGTAG.match(value):
        raise _fail("language", "must be an RFC 5646 language tag")
    return value


IRI = Annotated[str, AfterValidator(_iri)]
UUIDStr = Annotated[str, AfterValidator(_uuid)]
LanguageMap = Annotated[dict[str, str], AfterValidator(_language_map)]
Extensions = Annotated[dict[str, Any], AfterValidator(_extensions)]
Timestamp = Annotated[str, AfterValidator(_timestamp)]

_STRICT = ConfigDict(extra="forbid", strict=True)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise _fail("nul", "must not contain NUL characters")
    return value


@with_config(_STRICT)
class AccountTD(TypedDict):
    homePage: IRI
    name: Annotated[str, AfterValidator(_no_nul)]


@with_config(_STRICT)
class _AgentTD(TypedDict, total=False):
    objectType: Literal["Agent"]
    name: str
    mbox: Annotated[str, AfterValidator(_mbox)]
    mbox_sha1sum: Annotated[str, AfterValidator(_sha1)]
    openid: IRI
    account: AccountTD


IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _one_ifi(value: dict[str, Any]) -> dict[str, Any]:
    if sum(1 for k in IFIS if k in value) != 1:
        raise _fail("ifi", "an Agent needs exactly one of mbox, mbox_sha1sum, openid, account")
    return value


AgentTD = Annotated[_AgentTD, AfterValidator(_one_ifi)]


@with_config(_STRICT)
class _GroupTD(TypedDict, total=False):
    objectType: Required[Literal["Group"]]
    name: str
    member: list[AgentTD]
    mbox: Annotated[str, AfterValidator(_mbox)]
    mbox_sha1sum: Annotated[str, AfterValidator(_sha1)]
    openid: IRI
    account: AccountTD


def _group_rule(value: dict[str, Any]) -> dict[str, Any]:
    count = sum(1 for k in IFIS if k in value)
    if count > 1:
        raise _fail("ifi", "a Group has at most one of mbox, mbox_sha1sum, openid, account")
    if count == 0 and not value.get("member"):
        raise _fail("member", "an anonymous Group needs a non-empty member list")
    return value


GroupTD = Annotated[_GroupTD, AfterValidator(_group_rule)]


def _actor_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("objectType", "Agent")
        return kind if kind in ("Agent", "Group") else None
    return None


Actor = Annotated[
    Annotated[AgentTD, Tag("Agent")] | Annotated[GroupTD, Tag("Group")],
    Discriminator(
        _actor_tag,
        custom_error_type="object_type",
        custom_error_message="objectType must be Agent or Group",
    ),
]


@with_config(_STRICT)
class VerbTD(TypedDict, total=False):
    id: Required[IRI]
    display: LanguageMap


@with_config(_STRICT)
class ComponentTD(TypedDict, total=False):
    id: Required[str]
    description: LanguageMap


@with_config(_STRICT)
class _DefinitionTD(TypedDict, total=False):
    name: LanguageMap
    description: LanguageMap
    type: IRI
    moreInfo: IRI
    extensions: Extensions
    interactionType: str
    correctResponsesPattern: list[str]
    choices: list[ComponentTD]
    scale: list[ComponentTD]
    source: list[ComponentTD]
    target: list[ComponentTD]
    steps: list[ComponentTD]


def _definition_rule(value: dict[str, Any]) -> dict[str, Any]:
    kind = value.get("interactionType")
    lists = {k for k in ("choices", "scale", "source", "target", "steps") if k in value}
    if kind is None:
        if lists or "correctResponsesPattern" in value:
            raise _fail("interaction", "interaction properties need an interactionType")
        return value
    if kind not in INTERACTION_TYPES:
        raise _fail("interaction", f"unknown interactionType {kind!r}")
    extra = lists - _COMPONENT_LISTS.get(kind, set())
    if extra:
        raise _fail(
            "interaction",
            "{lists} not allowed for interactionType {kind}".format(
                lists=", ".join(sorted(extra)), kind=kind
            ),
        )
    for name in lists:
        ids = [c["id"] for c in value[name]]
        if len(ids) != len(set(ids)):
            raise _fail("interaction", f"ids in {name} must be unique")
    return value


DefinitionTD = Annotated[_DefinitionTD, AfterValidator(_definition_rule)]


@with_config(_STRICT)
class ActivityTD(TypedDict, total=False):
    objectType: Literal["Activity"]
    id: Required[IRI]
    definition: DefinitionTD


@with_config(_STRICT)
class StatementRefTD(TypedDict):
    objectType: Literal["StatementRef"]
    id: UUIDStr


@with_config(_STRICT)
class _ScoreTD(TypedDict, total=False):
    scaled: float
    raw: float
    min: float
    max: float


def _score_rule(value: dict[str, Any]) -> dict[str, Any]:
    scaled, raw, low, high = (value.get(k) for k in ("scaled", "raw", "min", "max"))
    if scaled is not None and not -1 <= scaled <= 1:
        raise _fail("score", "scaled must be between -1 and 1")
    if low is not None and high is not None and low > high:
        raise _fail("score", "min must not be greater than max")
    if raw is not None and low is not None and raw < low:
        raise _fail("score", "raw must not be less than min")
    if raw is not None and high is not None and raw > high:
        raise _fail("score", "raw must not be greater than max")
    return value


@with_config(_STRICT)
class ResultTD(TypedDict, total=False):
    score: Annotated[_ScoreTD, AfterValidator(_score_rule)]
    success: bool
    completion: bool
    response: str
    duration: Annotated[str, AfterValidator(_duration)]
    extensions: Extensions


def _activities(value: Any) -> Any:
    return value


ActivityList = list[ActivityTD] | ActivityTD


@with_config(_STRICT)
class ContextActivitiesTD(TypedDict, total=False):
    parent: ActivityList
    grouping: ActivityList
    category: ActivityList
    other: ActivityList


@with_config(_STRICT)
class ContextAgentTD(TypedDict, total=False):
    objectType: Required[Literal["contextAgent"]]
    agent: Required[AgentTD]
    relevantTypes: Annotated[list[IRI], AfterValidator(lambda v: _non_empty(v, "relevantTypes"))]


@with_config(_STRICT)
class ContextGroupTD(TypedDict, total=False):
    objectType: Required[Literal["contextGroup"]]
    group: Required[GroupTD]
    relevantTypes: Annotated[list[IRI], AfterValidator(lambda v: _non_empty(v, "relevantTypes"))]


def _non_empty(value: list[Any], name: str) -> list[Any]:
    if not value:
        raise _fail("empty", f"{name} must not be empty")
    return value


@with_config(_STRICT)
class ContextTD(TypedDict, total=False):
    registration: UUIDStr
    instructor: Actor
    team: GroupTD
    contextActivities: ContextActivitiesTD
    contextAgents: list[ContextAgentTD]
    contextGroups: list[ContextGroupTD]
    revision: str
    platform: str
    language: Annotated[str, AfterValidator(_langtag)]
    statement: StatementRefTD
    extensions: Extensions


@with_config(_STRICT)
class AttachmentTD(TypedDict, total=False):
    usageType: Required[IRI]
    display: Required[LanguageMap]
    description: LanguageMap
    contentType: Required[str]
    length: Required[int]
    sha2: Required[Annotated[str, AfterValidator(_sha2)]]
    fileUrl: IRI


def _object_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("objectType", "Activity")
        if kind in ("Activity", "Agent", "Group", "StatementRef", "SubStatement"):
            return str(kind)
    return None


def _object_union(sub: Any) -> Any:
    choices: list[Any] = [
        Annotated[ActivityTD, Tag("Activity")],
        Annotated[AgentTD, Tag("Agent")],
        Annotated[GroupTD, Tag("Group")],
        Annotated[StatementRefTD, Tag("StatementRef")],
    ]
    if sub is not None:
        choices.append(Annotated[sub, Tag("SubStatement")])
    union: Any = choices[0]
    for choice in choices[1:]:
        union = union | choice
    return Annotated[
        union,
        Discriminator(
            _object_tag,
            custom_error_type="object_type",
            custom_error_message=(
                "objectType must be Activity, Agent, Group, StatementRef or SubStatement"
            ),
        ),
    ]


def _context_rule(value: dict[str, Any]) -> dict[str, Any]:
    context = value.get("context")
    if context:
        obj = value.get("object") or {}
        is_activity = obj.get("objectType", "Activity") == "Activity"
        for name in ("revision", "platform"):
            if name in context and not is_activity:
                raise _fail(
                    "context",
                    f"context.{name} is only allowed when the object is an Activity",
                )
    return value


@with_config(_STRICT)
class _SubStatementTD(TypedDict, total=False):
    objectType: Required[Literal["SubStatement"]]
    actor: Required[Actor]
    verb: Required[VerbTD]
    object: Required[_object_union(None)]  # type: ignore[valid-type]
    result: ResultTD
    context: ContextTD
    timestamp: Timestamp
    attachments: list[AttachmentTD]


SubStatementTD = Annotated[_SubStatementTD, AfterValidator(_context_rule)]


@with_config(_STRICT)
class _StatementTD(TypedDict, total=False):
    id: UUIDStr
    actor: Required[Actor]
    verb: Required[VerbTD]
    object: Required[_object_union(SubStatementTD)]  # type: ignore[valid-type]
    result: ResultTD
    context: ContextTD
    timestamp: Timestamp
    stored: Timestamp
    authority: Actor
    version: Annotated[str, AfterValidator(_version)]
    attachments: list[AttachmentTD]
    objectType: NotRequired[Any]


def _statement_rule(value: dict[str, Any]) -> dict[str, Any]:
    if "objectType" in value:
        raise _fail("extra_forbidden", "a Statement has no objectType")
    _context_rule(value)
    if value["verb"]["id"] == VOIDED:
        obj = value["object"]
        if obj.get("objectType") != "StatementRef":
            raise _fail("voiding", "a voiding statement's object must be a StatementRef")
    authority = value.get("authority")
    if authority and authority.get("objectType") == "Group":
        members = authority.get("member") or []
        if len(members) != 2 or any(k in authority for k in IFIS):
            raise _fail("authority", "a Group authority must be an anonymous group of two agents")
    return value


StatementTD = Annotated[_StatementTD, AfterValidator(_statement_rule)]

_ONE: TypeAdapter[Any] = TypeAdapter(StatementTD)
_MANY: TypeAdapter[Any] = TypeAdapter(list[StatementTD])
_AGENT: TypeAdapter[Any] = TypeAdapter(Actor)
_AGENT_ONLY: TypeAdapter[Any] = TypeAdapter(AgentTD)


class StatementInvalid(ValueError):
    """A statement or parameter the xAPI specification does not allow; str() names the problem."""


def _message(error: ValidationError, prefix: str = "") -> str:
    parts = []
    for item in error.errors()[:5]:
        loc = ".".join(str(p) for p in item["loc"] if not _is_tag(p))
        where = f"{prefix}{loc}" if loc else (prefix.rstrip(".") or "statement")
        msg = item["msg"]
        if item["type"] == "extra_forbidden":
            msg = "unknown property"
        elif item["type"] == "missing":
            msg = "required property is missing"
        parts.append(f"{where}: {msg}")
    return "; ".join(parts)


_TAGS = {
    "Activity",
    "Agent",
    "Group",
    "StatementRef",
    "SubStatement",
    "function-after[_one_ifi(), _AgentTD]",
    "function-after[_group_rule(), _GroupTD]",
    "function-after[_definition_rule(), _DefinitionTD]",
    "function-after[_statement_rule(), _StatementTD]",
    "function-after[_context_rule(), _SubStatementTD]",
    "function-after[_score_rule(), _ScoreTD]",
    "list[function-after[_one_ifi(), _AgentTD]]",
}


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and (part in _TAGS or part.startswith(("function-", "list[")))


def validate_statements(payload: Any) -> list[dict[str, Any]]:
    """Check a statement or a list of statements; return them as a list, or raise."""
    try:
        if isinstance(payload, list):
            if not payload:
                raise StatementInvalid("the statement list is empty")
            _MANY.validate_python(payload)
            return payload
        if isinstance(payload, dict):
            _ONE.validate_python(payload)
            return [payload]
    except ValidationError as error:
        raise StatementInvalid(_message(error)) from None
    raise StatementInvalid("the body must be a statement object or a list of statements")


def validate_agent(value: Any, *, group: bool = True) -> dict[str, Any]:
    """Check an `agent` parameter (an Agent, or an identified Group when `group`)."""
    adapter = _AGENT if group else _AGENT_ONLY
    try:
        agent: dict[str, Any] = adapter.validate_python(value)
    except ValidationError as error:
        raise StatementInvalid(_message(error, "agent.")) from None
    if not any(k in agent for k in IFIS):
        raise StatementInvalid("agent: must be identified (mbox, mbox_sha1sum, openid, account)")
    return agent


def check(kind: Callable[[str], str], value: str, name: str) -> str:
    """Apply one of the scalar checks above to a request parameter."""
    try:
        return kind(value)
    except PydanticCustomError as error:
        raise StatementInvalid(f"{name}: {error.message()}") from None


def check_iri(value: str, name: str) -> str:
    return check(_iri, value, name)


def check_uuid(value: str, name: str) -> str:
    return check(_uuid, value, name)


def check_timestamp(value: str, name: str) -> dt.datetime:
    parsed = parse_timestamp(value)
    if parsed is None:
        raise StatementInvalid(f"{name}: must be an ISO 8601 date-time")
    return parsed


def agent_key(agent: dict[str, Any]) -> str | None:
    """The identity an Agent or identified Group is matched by (its inverse functional id)."""
    if "mbox" in agent:
        return "mbox:" + agent["mbox"]
    if "mbox_sha1sum" in agent:
        return "sha1:" + agent["mbox_sha1sum"].lower()
    if "openid" in agent:
        return "openid:" + agent["openid"]
    account = agent.get("account")
    if account:
        return "account:" + account["homePage"] + "|" + account["name"]
    return None
