"""The public verification of certificates: /verify/ and /verify/<code>/ (no log-in)."""

from __future__ import annotations

from django.urls import URLPattern, path

from gilde.learning import views_certificates

app_name = "verify"
urlpatterns: list[URLPattern] = [
    path("", views_certificates.verify_form, name="form"),
    path("<str:verification_code>/", views_certificates.verify, name="certificate"),
]
