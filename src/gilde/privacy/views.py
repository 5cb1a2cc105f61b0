"""The person's own record: "My details", consents, download and erasure. Everything under /me/
is about the logged-in person only; the one organisation-side page (erasing a former member) goes
through the access gateway like every other organisation page."""

from __future__ import annotations

import json
from typing import Literal, cast

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.people.models import Person
from gilde.privacy.forms import AccountForm, ConsentForm, EraseForm, EraseMemberForm
from gilde.privacy.registry import sections
from gilde.privacy.selectors import (
    certifying_body_list,
    consent_get_active,
    consent_list,
    handover_needed,
    has_current_membership,
    membership_history,
    network_role_list,
)
from gilde.privacy.services import (
    PrivacyError,
    account_update,
    person_erase,
    personal_data_export,
)
from gilde.privacy.services import (
    consent_give as consent_give_service,
)
from gilde.privacy.services import (
    consent_withdraw as consent_withdraw_service,
)
from gilde.tenancy.access import access_managed_membership, access_organisation
from gilde.tenancy.models import Role
from gilde.tenancy.services import TenancyError

SameSite = Literal["Lax", "Strict", "None", False] | None


def _person(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)
    return user


@login_required
def me(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    return render(
        request,
        "privacy/me.html",
        {
            "person": person,
            "language_name": dict(settings.LANGUAGES).get(person.preferred_language, ""),
            "memberships": membership_history(person=person),
            "network_roles": network_role_list(person=person),
            "consents": consent_list(person=person),
            "can_give_consent": certifying_body_list(person=person).exists(),
            "has_totp": Authenticator.objects.filter(
                user=person, type=Authenticator.Type.TOTP
            ).exists(),
            "today": timezone.localdate(),
        },
    )


@login_required
def edit(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if request.method == "POST":
        form = AccountForm(request.POST, person=person)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account_update(
                    actor=person,
                    person=person,
                    given_name=data["given_name"],
                    infix=data["infix"],
                    family_name=data["family_name"],
                    email=data["email"],
                    preferred_language=data["preferred_language"],
                )
            except (PrivacyError, TenancyError) as error:
                form.add_error(None, str(error))
            else:
                translation.activate(person.preferred_language)
                messages.success(request, _("Your details have been saved."))
                response = redirect("privacy:me")
                # The chosen language also becomes the language of the pages from now on.
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    person.preferred_language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
                )
                return response
    else:
        form = AccountForm(
            person=person,
            initial={
                "given_name": person.given_name,
                "infix": person.infix,
                "family_name": person.family_name,
                "email": person.email,
                "preferred_language": person.preferred_language,
            },
        )
    return render(request, "privacy/edit.html", {"form": form})


@login_required
def consent_give(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    organisations = list(certifying_body_list(person=person))
    if request.method == "POST":
        form = ConsentForm(request.POST, organisations=organisations)
        if form.is_valid():
            try:
                consent = consent_give_service(
                    actor=person,
                    organisation=form.cleaned_data["organisation"],
                    purpose=form.cleaned_data["purpose"],
                )
            except PrivacyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(org)s may now see your record. You can withdraw this at any time.")
                    % {"org": consent.organisation.name},
                )
                return redirect("privacy:me")
    else:
        form = ConsentForm(organisations=organisations)
    return render(
        request, "privacy/consent_give.html", {"form": form, "organisations": organisations}
    )


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_uuid: str) -> HttpResponse:
    person = _person(request)
    consent = consent_get_active(person=person, uuid=consent_uuid)
    if consent is None:
        raise Http404
    try:
        consent_withdraw_service(actor=person, consent=consent)
    except PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You have withdrawn your consent. %(org)s can no longer see your record.")
            % {"org": consent.organisation.name},
        )
    return redirect("privacy:me")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if request.method == "POST":
        data = personal_data_export(actor=person, person=person)
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"gilde-mijn-gegevens-{timezone.localdate().isoformat()}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "privacy/export.html", {"sections": [s.name for s in sections()]})


@login_required
def erase(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    blocked_by = handover_needed(person=person)
    form = EraseForm(request.POST or None, person=person)
    if request.method == "POST" and not blocked_by and form.is_valid():
        try:
            person_erase(actor=person, person=person)
        except PrivacyError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(
                request, _("Your account has been erased. Thank you for learning with Gilde.")
            )
            return redirect("core:home")
    return render(request, "privacy/erase.html", {"form": form, "blocked_by": blocked_by})


@login_required
def erase_member(request: HttpRequest, org_slug: str, membership_uuid: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    membership = access_managed_membership(request.user, organisation, membership_uuid)
    person = membership.person
    still_working = has_current_membership(person=person)
    form = EraseMemberForm(request.POST or None, person=person)
    can_erase = person.erased_at is None and not still_working
    if request.method == "POST" and can_erase and form.is_valid():
        try:
            person_erase(actor=request.user, person=person)
        except PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The account of this former member has been erased."))
            return redirect("people:list", organisation.slug)
    return render(
        request,
        "privacy/erase_member.html",
        {
            "organisation": organisation,
            "membership": membership,
            "person": person,
            "still_working": still_working,
            "form": form,
        },
    )
