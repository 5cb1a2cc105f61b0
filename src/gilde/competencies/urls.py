from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gilde.competencies import (
    views_assess,
    views_claims,
    views_evidence,
    views_frameworks,
    views_matrix,
    views_person,
    views_profiles,
    views_rounds,
)

app_name = "competencies"
urlpatterns: list[URLPattern | URLResolver] = [
    # assessment rounds
    path("org/<slug:org_slug>/rounds/", views_rounds.round_list, name="round-list"),
    path("org/<slug:org_slug>/rounds/new/", views_rounds.round_create, name="round-create"),
    path(
        "org/<slug:org_slug>/rounds/<uuid:round_uuid>/",
        views_rounds.round_detail,
        name="round-detail",
    ),
    path(
        "org/<slug:org_slug>/rounds/<uuid:round_uuid>/close/",
        views_rounds.round_close,
        name="round-close",
    ),
    path(
        "org/<slug:org_slug>/rounds/<uuid:round_uuid>/me/",
        views_rounds.round_self,
        name="round-self",
    ),
    path(
        "org/<slug:org_slug>/rounds/<uuid:round_uuid>/people/<uuid:person_uuid>/",
        views_rounds.round_validate,
        name="round-validate",
    ),
    # rating one person
    path("people/<uuid:person_uuid>/rate/", views_assess.person_rate, name="person-rate"),
    # evidence files
    path(
        "evidence/<uuid:evidence_uuid>/",
        views_evidence.evidence_download,
        name="evidence-download",
    ),
    # recognition of prior learning (EVC)
    path("claims/", views_claims.claim_list, name="claim-list"),
    path("claims/new/", views_claims.claim_create, name="claim-create"),
    path("claims/to-decide/", views_claims.claim_review, name="claim-review"),
    path("claims/<uuid:claim_uuid>/", views_claims.claim_detail, name="claim-detail"),
    path("claims/<uuid:claim_uuid>/decide/", views_claims.claim_decide, name="claim-decide"),
    # frameworks: list, pages, drafts, import and export
    path("frameworks/", views_frameworks.framework_list, name="framework-list"),
    path("frameworks/new/", views_frameworks.framework_create_view, name="framework-create"),
    path("frameworks/import/", views_frameworks.framework_import, name="framework-import"),
    path(
        "frameworks/import/<uuid:import_uuid>/",
        views_frameworks.framework_import_preview,
        name="framework-import-preview",
    ),
    path("frameworks/<slug:framework_slug>/", views_frameworks.framework_detail, name="framework"),
    path(
        "frameworks/<slug:framework_slug>/export.<str:fmt>",
        views_frameworks.framework_export,
        name="framework-export",
    ),
    path(
        "frameworks/<slug:framework_slug>/import/",
        views_frameworks.framework_import_into,
        name="framework-import-into",
    ),
    path(
        "frameworks/<slug:framework_slug>/new-version/",
        views_frameworks.framework_new_version,
        name="framework-new-version",
    ),
    path(
        "frameworks/<slug:framework_slug>/publish/",
        views_frameworks.framework_publish,
        name="framework-publish",
    ),
    path(
        "frameworks/<slug:framework_slug>/scale/",
        views_frameworks.framework_scale,
        name="framework-scale",
    ),
    path(
        "frameworks/<slug:framework_slug>/new-competency/",
        views_frameworks.competency_add,
        name="competency-add",
    ),
    path(
        "frameworks/<slug:framework_slug>/competencies/<str:code>/",
        views_frameworks.competency_edit,
        name="competency-edit",
    ),
    path(
        "frameworks/<slug:framework_slug>/competencies/<str:code>/remove/",
        views_frameworks.competency_remove,
        name="competency-remove",
    ),
    # function profiles
    path("profiles/", views_profiles.profile_list, name="profile-list"),
    path("profiles/new/", views_profiles.profile_create, name="profile-create"),
    path("profiles/<slug:profile_slug>/", views_profiles.profile_detail, name="profile"),
    path("profiles/<slug:profile_slug>/edit/", views_profiles.profile_edit, name="profile-edit"),
    path(
        "org/<slug:org_slug>/people/<uuid:membership_uuid>/profile/",
        views_profiles.profile_assign_view,
        name="profile-assign",
    ),
    path("my/target-profile/", views_profiles.target_profile, name="target-profile"),
    # the team at a glance, gaps, and a person's profile
    path("org/<slug:org_slug>/matrix/", views_matrix.matrix, name="matrix"),
    path("org/<slug:org_slug>/matrix/cell/", views_matrix.matrix_cell, name="matrix-cell"),
    path(
        "org/<slug:org_slug>/matrix/export.<str:fmt>",
        views_matrix.matrix_download,
        name="matrix-export",
    ),
    path("org/<slug:org_slug>/gaps/", views_matrix.gaps, name="gaps"),
    path("networks/<slug:network_slug>/gaps/", views_matrix.network_gaps, name="network-gaps"),
    path("me/", views_person.my_profile, name="mine"),
    path("people/<uuid:person_uuid>/", views_person.person_profile, name="person"),
]
