"""Learning records in the browser (the xAPI protocol itself is in urls.py, under /xapi/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gilde.lrs import views_clients, views_records

app_name = "records"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_records.mine, name="mine"),
    path("export/<str:fmt>/", views_records.mine_export, name="mine-export"),
    # the people an admin, manager or mentor follows at one organisation
    path("org/<slug:org_slug>/", views_records.team, name="team"),
    path(
        "org/<slug:org_slug>/people/<uuid:membership_uuid>/",
        views_records.person,
        name="person",
    ),
    path(
        "org/<slug:org_slug>/people/<uuid:membership_uuid>/export/<str:fmt>/",
        views_records.person_export,
        name="person-export",
    ),
    # the people a coach coaches
    path("coached/", views_records.coached, name="coached"),
    path("coached/<uuid:person_uuid>/", views_records.coached_person, name="coached-person"),
    path(
        "coached/<uuid:person_uuid>/export/<str:fmt>/",
        views_records.coached_person_export,
        name="coached-person-export",
    ),
    # xAPI clients: the programs that send and read records
    path("clients/org/<slug:org_slug>/", views_clients.org_clients, name="org-clients"),
    path(
        "clients/org/<slug:org_slug>/new/",
        views_clients.org_client_create,
        name="org-client-create",
    ),
    path(
        "clients/networks/<slug:network_slug>/",
        views_clients.network_clients,
        name="network-clients",
    ),
    path(
        "clients/networks/<slug:network_slug>/new/",
        views_clients.network_client_create,
        name="network-client-create",
    ),
    path(
        "clients/<uuid:client_uuid>/revoke/",
        views_clients.client_revoke_view,
        name="client-revoke",
    ),
]
