"""Routes of native e-learning lessons, part of the `learning` namespace (see urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from gilde.learning import views_lessons as v

L = "lessons/<uuid:lesson_uuid>/"
P = L + "pages/<uuid:page_uuid>/"

lesson_urlpatterns: list[URLPattern] = [
    # taking the lesson
    path(L, v.player, name="lesson"),
    path(L + "start/", v.start, name="lesson-start"),
    path(L + "finish/", v.finish, name="lesson-finish"),
    path(P, v.page_view, name="lesson-page"),
    path(P + "open/", v.page_open, name="lesson-page-open"),
    path(L + "images/<uuid:image_uuid>/", v.image, name="lesson-image"),
    path("quizzes/<uuid:quiz_uuid>/start/", v.attempt_start, name="attempt-start"),
    path("attempts/<uuid:attempt_uuid>/", v.attempt, name="attempt"),
    path("attempts/<uuid:attempt_uuid>/answer/", v.answer, name="attempt-answer"),
    path("attempts/<uuid:attempt_uuid>/submit/", v.attempt_submit, name="attempt-submit"),
    # writing the lesson
    path(L + "write/", v.lesson_edit, name="lesson-edit"),
    path(L + "write/preview/", v.lesson_preview, name="lesson-preview"),
    path(L + "write/pages/new/", v.page_create, name="lesson-page-create"),
    path(L + "write/pages/<uuid:page_uuid>/", v.page_edit, name="lesson-page-edit"),
    path(L + "write/pages/<uuid:page_uuid>/move/", v.page_move, name="lesson-page-move"),
    path(L + "write/pages/<uuid:page_uuid>/delete/", v.page_delete, name="lesson-page-delete"),
    path(L + "write/images/", v.image_upload, name="lesson-image-upload"),
    path(L + "write/quizzes/new/", v.quiz_create, name="quiz-create"),
    path("quizzes/<uuid:quiz_uuid>/write/", v.quiz_edit, name="quiz-edit"),
    path(
        "quizzes/<uuid:quiz_uuid>/write/questions/new/", v.question_create, name="question-create"
    ),
    path("quizzes/<uuid:quiz_uuid>/results/", v.quiz_results, name="quiz-results"),
    path("questions/<uuid:question_uuid>/write/", v.question_edit, name="question-edit"),
    path("questions/<uuid:question_uuid>/remove/", v.question_remove, name="question-remove"),
]
