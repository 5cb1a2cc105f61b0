from __future__ import annotations

from collections.abc import Callable, Sequence

from django.http import HttpRequest, HttpResponse


def content_security_policy(*, frame_src: Sequence[str] = (), img_src: Sequence[str] = ()) -> str:
    """The site's policy. A page that frames a video player or shows images from elsewhere
    (a lesson page) names those sources itself; every other page gets `CSP`."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            " ".join(["img-src 'self' data:", *img_src]),
            "font-src 'self'",
            "connect-src 'self'",
            *([" ".join(["frame-src", *frame_src])] if frame_src else []),
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


# Everything is served from our own origin; no inline scripts. Styles allow inline attributes
# only because allauth's and Django's form widgets never emit them, so 'self' is enough.
CSP = content_security_policy()


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response
