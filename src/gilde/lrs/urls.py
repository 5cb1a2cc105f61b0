from __future__ import annotations

from django.urls import path

from gilde.lrs import xapi

app_name = "xapi"

# The xAPI resources (Communication 2.x). Trailing slashes are optional: xAPI clients differ.
urlpatterns = [
    path("statements", xapi.statements_view, name="statements"),
    path("activities/state", xapi.state_view, name="state"),
    path("activities/profile", xapi.activity_profile_view, name="activity_profile"),
    path("agents/profile", xapi.agent_profile_view, name="agent_profile"),
    path("activities", xapi.activities_view, name="activities"),
    path("agents", xapi.agents_view, name="agents"),
    path("about", xapi.about_view, name="about"),
    # The OpenAPI document of the resources above (docs/lrs.md).
    path("openapi.json", xapi.openapi_view, name="openapi"),
]
