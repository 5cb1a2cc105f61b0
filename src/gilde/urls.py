from __future__ import annotations

from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

urlpatterns = [
    path("", include("gilde.core.urls")),
    # E-mail addresses are changed on "My details" (password check, audit row), not on
    # allauth's own e-mail page.
    path(
        "accounts/email/", RedirectView.as_view(pattern_name="privacy:edit"), name="account_email"
    ),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("networks/", include("gilde.tenancy.urls")),
    path("org/", include("gilde.people.urls")),
    path("org/", include("gilde.audit.urls")),
    path("me/", include("gilde.privacy.urls")),
    path("competencies/", include("gilde.competencies.urls")),
    path("learning/", include("gilde.learning.urls")),
    # Public by design: anyone checks a certificate by its code (learning/certificates.py).
    path("verify/", include("gilde.learning.urls_verify")),
    path("records/", include("gilde.lrs.urls_records")),
    path("events/", include("gilde.events.urls")),
    path("development/", include("gilde.development.urls")),
    # Packaged e-learning: pages under scorm/, content and player on the content address.
    path("", include("gilde.scorm.urls")),
    path("xapi/", include("gilde.lrs.urls")),
]
