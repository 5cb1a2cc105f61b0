from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gilde.lrs.models import Scope
from gilde.lrs.selectors_records import RecordFilters

# Dates outside these years are typing mistakes, and the day after 9999-12-31 does not exist.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)


class RecordFilterForm(forms.Form):
    """The filters of a records page (GET): a period, what happened, and words from the
    activity's name."""

    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-01-31.")},
    )
    until = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-01-31.")},
    )
    verb = forms.ChoiceField(label=_("What happened"), required=False)
    q = forms.CharField(
        label=_("Activity"),
        required=False,
        max_length=200,
        help_text=_("A word from the name of a course, lesson or event."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args: Any, verbs: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["verb"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("anything")), *verbs]
        field.error_messages["invalid_choice"] = _("Choose one of the listed activities.")

    def _in_range(self, name: str) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get(name)
        if value is not None and not (EARLIEST <= value <= LATEST):
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s."),
                params={"first": EARLIEST.year, "last": LATEST.year},
            )
        return value

    def clean_since(self) -> dt.date | None:
        return self._in_range("since")

    def clean_until(self) -> dt.date | None:
        return self._in_range("until")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return cleaned

    def filters(self) -> RecordFilters:
        """The valid filters; a field with an error filters nothing (its message is shown)."""
        if not self.is_bound:
            return RecordFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        until_ok = "until" not in self.errors
        return RecordFilters(
            since=data.get("since") if until_ok else None,
            until=data.get("until") if until_ok else None,
            verb=data.get("verb") or "",
            text=(data.get("q") or "").strip(),
        )


# Plain explanations of the xAPI scopes, for the people who set up a connection.
SCOPE_HELP: dict[str, Any] = {
    Scope.STATEMENTS_WRITE: _(
        "Send learning records. Enough for most e-learning, apps and SCORM or cmi5 players."
    ),
    Scope.STATEMENTS_READ_MINE: _("Read back the records this client sent itself, no others."),
    Scope.STATE: _(
        "Remember where a learner is in a course, so that they can continue later (State)."
    ),
    Scope.PROFILE: _("Keep extra information about activities and learners (profiles)."),
    Scope.STATEMENTS_READ: _(
        "Read every learning record of this store, for reports or a dashboard. "
        "These are personal data: give it only to programs you trust with them."
    ),
    Scope.ALL_READ: _("Read everything in this store, change nothing."),
    Scope.ALL: _("Read and write everything in this store."),
}
SCOPE_ORDER = [
    Scope.STATEMENTS_WRITE,
    Scope.STATEMENTS_READ_MINE,
    Scope.STATE,
    Scope.PROFILE,
    Scope.STATEMENTS_READ,
    Scope.ALL_READ,
    Scope.ALL,
]


class ClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Which program or supplier uses it, e.g. 'E-learning Veilig werken'."),
        error_messages={"required": _("Give the client a name.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("What may it do?"),
        choices=[(s.value, s.label) for s in SCOPE_ORDER],
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.STATEMENTS_WRITE, Scope.STATEMENTS_READ_MINE, Scope.STATE],
        error_messages={
            "required": _("Choose at least one thing it may do."),
            "invalid_choice": _("Choose from the listed permissions."),
        },
    )
    xapi_version = forms.ChoiceField(
        label=_("xAPI version"),
        choices=[
            ("2.0.0", _("2.0.0 (the current standard)")),
            ("1.0.3", _("1.0.3 (older e-learning)")),
        ],
        initial="2.0.0",
        widget=forms.RadioSelect,
        help_text=_(
            "The version named in answers to a program that names none. Both versions work "
            "either way; choose 1.0.3 if the supplier asks for it."
        ),
    )

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("Give the client a name."))
        return name

    def scope_rows(self) -> list[tuple[Any, Any]]:
        """Each scope checkbox with its explanation, for the template."""
        field = self["scopes"]
        return [(box, SCOPE_HELP[box.data["value"]]) for box in field.subwidgets]
