from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.tenancy.models import Membership, Organisation, Role, Team


def role_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Role.choices]


class _OrgScopedForm(forms.Form):
    """Team, manager and mentor choices come only from the organisation itself, so a forged id
    of another organisation's team or person fails validation with a clear message."""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if "team" in self.fields:
            team_field = self.fields["team"]
            assert isinstance(team_field, forms.ModelChoiceField)
            team_field.queryset = Team.objects.filter(organisation=organisation)
        colleagues = (
            Membership.objects.current()
            .filter(organisation=organisation)
            .select_related("person")
            .order_by("person__sort_key")
        )
        choices = [("", "—")] + [(str(m.person.uuid), m.person.display_name) for m in colleagues]
        for name in ("manager", "mentor"):
            field = self.fields.get(name)
            if isinstance(field, forms.ChoiceField):
                field.choices = choices
        self._people = {str(m.person.uuid): m.person for m in colleagues}

    def _person(self, name: str) -> Any:
        value = self.cleaned_data.get(name) or ""
        if not value:
            return None
        return self._people[value]

    def clean_manager(self) -> Any:
        return self._person("manager")

    def clean_mentor(self) -> Any:
        return self._person("mentor")


class InviteForm(_OrgScopedForm):
    email = forms.EmailField(label=_("E-mail address"))
    given_name = forms.CharField(label=_("First name"), max_length=100)
    infix = forms.CharField(
        label=_("Tussenvoegsel"),
        max_length=30,
        required=False,
        help_text=_("For example: van, de, van 't"),
    )
    family_name = forms.CharField(label=_("Last name"), max_length=150)
    function_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=role_choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Role.LEARNER],
    )


class MembershipForm(_OrgScopedForm):
    given_name = forms.CharField(label=_("First name"), max_length=100)
    infix = forms.CharField(label=_("Tussenvoegsel"), max_length=30, required=False)
    family_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    function_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    employee_number = forms.CharField(label=_("Employee number"), max_length=50, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    manager = forms.ChoiceField(label=_("Manager"), required=False)
    mentor = forms.ChoiceField(label=_("Workplace mentor"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=role_choices, widget=forms.CheckboxSelectMultiple
    )


class EndMembershipForm(forms.Form):
    end_date = forms.DateField(
        label=_("Last working day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )

    def clean_end_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["end_date"]
        if value > timezone.localdate() + dt.timedelta(days=3 * 365):
            raise forms.ValidationError(_("Choose a date within the next three years."))
        return value


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)


class AcceptInvitationForm(forms.Form):
    given_name = forms.CharField(label=_("First name"), max_length=100)
    infix = forms.CharField(label=_("Tussenvoegsel"), max_length=30, required=False)
    family_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput,
        help_text=_("At least 10 characters."),
    )
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data
