from __future__ import annotations

from django.urls import URLPattern, path, re_path

from gilde.scorm import views, views_cmi5, views_content

app_name = "scorm"

# Pages on Gilde's own address.
urlpatterns: list[URLPattern] = [
    path("scorm/new/", views.upload, name="upload"),
    path("scorm/items/<uuid:item_uuid>/", views.package, name="package"),
    path("scorm/items/<uuid:item_uuid>/versions/", views.version_upload, name="version-upload"),
    path("scorm/items/<uuid:item_uuid>/launch/", views.launch, name="launch"),
    path("scorm/items/<uuid:item_uuid>/results/", views.results, name="results"),
    path("scorm/sessions/<uuid:launch_uuid>/", views.session, name="session"),
    path("scorm/sessions/<uuid:launch_uuid>/navigate/", views.navigate, name="navigate"),
]

# Served on the content address only, without cookies (middleware.py); the token is the
# credential.
CONTENT_PREFIXES = ("/scorm-content/", "/scorm-player/", "/cmi5/")
content_urlpatterns: list[URLPattern] = [
    path("scorm-content/<str:token>/<path:file_path>", views_content.content, name="content"),
    path("scorm-player/<str:token>/", views_content.player, name="player"),
    path("scorm-player/<str:token>/commit", views_content.commit, name="commit"),
    # cmi5: the fetch URL (used once) and the AU's xAPI endpoint (xAPI clients differ in
    # slashes: "<endpoint>/statements" and "<endpoint>statements" both arrive).
    path("cmi5/fetch/<str:token>", views_cmi5.fetch, name="cmi5-fetch"),
    re_path(r"^cmi5/xapi/+(?P<resource>.*)$", views_cmi5.xapi_view, name="cmi5-xapi"),
]
urlpatterns += content_urlpatterns
