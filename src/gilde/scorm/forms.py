"""Forms for uploading packages. The package itself is checked by the import (manifest.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from gilde.learning.access import Owner
from gilde.scorm.manifest import max_upload_bytes


class PackageFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=gettext_lazy("Package file"),
            help_text=gettext_lazy(
                "A SCORM 1.2 or 2004 package or a cmi5 course, as a .zip (or a cmi5.xml whose "
                "parts are online). At most %(max)s MB."
            )
            % {"max": max_upload_bytes() // (1024 * 1024)},
            widget=forms.ClearableFileInput(attrs={"accept": ".zip,.xml,application/zip"}),
            **kwargs,
        )


class PackageUploadForm(forms.Form):
    owner = forms.ChoiceField(
        label=gettext_lazy("For whom"),
        help_text=gettext_lazy(
            "A package of your organisation is only for its people; a network package is for "
            "every member organisation."
        ),
    )
    package = PackageFileField()

    def __init__(self, *args: Any, owners: list[Owner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {o.key: o for o in owners}
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(o.key, o.label) for o in owners]

    def chosen_owner(self) -> Owner | None:
        return self.owners.get(self.cleaned_data.get("owner", ""))


class VersionUploadForm(forms.Form):
    package = PackageFileField()


NAV_CHOICES = [
    ("start", "start"),
    ("continue", "continue"),
    ("previous", "previous"),
    ("choice", "choice"),
    ("jump", "jump"),
    ("exit", "exit"),
    ("exitAll", "exitAll"),
    ("suspendAll", "suspendAll"),
    ("abandon", "abandon"),
    ("abandonAll", "abandonAll"),
    ("resumeAll", "resumeAll"),
]


class NavigateForm(forms.Form):
    request = forms.ChoiceField(choices=NAV_CHOICES)
    target = forms.CharField(required=False, max_length=255)
