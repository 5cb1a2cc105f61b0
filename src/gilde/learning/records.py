"""Learning records: every learning act becomes an xAPI statement, written here and nowhere else.

Services call the `record_*` functions inside their own transaction; the statements are handed to
the Learning Record Store (`gilde.lrs.services.record_statements`), which stores them in the same
transaction, so a completion and its statement are stored together or not at all.

Identifiers:
- the actor is an account on this site named by the person's uuid (`agent_for`);
- activities live under <site>/xapi/activities/learning/<item uuid> (a quiz, question or page
  below that; a path under .../learning/paths/<path uuid>);
- the registration is the enrolment's uuid, so every statement of one enrolment is grouped;
- statements that describe a stored row (a completion, an answer, a finished attempt) get an id
  derived from that row, so writing them twice stores them once.

Verbs are ADL's (http://adlnet.gov/expapi/verbs/…).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from gilde.learning.models import (
        Answer,
        Attempt,
        CatalogueItem,
        Completion,
        Enrolment,
        LearningPath,
        LessonPage,
        PathEnrolment,
        Question,
        Quiz,
    )

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "registered": "registered",
    "launched": "launched",
    "progressed": "progressed",
    "answered": "answered",
    "completed": "completed",
    "passed": "passed",
    "failed": "failed",
    "attended": "attended",
}
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "course": "http://adlnet.gov/expapi/activities/course",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "meeting": "http://adlnet.gov/expapi/activities/meeting",
    "module": "http://adlnet.gov/expapi/activities/module",
    "path": "http://adlnet.gov/expapi/activities/course",
}
# The activity type of each kind of item.
KIND_TYPES = {
    "lesson": "lesson",
    "external": "course",
    "on_the_job": "module",
    "school_subject": "course",
    "event": "meeting",
    "package": "course",
}
# xAPI interaction types of our question kinds.
INTERACTION_TYPES = {
    "single": "choice",
    "multiple": "choice",
    "true_false": "true-false",
    "short_answer": "fill-in",
    "ordering": "sequencing",
}
PLATFORM = "Gilde"


def site_home() -> str:
    from gilde.lrs.services import site_home as lrs_site_home

    return lrs_site_home()


def agent_for(person: Any) -> dict[str, Any]:
    """The actor of Gilde's own statements: the LRS's account-based agent for the person."""
    from gilde.lrs.services import agent_for as lrs_agent_for

    return lrs_agent_for(person)


def verb(name: str) -> dict[str, Any]:
    return {"id": ADL + VERBS[name], "display": {"en-US": VERBS[name]}}


def _name(text: str, language: str) -> dict[str, str]:
    return {language or "nl": text}


def item_activity_id(item: CatalogueItem) -> str:
    return f"{site_home()}xapi/activities/learning/{item.uuid}"


def activity_for_item(item: CatalogueItem) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "name": _name(item.title, item.language),
        "type": ACTIVITY_TYPES[KIND_TYPES.get(item.kind, "course")],
    }
    if item.summary:
        definition["description"] = _name(item.summary[:500], item.language)
    return {"objectType": "Activity", "id": item_activity_id(item), "definition": definition}


def activity_for_page(page: LessonPage, item: CatalogueItem) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{item_activity_id(item)}/page/{page.uuid}",
        "definition": {
            "name": _name(page.title, item.language),
            "type": ACTIVITY_TYPES["module"],
        },
    }


def activity_for_quiz(quiz: Quiz, item: CatalogueItem) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{item_activity_id(item)}/quiz/{quiz.uuid}",
        "definition": {
            "name": _name(quiz.title, item.language),
            "type": ACTIVITY_TYPES["assessment"],
        },
    }


def activity_for_question(question: Question, item: CatalogueItem) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{item_activity_id(item)}/question/{question.uuid}",
        "definition": {
            "name": _name(question.prompt[:200], item.language),
            "type": ACTIVITY_TYPES["question"],
            "interactionType": INTERACTION_TYPES.get(question.kind, "other"),
        },
    }


def activity_for_path(path: LearningPath) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{site_home()}xapi/activities/learning/paths/{path.uuid}",
        "definition": {"name": _name(path.title, path.language), "type": ACTIVITY_TYPES["path"]},
    }


def _stable_id(*parts: Any) -> str:
    """A statement id derived from what the statement describes (idempotent rewrites)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, site_home() + "|".join(str(p) for p in parts)))


def _iso(moment: Any) -> str:
    return (moment or timezone.now()).isoformat()


def _scaled(percent: Decimal | float | None) -> dict[str, Any] | None:
    if percent is None:
        return None
    value = max(0.0, min(1.0, float(percent) / 100))
    return {"scaled": round(value, 4), "raw": float(percent), "min": 0, "max": 100}


def statement(
    *,
    person: Any,
    verb_name: str,
    obj: dict[str, Any],
    enrolment: Enrolment | None = None,
    parent: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
    statement_id: str | None = None,
    timestamp: Any = None,
    language: str = "",
) -> dict[str, Any]:
    context: dict[str, Any] = {"platform": PLATFORM}
    if enrolment is not None:
        context["registration"] = str(enrolment.uuid)
    if language:
        context["language"] = language
    if parent is not None:
        context["contextActivities"] = {"parent": [parent]}
    built: dict[str, Any] = {
        "id": statement_id or str(uuid.uuid4()),
        "actor": agent_for(person),
        "verb": verb(verb_name),
        "object": obj,
        "context": context,
        "timestamp": _iso(timestamp),
    }
    if result:
        built["result"] = result
    return built


def record(
    statements: list[dict[str, Any]], *, enrolment: Enrolment | None = None, person: Any = None
) -> list[str]:
    """Hand statements to the Learning Record Store of the organisation the person learns for
    (or of the item's network when there is none)."""
    from gilde.lrs.services import record_statements

    organisation = enrolment.organisation if enrolment is not None else None
    network = None
    if organisation is None and enrolment is not None:
        network = enrolment.item.network
        if network is None:
            organisation = enrolment.item.organisation
    return record_statements(
        statements=statements, organisation=organisation, network=network, person=person
    )


# --- the learning acts --------------------------------------------------------------------------


def record_registered(enrolment: Enrolment) -> list[str]:
    item = enrolment.item
    return record(
        [
            statement(
                person=enrolment.person,
                verb_name="registered",
                obj=activity_for_item(item),
                enrolment=enrolment,
                statement_id=_stable_id("registered", enrolment.uuid),
                timestamp=enrolment.enrolled_at,
                language=item.language,
            )
        ],
        enrolment=enrolment,
        person=enrolment.person,
    )


def record_launched(enrolment: Enrolment) -> list[str]:
    item = enrolment.item
    return record(
        [
            statement(
                person=enrolment.person,
                verb_name="launched",
                obj=activity_for_item(item),
                enrolment=enrolment,
                language=item.language,
            )
        ],
        enrolment=enrolment,
        person=enrolment.person,
    )


def record_progressed(enrolment: Enrolment, *, page: LessonPage | None = None) -> list[str]:
    item = enrolment.item
    obj = activity_for_page(page, item) if page is not None else activity_for_item(item)
    parent = activity_for_item(item) if page is not None else None
    return record(
        [
            statement(
                person=enrolment.person,
                verb_name="progressed",
                obj=obj,
                enrolment=enrolment,
                parent=parent,
                result={
                    "extensions": {
                        "https://w3id.org/xapi/cmi5/result/extensions/progress": (
                            enrolment.progress_percent
                        )
                    }
                },
                language=item.language,
            )
        ],
        enrolment=enrolment,
        person=enrolment.person,
    )


def record_answered(attempt: Attempt, answers: list[Answer]) -> list[str]:
    enrolment = attempt.enrolment
    item = enrolment.item
    quiz_activity = activity_for_quiz(attempt.quiz, item)
    statements = []
    for answer in answers:
        result: dict[str, Any] = {"response": _response_text(answer.response)}
        if answer.correct is not None:
            result["success"] = answer.correct
        statements.append(
            statement(
                person=enrolment.person,
                verb_name="answered",
                obj=activity_for_question(answer.question, item),
                enrolment=enrolment,
                parent=quiz_activity,
                result=result,
                statement_id=_stable_id("answered", attempt.uuid, answer.question_id),
                timestamp=answer.answered_at,
                language=item.language,
            )
        )
    return record(statements, enrolment=enrolment, person=enrolment.person) if statements else []


def _response_text(response: Any) -> str:
    """xAPI wants a response as a string; choices and orders are joined with "[,]"."""
    if isinstance(response, dict):
        value = response.get("value", response.get("choices", response.get("order", "")))
    else:
        value = response
    if isinstance(value, list):
        return "[,]".join(str(v) for v in value)
    return str(value)


def record_attempt_result(attempt: Attempt) -> list[str]:
    """Passed or failed, once the attempt is submitted."""
    enrolment = attempt.enrolment
    item = enrolment.item
    result: dict[str, Any] = {"success": bool(attempt.passed), "completion": True}
    score = _scaled(attempt.score_percent)
    if score:
        result["score"] = score
    return record(
        [
            statement(
                person=enrolment.person,
                verb_name="passed" if attempt.passed else "failed",
                obj=activity_for_quiz(attempt.quiz, item),
                enrolment=enrolment,
                parent=activity_for_item(item),
                result=result,
                statement_id=_stable_id("attempt", attempt.uuid),
                timestamp=attempt.submitted_at,
                language=item.language,
            )
        ],
        enrolment=enrolment,
        person=enrolment.person,
    )


def record_completed(completion: Completion, enrolment: Enrolment) -> list[str]:
    """The item is done: "attended" for an event, "passed" for a passed lesson or a school
    subject with a result, else "completed"."""
    item = enrolment.item
    verb_name = {"attended": "attended", "passed": "passed"}.get(completion.result, "completed")
    result: dict[str, Any] = {"completion": True}
    if verb_name == "passed":
        result["success"] = True
    score = _scaled(completion.score_percent)
    if score:
        result["score"] = score
    hours = completion.study_hours or Decimal("0")
    if hours:
        result["duration"] = f"PT{int(hours * 60)}M"
    return record(
        [
            statement(
                person=completion.person,
                verb_name=verb_name,
                obj=activity_for_item(item),
                enrolment=enrolment,
                result=result,
                statement_id=_stable_id("completion", completion.uuid),
                timestamp=completion.completed_at,
                language=item.language,
            )
        ],
        enrolment=enrolment,
        person=completion.person,
    )


def record_path_completed(path_enrolment: PathEnrolment) -> list[str]:
    from gilde.lrs.services import record_statements

    path = path_enrolment.path
    built = statement(
        person=path_enrolment.person,
        verb_name="completed",
        obj=activity_for_path(path),
        result={"completion": True},
        statement_id=_stable_id("path", path_enrolment.uuid),
        timestamp=path_enrolment.completed_at,
        language=path.language,
    )
    built["context"]["registration"] = str(path_enrolment.uuid)
    organisation = path_enrolment.organisation
    if organisation is None and path.network_id is None:
        organisation = path.organisation
    return record_statements(
        statements=[built],
        organisation=organisation,
        network=path.network if organisation is None else None,
        person=path_enrolment.person,
    )
