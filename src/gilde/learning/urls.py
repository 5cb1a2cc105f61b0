from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gilde.learning import views, views_certificates, views_paths
from gilde.learning.urls_lessons import lesson_urlpatterns

app_name = "learning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.my_learning, name="mine"),
    # items
    path("items/new/", views.item_create, name="item-create"),
    path("items/<uuid:item_uuid>/", views.item_detail, name="item-detail"),
    path("items/<uuid:item_uuid>/edit/", views.item_edit, name="item-edit"),
    path("items/<uuid:item_uuid>/publish/", views.item_publish, name="item-publish"),
    path("items/<uuid:item_uuid>/archive/", views.item_archive, name="item-archive"),
    path(
        "items/<uuid:item_uuid>/competencies/",
        views.item_competencies,
        name="item-competencies",
    ),
    # enrolment
    path("items/<uuid:item_uuid>/enrol/", views.enrol, name="enrol"),
    path(
        "items/<uuid:item_uuid>/enrol/<slug:org_slug>/",
        views.team_enrol,
        name="team-enrol",
    ),
    path("enrolments/<uuid:enrolment_uuid>/", views.enrolment_detail, name="enrolment"),
    path("enrolments/<uuid:enrolment_uuid>/withdraw/", views.withdraw, name="withdraw"),
    # completion
    path("enrolments/<uuid:enrolment_uuid>/proof/", views.proof_submit, name="proof"),
    path("enrolments/<uuid:enrolment_uuid>/sign-off/", views.sign_off, name="sign-off"),
    path(
        "enrolments/<uuid:enrolment_uuid>/school-result/",
        views.school_result,
        name="school-result",
    ),
    # managers
    path("org/<slug:org_slug>/team/", views.team, name="team"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<uuid:proposal_uuid>/", views.proposal_decide, name="proposal-decide"),
    # learning paths and cohorts
    path("paths/", views_paths.path_list, name="paths"),
    path("paths/new/", views_paths.path_create, name="path-create"),
    path("paths/<uuid:path_uuid>/", views_paths.path_detail, name="path-detail"),
    path("paths/<uuid:path_uuid>/edit/", views_paths.path_edit, name="path-edit"),
    path("paths/<uuid:path_uuid>/steps/", views_paths.path_steps, name="path-steps"),
    path("paths/<uuid:path_uuid>/publish/", views_paths.path_publish, name="path-publish"),
    path("paths/<uuid:path_uuid>/enrol/", views_paths.path_enrol, name="path-enrol"),
    path(
        "paths/<uuid:path_uuid>/enrol/<slug:org_slug>/",
        views_paths.path_team_enrol,
        name="path-team-enrol",
    ),
    path("paths/<uuid:path_uuid>/team/<slug:org_slug>/", views_paths.path_team, name="path-team"),
    path("paths/<uuid:path_uuid>/cohorts/new/", views_paths.cohort_create, name="cohort-create"),
    path("cohorts/<uuid:cohort_uuid>/", views_paths.cohort_detail, name="cohort"),
    path("cohorts/<uuid:cohort_uuid>/pacing/", views_paths.cohort_pacing, name="cohort-pacing"),
    path("cohorts/<uuid:cohort_uuid>/members/", views_paths.cohort_members, name="cohort-members"),
    # certificates (the public check is in urls_verify.py)
    path("certificates/", views_certificates.my_certificates, name="certificates"),
    path("certificates/issued/", views_certificates.certificate_find, name="certificates-issued"),
    path(
        "certificates/<uuid:certificate_uuid>/",
        views_certificates.certificate_detail,
        name="certificate",
    ),
    path(
        "certificates/<uuid:certificate_uuid>/pdf/",
        views_certificates.certificate_pdf,
        name="certificate-pdf",
    ),
    path(
        "certificates/<uuid:certificate_uuid>/revoke/",
        views_certificates.certificate_revoke,
        name="certificate-revoke",
    ),
]
urlpatterns += lesson_urlpatterns
