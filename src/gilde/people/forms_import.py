"""Forms of the HR import: the upload and the choice of columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.people.importing import MAX_FILE_BYTES, ImportField

ACCEPTED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")


def _shorten(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File with people"),
        help_text=gettext_lazy("A CSV file or an Excel file (.xlsx), at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.tsv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if name.endswith(".xls"):
            raise forms.ValidationError(
                _(
                    "This is an old Excel file (.xls). Save it in Excel as .xlsx or as CSV and upload that."
                )
            )
        if not name.endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError(_("Upload a CSV file (.csv) or an Excel file (.xlsx)."))
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB. Split it or remove columns you do not need.")
                % {"max": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class ColumnMappingForm(forms.Form):
    """A choice per column of the file; `create_teams` allows teams the organisation lacks."""

    create_teams = forms.BooleanField(
        label=gettext_lazy("Create missing teams"),
        help_text=gettext_lazy(
            "Teams (departments) in the file that do not exist yet are created during the import."
        ),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        header: Sequence[str],
        samples: Sequence[Sequence[str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.header = list(header)
        choices = [("", _("Do not import")), *ImportField.choices]
        for index, title in enumerate(self.header):
            # Short, so that a long e-mail address does not push the page sideways on a phone.
            examples = [_shorten(row[index]) for row in samples if index < len(row) and row[index]]
            label = (
                _("Column %(number)d: “%(title)s”") % {"number": index + 1, "title": title}
                if title
                else _("Column %(number)d (no name)") % {"number": index + 1}
            )
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                help_text=(_("For example: %(values)s") % {"values": ", ".join(examples[:3])})
                if examples
                else _("Empty in the first lines."),
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{index}"] for index in range(len(self.header))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, int] = {}
        for index in range(len(self.header)):
            choice = data.get(f"column_{index}") or ""
            if not choice:
                continue
            if choice in seen:
                self.add_error(
                    f"column_{index}",
                    _("“%(field)s” is already chosen for column %(number)d.")
                    % {"field": ImportField(choice).label, "number": seen[choice] + 1},
                )
            else:
                seen[choice] = index
        return data

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column_{i}") or "" for i in range(len(self.header))]
