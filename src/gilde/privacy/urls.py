from __future__ import annotations

from django.urls import path

from gilde.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.me, name="me"),
]
