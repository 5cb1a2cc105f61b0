from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gilde.learning import views, views_certificates
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
