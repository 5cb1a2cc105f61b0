from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gilde.tenancy.models import Organisation

if TYPE_CHECKING:
    from gilde.people.models import Person


def _language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class AccountForm(forms.Form):
    given_name = forms.CharField(label=_("First name"), max_length=100)
    infix = forms.CharField(
        label=_("Tussenvoegsel"),
        max_length=30,
        required=False,
        help_text=_("For example: van, de, van 't"),
    )
    family_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("You log in with this address.")
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=_language_choices)
    current_password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Only needed when you change your e-mail address."),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = (data.get("email") or "").strip().lower()
        changed = bool(email) and email != self.person.email.lower()
        if changed and not self.person.check_password(data.get("current_password") or ""):
            self.add_error(
                "current_password",
                _("Type your current password to change your e-mail address."),
            )
        return data


class ConsentForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Certifying body"))
    purpose = forms.CharField(
        label=_("What may they use your record for?"),
        max_length=200,
        help_text=_("For example: checking my hours for the renewal of my certificate."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organisations = {o.slug: o for o in organisations}
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(o.slug, o.name) for o in organisations]

    def clean_organisation(self) -> Organisation:
        # The choices come only from the person's own networks, so a forged value is refused
        # here with a clear message.
        return self._organisations[self.cleaned_data["organisation"]]


class EraseForm(forms.Form):
    """The person confirms by typing their own e-mail address and password."""

    email = forms.CharField(label=_("Your e-mail address"), max_length=254)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self) -> str:
        value: str = self.cleaned_data["email"].strip().lower()
        if value != self.person.email.lower():
            raise forms.ValidationError(_("This is not the e-mail address of your account."))
        return value

    def clean_password(self) -> str:
        value: str = self.cleaned_data["password"]
        if not self.person.check_password(value):
            raise forms.ValidationError(_("This password is not correct."))
        return value


class EraseMemberForm(forms.Form):
    """An organisation admin confirms by typing the former member's e-mail address."""

    email = forms.CharField(label=_("E-mail address of this person"), max_length=254)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self) -> str:
        value: str = self.cleaned_data["email"].strip().lower()
        if value != self.person.email.lower():
            raise forms.ValidationError(_("This is not the e-mail address of this person."))
        return value
