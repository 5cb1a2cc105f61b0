from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gilde.tenancy.models import NetworkRoleKind, OrganisationKind


class ApplicationForm(forms.Form):
    organisation_name = forms.CharField(label=_("Name of your organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganisationKind.choices)
    city = forms.CharField(label=_("Place"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("If the coordinator approves, you get an invitation at this address."),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    enrolment_open = forms.BooleanField(
        label=_("Open for applications from other organisations"), required=False
    )


class AddOrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganisationKind.choices)
    city = forms.CharField(label=_("Place"), max_length=100, required=False)
    admin_name = forms.CharField(
        label=_("Name of its administrator"), max_length=200, required=False
    )
    admin_email = forms.EmailField(
        label=_("E-mail address of its administrator"),
        required=False,
        help_text=_("This person gets an invitation to manage the organisation's people."),
    )


class NetworkRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person must work at one of the network's member organisations."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=NetworkRoleKind.choices)
