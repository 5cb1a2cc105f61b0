from __future__ import annotations

from django.urls import path

from gilde.tenancy import views

app_name = "tenancy"
urlpatterns = [
    path("", views.network_list, name="networks"),
    path("<slug:network_slug>/", views.network_detail, name="network"),
    path("<slug:network_slug>/edit/", views.network_edit, name="network-edit"),
    path("<slug:network_slug>/organisations/", views.organisation_list, name="organisations"),
    path(
        "<slug:network_slug>/organisations/add/",
        views.organisation_add,
        name="organisation-add",
    ),
    path("<slug:network_slug>/applications/", views.application_list, name="applications"),
    path(
        "<slug:network_slug>/applications/<uuid:application_uuid>/decide/",
        views.application_decide,
        name="application-decide",
    ),
    path("<slug:network_slug>/apply/", views.apply, name="apply"),
    path("<slug:network_slug>/roles/", views.network_roles, name="roles"),
    path(
        "<slug:network_slug>/roles/<int:role_id>/end/",
        views.network_role_end,
        name="role-end",
    ),
]
