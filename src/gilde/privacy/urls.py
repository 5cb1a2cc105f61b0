from __future__ import annotations

from django.urls import path

from gilde.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.me, name="me"),
    path("edit/", views.edit, name="edit"),
    path("consents/give/", views.consent_give, name="consent-give"),
    path("consents/<uuid:consent_uuid>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("export/", views.export, name="export"),
    path("erase/", views.erase, name="erase"),
    # An organisation-side page under /me/: privacy owns erasure, and this is where its URLs live.
    path(
        "members/<slug:org_slug>/<uuid:membership_uuid>/erase/",
        views.erase_member,
        name="erase-member",
    ),
]
