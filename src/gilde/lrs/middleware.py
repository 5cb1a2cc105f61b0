"""xAPI requests skip the rest of the site's middleware.

An xAPI client authenticates every request with HTTP Basic and gets JSON back: sessions, CSRF
tokens, log-in, messages, the language switch and the page headers do nothing for it, yet they
cost time on every statement. `XapiMiddleware` stands right after Django's SecurityMiddleware
(HTTPS redirect, HSTS and the other security headers still apply) and hands the xAPI resources
straight to their views; every other path goes on down the stack as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse


@cache
def _views() -> dict[str, Callable[..., Any]]:
    from gilde.lrs.urls import app_name, urlpatterns

    return {reverse(f"{app_name}:{p.name}"): p.callback for p in urlpatterns}


class XapiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = _views().get(request.path_info)
        if view is None:
            return self.get_response(request)
        response: HttpResponse = view(request)
        return response
