"""The packaged e-learning section of a person's data export and erasure (docs/privacy.md).

What a SCO or AU stores about a learner (the CMI data: answers to interactions, comments,
suspend data, location) is personal data. The export gives all of it. Erasure keeps the numbers
that reports and completions depend on (status, score, time) and removes the rest: the CMI
data, suspend data, location, and the launch credentials.
"""

from __future__ import annotations

from typing import Any


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _number(value: Any) -> str | None:
    return None if value is None else str(value)


def scorm_export(person: Any) -> dict[str, Any]:
    from gilde.scorm.models import ActivityAttempt, Registration, Session

    registrations = (
        Registration.objects.filter(person=person)
        .select_related("version", "version__package__item")
        .order_by("created_at")
    )
    attempts: dict[int, list[dict[str, Any]]] = {}
    for attempt in ActivityAttempt.objects.filter(registration__person=person).order_by(
        "registration_id", "activity_id", "number"
    ):
        attempts.setdefault(attempt.registration_id, []).append(
            {
                "activity": attempt.activity_id,
                "attempt": attempt.number,
                "completion_status": attempt.completion_status,
                "success_status": attempt.success_status,
                "score_raw": _number(attempt.score_raw),
                "score_scaled": _number(attempt.score_scaled),
                "location": attempt.location,
                "suspend_data": attempt.suspend_data,
                "total_seconds": attempt.total_seconds,
                "cmi": attempt.cmi,
                "started_at": _iso(attempt.started_at),
                "updated_at": _iso(attempt.updated_at),
            }
        )
    sessions: dict[int, list[dict[str, Any]]] = {}
    for session in Session.objects.filter(registration__person=person).order_by("created_at"):
        sessions.setdefault(session.registration_id, []).append(
            {
                "session": str(session.uuid),
                "activity": session.activity_id,
                "started_at": _iso(session.created_at),
                "ended_at": _iso(session.ended_at),
            }
        )
    return {
        "registrations": [
            {
                "registration": str(r.uuid),
                "package": r.version.package.item.title,
                "version": r.version.number,
                "completion_status": r.completion_status,
                "success_status": r.success_status,
                "score_scaled": _number(r.score_scaled),
                "total_seconds": r.total_seconds,
                "started_at": _iso(r.created_at),
                "completed_at": _iso(r.completed_at),
                "activities": attempts.get(r.pk, []),
                "sessions": sessions.get(r.pk, []),
            }
            for r in registrations
        ]
    }


def scorm_erase(person: Any) -> None:
    from gilde.scorm.models import ActivityAttempt, Registration, Session

    ActivityAttempt.objects.filter(registration__person=person).update(
        cmi={}, suspend_data="", location=""
    )
    Session.objects.filter(registration__person=person).update(auth_hash="", cmi5_verbs=[])
    for registration in Registration.objects.filter(person=person):
        state = registration.state or {}
        # Keep the statuses that rollup needs; drop the shared objectives' details.
        state.pop("globals", None)
        registration.state = state
        registration.save(update_fields=["state"])


def register_scorm_section() -> None:
    from gilde.privacy.registry import register

    register(
        "packaged_learning",
        export=scorm_export,
        erase=scorm_erase,
        covers=[
            "scorm.Registration",
            "scorm.ActivityAttempt",
            "scorm.Session",
            # Who uploaded: the account link is anonymised with the account.
            "scorm.Package",
            "scorm.PackageVersion",
        ],
    )
