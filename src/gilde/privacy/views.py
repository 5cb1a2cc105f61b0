from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def me(request: HttpRequest) -> HttpResponse:
    return redirect("core:home")
