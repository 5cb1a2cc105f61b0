"""Pages of events: the series (sessions, registration, progress against targets), a session
(registration, cancelling, the participants for those who may see them, the QR code for the
host), planning sessions, settings and targets, approvals, and export. Every object comes
through the access gateway (events.access); every change through the services."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.events import calendar, charts, selectors, services
from gilde.events.access import (
    access_registration,
    access_series,
    access_session,
    can_manage_series,
    led_people,
)
from gilde.events.attendance import check_in_url
from gilde.events.forms import (
    ReservationForm,
    SeriesSettingsForm,
    SessionCancelForm,
    SessionCreateForm,
    SessionForm,
    TeamRegisterForm,
)
from gilde.events.models import ACTIVE_STATUSES, AudienceTarget, RegistrationStatus
from gilde.learning.access import item_reaches_organisation
from gilde.tenancy.access import access_organisation
from gilde.tenancy.models import NetworkMembershipStatus, Organisation, Role


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- the series -----------------------------------------------------------------------------


@login_required
def series_detail(request: HttpRequest, series_uuid: str) -> HttpResponse:
    item = access_series(request.user, series_uuid)
    page = selectors.series_page(request.user, item)
    context: dict[str, Any] = {"item": item, "page": page}
    if page.insight is not None:
        context["targets_chart"] = charts.progress_chart(
            chart_id="targets-chart",
            title=_("Progress against the targets"),
            description=_("For each target, the number reached so far and the target as a line."),
            bars=[
                charts.Bar(row.label, row.actual, row.target)
                for row in [*page.insight.targets, *page.insight.audiences]
            ],
        )
        context["sessions_chart"] = charts.progress_chart(
            chart_id="sessions-chart",
            title=_("Present per session"),
            description=_("For each session, the people present, and the minimum as a line."),
            bars=[
                charts.Bar(
                    timezone.localtime(f.session.starts_at).strftime("%d-%m %H:%M"),
                    f.present,
                    f.minimum,
                )
                for f in page.insight.sessions
                if not f.session.is_cancelled
            ],
        )
    return render(request, "events/series_detail.html", context)


@login_required
def series_settings(request: HttpRequest, series_uuid: str) -> HttpResponse:
    item = access_series(request.user, series_uuid, manage=True)
    series = selectors.series_settings(item)
    targets = (
        {t.audience: t.participants for t in AudienceTarget.objects.filter(series=series)}
        if series.pk
        else {}
    )
    form = SeriesSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=series,
        audience_targets=targets,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.series_settings_save(
                actor=request.user,
                item=item,
                fields=form.setting_fields(),
                audience_targets=form.audience_targets(),
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The settings and targets are saved."))
            return redirect("events:series", item.uuid)
    return render(request, "events/series_settings.html", {"item": item, "form": form})


@login_required
def series_export(request: HttpRequest, series_uuid: str, fmt: str) -> HttpResponse:
    item = access_series(request.user, series_uuid, manage=True)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header = selectors.export_header()
    rows = selectors.export_rows(request.user, item)
    filename = f"{item.slug}-participants.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = _("Participants")[:31]
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _session_form(
    request: HttpRequest, item: Any, form_class: type[SessionForm], **kwargs: Any
) -> SessionForm:
    people = selectors.host_choices(request.user, item, kwargs.pop("current_host", None))
    hosts = [(key, p.display_name) for key, p in people.items()]
    return form_class(
        request.POST if request.method == "POST" else None,
        hosts=hosts,
        host_people=people,
        **kwargs,
    )


@login_required
def session_create(request: HttpRequest, series_uuid: str) -> HttpResponse:
    item = access_series(request.user, series_uuid, manage=True)
    form = _session_form(request, item, SessionCreateForm, initial={"count": 1, "every_weeks": 1})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.sessions_create(
                actor=request.user,
                item=item,
                times=form.times(),
                fields=form.session_fields(),
                count=form.cleaned_data["count"],
                every_weeks=form.cleaned_data["every_weeks"],
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(n)d session(s) planned.") % {"n": len(made)},
            )
            return redirect("events:series", item.uuid)
    return render(
        request, "events/session_form.html", {"item": item, "form": form, "session": None}
    )


# --- a session ------------------------------------------------------------------------------


@login_required
def session_detail(request: HttpRequest, session_uuid: str) -> HttpResponse:
    session = access_session(request.user, session_uuid)
    page = selectors.session_page(request.user, session)
    context: dict[str, Any] = {"session": session, "item": page.item, "page": page}
    if page.can_attend:
        url = check_in_url(session)
        context["check_in_url"] = url
        context["qr"] = charts.qr_svg(url, label=_("QR code to check in at this session"))
    if page.mine is not None:
        context["can_cancel"] = services.can_cancel(request.user, page.mine)
        context["cancel_deadline"] = services.cancel_deadline(session)
    from gilde.events.forms import FeedbackForm

    context["feedback_form"] = FeedbackForm()
    return render(request, "events/session_detail.html", context)


@login_required
def session_edit(request: HttpRequest, session_uuid: str) -> HttpResponse:
    session = access_session(request.user, session_uuid)
    item = session.series.item
    if not can_manage_series(request.user, item):
        raise Http404
    form = _session_form(
        request,
        item,
        SessionForm,
        current_host=session.host,
        initial=SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                actor=request.user,
                session=session,
                times=form.times(),
                fields=form.session_fields(),
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session is changed; people registered are told."))
            return redirect("events:session", session.uuid)
    return render(
        request, "events/session_form.html", {"item": item, "form": form, "session": session}
    )


@login_required
def session_cancel(request: HttpRequest, session_uuid: str) -> HttpResponse:
    session = access_session(request.user, session_uuid)
    item = session.series.item
    if not can_manage_series(request.user, item):
        raise Http404
    form = SessionCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session is cancelled; people registered are told."))
            return redirect("events:series", item.uuid)
    return render(
        request, "events/session_cancel.html", {"item": item, "session": session, "form": form}
    )


@login_required
def session_reservations(request: HttpRequest, session_uuid: str) -> HttpResponse:
    session = access_session(request.user, session_uuid)
    item = session.series.item
    if not can_manage_series(request.user, item):
        raise Http404
    members = _member_organisations(item)
    form = ReservationForm(
        request.POST if request.method == "POST" else None,
        choices=[(o.slug, o.name) for o in members],
    )
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in members if o.slug == form.cleaned_data["organisation"])
        try:
            services.reservation_set(
                actor=request.user,
                session=session,
                organisation=organisation,
                places=form.cleaned_data["places"],
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The places kept are saved."))
            return redirect("events:session-reservations", session.uuid)
    reservations = session.reservations.select_related("organisation").order_by(
        "organisation__name"
    )
    return render(
        request,
        "events/session_reservations.html",
        {"item": item, "session": session, "form": form, "reservations": reservations},
    )


def _member_organisations(item: Any) -> list[Organisation]:
    if item.network_id is None:
        return [item.organisation]
    return list(
        Organisation.objects.filter(
            network_memberships__network_id=item.network_id,
            network_memberships__status=NetworkMembershipStatus.APPROVED,
        ).order_by("name")
    )


@login_required
def session_ics(request: HttpRequest, session_uuid: str) -> HttpResponse:
    session = access_session(request.user, session_uuid)
    response = HttpResponse(calendar.session_ics(session), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="session-{session.uuid}.ics"'
    return response


# --- registration ---------------------------------------------------------------------------


def _registered_message(request: HttpRequest, status: str) -> None:
    if status == RegistrationStatus.CONFIRMED:
        messages.success(
            request, _("You are registered. The invitation for your calendar is in your e-mail.")
        )
    elif status == RegistrationStatus.WAITING:
        messages.success(
            request,
            _(
                "The session is full: you are on the waiting list. A free place is yours "
                "automatically, and you get an e-mail."
            ),
        )
    else:
        messages.success(request, _("Your registration waits for your manager's approval."))


@login_required
@require_POST
def session_register(request: HttpRequest, session_uuid: str) -> HttpResponse:
    session = access_session(request.user, session_uuid)
    try:
        registration = services.registration_create(actor=request.user, session=session)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        _registered_message(request, registration.status)
    return redirect("events:session", session.uuid)


@login_required
def session_register_team(request: HttpRequest, session_uuid: str, org_slug: str) -> HttpResponse:
    session = access_session(request.user, session_uuid)
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN, Role.MANAGER)
    item = session.series.item
    if not item_reaches_organisation(item, organisation):
        raise Http404
    people = selectors.team_candidates(request.user, organisation, session)
    registered = set(
        session.registrations.filter(person__in=people, status__in=ACTIVE_STATUSES).values_list(
            "person_id", flat=True
        )
    )
    choices = [(str(p.uuid), p.display_name) for p in people if p.pk not in registered]
    form = TeamRegisterForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["people"])
        try:
            result = services.registrations_create_for_team(
                actor=request.user,
                session=session,
                organisation=organisation,
                people=[p for p in people if str(p.uuid) in chosen],
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            confirmed = sum(
                1 for r in result.registered if r.status == RegistrationStatus.CONFIRMED
            )
            messages.success(
                request,
                _("%(n)d registered: %(c)d with a place, %(w)d on the waiting list.")
                % {
                    "n": len(result.registered),
                    "c": confirmed,
                    "w": len(result.registered) - confirmed,
                },
            )
            return redirect("events:session", session.uuid)
    return render(
        request,
        "events/team_register.html",
        {
            "item": item,
            "session": session,
            "organisation": organisation,
            "form": form,
            "registered": [p for p in people if p.pk in registered],
        },
    )


@login_required
@require_POST
def registration_cancel(request: HttpRequest, registration_uuid: str) -> HttpResponse:
    registration = access_registration(request.user, registration_uuid)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The registration is cancelled."))
    return redirect("events:session", registration.session.uuid)


@login_required
@require_POST
def registration_decide(request: HttpRequest, registration_uuid: str) -> HttpResponse:
    registration = access_registration(request.user, registration_uuid)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, _("Choose to approve or decline."))
        return redirect("events:approvals")
    try:
        services.registration_decide(
            actor=request.user, registration=registration, approve=decision == "approve"
        )
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your decision is saved; the person is told."))
    return redirect("events:approvals")


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    if not led_people(request.user).exists():
        raise Http404
    return render(
        request, "events/approvals.html", {"requests": selectors.requests_for(request.user)}
    )
