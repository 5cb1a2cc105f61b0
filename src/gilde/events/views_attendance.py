"""Taking attendance on a phone, checking in with the session's QR code, and feedback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.events import attendance, selectors
from gilde.events.access import access_session, can_take_attendance
from gilde.events.forms import FeedbackForm
from gilde.events.models import Registration
from gilde.events.services import EventError


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def attendance_list(request: HttpRequest, session_uuid: str) -> HttpResponse:
    """The host's list: one button per person. A tap records present or absent; with htmx
    only that row is redrawn, without it the page reloads at the same row."""
    session = access_session(request.user, session_uuid)
    if not can_take_attendance(request.user, session):
        raise Http404
    if request.method == "POST":
        registration = (
            Registration.objects.filter(session=session, uuid=request.POST.get("registration", ""))
            .select_related("person", "organisation")
            .first()
        )
        present = request.POST.get("present") == "1"
        error = ""
        if registration is None:
            error = _("This person is not registered for this session.")
        else:
            try:
                attendance.attendance_mark(
                    actor=request.user,
                    session=session,
                    registration=registration,
                    present=present,
                )
            except EventError as refused:
                error = str(refused)
        if _is_htmx(request) and registration is not None:
            rows, _everyone = selectors.participants(request.user, session)
            row = next(r for r in rows if r.registration and r.registration.pk == registration.pk)
            return render(
                request,
                "events/fragment_attendance_row.html",
                {"row": row, "session": session, "error": error},
            )
        if error:
            messages.error(request, error)
        anchor = f"#p-{registration.uuid}" if registration else ""
        return redirect(request.path + anchor)
    rows, _everyone = selectors.participants(request.user, session)
    rows = [r for r in rows if r.registration is None or r.registration.status != "cancelled"]
    present_count = sum(1 for r in rows if r.attendance and r.attendance.status == "present")
    return render(
        request,
        "events/attendance.html",
        {
            "session": session,
            "item": session.series.item,
            "rows": rows,
            "present": present_count,
            "check_in_url": attendance.check_in_url(session),
        },
    )


@login_required
def check_in(request: HttpRequest, session_uuid: str, checkin_token: str) -> HttpResponse:
    """The page the session's QR code opens: one button to check in (a GET changes nothing)."""
    session = access_session(request.user, session_uuid)
    if not attendance.check_in_token_valid(session, checkin_token):
        raise Http404
    page = selectors.session_page(request.user, session)
    if request.method == "POST":
        try:
            attendance.check_in_self(actor=request.user, session=session, token=checkin_token)
        except EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("You are checked in. Welcome!"))
            return redirect("events:session", session.uuid)
    return render(
        request,
        "events/check_in.html",
        {
            "session": session,
            "item": session.series.item,
            "page": page,
            "open": attendance.check_in_open(session),
        },
    )


@login_required
@require_POST
def feedback(request: HttpRequest, session_uuid: str) -> HttpResponse:
    session = access_session(request.user, session_uuid)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score from 1 to 5."))
    else:
        try:
            attendance.feedback_give(
                actor=request.user,
                session=session,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your feedback."))
    return redirect("events:session", session.uuid)
