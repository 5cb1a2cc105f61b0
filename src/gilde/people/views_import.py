# Replaced by the HR import/export implementation.
from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def import_upload(request: HttpRequest, org_slug: str) -> HttpResponse:
    raise Http404


def import_preview(request: HttpRequest, org_slug: str, batch_uuid: str) -> HttpResponse:
    raise Http404


def people_export(request: HttpRequest, org_slug: str, fmt: str) -> HttpResponse:
    raise Http404
