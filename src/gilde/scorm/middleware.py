"""The content address serves packaged content and nothing else; content requests skip the
site's session, CSRF, log-in and page middleware.

Requests for content paths (`urls.CONTENT_PREFIXES`) go straight to their views: they carry a
signed token and never use cookies, so sessions, CSRF and log-in have nothing to do, and the
clickjacking header must not stop Gilde's own page from framing the player. When a content
address is configured (`SCORM_CONTENT_URL`), every other path on it answers 404: Gilde's pages
are never served where package scripts run.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import Resolver404, resolve

from gilde.scorm.origins import configured_content_host
from gilde.scorm.urls import CONTENT_PREFIXES


class ContentOriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(CONTENT_PREFIXES):
            try:
                match = resolve(path)
            except Resolver404:
                return HttpResponseNotFound()
            response: HttpResponse = match.func(request, *match.args, **match.kwargs)
            return response
        content_host = configured_content_host()
        if content_host and request.get_host().lower() == content_host:
            return HttpResponseNotFound()
        return self.get_response(request)
