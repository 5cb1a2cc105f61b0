"""E-mails about plans, check-ins, surveys and career plans. Each goes out after the change is
committed (`transaction.on_commit`), so a change that fails sends nothing. A mail names what
happened and links to the page; it never carries the content of a note or an answer."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

_state = threading.local()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Send no e-mail for what happens inside (the demo loads a history nobody is mailed about)."""
    _state.quiet = True
    try:
        yield
    finally:
        _state.quiet = False


def _schedule(send: Callable[[], None]) -> None:
    if not getattr(_state, "quiet", False):
        transaction.on_commit(send)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(person: Any, subject: str, text: str, link: str) -> None:
    if not person.email or not person.is_active:
        return
    body = _("Hello %(name)s,") % {"name": person.given_name or person.email}
    body += "\n\n" + str(text) + "\n\n" + link + "\n"
    send_mail(str(subject), body, None, [person.email])


def _when(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'l j F Y')}, {local:%H:%M}"


# --- plans ------------------------------------------------------------------------------------


def plan_submitted(plan_id: int, leader_ids: Iterable[int]) -> None:
    leaders = list(leader_ids)

    def send() -> None:
        from gilde.development.models import DevelopmentPlan
        from gilde.people.models import Person

        plan = DevelopmentPlan.objects.select_related("person").get(pk=plan_id)
        link = site_url(reverse("development:plan", args=[plan.uuid]))
        for leader in Person.objects.filter(pk__in=leaders):
            _send(
                leader,
                _("A development plan waits for you: %(name)s")
                % {"name": plan.person.display_name},
                _(
                    "%(name)s asks you to read their development plan, comment on it and agree "
                    "it when you are both happy with it."
                )
                % {"name": plan.person.display_name},
                link,
            )

    _schedule(send)


def plan_agreed(plan_id: int) -> None:
    def send() -> None:
        from gilde.development.models import DevelopmentPlan

        plan = DevelopmentPlan.objects.select_related("person", "agreed_by").get(pk=plan_id)
        who = plan.agreed_by.display_name if plan.agreed_by else ""
        _send(
            plan.person,
            _("Your development plan is agreed"),
            _("%(name)s agreed your development plan. The agreed version is kept with the plan.")
            % {"name": who},
            site_url(reverse("development:plan", args=[plan.uuid])),
        )

    _schedule(send)


def plan_commented(plan_id: int) -> None:
    def send() -> None:
        from gilde.development.models import DevelopmentPlan

        plan = DevelopmentPlan.objects.select_related("person").get(pk=plan_id)
        _send(
            plan.person,
            _("A comment on your development plan"),
            _("There is a new comment on your development plan."),
            site_url(reverse("development:plan", args=[plan.uuid])),
        )

    _schedule(send)


# --- check-ins --------------------------------------------------------------------------------


def check_in_planned(check_in_id: int, *, planned_by_id: int) -> None:
    def send() -> None:
        from gilde.development.models import CheckIn

        check_in = CheckIn.objects.select_related("person", "leader").get(pk=check_in_id)
        other = check_in.leader if planned_by_id == check_in.person_id else check_in.person
        planner = check_in.person if other is check_in.leader else check_in.leader
        _send(
            other,
            _("Check-in planned: %(when)s") % {"when": _when(check_in.scheduled_for)},
            _("%(name)s planned a check-in with you.") % {"name": planner.display_name},
            site_url(reverse("development:check-in", args=[check_in.uuid])),
        )

    _schedule(send)


def check_in_reminder(check_in: Any, *, overdue: bool) -> None:
    """Sent by the reminder task itself (already after its own commit)."""
    link = site_url(reverse("development:check-in", args=[check_in.uuid]))
    if overdue:
        subject = _("A check-in has not taken place yet")
        text = _(
            "The check-in planned for %(when)s is not marked as held. Hold it, plan a new date "
            "or cancel it."
        ) % {"when": _when(check_in.scheduled_for)}
        people = [check_in.leader]
    else:
        subject = _("Tomorrow: check-in")
        text = _("A reminder: you have a check-in on %(when)s. The questions are on its page.") % {
            "when": _when(check_in.scheduled_for)
        }
        people = [check_in.person, check_in.leader]
    for person in people:
        _send(person, subject, text, link)


# --- surveys ----------------------------------------------------------------------------------


def _survey_link(invitation: Any) -> str:
    if invitation.survey.is_anonymous:
        return site_url(reverse("development:survey-link", args=[invitation.token]))
    return site_url(reverse("development:survey-answer", args=[invitation.survey.uuid]))


def _survey_text(survey: Any) -> str:
    if survey.is_anonymous:
        privacy = _(
            "Your answers are anonymous: nobody sees who gave them, and they are only shown "
            "together with those of at least four others. The link works on your phone without "
            "logging in; do not pass it on."
        )
    else:
        privacy = _("Your name is shown with your answers to the organisers of this survey.")
    closes = date_format(survey.closes_on, "j F Y")
    return (
        _("Please tell us what you need to learn for your work. It takes about ten minutes.")
        + " "
        + _("The survey is open until %(date)s.") % {"date": closes}
        + "\n\n"
        + privacy
    )


def survey_invitations(invitation_ids: Iterable[int], *, reminder: bool = False) -> None:
    ids = list(invitation_ids)

    def send() -> None:
        from gilde.development.models import SurveyInvitation

        invitations = SurveyInvitation.objects.filter(pk__in=ids).select_related("survey", "person")
        for invitation in invitations:
            title = invitation.survey.title
            subject = (
                _("Reminder: %(title)s") % {"title": title}
                if reminder
                else _("Your opinion, please: %(title)s") % {"title": title}
            )
            _send(
                invitation.person,
                subject,
                _survey_text(invitation.survey),
                _survey_link(invitation),
            )

    _schedule(send)


# --- career plans -----------------------------------------------------------------------------


def career_consent_asked(plan_id: int) -> None:
    def send() -> None:
        from gilde.development.models import CareerPlan

        plan = CareerPlan.objects.select_related("person", "coach").get(pk=plan_id)
        _send(
            plan.person,
            _("Your job coach asks for your consent"),
            _(
                "%(coach)s wants to write a training and career plan with you. Read what the "
                "coach will see and write, and say yes or no."
            )
            % {"coach": plan.coach.display_name},
            site_url(reverse("development:career", args=[plan.uuid])),
        )

    _schedule(send)
