"""Writes for packaged e-learning: importing packages and versions, launching SCOs, keeping what
they commit, and handing a finished package to the catalogue's completion.

A refused upload raises PackageError with a message fit to show; nothing is stored then (files
written before a failure are removed again). Learner data is never overwritten by older data:
every commit carries a sequence number and a commit that is not newer than the stored one
changes nothing (a browser that retries, or two requests that cross, do no harm).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import orjson
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.learning import records
from gilde.learning.models import CatalogueItem, Enrolment, EnrolmentStatus, ItemKind
from gilde.learning.services import LearningError, complete_item, item_create
from gilde.scorm import sequencing
from gilde.scorm.manifest import (
    DAMAGED_ZIP,
    PackageRefused,
    ParsedPackage,
    max_upload_bytes,
    read_package,
)
from gilde.scorm.models import (
    ActivityAttempt,
    LaunchMode,
    Package,
    PackageVersion,
    Registration,
    Session,
    Standard,
)
from gilde.tenancy.models import Network, Organisation


class PackageError(ValueError):
    """A rule refused the change; the message is fit to show to the user."""


# --- import ---------------------------------------------------------------------------------


def _digest(upload: IO[bytes]) -> tuple[str, int]:
    upload.seek(0)
    sha = hashlib.sha256()
    size = 0
    while chunk := upload.read(1024 * 1024):
        sha.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return sha.hexdigest(), size


def _store_files(upload: IO[bytes], parsed: ParsedPackage, prefix: str, stored: list[str]) -> None:
    if not parsed.files:
        return
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        for name, info in parsed.files.items():
            with archive.open(info) as source:
                wanted = prefix + name
                saved = default_storage.save(wanted, File(source, name=name))
                stored.append(saved)
                if saved != wanted:
                    raise PackageError(
                        _("The file '%(name)s' could not be stored under its own name.")
                        % {"name": name[:200]}
                    )


def _assign_cmi5_ids(parsed: ParsedPackage, version_uuid: uuid.UUID) -> None:
    """cmi5 asks the LMS for activity ids of its own for the course, blocks and AUs (the
    publisher's ids go into the statements' context)."""
    if parsed.standard != Standard.CMI5:
        return
    base = f"{records.site_home()}xapi/activities/package/{version_uuid}"
    structure = parsed.structure
    structure["course"]["lms_id"] = f"{base}/course"

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            node["lms_id"] = f"{base}/{node['type']}/{node['index']}"
            if node["type"] == "block":
                walk(node["children"])

    walk(structure["children"])


def package_upload(
    *,
    actor: Any,
    upload: IO[bytes],
    filename: str,
    organisation: Organisation | None = None,
    network: Network | None = None,
    item: CatalogueItem | None = None,
) -> PackageVersion:
    """Import a package: a new catalogue item (draft), or a new version of `item`. The caller
    has checked that the actor may write for this owner or item."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_upload_bytes():
        raise PackageError(
            _("The file is larger than %(max)s MB.") % {"max": max_upload_bytes() // (1024 * 1024)}
        )
    try:
        parsed = read_package(upload, filename)
    except PackageRefused as refused:
        raise PackageError(str(refused)) from refused
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise PackageError(_("The zip file is damaged (%(error)s).") % {"error": error}) from error
    sha, size = _digest(upload)
    version_uuid = uuid.uuid4()
    _assign_cmi5_ids(parsed, version_uuid)
    stored: list[str] = []
    try:
        _store_files(upload, parsed, f"scorm/{version_uuid}/", stored)
        with transaction.atomic():
            return _version_create(
                actor=actor,
                parsed=parsed,
                version_uuid=version_uuid,
                filename=filename,
                sha=sha,
                size=size,
                organisation=organisation,
                network=network,
                item=item,
            )
    except DAMAGED_ZIP as error:
        _remove(stored)
        raise PackageError(_("The zip file is damaged (%(error)s).") % {"error": error}) from error
    except Exception:
        _remove(stored)
        raise


def _remove(stored: list[str]) -> None:
    for name in stored:
        default_storage.delete(name)


def _version_create(
    *,
    actor: Any,
    parsed: ParsedPackage,
    version_uuid: uuid.UUID,
    filename: str,
    sha: str,
    size: int,
    organisation: Organisation | None,
    network: Network | None,
    item: CatalogueItem | None,
) -> PackageVersion:
    if item is None:
        try:
            item = item_create(
                actor=actor,
                kind=ItemKind.PACKAGE,
                fields={"title": parsed.title, "summary": parsed.description[:2000]},
                organisation=organisation,
                network=network,
            )
        except LearningError as error:
            raise PackageError(str(error)) from error
        package = Package.objects.create(
            item=item, created_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        number = 1
    else:
        package = Package.objects.select_for_update().get(item=item)
        last = package.versions.order_by("-number").first()
        number = (last.number + 1) if last else 1
    version = PackageVersion.objects.create(
        uuid=version_uuid,
        package=package,
        number=number,
        standard=parsed.standard,
        edition=parsed.edition,
        identifier=parsed.identifier,
        title=parsed.title,
        filename=filename[:255],
        sha256=sha,
        size_bytes=size,
        unpacked_bytes=parsed.unpacked_bytes,
        file_count=len(parsed.files),
        structure=parsed.structure,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    package.current = version
    package.save(update_fields=["current"])
    audit_record(
        actor=actor,
        action="scorm.package_upload" if number == 1 else "scorm.version_upload",
        organisation=item.organisation,
        network=item.network,
        item=str(item.uuid),
        title=item.title,
        version=number,
        standard=parsed.standard,
        edition=parsed.edition,
        files=len(parsed.files),
    )
    return version


# --- registrations and launches ---------------------------------------------------------------


def registration_for(enrolment: Enrolment, package: Package) -> Registration:
    """The enrolment's registration: the one it has (on whatever version it started), or a new
    one on the package's current version."""
    found = (
        Registration.objects.filter(enrolment=enrolment, version__package=package)
        .select_related("version")
        .order_by("-created_at", "-pk")
        .first()
    )
    if found is not None:
        return found
    if package.current is None:
        raise PackageError(_("This package has no content yet."))
    return Registration.objects.create(
        version=package.current, enrolment=enrolment, person=enrolment.person
    )


SESSION_HOURS = 12


@dataclass
class Launch:
    session: Session
    activity: sequencing.Activity


def _lock_registration(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update()
        .select_related("version", "enrolment", "enrolment__item", "person")
        .get(pk=registration.pk)
    )


def scorm_launch(
    *,
    actor: Any,
    enrolment: Enrolment,
    package: Package,
    request: str = "start",
    target: str = "",
    current: Session | None = None,
    page_origin: str = "",
    content_origin: str = "",
) -> Launch:
    """Deliver a SCO: the one sequencing picks for `request` (start, continue, previous, choice
    of `target`, ...). Ends the current session first. Raises PackageError when the request is
    not allowed (a SCO out of order, the end of the course)."""
    if enrolment.person_id != getattr(actor, "pk", None):
        raise PackageError(_("Only the learner plays a package."))
    with transaction.atomic():
        registration = _lock_registration(registration_for(enrolment, package))
        version = registration.version
        tree = sequencing.Tree(version.structure)
        state = registration.state or {}
        state["suspended"] = registration.suspended_activity
        now = timezone.now()
        current_id = current.activity_id if current is not None else registration.current_activity
        if current is not None and current.ended_at is None:
            Session.objects.filter(pk=current.pk).update(ended_at=now)
        activity = sequencing.navigate(tree, state, current_id or None, request, target)
        if activity is None:
            if request == "choice":
                raise PackageError(_("That part cannot be opened now: the course sets the order."))
            if request == "previous":
                raise PackageError(_("There is no previous part to go back to."))
            if request == "continue":
                raise PackageError(_("There is no next part you can open now."))
            raise PackageError(_("There is nothing in this package you can open now."))
        attempt = _attempt_for(registration, activity, tree, state)
        registration.current_activity = activity.id
        if request in ("start", "resumeAll"):
            registration.suspended_activity = ""
        state.pop("suspended", None)
        registration.state = state
        registration.updated_at = now
        registration.save(
            update_fields=["current_activity", "suspended_activity", "state", "updated_at"]
        )
        session = Session.objects.create(
            registration=registration,
            attempt=attempt,
            activity_id=activity.id,
            launch_mode=LaunchMode.NORMAL,
            page_origin=page_origin,
            content_origin=content_origin,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
        records.record_launched(enrolment)
    return Launch(session=session, activity=activity)


def _attempt_for(
    registration: Registration,
    activity: sequencing.Activity,
    tree: sequencing.Tree,
    state: dict[str, Any],
) -> ActivityAttempt:
    """The attempt a launch continues: the last one, unless it ended (SCORM 2004: the SCO left
    without suspending), then a new one."""
    last = (
        ActivityAttempt.objects.filter(registration=registration, activity_id=activity.id)
        .order_by("-number")
        .first()
    )
    if last is not None and last.ended_at is None:
        return last
    attempt = ActivityAttempt.objects.create(
        registration=registration,
        activity_id=activity.id,
        number=(last.number + 1) if last else 1,
    )
    sequencing.record_result(
        tree,
        state,
        activity.id,
        completion="",
        success="",
        scaled=None,
        progress=None,
        objectives=[],
        new_attempt=True,
    )
    return attempt


# --- what the SCO starts with -------------------------------------------------------------------


def _learner_name(person: Any) -> str:
    """SCORM's "Last, First" form."""
    family = " ".join(p for p in (getattr(person, "infix", ""), person.family_name) if p)
    return f"{family}, {person.given_name}".strip(", ")


def launch_data(session: Session) -> dict[str, Any]:
    """Everything the player needs: the standard, the SCO's address and the CMI data to load
    (the learner's saved data, with what the LMS sets: learner, entry, mode, credit, data from
    the manifest, objectives read from global objectives)."""
    registration = session.registration
    version = registration.version
    tree = sequencing.Tree(version.structure)
    activity = tree.get(session.activity_id)
    if activity is None or session.attempt is None:
        raise PackageError(_("This part of the package no longer exists."))
    attempt = session.attempt
    node = activity.node
    person = registration.person
    saved = dict(attempt.cmi or {})
    resumed = attempt.exit == "suspend"
    objectives = sequencing.read_objectives(tree, registration.state or {}, activity.id)
    if version.standard == Standard.SCORM12:
        cmi = saved
        core = dict(cmi.get("core") or {})
        core.update(
            {
                "student_id": str(person.uuid),
                "student_name": _learner_name(person),
                "entry": "resume" if resumed else ("ab-initio" if attempt.sessions == 0 else ""),
                "lesson_mode": "normal",
                "credit": "credit",
                "total_time": _hms(attempt.total_seconds),
            }
        )
        for key in ("session_time", "exit"):
            core.pop(key, None)
        cmi["core"] = core
        cmi["launch_data"] = node.get("data_from_lms", "")
        cmi["student_data"] = {
            **dict(cmi.get("student_data") or {}),
            "mastery_score": node.get("mastery_score", ""),
            "max_time_allowed": node.get("max_time_allowed", ""),
            "time_limit_action": node.get("time_limit_action", ""),
        }
    else:
        cmi = saved
        cmi.update(
            {
                "learner_id": str(person.uuid),
                "learner_name": _learner_name(person),
                "entry": "resume" if resumed else ("ab-initio" if attempt.sessions == 0 else ""),
                "mode": "normal",
                "credit": "credit",
                "total_time": _iso_duration(attempt.total_seconds),
                "launch_data": node.get("data_from_lms", ""),
                "max_time_allowed": node.get("max_time_allowed", ""),
                "time_limit_action": node.get("time_limit_action", "") or "continue,no message",
            }
        )
        for key in ("session_time", "exit"):
            cmi.pop(key, None)
        threshold = node.get("completion_threshold") or {}
        if threshold.get("completed_by_measure"):
            cmi["completion_threshold"] = str(threshold.get("min_progress_measure", 1.0))
        primary = activity.seq.get("primary_objective") or {}
        if primary.get("satisfied_by_measure"):
            cmi["scaled_passing_score"] = str(primary.get("min_measure") or 1.0)
        cmi["objectives"] = _merge_objectives(cmi.get("objectives"), objectives)
    return {
        "standard": version.standard,
        "href": _launch_href(node),
        "cmi": cmi,
        "seq": attempt.commit_seq,
        "title": activity.title,
    }


def _merge_objectives(saved: Any, declared: list[dict[str, Any]]) -> dict[str, Any]:
    """The SCO's saved objectives, with the declared ones added (and their global status)."""
    found: dict[str, Any] = {}
    items = list(saved.values()) if isinstance(saved, dict) else list(saved or [])
    items = [o for o in items if isinstance(o, dict) and o.get("id")]
    index = {o["id"]: o for o in items}
    for objective in declared:
        entry = index.get(objective["id"])
        if entry is None:
            entry = {"id": objective["id"]}
            items.append(entry)
        if objective["satisfied"] is not None:
            entry["success_status"] = "passed" if objective["satisfied"] else "failed"
        if objective["measure"] is not None:
            entry.setdefault("score", {})["scaled"] = str(objective["measure"])
    for n, entry in enumerate(items):
        found[str(n)] = entry
    return found


def _launch_href(node: dict[str, Any]) -> str:
    href = str(node.get("href") or "")
    parameters = str(node.get("parameters") or "")
    if not parameters:
        return href
    # SCORM CAM: parameters starting with "?" or "#" are appended; "&" joins an existing query.
    if parameters[0] in "?#&":
        parameters = parameters[1:] if parameters[0] in "?&" else parameters
    if parameters.startswith("#") or "#" in href:
        return href + parameters
    return href + ("&" if "?" in href else "?") + parameters


# --- commits ----------------------------------------------------------------------------------

MAX_CMI_BYTES = 4 * 1024 * 1024
_HMS = re.compile(r"^(\d{1,4}):(\d{1,2}):(\d{1,2})(\.\d{1,2})?$")
_ISO = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def seconds_of(value: Any) -> int:
    """A SCORM 1.2 (HHHH:MM:SS.SS) or 2004 (ISO 8601 duration) time span in whole seconds."""
    text = str(value or "").strip()
    match = _HMS.match(text)
    if match:
        return int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3])
    match = _ISO.match(text)
    if match and text not in ("P", "PT"):
        years, months, days, hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
        return int(
            years * 365 * 86400
            + months * 30 * 86400
            + days * 86400
            + hours * 3600
            + minutes * 60
            + secs
        )
    return 0


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:04d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _iso_duration(seconds: int) -> str:
    return f"PT{seconds // 3600}H{seconds % 3600 // 60}M{seconds % 60}S"


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e8"):
        return None
    return number


@dataclass
class Facts:
    """What Gilde reads from a SCO's CMI data."""

    completion: str
    success: str
    raw: Decimal | None
    min: Decimal | None
    max: Decimal | None
    scaled: Decimal | None
    progress: Decimal | None
    location: str
    suspend_data: str
    exit: str
    session_seconds: int
    objectives: list[dict[str, Any]]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def read_facts(standard: str, cmi: dict[str, Any]) -> Facts:
    def objectives_of(raw: Any) -> list[dict[str, Any]]:
        items = raw.values() if isinstance(raw, dict) else (raw or [])
        found = []
        for objective in items:
            if not isinstance(objective, dict):
                continue
            score = _dict(objective.get("score"))
            status = str(objective.get("success_status") or objective.get("status") or "")
            scaled = _decimal(score.get("scaled"))
            found.append(
                {
                    "id": str(objective.get("id") or ""),
                    "success": status if status in ("passed", "failed") else "",
                    "scaled": float(scaled) if scaled is not None else None,
                }
            )
        return found

    if standard == Standard.SCORM12:
        core = _dict(cmi.get("core"))
        score = _dict(core.get("score"))
        status = str(core.get("lesson_status") or "")
        raw, low, high = (
            _decimal(score.get("raw")),
            _decimal(score.get("min")),
            _decimal(score.get("max")),
        )
        scaled = None
        if raw is not None:
            top = high if high is not None and high != 0 else Decimal(100)
            bottom = low or Decimal(0)
            if top > bottom:
                scaled = max(Decimal(0), min(Decimal(1), (raw - bottom) / (top - bottom)))
        return Facts(
            completion=status,
            success="passed" if status == "passed" else "failed" if status == "failed" else "",
            raw=raw,
            min=low,
            max=high,
            scaled=scaled.quantize(Decimal("0.0001")) if scaled is not None else None,
            progress=None,
            location=str(core.get("lesson_location") or "")[:1000],
            suspend_data=str(cmi.get("suspend_data") or ""),
            exit=str(core.get("exit") or "")[:20],
            session_seconds=seconds_of(core.get("session_time")),
            objectives=objectives_of(cmi.get("objectives")),
        )
    score = _dict(cmi.get("score"))
    scaled = _decimal(score.get("scaled"))
    if scaled is not None and not Decimal(-1) <= scaled <= Decimal(1):
        scaled = None
    progress = _decimal(cmi.get("progress_measure"))
    return Facts(
        completion=str(cmi.get("completion_status") or ""),
        success=str(cmi.get("success_status") or ""),
        raw=_decimal(score.get("raw")),
        min=_decimal(score.get("min")),
        max=_decimal(score.get("max")),
        scaled=scaled,
        progress=progress if progress is not None and 0 <= progress <= 1 else None,
        location=str(cmi.get("location") or "")[:1000],
        suspend_data=str(cmi.get("suspend_data") or ""),
        exit=str(cmi.get("exit") or "")[:20],
        session_seconds=seconds_of(cmi.get("session_time")),
        objectives=objectives_of(cmi.get("objectives")),
    )


@dataclass
class CommitResult:
    stored: bool
    next_request: str = ""
    target: str = ""


NAV_REQUESTS = {
    "continue",
    "previous",
    "exit",
    "exitAll",
    "abandon",
    "abandonAll",
    "suspendAll",
    "_none_",
    "",
}
_CHOICE = re.compile(r"^\{target=([^}]+)\}(choice|jump)$")


def parse_nav_request(value: str) -> tuple[str, str]:
    value = (value or "").strip()
    match = _CHOICE.match(value)
    if match:
        return match[2], match[1]
    if value == "_none_":
        return "", ""
    return (value if value in NAV_REQUESTS else ""), ""


def attempt_commit(
    *, session: Session, seq: int, cmi: Any, terminate: bool, nav_request: str = ""
) -> CommitResult:
    """Keep what the SCO committed. Returns what navigation the SCO asked for on leaving."""
    if not isinstance(cmi, dict):
        raise PackageError("cmi must be an object")
    if len(orjson.dumps(cmi)) > MAX_CMI_BYTES:
        raise PackageError("the data is larger than 4 MB")
    with transaction.atomic():
        attempt = ActivityAttempt.objects.select_for_update().get(pk=session.attempt_id or 0)
        if seq <= attempt.commit_seq:
            return CommitResult(stored=False)
        registration = _lock_registration(session.registration)
        standard = registration.version.standard
        facts = read_facts(standard, cmi)
        now = timezone.now()
        attempt.cmi = cmi
        attempt.commit_seq = seq
        attempt.completion_status = (
            "completed"
            if facts.completion in ("completed", "passed", "failed")
            else (facts.completion or "unknown")[:12]
        )
        attempt.success_status = (facts.success or "unknown")[:12]
        attempt.score_raw, attempt.score_min, attempt.score_max = facts.raw, facts.min, facts.max
        attempt.score_scaled = facts.scaled
        attempt.progress_measure = facts.progress
        attempt.location = facts.location
        attempt.suspend_data = facts.suspend_data
        attempt.exit = facts.exit
        attempt.updated_at = now
        fields = [
            "cmi",
            "commit_seq",
            "completion_status",
            "success_status",
            "score_raw",
            "score_min",
            "score_max",
            "score_scaled",
            "progress_measure",
            "location",
            "suspend_data",
            "exit",
            "updated_at",
        ]
        request, target = parse_nav_request(nav_request)
        if terminate:
            attempt.total_seconds += facts.session_seconds
            attempt.sessions += 1
            fields += ["total_seconds", "sessions"]
            # SCORM 2004: leaving without suspending ends the attempt; the next launch starts a
            # new one. SCORM 1.2 keeps one attempt and resumes it.
            if (
                standard == Standard.SCORM2004
                and facts.exit != "suspend"
                and request != "suspendAll"
            ):
                attempt.ended_at = now
                fields.append("ended_at")
            Session.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=now)
        attempt.save(update_fields=fields)
        tree = sequencing.Tree(registration.version.structure)
        state = registration.state or {}
        sequencing.record_result(
            tree,
            state,
            attempt.activity_id,
            completion=facts.completion,
            success=facts.success,
            scaled=float(facts.scaled) if facts.scaled is not None else None,
            progress=float(facts.progress) if facts.progress is not None else None,
            objectives=facts.objectives,
        )
        registration.state = state
        if terminate:
            registration.total_seconds += facts.session_seconds
            if request == "suspendAll" or (facts.exit == "suspend" and not request):
                registration.suspended_activity = attempt.activity_id
        _registration_status(registration, tree, state, now)
        registration.save(
            update_fields=[
                "state",
                "total_seconds",
                "suspended_activity",
                "completion_status",
                "success_status",
                "score_scaled",
                "updated_at",
                "completed_at",
            ]
        )
        _progress(registration, tree, state, now)
        if terminate:
            _record_interactions(registration, attempt, standard)
        _complete_if_done(registration)
        if terminate and not request:
            request = sequencing.post_condition(tree, state, attempt.activity_id)
    return CommitResult(stored=True, next_request=request, target=target)


INTERACTION_TYPES = {
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


def _record_interactions(
    registration: Registration, attempt: ActivityAttempt, standard: str
) -> None:
    """The SCO's interactions become "answered" learning records, as a native lesson's
    questions do (one per interaction and attempt: a later commit rewrites the same ids)."""
    from urllib.parse import quote

    from gilde.lrs.services import Conflict
    from gilde.lrs.validation import StatementInvalid

    raw = attempt.cmi.get("interactions")
    items = list(raw.values()) if isinstance(raw, dict) else list(raw or [])
    enrolment = registration.enrolment
    item = enrolment.item
    base = f"{records.item_activity_id(item)}/sco/{quote(attempt.activity_id, safe='')}"
    statements = []
    for index, interaction in enumerate(items):
        if not isinstance(interaction, dict) or not interaction.get("id"):
            continue
        response = interaction.get(
            "student_response" if standard == Standard.SCORM12 else "learner_response", ""
        )
        kind = str(interaction.get("type") or "other")
        result: dict[str, Any] = {"response": str(response)[:4000]}
        outcome = str(interaction.get("result") or "")
        if outcome in ("correct", "wrong", "incorrect"):
            result["success"] = outcome == "correct"
        statements.append(
            records.statement(
                person=registration.person,
                verb_name="answered",
                obj={
                    "objectType": "Activity",
                    "id": f"{base}/interaction/{quote(str(interaction['id']), safe='')}",
                    "definition": {
                        "type": records.ACTIVITY_TYPES["question"],
                        "interactionType": kind if kind in INTERACTION_TYPES else "other",
                    },
                },
                enrolment=enrolment,
                parent=records.activity_for_item(item),
                result=result,
                # The same answer gives the same id and time: stored once however often the
                # SCO commits it; a changed answer is a new record.
                statement_id=str(
                    uuid.uuid5(
                        uuid.NAMESPACE_URL,
                        f"{base}|{attempt.uuid}|{index}|{result['response']}|{outcome}",
                    )
                ),
                timestamp=attempt.started_at,
                language=item.language,
            )
        )
    if not statements:
        return
    try:
        with transaction.atomic():
            records.record(statements, enrolment=enrolment, person=registration.person)
    except (StatementInvalid, Conflict):
        # A SCO's odd interaction data never costs the learner their commit.
        return


def _registration_status(
    registration: Registration, tree: sequencing.Tree, state: dict[str, Any], now: dt.datetime
) -> None:
    root = sequencing.root_status(tree, state)
    registration.completion_status = (
        "completed"
        if root.get("completed")
        else "incomplete"
        if root.get("attempts")
        else "unknown"
    )
    satisfied = root.get("satisfied")
    registration.success_status = (
        "passed" if satisfied is True else "failed" if satisfied is False else "unknown"
    )
    measure = root.get("measure")
    registration.score_scaled = (
        Decimal(str(round(measure, 4))) if isinstance(measure, (int, float)) else None
    )
    registration.updated_at = now
    if registration.completion_status == "completed" and registration.completed_at is None:
        registration.completed_at = now


def registration_done(registration: Registration) -> bool:
    return registration.completion_status == "completed" and registration.success_status != "failed"


def _progress(
    registration: Registration, tree: sequencing.Tree, state: dict[str, Any], now: dt.datetime
) -> None:
    leaves = [a for a in tree.leaves() if a.node.get("href")]
    done = sum(1 for a in leaves if (state.get("activities", {}).get(a.id) or {}).get("completed"))
    percent = round(100 * done / len(leaves)) if leaves else 0
    if registration_done(registration):
        percent = 100
    # The catalogue's enrolment shows how far the learner is (the lesson player does the same).
    Enrolment.objects.filter(pk=registration.enrolment_id, status=EnrolmentStatus.ACTIVE).update(
        progress_percent=min(percent, 100), last_activity_at=now
    )


def _complete_if_done(registration: Registration) -> None:
    """A finished package completes the enrolment, through the catalogue's completion (study
    hours, learning record, certificate, development-plan actions, path progress)."""
    if not registration_done(registration):
        return
    enrolment = registration.enrolment
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return
    score = (
        (registration.score_scaled * 100).quantize(Decimal("0.01"))
        if registration.score_scaled is not None
        else None
    )
    complete_item(
        actor=registration.person,
        enrolment=enrolment,
        result="passed" if registration.success_status == "passed" else "completed",
        score_percent=score,
    )


def session_close(*, session: Session, request: str) -> None:
    """The learner leaves the course from the page (exit, suspend, abandon): the session ends;
    with suspendAll the next launch resumes this SCO."""
    with transaction.atomic():
        registration = _lock_registration(session.registration)
        now = timezone.now()
        Session.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=now)
        if request == "suspendAll":
            registration.suspended_activity = session.activity_id
        elif request in ("exitAll", "abandonAll"):
            registration.suspended_activity = ""
        registration.updated_at = now
        registration.save(update_fields=["suspended_activity", "updated_at"])
