from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gilde.tenancy.access import standing_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation shows what the person's roles give them, nothing more."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    standing = standing_of(user)
    return {
        "nav_admin_organisations": standing.admin_organisations(),
        "nav_manager_organisations": standing.manager_organisations(),
        "nav_mentor_organisations": standing.mentor_organisations(),
        "nav_coordinated_networks": standing.coordinated_networks(),
        "nav_is_member": bool(standing.organisations),
    }
