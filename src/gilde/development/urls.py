from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gilde.development import (
    views,
    views_career,
    views_checkins,
    views_monitoring,
    views_surveys,
)

app_name = "development"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.mine, name="mine"),
    # development plans
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<uuid:plan_uuid>/", views.plan_detail, name="plan"),
    path("plans/<uuid:plan_uuid>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<uuid:plan_uuid>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<uuid:plan_uuid>/comment/", views.plan_comment, name="plan-comment"),
    path("plans/<uuid:plan_uuid>/agree/", views.plan_agree, name="plan-agree"),
    path("plans/<uuid:plan_uuid>/close/", views.plan_close, name="plan-close"),
    path(
        "plans/<uuid:plan_uuid>/versions/<int:revision_number>/",
        views.plan_revision,
        name="plan-revision",
    ),
    path("plans/<uuid:plan_uuid>/goals/new/", views.goal_create, name="goal-create"),
    path("plans/<uuid:plan_uuid>/goals/<uuid:goal_uuid>/", views.goal_edit, name="goal-edit"),
    path(
        "plans/<uuid:plan_uuid>/goals/<uuid:goal_uuid>/delete/",
        views.goal_delete,
        name="goal-delete",
    ),
    path(
        "plans/<uuid:plan_uuid>/goals/<uuid:goal_uuid>/status/",
        views.goal_status,
        name="goal-status",
    ),
    path(
        "plans/<uuid:plan_uuid>/goals/<uuid:goal_uuid>/actions/new/",
        views.action_create,
        name="action-create",
    ),
    path(
        "plans/<uuid:plan_uuid>/actions/<uuid:action_uuid>/",
        views.action_edit,
        name="action-edit",
    ),
    path(
        "plans/<uuid:plan_uuid>/actions/<uuid:action_uuid>/delete/",
        views.action_delete,
        name="action-delete",
    ),
    path(
        "plans/<uuid:plan_uuid>/actions/<uuid:action_uuid>/progress/",
        views.action_progress,
        name="action-progress",
    ),
    # check-ins
    path("check-ins/new/", views_checkins.check_in_create, name="check-in-create"),
    path("check-ins/<uuid:check_in_uuid>/", views_checkins.check_in_detail, name="check-in"),
    path(
        "check-ins/<uuid:check_in_uuid>/notes/",
        views_checkins.check_in_note,
        name="check-in-note",
    ),
    path(
        "check-ins/<uuid:check_in_uuid>/held/",
        views_checkins.check_in_held,
        name="check-in-held",
    ),
    path(
        "check-ins/<uuid:check_in_uuid>/cancel/",
        views_checkins.check_in_cancel,
        name="check-in-cancel",
    ),
    path(
        "check-ins/<uuid:check_in_uuid>/follow-up/",
        views_checkins.check_in_follow_up,
        name="check-in-follow-up",
    ),
    path(
        "org/<slug:org_slug>/check-in-questions/",
        views_checkins.prompts_edit,
        name="prompts",
    ),
    # monitoring
    path("org/<slug:org_slug>/team/", views_monitoring.team, name="team"),
    path("networks/<slug:network_slug>/", views_monitoring.network, name="network"),
    path(
        "networks/<slug:network_slug>/targets/",
        views_monitoring.target_set,
        name="target-set",
    ),
    # needs analysis
    path(
        "org/<slug:org_slug>/surveys/",
        views_surveys.organisation_surveys,
        name="org-surveys",
    ),
    path(
        "org/<slug:org_slug>/surveys/new/",
        views_surveys.organisation_survey_create,
        name="org-survey-create",
    ),
    path(
        "networks/<slug:network_slug>/surveys/",
        views_surveys.network_surveys,
        name="network-surveys",
    ),
    path(
        "networks/<slug:network_slug>/surveys/new/",
        views_surveys.network_survey_create,
        name="network-survey-create",
    ),
    path("surveys/<uuid:survey_uuid>/", views_surveys.survey_detail, name="survey"),
    path("surveys/<uuid:survey_uuid>/send/", views_surveys.survey_launch, name="survey-launch"),
    path("surveys/<uuid:survey_uuid>/remind/", views_surveys.survey_remind, name="survey-remind"),
    path("surveys/<uuid:survey_uuid>/close/", views_surveys.survey_close, name="survey-close"),
    path(
        "surveys/<uuid:survey_uuid>/report/",
        views_surveys.survey_report_view,
        name="survey-report",
    ),
    path(
        "surveys/<uuid:survey_uuid>/report.<str:fmt>",
        views_surveys.survey_export,
        name="survey-export",
    ),
    path(
        "surveys/<uuid:survey_uuid>/answer/",
        views_surveys.survey_answer,
        name="survey-answer",
    ),
    path(
        "surveys/<uuid:survey_uuid>/proposals/",
        views_surveys.offering_create,
        name="offering-create",
    ),
    path(
        "proposals/<uuid:offering_uuid>/",
        views_surveys.offering_link,
        name="offering",
    ),
    # Public by design: the e-mailed link of an anonymous survey is the key (no log-in).
    path("s/<str:survey_token>/", views_surveys.survey_link, name="survey-link"),
    # career plans by a job coach
    path("coach/", views_career.caseload, name="caseload"),
    path("coach/start/", views_career.career_start, name="career-start"),
    path("career/<uuid:career_uuid>/", views_career.career_detail, name="career"),
    path(
        "career/<uuid:career_uuid>/consent/",
        views_career.career_consent,
        name="career-consent",
    ),
    path("career/<uuid:career_uuid>/edit/", views_career.career_edit, name="career-edit"),
    path("career/<uuid:career_uuid>/steps/", views_career.career_step, name="career-step"),
    path(
        "career/<uuid:career_uuid>/steps/<uuid:step_uuid>/",
        views_career.career_step_done,
        name="career-step-done",
    ),
    path("career/<uuid:career_uuid>/notes/", views_career.career_note, name="career-note"),
    path("career/<uuid:career_uuid>/close/", views_career.career_close, name="career-close"),
    path("career/<uuid:career_uuid>/print/", views_career.career_print, name="career-print"),
]
