"""The learning section of a person's data export and erasure (see docs/privacy.md).

Erasure keeps the rows that numbers depend on (enrolments, attempts, completions, study hours,
certificates) and removes what says more about the person than that: typed answers, reasons,
notes and proof files. Open enrolments and cohort places end, open proposals of new levels are
put aside, and the person stops being a cohort's coordinator or mentor.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _number(value: Any) -> str | None:
    return None if value is None else str(value)


def learning_export(person: Any) -> dict[str, Any]:
    from gilde.learning.models import (
        Answer,
        Attempt,
        Certificate,
        CohortMember,
        Completion,
        Enrolment,
        LevelProposal,
        PathEnrolment,
    )

    enrolments = (
        Enrolment.objects.filter(person=person)
        .select_related("item", "organisation")
        .order_by("enrolled_at")
    )
    attempts = (
        Attempt.objects.filter(enrolment__person=person)
        .select_related("quiz", "enrolment__item")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question").order_by("answered_at"),
            )
        )
        .order_by("started_at")
    )
    attempts_by_enrolment: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for attempt in attempts:
        attempts_by_enrolment[attempt.enrolment_id].append(
            {
                "quiz": attempt.quiz.title,
                "number": attempt.number,
                "started_at": _iso(attempt.started_at),
                "submitted_at": _iso(attempt.submitted_at),
                "score_percent": _number(attempt.score_percent),
                "passed": attempt.passed,
                "answers": [
                    {
                        "question": answer.question.prompt,
                        "response": answer.response,
                        "correct": answer.correct,
                        "answered_at": _iso(answer.answered_at),
                    }
                    for answer in attempt.answers.all()
                ],
            }
        )
    return {
        "enrolments": [
            {
                "item": e.item.title,
                "kind": e.item.kind,
                "organisation": e.organisation.name if e.organisation else None,
                "via": e.via,
                "enrolled_at": _iso(e.enrolled_at),
                "due_date": _iso(e.due_date),
                "status": e.status,
                "progress_percent": e.progress_percent,
                "completed_at": _iso(e.completed_at),
                "withdrawn_at": _iso(e.withdrawn_at),
                "withdrawn_reason": e.withdrawn_reason,
                "quiz_attempts": attempts_by_enrolment.get(e.pk, []),
            }
            for e in enrolments
        ],
        "path_enrolments": [
            {
                "path": p.path.title,
                "cohort": p.cohort.name if p.cohort else None,
                "enrolled_at": _iso(p.enrolled_at),
                "due_date": _iso(p.due_date),
                "status": p.status,
                "completed_at": _iso(p.completed_at),
                "withdrawn_reason": p.withdrawn_reason,
            }
            for p in PathEnrolment.objects.filter(person=person)
            .select_related("path", "cohort")
            .order_by("enrolled_at")
        ],
        "cohorts": [
            {
                "cohort": m.cohort.name,
                "joined_at": _iso(m.joined_at),
                "left_at": _iso(m.left_at),
                "left_reason": m.left_reason,
            }
            for m in CohortMember.objects.filter(person=person)
            .select_related("cohort")
            .order_by("joined_at")
        ],
        "completions": [
            {
                "item": c.item.title,
                "completed_at": _iso(c.completed_at),
                "result": c.result,
                "score_percent": _number(c.score_percent),
                "study_hours": _number(c.study_hours),
                "school_result": c.school_result,
                "proof_file": c.proof_filename,
                "proof_link": c.proof_link,
                "note": c.note,
            }
            for c in Completion.objects.filter(person=person)
            .select_related("item")
            .order_by("completed_at")
        ],
        "levels_proposed_after_learning": [
            {
                "competency": f"{p.competency.code} {p.competency.name}",
                "level": p.level,
                "status": p.status,
                "proposed_at": _iso(p.created_at),
                "decided_at": _iso(p.decided_at),
            }
            for p in LevelProposal.objects.filter(person=person)
            .select_related("competency")
            .order_by("created_at")
        ],
        "certificates": [
            {
                "code": c.code,
                "title": c.title,
                "issued_at": _iso(c.issued_at),
                "issuer": c.issuer_organisation.name if c.issuer_organisation else None,
                "network": c.network.name if c.network else None,
                "study_load_hours": _number(c.study_load_hours),
                "competencies": c.competencies,
                "revoked_at": _iso(c.revoked_at),
                "revoke_reason": c.revoke_reason,
            }
            for c in Certificate.objects.filter(person=person)
            .select_related("issuer_organisation", "network")
            .order_by("issued_at")
        ],
    }


def learning_erase(person: Any) -> None:
    from gilde.learning.models import (
        Answer,
        Cohort,
        CohortMember,
        Completion,
        Enrolment,
        EnrolmentStatus,
        LevelProposal,
        PathEnrolment,
        ProposalStatus,
    )

    now = timezone.now()
    Enrolment.objects.filter(person=person, status=EnrolmentStatus.ACTIVE).update(
        status=EnrolmentStatus.WITHDRAWN, withdrawn_at=now
    )
    Enrolment.objects.filter(person=person).update(withdrawn_reason="")
    PathEnrolment.objects.filter(person=person, status=EnrolmentStatus.ACTIVE).update(
        status=EnrolmentStatus.WITHDRAWN, withdrawn_at=now
    )
    PathEnrolment.objects.filter(person=person).update(withdrawn_reason="")
    # What was typed goes; whether it was right stays (scores depend on it).
    Answer.objects.filter(attempt__enrolment__person=person).update(response={})
    CohortMember.objects.filter(person=person, left_at__isnull=True).update(left_at=now)
    CohortMember.objects.filter(person=person).update(left_reason="")
    Cohort.objects.filter(coordinator=person).update(coordinator=None)
    # Nobody is asked any more to confirm a level of someone who left.
    LevelProposal.objects.filter(person=person, status=ProposalStatus.OPEN).update(
        status=ProposalStatus.DISMISSED, decided_at=now
    )
    Cohort.mentors.through.objects.filter(person=person).delete()
    for completion in Completion.objects.filter(person=person).exclude(proof_file=""):
        completion.proof_file.delete(save=False)
    Completion.objects.filter(person=person).update(
        proof_file="", proof_filename="", proof_content_type="", proof_link="", note=""
    )


def register_learning_section() -> None:
    from gilde.privacy.registry import register

    register(
        "learning",
        export=learning_export,
        erase=learning_erase,
        covers=[
            "learning.Enrolment",
            "learning.PathEnrolment",
            "learning.Attempt",
            "learning.Answer",
            "learning.CohortMember",
            "learning.Cohort",
            "learning.Completion",
            "learning.Certificate",
            "learning.LevelProposal",
            # Authorship only: the account link is anonymised with the account.
            "learning.CatalogueItem",
            "learning.LearningPath",
            "learning.LessonImage",
        ],
    )
