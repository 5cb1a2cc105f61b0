from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gilde.events import views, views_attendance, views_calendar

app_name = "events"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_calendar.mine, name="mine"),
    path("calendar/new/", views_calendar.feed_create, name="feed-create"),
    path("calendar/revoke/", views_calendar.feed_revoke, name="feed-revoke"),
    # Public by design: the secret in the address is the credential (calendar programs).
    path("calendar/<str:feed_token>.ics", views_calendar.feed, name="feed"),
    path(
        "networks/<slug:network_slug>/calendar.ics",
        views_calendar.network_feed,
        name="network-feed",
    ),
    path("approvals/", views.approvals, name="approvals"),
    # series
    path("series/<uuid:series_uuid>/", views.series_detail, name="series"),
    path("series/<uuid:series_uuid>/settings/", views.series_settings, name="series-settings"),
    path("series/<uuid:series_uuid>/sessions/new/", views.session_create, name="session-create"),
    path("series/<uuid:series_uuid>/export/<str:fmt>/", views.series_export, name="series-export"),
    # sessions
    path("sessions/<uuid:session_uuid>/", views.session_detail, name="session"),
    path("sessions/<uuid:session_uuid>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<uuid:session_uuid>/cancel/", views.session_cancel, name="session-cancel"),
    path(
        "sessions/<uuid:session_uuid>/places/",
        views.session_reservations,
        name="session-reservations",
    ),
    path("sessions/<uuid:session_uuid>/calendar.ics", views.session_ics, name="session-ics"),
    path("sessions/<uuid:session_uuid>/register/", views.session_register, name="session-register"),
    path(
        "sessions/<uuid:session_uuid>/register/<slug:org_slug>/",
        views.session_register_team,
        name="session-register-team",
    ),
    path(
        "sessions/<uuid:session_uuid>/attendance/",
        views_attendance.attendance_list,
        name="attendance",
    ),
    path(
        "sessions/<uuid:session_uuid>/check-in/<str:checkin_token>/",
        views_attendance.check_in,
        name="check-in",
    ),
    path("sessions/<uuid:session_uuid>/feedback/", views_attendance.feedback, name="feedback"),
    # registrations
    path(
        "registrations/<uuid:registration_uuid>/cancel/",
        views.registration_cancel,
        name="registration-cancel",
    ),
    path(
        "registrations/<uuid:registration_uuid>/decide/",
        views.registration_decide,
        name="registration-decide",
    ),
]
