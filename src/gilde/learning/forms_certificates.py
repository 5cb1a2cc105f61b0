"""Forms for certificates: revoking one, and finding one by its verification code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the certificate revoked?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Kept for the issuer's records. The verification page shows only that the "
            "certificate is revoked, and since when."
        ),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=20,
        help_text=gettext_lazy("As printed on the certificate, for example ABCD-EFGH-JKMN."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
