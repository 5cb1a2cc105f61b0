from __future__ import annotations

from django.urls import path

from gilde.audit import views

app_name = "audit"
urlpatterns = [
    path("<slug:org_slug>/audit/", views.organisation_audit, name="organisation"),
]
