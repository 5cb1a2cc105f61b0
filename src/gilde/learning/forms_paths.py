"""Forms for learning paths and cohorts. Forms check input; the rules live in paths_admin (a
form error and a service error both reach the user as a message, and nothing changes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.learning.access import Owner
from gilde.learning.forms import DATE_WIDGET
from gilde.learning.models import LearningPath


class PathForm(forms.ModelForm[LearningPath]):
    owner = forms.ChoiceField(
        label=gettext_lazy("For whom"),
        help_text=gettext_lazy(
            "A path of your organisation is only for its people; a network path is for every "
            "member organisation."
        ),
    )

    class Meta:
        model = LearningPath
        fields = [
            "title",
            "summary",
            "language",
            "audience",
            "ordered",
            "completion_rule",
            "required_count",
            "certificate_enabled",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, owners: list[Owner] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = owners or []
        if self.owners:
            field = self.fields["owner"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(o.key, o.label) for o in self.owners]
        else:
            del self.fields["owner"]
        self.fields["completion_rule"].widget = forms.RadioSelect(
            choices=self.fields["completion_rule"].choices  # type: ignore[attr-defined]
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("completion_rule") == "at_least_n" and not cleaned.get("required_count"):
            self.add_error("required_count", _("Say how many steps must be done."))
        return cleaned

    def chosen_owner(self) -> Owner | None:
        key = self.cleaned_data.get("owner")
        return next((o for o in self.owners if o.key == key), None)

    def path_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class StepAddForm(forms.Form):
    step = forms.ChoiceField(
        label=gettext_lazy("Item or path"),
        help_text=gettext_lazy("A path as a step brings all its steps along."),
    )
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        items: list[tuple[str, str]],
        paths: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["step"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Choose…")),
            (_("Items"), items),
            *([(_("Paths"), paths)] if paths else []),
        ]


class TeamPathEnrolForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=gettext_lazy("Who"), widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(label=gettext_lazy("Done by"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class CohortForm(forms.Form):
    owner = forms.ChoiceField(label=gettext_lazy("Run by"))
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        help_text=gettext_lazy("For example: work-and-learn year, September intake."),
    )
    start_date = forms.DateField(label=gettext_lazy("Start date"), widget=DATE_WIDGET)
    end_date = forms.DateField(
        label=gettext_lazy("End date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy(
            "The steps' dates are spread evenly from start to end; without an end date, four "
            "weeks a step. You can change each date afterwards."
        ),
    )
    coordinator = forms.ChoiceField(label=gettext_lazy("Coordinator"), required=False)
    mentors = forms.MultipleChoiceField(
        label=gettext_lazy("Mentors"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        owners: list[tuple[str, str]],
        staff: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = owners
        coordinator = self.fields["coordinator"]
        assert isinstance(coordinator, forms.ChoiceField)
        coordinator.choices = [("", _("nobody yet")), *staff]
        mentors = self.fields["mentors"]
        assert isinstance(mentors, forms.MultipleChoiceField)
        mentors.choices = staff

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


class PacingForm(forms.Form):
    """One "due" date (and an optional "opens" date) per step."""

    def __init__(self, *args: Any, steps: list[tuple[int, str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_ids = [step_id for step_id, _title, _pacing in steps]
        for step_id, title, pacing in steps:
            self.fields[f"opens_{step_id}"] = forms.DateField(
                label=_("%(step)s: opens on") % {"step": title},
                required=False,
                widget=DATE_WIDGET,
                initial=pacing.opens_on if pacing else None,
            )
            self.fields[f"due_{step_id}"] = forms.DateField(
                label=_("%(step)s: done by") % {"step": title},
                widget=DATE_WIDGET,
                initial=pacing.due_date if pacing else None,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for step_id in self.step_ids:
            opens, due = cleaned.get(f"opens_{step_id}"), cleaned.get(f"due_{step_id}")
            if opens and due and due < opens:
                self.add_error(f"due_{step_id}", _("A step cannot be due before it opens."))
        return cleaned

    def dates(self) -> dict[int, tuple[dt.date | None, dt.date]]:
        return {
            step_id: (
                self.cleaned_data.get(f"opens_{step_id}"),
                self.cleaned_data[f"due_{step_id}"],
            )
            for step_id in self.step_ids
        }


class CohortMembersForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=gettext_lazy("Who joins"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
