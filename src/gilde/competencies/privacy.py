"""The competencies section of a person's data export and erasure (see docs/privacy.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def competencies_export(person: Any) -> dict[str, Any]:
    from gilde.competencies.models import (
        Assessment,
        CurrentLevel,
        Evidence,
        FrameworkImport,
        PriorLearningClaim,
        ProfileAssignment,
        RoundParticipant,
    )

    ratings = (
        Assessment.objects.filter(person=person)
        .select_related("competency__version__framework", "organisation")
        .order_by("assessed_on", "created_at")
    )
    given = Assessment.objects.filter(rater=person).exclude(person=person)
    return {
        "ratings_of_you": [
            {
                "framework": a.competency.version.framework.name,
                "version": a.competency.version.number,
                "competency": f"{a.competency.code} {a.competency.name}",
                "level": a.level,
                "normalised": round(a.normalised, 4),
                "rated_as": a.rater_role,
                # Who rated: their role is yours to know; their name stays theirs.
                "organisation": a.organisation.name if a.organisation else None,
                "source": a.source,
                "assessed_on": _iso(a.assessed_on),
                "comment": a.comment,
            }
            for a in ratings
        ],
        "ratings_you_gave_others": given.count(),
        "current_levels": [
            {
                "framework": c.framework.name,
                "code": c.code,
                "validated": c.validated_normalised,
                "self": c.self_normalised,
                "disagreement": c.disagreement,
            }
            for c in CurrentLevel.objects.filter(person=person).select_related("framework")
        ],
        "profiles": [
            {"profile": p.profile.name, "target": p.is_target, "since": _iso(p.created_at)}
            for p in ProfileAssignment.objects.filter(person=person).select_related("profile")
        ],
        "evidence": [
            {
                "kind": e.kind,
                "filename": e.filename,
                "link": e.link,
                "description": e.description,
                "size": e.size,
                "uploaded_at": _iso(e.created_at),
            }
            for e in Evidence.objects.filter(person=person)
        ],
        "prior_learning_claims": [
            {
                "competency": c.competency.code,
                "claimed_level": c.claimed_level,
                "statement": c.statement,
                "status": c.status,
                "decided_at": _iso(c.decided_at),
            }
            for c in PriorLearningClaim.objects.filter(person=person).select_related("competency")
        ],
        "assessment_rounds": [
            {
                "round": p.round.title,
                "self_done_at": _iso(p.self_done_at),
                "validated_at": _iso(p.validated_at),
            }
            for p in RoundParticipant.objects.filter(person=person).select_related("round")
        ],
        "framework_files_you_uploaded": [
            {
                "file": f.filename,
                "status": f.status,
                "uploaded_at": _iso(f.created_at),
                "imported_at": _iso(f.imported_at),
            }
            for f in FrameworkImport.objects.filter(created_by=person)
        ],
    }


def competencies_erase(person: Any) -> None:
    """Ratings stay (levels feed the organisation's and the network's aggregates) but lose their
    comments; evidence files are deleted; claims lose their statements. Ratings the person gave
    keep their level and lose the link to them."""
    from gilde.competencies.models import (
        Assessment,
        Evidence,
        FrameworkImport,
        PriorLearningClaim,
    )

    Assessment.objects.filter(person=person).update(comment="")
    Assessment.objects.filter(rater=person).exclude(person=person).update(rater=None)
    for evidence in Evidence.objects.filter(Q(person=person)):
        if evidence.file:
            evidence.file.delete(save=False)
    Evidence.objects.filter(person=person).delete()
    PriorLearningClaim.objects.filter(person=person).update(statement="", decision_note="")
    # A framework file holds no personal data; only the link to who uploaded it goes.
    FrameworkImport.objects.filter(created_by=person).update(created_by=None)


def register_competencies_section() -> None:
    from gilde.privacy.registry import register

    register(
        "competencies",
        export=competencies_export,
        erase=competencies_erase,
        covers=[
            "competencies.Assessment",
            "competencies.CurrentLevel",
            "competencies.ProfileAssignment",
            "competencies.Evidence",
            "competencies.PriorLearningClaim",
            "competencies.RoundParticipant",
            "competencies.AssessmentRound",
            "competencies.FrameworkImport",
        ],
    )
