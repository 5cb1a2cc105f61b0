from __future__ import annotations

from django.urls import path

from gilde.people import views, views_import

app_name = "people"
urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("<slug:org_slug>/people/", views.people_list, name="list"),
    path("<slug:org_slug>/team/", views.my_team, name="team"),
    path("<slug:org_slug>/people/invite/", views.person_invite, name="invite"),
    path("<slug:org_slug>/people/<uuid:membership_uuid>/", views.person_detail, name="detail"),
    path("<slug:org_slug>/people/<uuid:membership_uuid>/edit/", views.person_edit, name="edit"),
    path("<slug:org_slug>/people/<uuid:membership_uuid>/end/", views.membership_end, name="end"),
    path("<slug:org_slug>/invitations/", views.invitation_list, name="invitations"),
    path(
        "<slug:org_slug>/invitations/<uuid:invitation_uuid>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("<slug:org_slug>/teams/", views.team_list, name="teams"),
    path("<slug:org_slug>/teams/<slug:team_slug>/", views.team_edit, name="team-edit"),
    path("<slug:org_slug>/import/", views_import.import_upload, name="import"),
    path(
        "<slug:org_slug>/import/<uuid:batch_uuid>/",
        views_import.import_preview,
        name="import-preview",
    ),
    path("<slug:org_slug>/export.<str:fmt>", views_import.people_export, name="export"),
]
