"""Writes for native e-learning lessons: writing them (pages, images, videos, quizzes with a
question bank) and taking them (pages, attempts, answers, the result).

The same rules as `learning.services`: keyword arguments, one transaction, an audit row for what
authors change, a learning record (xAPI, through `learning.records`) for every learning act, and
a LearningError with a message fit to show when a rule refuses — nothing has changed then.

Taking a lesson:
- `lesson_start` enrols the learner if needed (through the catalogue's own enrolment service),
  records "launched" and returns the enrolment, which keeps the page they were on;
- `lesson_page_open` moves them to a page ("progressed");
- `attempt_start` draws the questions of an attempt from the quiz's bank in random order and
  stores them on the attempt, so a resumed attempt shows the same questions;
- `answer_submit` stores one answer per question ("answered"); a second answer to the same
  question, an answer after the attempt was handed in and an answer after its time limit are
  refused;
- `attempt_submit` scores the attempt ("passed" or "failed"); passing the lesson's quizzes
  completes the item through `services.complete_item` (study hours, records, proposals of new
  levels).
Attempts and answers are new rows; none is ever changed after it is handed in.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.learning import records
from gilde.learning.kinds import CompletionFacts, kind_of
from gilde.learning.models import (
    LESSON_IMAGE_MAX_BYTES,
    AcceptedAnswer,
    Answer,
    Attempt,
    CatalogueItem,
    Choice,
    Enrolment,
    EnrolmentStatus,
    ItemKind,
    ItemStatus,
    LessonImage,
    LessonPage,
    Question,
    QuestionKind,
    Quiz,
)
from gilde.learning.services import LearningError, complete_item, enrolment_self_create

# --- limits -------------------------------------------------------------------------------------

# Pillow's format names of the images a lesson may show, with the stored type and extension.
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
    "GIF": ("image/gif", ".gif"),
}
IMAGE_MAX_SIDE = 6000  # pixels; a photo from a phone is about 4000 wide
IMAGE_MAX_PIXELS = 24_000_000
MAX_CHOICES = 8
SHORT_ANSWER_MAX = 200


def image_limits_text() -> str:
    return _("JPEG, PNG, WebP or GIF, at most %(mb)d MB and %(px)d pixels wide or high.") % {
        "mb": LESSON_IMAGE_MAX_BYTES // (1024 * 1024),
        "px": IMAGE_MAX_SIDE,
    }


def _lesson_only(item: CatalogueItem) -> None:
    if item.kind != ItemKind.LESSON:
        raise LearningError(_("Only e-learning lessons have pages and quizzes."))


def _audit(*, actor: Any, action: str, item: CatalogueItem, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        organisation=item.organisation,
        network=item.network,
        item=str(item.uuid),
        title=item.title,
        **detail,
    )


# --- videos -------------------------------------------------------------------------------------

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
# The only hosts a lesson page may frame (the lesson pages' Content-Security-Policy lists them).
VIDEO_FRAME_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")


@dataclass(frozen=True)
class Video:
    url: str  # the link as the author gave it
    embed_url: str = ""  # a player to frame, or empty: then the page shows a plain link
    provider: str = ""


def video_for(url: str) -> Video | None:
    """A video link as a privacy-friendly player (YouTube without cookies, Vimeo with "do not
    track") or, for any other https address, a plain link."""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    video_id = ""
    if host in YOUTUBE_HOSTS:
        segments = [s for s in parts.path.split("/") if s]
        if parts.path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) >= 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            video_id = segments[1]
    elif host == "youtu.be":
        video_id = parts.path.strip("/").split("/")[0]
    if video_id and YOUTUBE_ID.match(video_id):
        return Video(
            url=url,
            embed_url=f"https://www.youtube-nocookie.com/embed/{video_id}",
            provider="YouTube",
        )
    if host in VIMEO_HOSTS:
        numbers = [s for s in parts.path.split("/") if s.isdigit()]
        if numbers:
            return Video(
                url=url,
                embed_url=f"https://player.vimeo.com/video/{numbers[-1]}?dnt=1",
                provider="Vimeo",
            )
    return Video(url=url)


def _check_video_url(url: str) -> str:
    url = (url or "").strip()
    if url and not url.startswith("https://"):
        raise LearningError(_("A video link starts with https://."))
    return url


# --- pages --------------------------------------------------------------------------------------


def _pages(item: CatalogueItem) -> list[LessonPage]:
    return list(LessonPage.objects.filter(item=item).order_by("position", "pk"))


@transaction.atomic
def lesson_page_save(
    *,
    actor: Any,
    item: CatalogueItem,
    title: str,
    body: str,
    video_url: str = "",
    page: LessonPage | None = None,
) -> LessonPage:
    """A new page at the end of the lesson, or new text for an existing page."""
    _lesson_only(item)
    title = title.strip()
    if not title:
        raise LearningError(_("Give the page a title."))
    video_url = _check_video_url(video_url)
    if page is None:
        CatalogueItem.objects.select_for_update().filter(pk=item.pk).first()
        last = LessonPage.objects.filter(item=item).aggregate(last=Max("position"))["last"]
        page = LessonPage.objects.create(
            item=item,
            position=(last or 0) + 1,
            title=title[:200],
            body=body,
            video_url=video_url,
        )
        action = "learning.lesson_page_add"
    else:
        if page.item_id != item.pk:
            raise LearningError(_("This page is not part of the lesson."))
        page.title, page.body, page.video_url = title[:200], body, video_url
        page.save(update_fields=["title", "body", "video_url"])
        action = "learning.lesson_page_change"
    _audit(actor=actor, action=action, item=item, page=str(page.uuid), page_title=page.title)
    return page


@transaction.atomic
def lesson_page_move(
    *, actor: Any, item: CatalogueItem, page: LessonPage, direction: str
) -> list[LessonPage]:
    """Move a page one place up or down; the pages are numbered 1, 2, 3… again."""
    _lesson_only(item)
    CatalogueItem.objects.select_for_update().filter(pk=item.pk).first()
    pages = _pages(item)
    index = next((i for i, p in enumerate(pages) if p.pk == page.pk), None)
    if index is None:
        raise LearningError(_("This page is not part of the lesson."))
    other = index - 1 if direction == "up" else index + 1 if direction == "down" else -1
    if not 0 <= other < len(pages):
        raise LearningError(_("This page cannot move further that way."))
    pages[index], pages[other] = pages[other], pages[index]
    for position, each in enumerate(pages, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    _audit(
        actor=actor,
        action="learning.lesson_page_move",
        item=item,
        page=str(page.uuid),
        position=other + 1,
    )
    return pages


@transaction.atomic
def lesson_page_delete(*, actor: Any, item: CatalogueItem, page: LessonPage) -> None:
    _lesson_only(item)
    if page.item_id != item.pk:
        raise LearningError(_("This page is not part of the lesson."))
    if item.status == ItemStatus.PUBLISHED and LessonPage.objects.filter(item=item).count() <= 1:
        raise LearningError(_("A published lesson keeps at least one page."))
    if Quiz.objects.filter(page=page).exists():
        raise LearningError(_("A quiz belongs to this page; move or remove the quiz first."))
    title = page.title
    page.delete()
    _audit(actor=actor, action="learning.lesson_page_delete", item=item, page_title=title)


# --- images -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedImage:
    content_type: str
    extension: str
    width: int
    height: int
    size: int


def image_check(upload: IO[bytes], *, size: int) -> CheckedImage:
    """Accept an image by what it is: Pillow must recognise it as JPEG, PNG, WebP or GIF and
    decode it whole. Refused with a message fit to show; nothing is stored by this check."""
    from PIL import Image, UnidentifiedImageError

    if size > LESSON_IMAGE_MAX_BYTES:
        raise LearningError(
            _("The image is too large: at most %(mb)d MB.")
            % {"mb": LESSON_IMAGE_MAX_BYTES // (1024 * 1024)}
        )
    if size <= 0:
        raise LearningError(_("The file is empty."))
    not_an_image = _("This file is not an image we can show. Use a JPEG, PNG, WebP or GIF image.")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            found = image.format or ""
            width, height = image.size
            if found not in IMAGE_FORMATS:
                raise LearningError(not_an_image)
            if max(width, height) > IMAGE_MAX_SIDE or width * height > IMAGE_MAX_PIXELS:
                raise LearningError(
                    _("The image is too large: at most %(px)d pixels wide or high.")
                    % {"px": IMAGE_MAX_SIDE}
                )
            image.verify()
        # verify() leaves the image unusable and does not decode every kind; decode it whole.
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except LearningError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise LearningError(not_an_image) from None
    finally:
        upload.seek(0)
    content_type, extension = IMAGE_FORMATS[found]
    return CheckedImage(content_type, extension, width, height, size)


def lesson_image_add(*, actor: Any, item: CatalogueItem, upload: Any, alt_text: str) -> LessonImage:
    """Store an uploaded image of the lesson, after checking what it is. The description is
    required: it is what a screen reader says instead of the picture."""
    _lesson_only(item)
    alt_text = " ".join((alt_text or "").split())
    if not alt_text:
        raise LearningError(_("Describe the image for people who cannot see it."))
    checked = image_check(upload, size=int(getattr(upload, "size", 0) or 0))
    image = LessonImage(
        item=item,
        filename=str(getattr(upload, "name", "") or "image")[:255],
        content_type=checked.content_type,
        size=checked.size,
        width=checked.width,
        height=checked.height,
        alt_text=alt_text[:300],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # The stored name is ours: the image's uuid and the extension of what it really is.
    image.file.save(f"{image.uuid}{checked.extension}", upload, save=False)
    try:
        with transaction.atomic():
            image.save()
            _audit(
                actor=actor,
                action="learning.lesson_image_add",
                item=item,
                image=str(image.uuid),
                filename=image.filename,
            )
    except Exception:
        image.file.delete(save=False)
        raise
    return image


# --- quizzes and the question bank --------------------------------------------------------------


@transaction.atomic
def quiz_save(
    *,
    actor: Any,
    item: CatalogueItem,
    title: str,
    pass_mark_percent: int,
    max_attempts: int | None = None,
    draw_count: int | None = None,
    time_limit_minutes: int | None = None,
    quiz: Quiz | None = None,
) -> Quiz:
    _lesson_only(item)
    title = title.strip()
    if not title:
        raise LearningError(_("Give the quiz a title."))
    if not 0 <= pass_mark_percent <= 100:
        raise LearningError(_("The pass mark is a percentage from 0 to 100."))
    for value in (max_attempts, draw_count, time_limit_minutes):
        if value is not None and value < 1:
            raise LearningError(_("Numbers of attempts, questions and minutes are at least 1."))
    fields: dict[str, Any] = {
        "title": title[:200],
        "pass_mark_percent": pass_mark_percent,
        "max_attempts": max_attempts,
        "draw_count": draw_count,
        "time_limit_minutes": time_limit_minutes,
    }
    if quiz is None:
        quiz = Quiz.objects.create(item=item, **fields)
        action = "learning.quiz_add"
    else:
        if quiz.item_id != item.pk:
            raise LearningError(_("This quiz is not part of the lesson."))
        for name, value in fields.items():
            setattr(quiz, name, value)
        quiz.save(update_fields=list(fields))
        action = "learning.quiz_change"
    _audit(actor=actor, action=action, item=item, quiz=str(quiz.uuid), quiz_title=quiz.title)
    return quiz


@dataclass(frozen=True)
class ChoiceInput:
    text: str
    correct: bool = False
    feedback: str = ""


def question_problem(
    kind: str, choices: list[ChoiceInput], accepted: list[str], prompt: str = "x"
) -> str | None:
    """Why a question cannot be saved as it is, or None. The rule that matters most: every
    question has a correct answer."""
    if not prompt.strip():
        return _("Write the question.")
    if kind not in QuestionKind.values:
        return _("Choose a kind of question.")
    if kind == QuestionKind.SHORT_ANSWER:
        if not [a for a in accepted if a.strip()]:
            return _("Give at least one accepted answer.")
        return None
    if len(choices) < 2:
        if kind == QuestionKind.ORDERING:
            return _("Give at least two steps to put in order.")
        return _("Give at least two answers to choose from.")
    if len(choices) > MAX_CHOICES:
        return _("Give at most %(n)d answers.") % {"n": MAX_CHOICES}
    if len({c.text.strip().casefold() for c in choices}) < len(choices):
        return _("Each answer must be different.")
    correct = sum(1 for c in choices if c.correct)
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        if correct != 1:
            return _("Mark exactly one answer as correct.")
    elif kind == QuestionKind.MULTIPLE and correct < 1:
        return _("Mark at least one answer as correct.")
    return None


def true_false_choices(
    item: CatalogueItem, *, true_is_correct: bool, feedback_true: str = "", feedback_false: str = ""
) -> list[ChoiceInput]:
    """The two answers of a true-or-false question, in the lesson's language."""
    with translation.override(item.language or "nl"):
        yes, no = _("True"), _("False")
    return [
        ChoiceInput(yes, true_is_correct, feedback_true),
        ChoiceInput(no, not true_is_correct, feedback_false),
    ]


@transaction.atomic
def question_save(
    *,
    actor: Any,
    quiz: Quiz,
    kind: str,
    prompt: str,
    feedback: str = "",
    points: int = 1,
    choices: list[ChoiceInput] | None = None,
    accepted: list[str] | None = None,
    question: Question | None = None,
) -> Question:
    """Add a question to the quiz's bank, or change one nobody has answered yet. A question
    without a correct answer is refused."""
    choices = [
        ChoiceInput(c.text.strip()[:500], c.correct, c.feedback.strip()[:500])
        for c in (choices or [])
        if c.text.strip()
    ]
    accepted_clean: list[str] = []
    for text in accepted or []:
        normal = " ".join(text.split())[:SHORT_ANSWER_MAX]
        if normal and normal.casefold() not in {a.casefold() for a in accepted_clean}:
            accepted_clean.append(normal)
    problem = question_problem(kind, choices, accepted_clean, prompt)
    if problem:
        raise LearningError(problem)
    if points < 1:
        raise LearningError(_("A question is worth at least 1 point."))
    item = quiz.item
    if question is None:
        last = Question.objects.filter(quiz=quiz).aggregate(last=Max("position"))["last"]
        question = Question.objects.create(
            quiz=quiz,
            kind=kind,
            prompt=prompt.strip(),
            feedback=feedback.strip(),
            points=points,
            position=(last or 0) + 1,
        )
        action = "learning.question_add"
    else:
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.quiz_id != quiz.pk:
            raise LearningError(_("This question is not part of the quiz."))
        if Answer.objects.filter(question=question).exists():
            raise LearningError(
                _(
                    "People have answered this question, so it stays as it is. Take it out of "
                    "the bank and write a new one."
                )
            )
        question.kind, question.prompt = kind, prompt.strip()
        question.feedback, question.points = feedback.strip(), points
        question.save(update_fields=["kind", "prompt", "feedback", "points"])
        question.choices.all().delete()
        question.accepted.all().delete()
        action = "learning.question_change"
    if kind == QuestionKind.SHORT_ANSWER:
        AcceptedAnswer.objects.bulk_create(
            AcceptedAnswer(question=question, text=text) for text in accepted_clean
        )
    else:
        Choice.objects.bulk_create(
            Choice(
                question=question,
                text=c.text,
                correct=c.correct and kind != QuestionKind.ORDERING,
                feedback=c.feedback,
                position=position,
            )
            for position, c in enumerate(choices, start=1)
        )
    _audit(actor=actor, action=action, item=item, quiz=str(quiz.uuid), question=str(question.uuid))
    return question


@transaction.atomic
def question_remove(*, actor: Any, question: Question) -> bool:
    """Take a question out of the bank: deleted when nobody answered it, else kept for the
    attempts that used it and no longer drawn. Returns True when it was deleted."""
    question = Question.objects.select_for_update().select_related("quiz__item").get(pk=question.pk)
    item = question.quiz.item
    remaining = Question.objects.filter(quiz=question.quiz, active=True).exclude(pk=question.pk)
    if item.status == ItemStatus.PUBLISHED and not remaining.exists():
        raise LearningError(_("A quiz of a published lesson keeps at least one question."))
    deleted = not Answer.objects.filter(question=question).exists()
    if deleted:
        question.delete()
    else:
        question.active = False
        question.save(update_fields=["active"])
    _audit(
        actor=actor,
        action="learning.question_remove",
        item=item,
        quiz=str(question.quiz.uuid),
        question=str(question.uuid),
    )
    return deleted


def _stored_question_problem(question: Question) -> str | None:
    choices = [ChoiceInput(c.text, c.correct) for c in question.choices.all()]
    accepted = [a.text for a in question.accepted.all()]
    return question_problem(question.kind, choices, accepted, question.prompt)


def lesson_publish_problem(item: CatalogueItem) -> str | None:
    """Why a lesson cannot be published yet: no pages, a quiz without questions, or a question
    without a correct answer."""
    if not LessonPage.objects.filter(item=item).exists():
        return _("Write at least one page before publishing the lesson.")
    quizzes = Quiz.objects.filter(item=item).prefetch_related(
        "questions__choices", "questions__accepted"
    )
    for quiz in quizzes:
        active = [q for q in quiz.questions.all() if q.active]
        if not active:
            return _("The quiz '%(quiz)s' has no questions yet.") % {"quiz": quiz.title}
        for number, question in enumerate(active, start=1):
            problem = _stored_question_problem(question)
            if problem:
                return _("Question %(n)d of '%(quiz)s': %(problem)s") % {
                    "n": number,
                    "quiz": quiz.title,
                    "problem": problem,
                }
    return None


# --- taking the lesson --------------------------------------------------------------------------


def _touch(enrolment: Enrolment, **fields: Any) -> None:
    enrolment.last_activity_at = timezone.now()
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.save(update_fields=["last_activity_at", *fields])


def _locked_enrolment(enrolment: Enrolment, actor: Any) -> Enrolment:
    locked = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("item", "item__network", "item__organisation", "person", "organisation")
        .get(pk=enrolment.pk)
    )
    if locked.person_id != actor.pk:
        raise LearningError(_("Only the learner can do this."))
    if locked.status == EnrolmentStatus.COMPLETED:
        raise LearningError(_("You have completed this lesson already."))
    if locked.status != EnrolmentStatus.ACTIVE:
        raise LearningError(_("This enrolment has ended; enrol again first."))
    return locked


@transaction.atomic
def lesson_start(*, actor: Any, item: CatalogueItem) -> Enrolment:
    """Start or resume a lesson: enrols the learner first when they are not enrolled yet, and
    puts them on the first page the first time."""
    _lesson_only(item)
    enrolment = Enrolment.objects.filter(
        person=actor, item=item, status=EnrolmentStatus.ACTIVE
    ).first()
    if enrolment is None:
        enrolment = enrolment_self_create(actor=actor, item=item)
    enrolment = _locked_enrolment(enrolment, actor)
    if enrolment.current_page_id is None:
        pages = _pages(item)
        if pages:
            has_quiz = Quiz.objects.filter(item=item).exists()
            progress = max(enrolment.progress_percent, _progress_for(pages[0], pages, has_quiz))
            _touch(enrolment, current_page=pages[0], progress_percent=progress)
        else:
            _touch(enrolment)
    else:
        _touch(enrolment)
    records.record_launched(enrolment)
    return enrolment


def _progress_for(page: LessonPage, pages: list[LessonPage], has_quiz: bool) -> int:
    """How far the learner is after opening `page`: pages read, out of 90 when a quiz still
    has to be passed (passing completes the lesson at 100)."""
    index = next((i for i, p in enumerate(pages) if p.pk == page.pk), 0)
    share = (index + 1) / max(len(pages), 1)
    return int(share * (90 if has_quiz else 100))


@transaction.atomic
def lesson_page_open(*, actor: Any, enrolment: Enrolment, page: LessonPage) -> Enrolment:
    """The learner moves to a page: it is where they resume next time; progress only grows."""
    enrolment = _locked_enrolment(enrolment, actor)
    if page.item_id != enrolment.item_id:
        raise LearningError(_("This page is not part of the lesson."))
    pages = _pages(enrolment.item)
    has_quiz = Quiz.objects.filter(item_id=enrolment.item_id).exists()
    progress = max(enrolment.progress_percent, _progress_for(page, pages, has_quiz))
    _touch(enrolment, current_page=page, progress_percent=progress)
    records.record_progressed(enrolment, page=page)
    return enrolment


@transaction.atomic
def lesson_finish(*, actor: Any, enrolment: Enrolment) -> Any:
    """A lesson without a quiz is done when the learner has read the last page."""
    enrolment = _locked_enrolment(enrolment, actor)
    if Quiz.objects.filter(item_id=enrolment.item_id).exists():
        raise LearningError(_("Pass the quiz first."))
    return complete_item(actor=actor, enrolment=enrolment)


# --- attempts -----------------------------------------------------------------------------------


def attempt_is_late(attempt: Attempt, now: Any = None) -> bool:
    return attempt.deadline_at is not None and (now or timezone.now()) > attempt.deadline_at


def attempts_left(quiz: Quiz, used: int) -> int | None:
    """Attempts the learner may still start (None: no limit)."""
    return None if quiz.max_attempts is None else max(quiz.max_attempts - used, 0)


@transaction.atomic
def attempt_start(*, actor: Any, enrolment: Enrolment, quiz: Quiz) -> Attempt:
    """Resume the open attempt, or start a new one: questions drawn from the bank at random,
    in random order, kept on the attempt."""
    enrolment = _locked_enrolment(enrolment, actor)
    if quiz.item_id != enrolment.item_id:
        raise LearningError(_("This quiz is not part of the lesson."))
    attempts = list(Attempt.objects.filter(enrolment=enrolment, quiz=quiz).order_by("number"))
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    if open_attempt is not None:
        if attempt_is_late(open_attempt):
            # Its time ran out while the learner was away: hand it in as it is and show its
            # result; a new attempt is the next step from there.
            return _close(open_attempt, enrolment, actor)
        return open_attempt
    if any(a.passed for a in attempts):
        raise LearningError(_("You passed this quiz already."))
    left = attempts_left(quiz, len(attempts))
    if left == 0:
        raise LearningError(
            _("You have used all %(n)d attempts at this quiz.") % {"n": quiz.max_attempts}
        )
    bank = list(
        Question.objects.filter(quiz=quiz, active=True)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    if not bank:
        raise LearningError(_("This quiz has no questions yet."))
    count = min(quiz.draw_count or len(bank), len(bank))
    drawn = secrets.SystemRandom().sample(bank, count)
    now = timezone.now()
    attempt = Attempt.objects.create(
        enrolment=enrolment,
        quiz=quiz,
        number=(attempts[-1].number + 1) if attempts else 1,
        question_ids=drawn,
        started_at=now,
        deadline_at=(
            now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
        ),
    )
    _touch(enrolment)
    return attempt


def normalise_text(text: str) -> str:
    """A short answer as compared: case and spaces do not matter."""
    return " ".join(str(text).split()).casefold()


def ordering_display(attempt: Attempt, question: Question, choices: list[Choice]) -> list[Choice]:
    """The steps of an ordering question in a shuffled order that is the same every time this
    attempt shows the question, and never already the right order."""
    shuffled = list(choices)
    # Not for security: only the order in which the steps are shown.
    rng = random.Random(f"{attempt.uuid}:{question.pk}")  # noqa: S311
    rng.shuffle(shuffled)
    if len(shuffled) > 1 and [c.pk for c in shuffled] == [c.pk for c in choices]:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


def grade(
    question: Question, choices: list[Choice], accepted: list[str], response: dict[str, Any]
) -> bool:
    if question.kind == QuestionKind.SHORT_ANSWER:
        given = normalise_text(response.get("value", ""))
        return bool(given) and given in {normalise_text(a) for a in accepted}
    if question.kind == QuestionKind.ORDERING:
        right = [c.pk for c in sorted(choices, key=lambda c: (c.position, c.pk))]
        return list(response.get("order", [])) == right
    chosen = set(response.get("choices", []))
    return chosen == {c.pk for c in choices if c.correct}


def clean_response(
    question: Question, choices: list[Choice], raw: dict[str, Any]
) -> dict[str, Any]:
    """The learner's answer in the stored shape, checked against the question's own answers."""
    ids = {c.pk for c in choices}
    if question.kind == QuestionKind.SHORT_ANSWER:
        value = " ".join(str(raw.get("value", "")).split())[:SHORT_ANSWER_MAX]
        if not value:
            raise LearningError(_("Type your answer."))
        return {"value": value}
    if question.kind == QuestionKind.ORDERING:
        order = [int(v) for v in raw.get("order", [])]
        if sorted(order) != sorted(ids):
            raise LearningError(_("Give every step its own place."))
        return {"order": order}
    chosen = sorted({int(v) for v in raw.get("choices", [])})
    if not chosen:
        raise LearningError(_("Choose an answer."))
    if not set(chosen) <= ids:
        raise LearningError(_("Choose one of the answers shown."))
    if question.kind != QuestionKind.MULTIPLE and len(chosen) != 1:
        raise LearningError(_("Choose one answer."))
    return {"choices": chosen}


def _locked_attempt(attempt: Attempt, actor: Any) -> Attempt:
    locked = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("enrolment__item__network", "enrolment__person", "enrolment__organisation")
        .select_related("quiz")
        .get(pk=attempt.pk)
    )
    if locked.enrolment.person_id != actor.pk:
        raise LearningError(_("Only the learner can do this."))
    return locked


@transaction.atomic
def answer_submit(
    *, actor: Any, attempt: Attempt, question: Question, response: dict[str, Any]
) -> Answer:
    """Store the learner's answer to one question of an open attempt, once."""
    attempt = _locked_attempt(attempt, actor)
    if attempt.submitted_at is not None:
        raise LearningError(_("This attempt is handed in already; answers can no longer change."))
    if attempt_is_late(attempt):
        raise LearningError(
            _("The time for this attempt is up, so this answer was not saved. Hand in the attempt.")
        )
    if question.pk not in attempt.question_ids:
        raise LearningError(_("This question is not part of this attempt."))
    if Answer.objects.filter(attempt=attempt, question=question).exists():
        raise LearningError(_("You answered this question already; your first answer counts."))
    choices = list(Choice.objects.filter(question=question).order_by("position", "pk"))
    accepted = list(AcceptedAnswer.objects.filter(question=question).values_list("text", flat=True))
    cleaned = clean_response(question, choices, response)
    correct = grade(question, choices, accepted, cleaned)
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                attempt=attempt,
                question=question,
                response=cleaned,
                correct=correct,
                points=Decimal(question.points) if correct else Decimal("0"),
            )
    except IntegrityError as error:
        # The same answer sent twice at once: the unique constraint keeps the first.
        raise LearningError(
            _("You answered this question already; your first answer counts.")
        ) from error
    answer.question = question
    records.record_answered(attempt, [answer])
    _touch(attempt.enrolment)
    return answer


def _score_and_close(attempt: Attempt, enrolment: Enrolment) -> Attempt:
    questions = dict(
        Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "points")
    )
    total = sum(questions.values())
    earned = sum((a.points for a in Answer.objects.filter(attempt=attempt)), start=Decimal("0"))
    score = (
        (Decimal(100) * earned / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if total
        else Decimal("0")
    )
    attempt.submitted_at = timezone.now()
    attempt.score_percent = score
    attempt.passed = score >= attempt.quiz.pass_mark_percent
    attempt.save(update_fields=["submitted_at", "score_percent", "passed"])
    attempt.enrolment = enrolment
    records.record_attempt_result(attempt)
    audit_record(
        actor=enrolment.person,
        action="learning.attempt_submit",
        organisation=enrolment.organisation,
        subject=enrolment.person,
        item=str(enrolment.item.uuid),
        title=enrolment.item.title,
        attempt=attempt.number,
        score=str(score),
        passed=attempt.passed,
    )
    return attempt


@transaction.atomic
def attempt_submit(*, actor: Any, attempt: Attempt) -> Attempt:
    """Hand in an attempt: unanswered questions count as wrong. Passing the lesson's quizzes
    completes the item."""
    attempt = _locked_attempt(attempt, actor)
    if attempt.submitted_at is not None:
        raise LearningError(_("This attempt is handed in already."))
    enrolment = _locked_enrolment(attempt.enrolment, actor)
    return _close(attempt, enrolment, actor)


def _close(attempt: Attempt, enrolment: Enrolment, actor: Any) -> Attempt:
    attempt = _score_and_close(attempt, enrolment)
    if attempt.passed:
        facts = CompletionFacts(score_percent=attempt.score_percent)
        if kind_of(enrolment.item).completion_problem(enrolment=enrolment, facts=facts) is None:
            complete_item(actor=actor, enrolment=enrolment, score_percent=attempt.score_percent)
            return attempt
    _touch(enrolment)
    return attempt
