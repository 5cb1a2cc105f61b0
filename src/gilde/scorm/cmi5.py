"""cmi5 (the xAPI profile for launched content): launching an AU, its credential, the statements
it may send, moveOn, and the LMS's own statements.

A launch (cmi5 section 8) gives the AU a URL with `endpoint`, `fetch`, `actor`, `registration`
and `activityId`. The fetch URL hands out a credential once; the AU then talks xAPI to Gilde's
cmi5 endpoint (views_cmi5.py), which checks every statement against the cmi5 rules (section 9:
the order initialized … terminated, one completed and one passed per registration, results
that match the verb and the mastery score, the session and registration of the launch), stores
what passes in the built-in LRS and answers 403 to what does not. The LMS writes `launched`,
`satisfied` (block and course, when moveOn is met), `abandoned` and `waived` itself.

State per registration (`Registration.state`): {"aus": {"<index>": {"completed": bool,
"passed": bool, "failed": bool, "satisfied": bool, "waived": bool, "score": float}},
"blocks": [indexes satisfied], "course": bool}.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.learning.models import Enrolment, EnrolmentStatus
from gilde.lrs.services import agent_for, record_statements, store_for
from gilde.scorm import origins
from gilde.scorm.cmi5_manifest import iter_aus, iter_blocks
from gilde.scorm.models import LaunchMode, Package, Registration, Session
from gilde.scorm.services import (
    PackageError,
    _complete_if_done,
    _lock_registration,
    registration_for,
)

CMI5 = "https://w3id.org/xapi/cmi5/"
CATEGORY = CMI5 + "context/categories/cmi5"
MOVEON = CMI5 + "context/categories/moveon"
EXT = CMI5 + "context/extensions/"
SESSION_EXT = EXT + "sessionid"
MASTERY_EXT = EXT + "masteryscore"
ADL = "http://adlnet.gov/expapi/verbs/"
ADL_W3ID = "https://w3id.org/xapi/adl/verbs/"
VERBS = {
    "launched": ADL + "launched",
    "initialized": ADL + "initialized",
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "terminated": ADL + "terminated",
    "abandoned": ADL_W3ID + "abandoned",
    "waived": ADL_W3ID + "waived",
    "satisfied": ADL_W3ID + "satisfied",
}
AU_VERBS = {VERBS[v]: v for v in ("initialized", "completed", "passed", "failed", "terminated")}
LMS_VERBS = {VERBS[v] for v in ("launched", "abandoned", "waived", "satisfied")}
VOIDED = ADL + "voided"
SESSION_HOURS = 12


class Cmi5Refused(Exception):
    """A statement or request the cmi5 rules forbid (answered with 403)."""


# --- helpers ------------------------------------------------------------------------------------


def _now_iso() -> str:
    return timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _store_kwargs(registration: Registration) -> dict[str, Any]:
    """The LRS store the registration's statements live in: the learner's organisation's (as
    for every learning record, see learning/records.py), or the item's owner's."""
    enrolment = registration.enrolment
    if enrolment.organisation_id is not None:
        return {"organisation": enrolment.organisation}
    item = enrolment.item
    if item.network_id is not None:
        return {"network": item.network}
    return {"organisation": item.organisation}


def _au(registration: Registration, index: int) -> dict[str, Any]:
    aus = iter_aus(registration.version.structure.get("children", []))
    if not 0 <= index < len(aus):
        raise PackageError(_("That part of the course does not exist."))
    return aus[index]


def _course(registration: Registration) -> dict[str, Any]:
    return dict(registration.version.structure["course"])


def _record(registration: Registration, statements: list[dict[str, Any]]) -> None:
    record_statements(
        statements=statements, person=registration.person, **_store_kwargs(registration)
    )


def _lms_statement(
    registration: Registration,
    session: Session | None,
    verb: str,
    obj: dict[str, Any],
    *,
    grouping: list[str] = (),  # type: ignore[assignment]
    result: dict[str, Any] | None = None,
    extensions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "registration": str(registration.uuid),
        "contextActivities": {"category": [{"id": CATEGORY}]},
        "extensions": {
            **({SESSION_EXT: str(session.uuid)} if session else {}),
            **(extensions or {}),
        },
    }
    if grouping:
        context["contextActivities"]["grouping"] = [{"id": g} for g in grouping]
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": agent_for(registration.person),
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": obj,
        "context": context,
        "timestamp": _now_iso(),
    }
    if result:
        statement["result"] = result
    return statement


def _activity(lms_id: str, kind: str, title: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": lms_id,
        "definition": {
            "type": CMI5 + "activitytype/" + kind,
            "name": {"und": title},
        },
    }


# --- moveOn and satisfaction ------------------------------------------------------------------


def _au_state(state: dict[str, Any], index: int) -> dict[str, Any]:
    return state.setdefault("aus", {}).setdefault(str(index), {})


def move_on_met(au: dict[str, Any], own: dict[str, Any]) -> bool:
    rule = au.get("move_on") or "NotApplicable"
    if own.get("waived"):
        return True
    completed, passed = bool(own.get("completed")), bool(own.get("passed"))
    return {
        "Passed": passed,
        "Completed": completed,
        "CompletedAndPassed": completed and passed,
        "CompletedOrPassed": completed or passed,
        "NotApplicable": True,
    }.get(rule, False)


def _satisfaction(registration: Registration, session: Session | None) -> list[dict[str, Any]]:
    """Mark AUs whose moveOn is met and return the `satisfied` statements for blocks and the
    course that became satisfied (blocks innermost first, then the course)."""
    state = registration.state
    structure = registration.version.structure
    for au in iter_aus(structure.get("children", [])):
        own = _au_state(state, au["index"])
        if not own.get("satisfied") and move_on_met(au, own):
            own["satisfied"] = True
    statements = []
    done_blocks = set(state.setdefault("blocks", []))

    def block_satisfied(block: dict[str, Any]) -> bool:
        for child in block["children"]:
            if child["type"] == "au":
                if not _au_state(state, child["index"]).get("satisfied"):
                    return False
            elif not block_satisfied(child):
                return False
        return True

    for block in reversed(iter_blocks(structure.get("children", []))):
        if block["index"] in done_blocks or not block_satisfied(block):
            continue
        done_blocks.add(block["index"])
        statements.append(
            _lms_statement(
                registration,
                session,
                "satisfied",
                _activity(block["lms_id"], "block", block["title"]),
                grouping=[block["id"]],
            )
        )
    state["blocks"] = sorted(done_blocks)
    course_done = all(
        _au_state(state, au["index"]).get("satisfied")
        for au in iter_aus(structure.get("children", []))
    )
    if course_done and not state.get("course"):
        state["course"] = True
        course = _course(registration)
        statements.append(
            _lms_statement(
                registration,
                session,
                "satisfied",
                _activity(course["lms_id"], "course", course["title"]),
                grouping=[course["id"]],
            )
        )
    _status(registration)
    return statements


def _status(registration: Registration) -> None:
    state = registration.state
    structure = registration.version.structure
    aus = iter_aus(structure.get("children", []))
    if state.get("course"):
        registration.completion_status = "completed"
        registration.completed_at = registration.completed_at or timezone.now()
    elif any(state.get("aus", {}).get(str(a["index"])) for a in aus):
        registration.completion_status = "incomplete"
    if any(state.get("aus", {}).get(str(a["index"]), {}).get("passed") for a in aus):
        registration.success_status = "passed"
    scores = [
        s
        for a in aus
        if (s := state.get("aus", {}).get(str(a["index"]), {}).get("score")) is not None
    ]
    registration.score_scaled = (
        Decimal(str(round(sum(scores) / len(scores), 4))) if scores else None
    )


def _save(registration: Registration) -> None:
    registration.updated_at = timezone.now()
    registration.save(
        update_fields=[
            "state",
            "completion_status",
            "success_status",
            "score_scaled",
            "completed_at",
            "updated_at",
            "total_seconds",
        ]
    )
    aus = iter_aus(registration.version.structure.get("children", []))
    done = sum(1 for a in aus if _au_state(registration.state, a["index"]).get("satisfied"))
    percent = round(100 * done / len(aus)) if aus else 0
    Enrolment.objects.filter(pk=registration.enrolment_id, status=EnrolmentStatus.ACTIVE).update(
        progress_percent=min(percent, 100), last_activity_at=timezone.now()
    )
    if registration.state.get("course"):
        _complete_if_done(registration)


# --- launching ----------------------------------------------------------------------------------


def _content_launch_url(
    registration: Registration, au: dict[str, Any], content_origin: str, page_origin: str
) -> str:
    url = au["url"]
    if urlsplit(url).scheme:
        return url
    from gilde.scorm.views_content import content_url

    return content_url(registration.version, content_origin, page_origin, url)


def _with_params(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def au_launch(
    *,
    actor: Any,
    enrolment: Enrolment,
    package: Package,
    au_index: int | None,
    page_origin: str,
    content_origin: str,
    launch_mode: str = LaunchMode.NORMAL,
    registration: Registration | None = None,
) -> Session:
    """Launch an AU for the learner (the first not yet satisfied when no index is given)."""
    if actor is not None and enrolment.person_id != getattr(actor, "pk", None):
        raise PackageError(_("Only the learner plays a package."))
    with transaction.atomic():
        fresh = (
            registration is None
            and not Registration.objects.filter(
                enrolment=enrolment, version__package=package
            ).exists()
        )
        registration = _lock_registration(registration or registration_for(enrolment, package))
        structure = registration.version.structure
        aus = iter_aus(structure.get("children", []))
        if au_index is None:
            au_index = next(
                (
                    a["index"]
                    for a in aus
                    if not _au_state(registration.state, a["index"]).get("satisfied")
                ),
                0,
            )
        au = _au(registration, au_index)
        now = timezone.now()
        session = Session(
            registration=registration,
            activity_id=str(au_index),
            launch_mode=launch_mode,
            page_origin=page_origin,
            content_origin=content_origin,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
        statements: list[dict[str, Any]] = []
        # A session still open is abandoned when the learner launches again.
        for old in Session.objects.filter(
            registration=registration, terminated_at__isnull=True, abandoned_at__isnull=True
        ).select_for_update():
            statements.append(_abandoned(registration, old, now))
        if fresh or not registration.state.get("started"):
            registration.state["started"] = True
            statements += _satisfaction(registration, session)
        base = _content_launch_url(registration, au, content_origin, page_origin)
        session.launch_url = base
        session.save()
        fetch_token = origins.sign("fetch", {"s": str(session.uuid), "c": content_origin})
        endpoint = content_origin + reverse("scorm:cmi5-xapi", args=[""])
        params = {
            "endpoint": endpoint,
            "fetch": content_origin + reverse("scorm:cmi5-fetch", args=[fetch_token]),
            "actor": orjson.dumps(agent_for(registration.person)).decode(),
            "registration": str(registration.uuid),
            "activityId": au["lms_id"],
        }
        session.launch_url = _with_params(base, params)
        session.save(update_fields=["launch_url"])
        _write_launch_data(registration, session, au, page_origin)
        extensions = {
            SESSION_EXT: str(session.uuid),
            EXT + "launchmode": launch_mode,
            EXT + "launchurl": base,
            EXT + "moveon": au["move_on"],
            EXT + "launchparameters": au.get("launch_parameters", ""),
        }
        if au.get("mastery_score") is not None:
            extensions[MASTERY_EXT] = au["mastery_score"]
        statements.append(
            _lms_statement(
                registration,
                session,
                "launched",
                _activity(au["lms_id"], "au", au["title"]),
                grouping=[au["id"]],
                extensions=extensions,
            )
        )
        _record(registration, statements)
        _save(registration)
    return session


def _write_launch_data(
    registration: Registration, session: Session, au: dict[str, Any], page_origin: str
) -> None:
    """The LMS.LaunchData state document (cmi5 section 10), written before the AU runs."""
    from gilde.lrs import documents
    from gilde.lrs.xapi import XRequest

    item = registration.version.package.item
    data: dict[str, Any] = {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"id": au["id"]}]},
            "extensions": {SESSION_EXT: str(session.uuid)},
        },
        "launchMode": session.launch_mode,
        "launchMethod": au.get("launch_method", "AnyWindow"),
        "moveOn": au["move_on"],
        "launchParameters": au.get("launch_parameters", ""),
        "returnURL": page_origin + reverse("scorm:package", args=[item.uuid]),
    }
    if au.get("mastery_score") is not None:
        data["masteryScore"] = au["mastery_score"]
        # Passed and failed statements must carry it (9.6.3.2): the template brings it along.
        data["contextTemplate"]["extensions"][MASTERY_EXT] = au["mastery_score"]
    if au.get("entitlement_key"):
        data["entitlementKey"] = {"courseStructure": au["entitlement_key"]}
    store = store_for(**_store_kwargs(registration))
    request = XRequest(
        method="PUT",
        params={
            "stateId": "LMS.LaunchData",
            "activityId": au["lms_id"],
            "agent": orjson.dumps(agent_for(registration.person)).decode(),
            "registration": str(registration.uuid),
        },
        headers={"if-match": "", "if-none-match": ""},
        body=orjson.dumps(data),
        content_type="application/json",
        version="1.0.3",
        client=launcher_client(store),
    )
    documents.state(request)


LAUNCHER_NAME = "cmi5 launches (Gilde)"


def launcher_client(store: Any) -> Any:
    """The LRS client that cmi5 AUs write through: the authority of their statements. Nobody
    knows its secret (it is thrown away): AUs reach the LRS only through the cmi5 endpoint,
    with the credential of their own session."""
    from gilde.lrs.models import Client, Scope
    from gilde.lrs.services import client_create

    found = Client.objects.filter(store=store, name=LAUNCHER_NAME, created_by=None).first()
    if found is not None:
        return found
    return client_create(
        actor=None,
        store=store,
        name=LAUNCHER_NAME,
        scopes=(Scope.STATEMENTS_WRITE, Scope.STATEMENTS_READ_MINE, Scope.STATE, Scope.PROFILE),
        xapi_version="1.0.3",
    ).client


def launch_url(session: Session, *, page_origin: str, content_origin: str) -> str:
    return str(session.launch_url)


# --- the credential ----------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def fetch_credential(session: Session) -> dict[str, str]:
    """The fetch URL's answer: the credential once, an error after that (cmi5 8.2)."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.fetched_at is not None:
            return {"error-code": "1", "error-text": "The fetch URL was used already."}
        if locked.expires_at < timezone.now() or locked.abandoned_at or locked.terminated_at:
            return {"error-code": "2", "error-text": "This launch has ended."}
        secret = secrets.token_urlsafe(32)
        locked.auth_hash = _hash(secret)
        locked.fetched_at = timezone.now()
        locked.save(update_fields=["auth_hash", "fetched_at"])
    token = base64.b64encode(f"{locked.uuid}:{secret}".encode()).decode()
    return {"auth-token": token}


def session_for_credential(header: str) -> Session | None:
    if not header.startswith("Basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        session_id, _sep, secret = decoded.partition(":")
        parsed = uuid.UUID(session_id)
    except ValueError:
        return None
    session = (
        Session.objects.filter(uuid=parsed)
        .select_related(
            "registration",
            "registration__version",
            "registration__version__package__item",
            "registration__person",
            "registration__enrolment",
            "registration__enrolment__item",
            "registration__enrolment__organisation",
        )
        .first()
    )
    if session is None or not session.auth_hash:
        return None
    if not secrets.compare_digest(session.auth_hash, _hash(secret)):
        return None
    if session.expires_at < timezone.now():
        return None
    return session


# --- the statements an AU sends -----------------------------------------------------------------


def _fail(message: str) -> None:
    raise Cmi5Refused(message)


def _utc(timestamp: Any) -> bool:
    return isinstance(timestamp, str) and (timestamp.endswith("Z") or timestamp.endswith("+00:00"))


def check_statement(statement: Any, session: Session, seen: list[str]) -> str:
    """The cmi5 verb name of an acceptable statement ("" for other, allowed statements), or
    Cmi5Refused. `seen` holds the defined verbs of this session so far (updated by the caller)."""
    if not isinstance(statement, dict):
        _fail("a statement must be an object")
    registration = session.registration
    au = _au(registration, int(session.activity_id))
    own = _au_state(registration.state, int(session.activity_id))
    if not statement.get("id"):
        _fail("cmi5 statements carry an id (9.1)")
    if not _utc(statement.get("timestamp")):
        _fail("cmi5 statements carry a UTC timestamp (9.7)")
    verb = (statement.get("verb") or {}).get("id", "")
    if verb == VOIDED:
        _fail("an AU may not void statements")
    if verb in LMS_VERBS:
        _fail("this verb is the LMS's to send")
    actor = statement.get("actor") or {}
    expected = agent_for(registration.person)["account"]
    if (
        not isinstance(actor, dict)
        or actor.get("objectType", "Agent") != "Agent"
        or set(actor) - {"objectType", "name", "account"}
        or actor.get("account") != expected
    ):
        _fail("the actor must be the launched learner's account (9.2)")
    context = statement.get("context")
    if not isinstance(context, dict):
        _fail("cmi5 statements carry a context (9.6)")
    if str(context.get("registration", "")).lower() != str(registration.uuid):
        _fail("the registration is not the launch's (9.6.1)")
    extensions = context.get("extensions") or {}
    if extensions.get(SESSION_EXT) != str(session.uuid):
        _fail("the session id is missing or not this session's (9.6.3.1)")
    categories = {
        c.get("id")
        for c in (context.get("contextActivities") or {}).get("category") or []
        if isinstance(c, dict)
    }
    name = AU_VERBS.get(verb, "")
    if session.terminated_at or session.abandoned_at:
        _fail("the session has ended (9.3.8)")
    if not session.initialized_at and name != "initialized":
        _fail("the first statement of a session is initialized (9.3.1)")
    if name and CATEGORY not in categories:
        _fail("cmi5 defined statements carry the cmi5 category (9.6.2.1)")
    moveon_verb = name in ("completed", "passed", "failed")
    if (MOVEON in categories) != moveon_verb:
        _fail("the moveOn category goes with completed, passed and failed only (9.6.2.2)")
    if name and (statement.get("object") or {}).get("id") != au["lms_id"]:
        _fail("the object is the launched AU's activityId (9.4)")
    if not name:
        return ""
    if name == "initialized" and session.initialized_at:
        _fail("initialized is sent once per session (9.3.2)")
    if name == "initialized" and "preferences" not in seen:
        _fail("read cmi5LearnerPreferences before sending initialized (11.0)")
    result = statement.get("result") or {}
    score = result.get("score")
    if isinstance(score, dict) and "raw" in score and ("min" not in score or "max" not in score):
        _fail("a raw score needs min and max (9.5.1)")
    if name in ("completed", "passed", "failed", "terminated") and not result.get("duration"):
        _fail("this statement needs result.duration (9.5.4.1)")
    if moveon_verb and session.launch_mode != LaunchMode.NORMAL:
        _fail("completed, passed and failed are for the Normal launch mode (10.2.2)")
    if name == "completed":
        if result.get("completion") is not True or "success" in result or "score" in result:
            _fail("completed has result.completion true and no success or score (9.5)")
        if own.get("completed") or "completed" in seen:
            _fail("completed is sent once per registration (9.3.3)")
    if name in ("passed", "failed"):
        if result.get("success") is not (name == "passed") or "completion" in result:
            _fail(f"{name} has result.success {str(name == 'passed').lower()} (9.5.2)")
        mastery = au.get("mastery_score")
        if mastery is not None:
            if extensions.get(MASTERY_EXT) != mastery:
                _fail("the masteryscore extension must be the launch's (9.6.3.2)")
            scaled = score.get("scaled") if isinstance(score, dict) else None
            if scaled is not None and (
                (name == "passed" and scaled < mastery) or (name == "failed" and scaled >= mastery)
            ):
                _fail(f"a score of {scaled} does not {name} a mastery score of {mastery} (9.3.4)")
        if own.get("passed") or "passed" in seen:
            _fail("the AU is passed already in this registration (9.3.0)")
        if "failed" in seen:
            _fail("after failed, a session sends neither failed nor passed again (9.3.0)")
    return name


def statements_received(
    session: Session, statements: list[dict[str, Any]], names: list[str]
) -> None:
    """After the AU's statements are stored: the session and the AU's status move on, and the
    LMS writes `satisfied` for blocks and the course that moveOn now completes."""
    if not any(names):
        return
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        registration = _lock_registration(session.registration)
        own = _au_state(registration.state, int(session.activity_id))
        now = timezone.now()
        verbs = list(locked.cmi5_verbs)
        for statement, name in zip(statements, names, strict=True):
            if not name:
                continue
            verbs.append(name)
            result = statement.get("result") or {}
            if name == "initialized":
                locked.initialized_at = now
            elif name == "completed":
                own["completed"] = True
            elif name == "passed":
                own["passed"] = True
            elif name == "failed":
                own["failed"] = True
            elif name == "terminated":
                locked.terminated_at = now
                locked.ended_at = now
                from gilde.scorm.services import seconds_of

                registration.total_seconds += seconds_of(result.get("duration"))
            score = result["score"] if isinstance(result.get("score"), dict) else {}
            if name in ("passed", "failed") and isinstance(score.get("scaled"), (int, float)):
                own["score"] = float(score["scaled"])
        locked.cmi5_verbs = verbs
        locked.save(update_fields=["initialized_at", "terminated_at", "ended_at", "cmi5_verbs"])
        satisfied = _satisfaction(registration, locked)
        if satisfied:
            _record(registration, satisfied)
        _save(registration)


def _abandoned(registration: Registration, session: Session, now: dt.datetime) -> dict[str, Any]:
    Session.objects.filter(pk=session.pk).update(abandoned_at=now, ended_at=now)
    au = _au(registration, int(session.activity_id))
    seconds = max(0, int((now - session.created_at).total_seconds()))
    return _lms_statement(
        registration,
        session,
        "abandoned",
        _activity(au["lms_id"], "au", au["title"]),
        grouping=[au["id"]],
        result={"duration": f"PT{seconds}S"},
    )


def session_abandon(*, actor: Any, session: Session) -> None:
    """The LMS gives up on a session the AU never terminated (cmi5 9.3.8: abandoned)."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.terminated_at or locked.abandoned_at:
            return
        registration = _lock_registration(locked.registration)
        _record(registration, [_abandoned(registration, locked, timezone.now())])
        audit_record(
            actor=actor,
            action="scorm.session_abandon",
            subject=registration.person,
            session=str(locked.uuid),
        )


def session_leave(*, session: Session) -> None:
    """The learner leaves Gilde's page around an AU that did not terminate: abandoned."""
    if session.terminated_at or session.abandoned_at:
        return
    session_abandon(actor=session.registration.person, session=session)


def au_waive(*, actor: Any, registration: Registration, au_index: int, reason: str) -> None:
    """Waive an AU for a learner (cmi5 9.3.7): it counts as satisfied, with a `waived`
    statement; blocks and the course may become satisfied."""
    reason = reason.strip()
    if not reason:
        raise PackageError(_("Say why, in a few words."))
    with transaction.atomic():
        registration = _lock_registration(registration)
        au = _au(registration, au_index)
        own = _au_state(registration.state, au_index)
        if own.get("satisfied"):
            raise PackageError(_("This part is done already."))
        own["waived"] = True
        statements = [
            _lms_statement(
                registration,
                None,
                "waived",
                _activity(au["lms_id"], "au", au["title"]),
                grouping=[au["id"]],
                result={
                    "completion": True,
                    "success": True,
                    "extensions": {CMI5 + "result/extensions/reason": reason[:200]},
                },
            )
        ]
        statements[0]["context"]["contextActivities"]["category"].append({"id": MOVEON})
        # The waived statement has no session: cmi5 asks for a fresh session id for it.
        statements[0]["context"]["extensions"][SESSION_EXT] = str(uuid.uuid4())
        statements += _satisfaction(registration, None)
        for statement in statements[1:]:
            statement["context"]["extensions"][SESSION_EXT] = statements[0]["context"][
                "extensions"
            ][SESSION_EXT]
        _record(registration, statements)
        _save(registration)
        audit_record(
            actor=actor,
            action="scorm.au_waive",
            subject=registration.person,
            registration=str(registration.uuid),
            au=au["id"],
            reason=reason[:200],
        )


def preferences_read(session: Session) -> None:
    """The AU read cmi5LearnerPreferences (it must before initialized, cmi5 11.0)."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if "preferences" not in locked.cmi5_verbs:
            locked.cmi5_verbs = [*locked.cmi5_verbs, "preferences"]
            locked.save(update_fields=["cmi5_verbs"])
    session.cmi5_verbs = locked.cmi5_verbs


def check_launch_data_write(params: dict[str, str]) -> None:
    if params.get("stateId") == "LMS.LaunchData":
        _fail("LMS.LaunchData is written by the LMS only (10.2.1)")


def check_learner_preferences(body: bytes) -> None:
    """cmi5LearnerPreferences (cmi5 11): languagePreference and audioPreference, valid."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        _fail("cmi5LearnerPreferences is a JSON document (11)")
    if not isinstance(data, dict):
        _fail("cmi5LearnerPreferences is a JSON object (11)")
    language = data.get("languagePreference")
    if (
        not isinstance(language, str)
        or not language
        or any(not part or " " in part for part in language.split(","))
    ):
        _fail("languagePreference is a comma-separated list of language codes (11)")
    if data.get("audioPreference") not in ("on", "off"):
        _fail("audioPreference is on or off (11)")
