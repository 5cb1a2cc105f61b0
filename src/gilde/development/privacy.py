"""The development section of a person's data export and erasure (see docs/privacy.md and
docs/development.md).

Export: the person's plans with goals, actions, comments and agreed versions; their check-ins
with their own notes (private and shared) and the shared notes of the other person — never the
other person's private notes; their answers to named surveys and, for anonymous ones, only that
they were invited and answered (an anonymous answer cannot be found again, by design); career
plans about them in full; as a coach, how many career plans they write. Other people appear by
role ("manager", "coach"), not by name.

Erasure: texts the person wrote or that are about them are cleared; rows that numbers depend on
(a plan was written and agreed, a check-in was held, a survey was answered) stay.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def development_export(person: Any) -> dict[str, Any]:
    from gilde.development.models import (
        CareerPlan,
        CheckIn,
        CheckInNote,
        DevelopmentPlan,
        NoteVisibility,
        SurveyInvitation,
        SurveyResponse,
    )

    plans = (
        DevelopmentPlan.objects.filter(person=person)
        .select_related("organisation")
        .prefetch_related(
            "goals__competencies__competency",
            "goals__actions__catalogue_item",
            "comments",
            "revisions",
        )
    )
    check_ins = CheckIn.objects.filter(Q(person=person) | Q(leader=person)).select_related(
        "organisation", "network"
    )
    notes = CheckInNote.objects.filter(check_in__in=check_ins).filter(
        Q(author=person) | Q(visibility=NoteVisibility.SHARED)
    )
    notes_by_check_in: dict[int, list[CheckInNote]] = {}
    for note in notes.order_by("created_at", "pk"):
        notes_by_check_in.setdefault(note.check_in_id, []).append(note)
    named = (
        SurveyResponse.objects.filter(person=person)
        .select_related("survey")
        .prefetch_related("answers")
    )
    return {
        "development_plans": [
            {
                "organisation": plan.organisation.name,
                "title": plan.title,
                "period": [_iso(plan.period_start), _iso(plan.period_end)],
                "learning_question": plan.learning_question,
                "status": plan.status,
                "submitted_at": _iso(plan.submitted_at),
                "agreed_at": _iso(plan.agreed_at),
                "closed_at": _iso(plan.closed_at),
                "reflection": plan.reflection,
                "goals": [
                    {
                        "what": goal.what,
                        "why": goal.why,
                        "how_you_will_know": goal.how_i_know,
                        "due_date": _iso(goal.due_date),
                        "status": goal.status,
                        "competencies": [
                            {"code": gc.competency.code, "target_level": gc.target_level}
                            for gc in goal.competencies.all()
                        ],
                        "actions": [
                            {
                                "kind": a.kind,
                                "description": a.description,
                                "catalogue_item": a.catalogue_item.title
                                if a.catalogue_item
                                else None,
                                "due_date": _iso(a.due_date),
                                "status": a.status,
                                "done_at": _iso(a.done_at),
                            }
                            for a in goal.actions.all()
                        ],
                    }
                    for goal in plan.goals.all()
                ],
                "comments": [
                    {
                        "by": "you" if c.author_id == person.pk else "manager",
                        "at": _iso(c.created_at),
                        "text": c.text,
                    }
                    for c in plan.comments.all()
                ],
                "agreed_versions": [
                    {"number": r.number, "agreed_at": _iso(r.agreed_at), "content": r.snapshot}
                    for r in plan.revisions.all()
                ],
            }
            for plan in plans
        ],
        "check_ins": [
            {
                "you_were": "learner" if c.person_id == person.pk else "manager or coach",
                "organisation": c.organisation.name if c.organisation else None,
                "network": c.network.name if c.network else None,
                "planned_for": _iso(c.scheduled_for),
                "status": c.status,
                "held_at": _iso(c.held_at),
                "notes": [
                    {
                        "by": "you" if n.author_id == person.pk else "the other person",
                        "visibility": n.visibility,
                        "at": _iso(n.created_at),
                        "text": n.text,
                    }
                    for n in notes_by_check_in.get(c.pk, [])
                ],
            }
            for c in check_ins
        ],
        "survey_invitations": [
            {"survey": i.survey.title, "mode": i.survey.mode, "answered": i.answered}
            for i in SurveyInvitation.objects.filter(person=person).select_related("survey")
        ],
        "named_survey_answers": [
            {
                "survey": r.survey.title,
                "submitted_at": _iso(r.submitted_at),
                "needs": {a.code: {"need": a.need, "level": a.level} for a in r.answers.all()},
                "hours_per_week": r.hours_per_week,
                "open_answers": r.open_answers,
            }
            for r in named
        ],
        "career_plans_about_you": [
            {
                "network": c.network.name,
                "status": c.status,
                "consent_given_at": _iso(c.consent_given_at),
                "consent_withdrawn_at": _iso(c.consent_withdrawn_at),
                "intake_date": _iso(c.intake_date),
                "intake": c.intake,
                "current_situation": c.current_situation,
                "strengths": c.strengths,
                "values_and_ambitions": c.values_ambitions,
                "options": c.options,
                "chosen_route": c.chosen_route,
                "steps": [
                    {
                        "step": s.description,
                        "due_date": _iso(s.due_date),
                        "done_at": _iso(s.done_at),
                    }
                    for s in c.steps.all()
                ],
                "progress_notes": [
                    {"date": _iso(n.written_on), "text": n.text} for n in c.notes.all()
                ],
                "evaluation": c.evaluation,
                "closed_at": _iso(c.closed_at),
            }
            for c in CareerPlan.objects.filter(person=person)
            .select_related("network")
            .prefetch_related("steps", "notes")
        ],
        "career_plans_you_write_as_coach": CareerPlan.objects.filter(coach=person).count(),
    }


def development_erase(person: Any) -> None:
    """Texts go; the facts that count stay (a plan existed and was agreed, a check-in was held,
    a survey was answered). Notes the person wrote are deleted. Named survey answers become
    anonymous: the link to the person is cut and the open answers are cleared. Career plans
    about the person lose every text; as a coach, the person's progress notes lose their text."""
    from gilde.development.models import (
        CareerNote,
        CareerPlan,
        CareerStep,
        CheckInNote,
        DevelopmentPlan,
        Goal,
        PlanAction,
        PlanComment,
        PlanRevision,
        SurveyResponse,
    )

    plans = DevelopmentPlan.objects.filter(person=person)
    plans.update(title="—", learning_question="", reflection="")
    Goal.objects.filter(plan__in=plans).update(what="—", why="", how_i_know="")
    PlanAction.objects.filter(goal__plan__in=plans).update(description="—")
    PlanComment.objects.filter(Q(plan__in=plans) | Q(author=person)).update(text="")
    PlanRevision.objects.filter(plan__in=plans).update(snapshot={})
    CheckInNote.objects.filter(author=person).delete()
    CheckInNote.objects.filter(Q(check_in__person=person)).update(text="")
    SurveyResponse.objects.filter(person=person).update(person=None, open_answers=[])
    careers = CareerPlan.objects.filter(person=person)
    careers.update(
        intake="",
        current_situation="",
        strengths="",
        values_ambitions="",
        options="",
        chosen_route="",
        evaluation="",
    )
    CareerStep.objects.filter(plan__in=careers).update(description="—")
    CareerNote.objects.filter(Q(plan__in=careers) | Q(author=person)).update(text="")


def register_development_section() -> None:
    from gilde.privacy.registry import register

    register(
        "development",
        export=development_export,
        erase=development_erase,
        covers=[
            "development.DevelopmentPlan",
            "development.PlanAction",
            "development.PlanComment",
            "development.PlanRevision",
            "development.CheckIn",
            "development.CheckInNote",
            "development.Survey",
            "development.SurveyInvitation",
            "development.SurveyResponse",
            "development.OfferingProposal",
            "development.CareerPlan",
            "development.CareerNote",
            "development.DevelopmentTarget",
        ],
    )
