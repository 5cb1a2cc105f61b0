"""Pages for native e-learning lessons: writing them (pages with a live preview, images,
videos, quizzes and their question bank, the per-question results) and taking them (the player,
attempts, answers). Objects come through `selectors_lessons`' gateway, changes through
`learning.lessons`; a refused change shows its message and changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gilde.core.middleware import content_security_policy
from gilde.learning import lessons
from gilde.learning.access import can_edit_item
from gilde.learning.charts_lessons import question_chart
from gilde.learning.forms_lessons import (
    AnswerForm,
    ImageForm,
    PageForm,
    QuestionForm,
    QuizForm,
)
from gilde.learning.markdown import render_markdown
from gilde.learning.models import QuestionKind
from gilde.learning.selectors_lessons import (
    access_attempt,
    access_image,
    access_lesson,
    access_page,
    access_question,
    access_quiz,
    attempt_view,
    lesson_editor,
    lesson_player,
    my_lesson_enrolment,
    quiz_bank,
)
from gilde.learning.selectors_lessons import quiz_results as results_of_quiz
from gilde.learning.services import LearningError

# Lesson pages may frame the two video players and show images from https addresses.
LESSON_CSP = content_security_policy(frame_src=lessons.VIDEO_FRAME_HOSTS, img_src=("https:",))


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _lesson_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Content-Security-Policy"] = LESSON_CSP
    return response


def _refused(request: HttpRequest, error: LearningError) -> None:
    messages.error(request, str(error))


# --- writing: the lesson ------------------------------------------------------------------------


@login_required
@require_GET
def lesson_edit(request: HttpRequest, lesson_uuid: str) -> HttpResponse:
    item = access_lesson(request.user, lesson_uuid, edit=True)
    return render(
        request,
        "learning/lesson_edit.html",
        {
            "item": item,
            "editor": lesson_editor(item),
            "image_form": ImageForm(),
            "image_prefix": request.build_absolute_uri("/")[:-1],
        },
    )


def _page_form_page(
    request: HttpRequest,
    item: Any,
    form: PageForm,
    page: Any,
    preview: Any = None,
    status: int = 200,
) -> HttpResponse:
    return _lesson_page(
        request,
        "learning/lesson_page_form.html",
        {
            "item": item,
            "form": form,
            "page": page,
            "preview": preview,
            "images": list(item.images.order_by("created_at", "pk")),
        },
        status=status,
    )


def _preview_of(item: Any, body: str) -> Any:
    alt = {str(u): a for u, a in item.images.values_list("uuid", "alt_text")}
    return render_markdown(body, item_uuid=item.uuid, alt_texts=alt)


@login_required
def page_create(request: HttpRequest, lesson_uuid: str) -> HttpResponse:
    return _page_write(request, lesson_uuid, None)


@login_required
def page_edit(request: HttpRequest, lesson_uuid: str, page_uuid: str) -> HttpResponse:
    return _page_write(request, lesson_uuid, page_uuid)


def _page_write(request: HttpRequest, lesson_uuid: str, page_uuid: str | None) -> HttpResponse:
    item = access_lesson(request.user, lesson_uuid, edit=True)
    page = access_page(item, page_uuid) if page_uuid else None
    if request.method != "POST":
        initial = (
            {"title": page.title, "body": page.body, "video_url": page.video_url} if page else None
        )
        form = PageForm(initial=initial)
        return _page_form_page(
            request, item, form, page, preview=_preview_of(item, page.body) if page else None
        )
    form = PageForm(request.POST)
    if not form.is_valid():
        return _page_form_page(request, item, form, page, status=400)
    data = form.cleaned_data
    if "preview" in request.POST:
        return _page_form_page(request, item, form, page, preview=_preview_of(item, data["body"]))
    try:
        saved = lessons.lesson_page_save(
            actor=request.user,
            item=item,
            page=page,
            title=data["title"],
            body=data["body"],
            video_url=data["video_url"],
        )
    except LearningError as error:
        form.add_error(None, str(error))
        return _page_form_page(request, item, form, page, status=400)
    messages.success(request, _("The page is saved."))
    if "save_view" in request.POST:
        return redirect("learning:lesson-page", item.uuid, saved.uuid)
    return redirect("learning:lesson-edit", item.uuid)


@login_required
@require_POST
def lesson_preview(request: HttpRequest, lesson_uuid: str) -> HttpResponse:
    """The live preview while writing (htmx); without htmx the form's Preview button does it."""
    item = access_lesson(request.user, lesson_uuid, edit=True)
    body = request.POST.get("body", "")[:50_000]
    response = render(
        request, "learning/lesson_fragment_preview.html", {"preview": _preview_of(item, body)}
    )
    response["Content-Security-Policy"] = LESSON_CSP
    return response


@login_required
@require_POST
def page_move(request: HttpRequest, lesson_uuid: str, page_uuid: str) -> HttpResponse:
    item = access_lesson(request.user, lesson_uuid, edit=True)
    page = access_page(item, page_uuid)
    try:
        lessons.lesson_page_move(
            actor=request.user, item=item, page=page, direction=request.POST.get("direction", "")
        )
    except LearningError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The page has moved."))
    return redirect(reverse("learning:lesson-edit", args=[item.uuid]) + "#h-pages")


@login_required
@require_POST
def page_delete(request: HttpRequest, lesson_uuid: str, page_uuid: str) -> HttpResponse:
    item = access_lesson(request.user, lesson_uuid, edit=True)
    page = access_page(item, page_uuid)
    try:
        lessons.lesson_page_delete(actor=request.user, item=item, page=page)
    except LearningError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The page is removed."))
    return redirect(reverse("learning:lesson-edit", args=[item.uuid]) + "#h-pages")


@login_required
@require_POST
def image_upload(request: HttpRequest, lesson_uuid: str) -> HttpResponse:
    item = access_lesson(request.user, lesson_uuid, edit=True)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            lessons.lesson_image_add(
                actor=request.user,
                item=item,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except LearningError as error:
            form.add_error("image", str(error))
        else:
            messages.success(request, _("The image is added. Copy its line into a page."))
            return redirect(reverse("learning:lesson-edit", args=[item.uuid]) + "#h-images")
    return render(
        request,
        "learning/lesson_edit.html",
        {"item": item, "editor": lesson_editor(item), "image_form": form},
        status=400,
    )


@login_required
@require_GET
def image(request: HttpRequest, lesson_uuid: str, image_uuid: str) -> FileResponse:
    """An image of a lesson, for whoever sees the lesson; shown inline, never run."""
    found = access_image(request.user, lesson_uuid, image_uuid)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- writing: quizzes ---------------------------------------------------------------------------


@login_required
def quiz_create(request: HttpRequest, lesson_uuid: str) -> HttpResponse:
    item = access_lesson(request.user, lesson_uuid, edit=True)
    form = QuizForm(request.POST or None, initial={"title": _("Quiz"), "pass_mark_percent": 70})
    if request.method == "POST" and form.is_valid():
        try:
            quiz = lessons.quiz_save(actor=request.user, item=item, **form.cleaned_data)
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The quiz is saved. Now add questions to its bank."))
            return redirect("learning:quiz-edit", quiz.uuid)
    return render(
        request,
        "learning/lesson_quiz_form.html",
        {"item": item, "form": form, "quiz": None},
        status=400 if form.errors else 200,
    )


@login_required
def quiz_edit(request: HttpRequest, quiz_uuid: str) -> HttpResponse:
    quiz = access_quiz(request.user, quiz_uuid, edit=True)
    form = QuizForm(request.POST) if request.method == "POST" else QuizForm.for_quiz(quiz)
    if request.method == "POST" and form.is_valid():
        try:
            lessons.quiz_save(actor=request.user, item=quiz.item, quiz=quiz, **form.cleaned_data)
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("learning:quiz-edit", quiz.uuid)
    return render(
        request,
        "learning/lesson_quiz_form.html",
        {
            "item": quiz.item,
            "form": form,
            "quiz": quiz,
            "bank": quiz_bank(quiz),
            "kinds": QuestionKind.choices,
        },
        status=400 if form.errors else 200,
    )


def _question_page(
    request: HttpRequest, quiz: Any, form: QuestionForm, question: Any, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "learning/lesson_question_form.html",
        {
            "item": quiz.item,
            "quiz": quiz,
            "form": form,
            "question": question,
            "kind_label": QuestionKind(form.kind).label,
        },
        status=status,
    )


@login_required
def question_create(request: HttpRequest, quiz_uuid: str) -> HttpResponse:
    quiz = access_quiz(request.user, quiz_uuid, edit=True)
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in QuestionKind.values:
        return redirect(reverse("learning:quiz-edit", args=[quiz.uuid]) + "#h-add-question")
    form = QuestionForm(
        request.POST if request.method == "POST" else None, kind=kind, item=quiz.item
    )
    if request.method == "POST" and form.is_valid():
        try:
            lessons.question_save(
                actor=request.user,
                quiz=quiz,
                kind=kind,
                prompt=form.cleaned_data["prompt"],
                feedback=form.cleaned_data["feedback"],
                points=form.cleaned_data["points"],
                choices=form.choice_inputs(),
                accepted=form.accepted_answers(),
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question is in the bank."))
            return redirect(reverse("learning:quiz-edit", args=[quiz.uuid]) + "#h-bank")
    return _question_page(request, quiz, form, None, status=400 if form.errors else 200)


@login_required
def question_edit(request: HttpRequest, question_uuid: str) -> HttpResponse:
    question = access_question(request.user, question_uuid)
    quiz = question.quiz
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        kind=question.kind,
        item=quiz.item,
        question=question,
    )
    if request.method == "POST" and form.is_valid():
        try:
            lessons.question_save(
                actor=request.user,
                quiz=quiz,
                question=question,
                kind=question.kind,
                prompt=form.cleaned_data["prompt"],
                feedback=form.cleaned_data["feedback"],
                points=form.cleaned_data["points"],
                choices=form.choice_inputs(),
                accepted=form.accepted_answers(),
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(reverse("learning:quiz-edit", args=[quiz.uuid]) + "#h-bank")
    return _question_page(request, quiz, form, question, status=400 if form.errors else 200)


@login_required
@require_POST
def question_remove(request: HttpRequest, question_uuid: str) -> HttpResponse:
    question = access_question(request.user, question_uuid)
    quiz = question.quiz
    try:
        deleted = lessons.question_remove(actor=request.user, question=question)
    except LearningError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The question is deleted.")
            if deleted
            else _("The question is out of the bank; earlier attempts keep it."),
        )
    return redirect(reverse("learning:quiz-edit", args=[quiz.uuid]) + "#h-bank")


@login_required
@require_GET
def quiz_results(request: HttpRequest, quiz_uuid: str) -> HttpResponse:
    quiz = access_quiz(request.user, quiz_uuid)
    results = results_of_quiz(request.user, quiz)
    return render(
        request,
        "learning/lesson_quiz_results.html",
        {
            "item": quiz.item,
            "quiz": quiz,
            "results": results,
            "chart": question_chart(results.questions) if results.attempts else "",
        },
    )


# --- taking the lesson --------------------------------------------------------------------------


@login_required
@require_GET
def player(request: HttpRequest, lesson_uuid: str) -> HttpResponse:
    """The lesson's start: where the learner left off, or the button to start."""
    item = access_lesson(request.user, lesson_uuid)
    state = lesson_player(request.user, item)
    if state.enrolment is not None and state.page is not None:
        return redirect("learning:lesson-page", item.uuid, state.page.uuid)
    return _lesson_page(
        request,
        "learning/lesson_start.html",
        {"item": item, "player": state, "can_edit": can_edit_item(request.user, item)},
    )


@login_required
@require_POST
def start(request: HttpRequest, lesson_uuid: str) -> HttpResponse:
    item = access_lesson(request.user, lesson_uuid)
    try:
        enrolment = lessons.lesson_start(actor=request.user, item=item)
    except LearningError as error:
        _refused(request, error)
        return redirect("learning:item-detail", item.uuid)
    if enrolment.current_page_id is None:
        messages.info(request, _("This lesson has no pages yet."))
        return redirect("learning:item-detail", item.uuid)
    page = enrolment.current_page
    assert page is not None
    return redirect("learning:lesson-page", item.uuid, page.uuid)


@login_required
@require_GET
def page_view(request: HttpRequest, lesson_uuid: str, page_uuid: str) -> HttpResponse:
    item = access_lesson(request.user, lesson_uuid)
    page = access_page(item, page_uuid)
    state = lesson_player(request.user, item, page)
    can_edit = can_edit_item(request.user, item)
    if state.enrolment is None and state.completed is None and not can_edit:
        return redirect("learning:lesson", item.uuid)
    return _lesson_page(
        request,
        "learning/lesson_page.html",
        {"item": item, "player": state, "can_edit": can_edit},
    )


@login_required
@require_POST
def page_open(request: HttpRequest, lesson_uuid: str, page_uuid: str) -> HttpResponse:
    """Next or previous: the page becomes the one the learner resumes at."""
    item = access_lesson(request.user, lesson_uuid)
    page = access_page(item, page_uuid)
    enrolment = my_lesson_enrolment(request.user, item)
    if enrolment is None:
        return redirect("learning:lesson", item.uuid)
    try:
        lessons.lesson_page_open(actor=request.user, enrolment=enrolment, page=page)
    except LearningError as error:
        _refused(request, error)
    return redirect("learning:lesson-page", item.uuid, page.uuid)


@login_required
@require_POST
def finish(request: HttpRequest, lesson_uuid: str) -> HttpResponse:
    item = access_lesson(request.user, lesson_uuid)
    enrolment = my_lesson_enrolment(request.user, item)
    if enrolment is None:
        return redirect("learning:lesson", item.uuid)
    try:
        lessons.lesson_finish(actor=request.user, enrolment=enrolment)
    except LearningError as error:
        _refused(request, error)
        return redirect("learning:lesson", item.uuid)
    messages.success(request, _("Well done! You have completed the lesson."))
    return redirect("learning:enrolment", enrolment.uuid)


@login_required
@require_POST
def attempt_start(request: HttpRequest, quiz_uuid: str) -> HttpResponse:
    quiz = access_quiz(request.user, quiz_uuid)
    enrolment = my_lesson_enrolment(request.user, quiz.item)
    if enrolment is None:
        return redirect("learning:lesson", quiz.item.uuid)
    try:
        attempt = lessons.attempt_start(actor=request.user, enrolment=enrolment, quiz=quiz)
    except LearningError as error:
        _refused(request, error)
        return redirect("learning:lesson", quiz.item.uuid)
    return redirect("learning:attempt", attempt.uuid)


def _attempt_page(
    request: HttpRequest, attempt: Any, form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    view = attempt_view(request.user, attempt)
    current = view.current
    if form is None and current is not None and view.is_learner and not view.submitted:
        form = AnswerForm(view=current, prefix="q")
    return _lesson_page(
        request,
        "learning/lesson_attempt.html",
        {"view": view, "item": view.item, "current": current, "form": form},
        status=status,
    )


@login_required
@require_GET
def attempt(request: HttpRequest, attempt_uuid: str) -> HttpResponse:
    return _attempt_page(request, access_attempt(request.user, attempt_uuid))


@login_required
@require_POST
def answer(request: HttpRequest, attempt_uuid: str) -> HttpResponse:
    found = access_attempt(request.user, attempt_uuid)
    if found.enrolment.person_id != request.user.pk:
        raise Http404
    view = attempt_view(request.user, found)
    target = next(
        (q for q in view.questions if str(q.question.uuid) == request.POST.get("question")), None
    )
    if target is None:
        messages.error(request, _("This question is not part of this attempt."))
        return redirect("learning:attempt", found.uuid)
    if target.answer is not None:
        messages.error(request, _("You answered this question already; your first answer counts."))
        return redirect("learning:attempt", found.uuid)
    form = AnswerForm(request.POST, view=target, prefix="q")
    if not form.is_valid():
        return _attempt_page(request, found, form=form, status=400)
    try:
        lessons.answer_submit(
            actor=request.user, attempt=found, question=target.question, response=form.response()
        )
    except LearningError as error:
        _refused(request, error)
    return redirect("learning:attempt", found.uuid)


@login_required
@require_POST
def attempt_submit(request: HttpRequest, attempt_uuid: str) -> HttpResponse:
    found = access_attempt(request.user, attempt_uuid)
    if found.enrolment.person_id != request.user.pk:
        raise Http404
    try:
        done = lessons.attempt_submit(actor=request.user, attempt=found)
    except LearningError as error:
        _refused(request, error)
    else:
        if done.passed:
            messages.success(request, _("You passed the quiz."))
        else:
            messages.info(request, _("You did not pass this time. Read the feedback below."))
    return redirect("learning:attempt", found.uuid)
