"""Forms for the catalogue, items, enrolment and completion. Forms check input; the rules live in
services (a form error and a service error both reach the user as a message, and nothing
changes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.competencies.evidence import (
    CheckedFile,
    EvidenceError,
    allowed_types_text,
    check_link,
    check_upload,
    max_size_text,
)
from gilde.learning.access import Owner
from gilde.learning.kinds import all_kinds, kind_named, kind_specific_fields
from gilde.learning.models import CatalogueItem, ContentLanguage
from gilde.learning.tags import tags_parse
from gilde.tenancy.models import Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=gettext_lazy("Words in the title, the summary or a tag."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    competency = forms.ChoiceField(label=gettext_lazy("Competency"), required=False)
    owner = forms.ChoiceField(
        label=gettext_lazy("Offered by"),
        required=False,
        choices=[
            ("", gettext_lazy("everyone")),
            ("organisation", gettext_lazy("my organisation")),
            ("network", gettext_lazy("the network")),
        ],
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)

    def __init__(
        self, *args: Any, competencies: list[tuple[str, str]], languages: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", [(k.value, k.label) for k in all_kinds()], _("all kinds"))
        self._choices("competency", competencies, _("all competencies"))
        names = dict(ContentLanguage.choices)
        self._choices(
            "language", [(code, str(names.get(code, code))) for code in languages], _("all")
        )

    def _choices(self, name: str, choices: list[tuple[str, str]], everything: str) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", everything), *choices]


class ItemForm(forms.ModelForm[CatalogueItem]):
    """The item's own fields plus those of its kind (kinds.py says which)."""

    owner = forms.ChoiceField(
        label=gettext_lazy("For whom"),
        help_text=gettext_lazy(
            "An item of your organisation is only for its people; a network item is for every "
            "member organisation."
        ),
    )
    url = forms.URLField(
        label=gettext_lazy("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("The course page at the provider."),
    )
    tags_text = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Words to find it by, separated by commas."),
    )

    class Meta:
        model = CatalogueItem
        fields = [
            "title",
            "summary",
            "language",
            "study_load_hours",
            "audience",
            "certificate_enabled",
            "provider",
            "url",
            "price",
            "instructions",
            "sign_off_by",
            "school",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(
        self,
        *args: Any,
        kind: str,
        owners: list[Owner] | None = None,
        schools: list[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind_named(kind)
        self.owners = {o.key: o for o in owners or []}
        if owners is None:
            del self.fields["owner"]
        else:
            owner_field = self.fields["owner"]
            assert isinstance(owner_field, forms.ChoiceField)
            owner_field.choices = [(o.key, o.label) for o in owners]
            if len(owners) == 1:
                owner_field.initial = owners[0].key
        for name in kind_specific_fields() - set(self.kind.form_fields):
            self.fields.pop(name, None)
        for name in self.kind.required_fields:
            if name in self.fields:
                self.fields[name].required = True
        school_field = self.fields.get("school")
        if isinstance(school_field, forms.ModelChoiceField):
            school_field.queryset = Organisation.objects.filter(
                pk__in=[s.pk for s in schools or []]
            ).order_by("name")
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(
                t.name for t in self.instance.tags.order_by("name")
            )

    def clean_study_load_hours(self) -> Decimal:
        hours: Decimal = self.cleaned_data["study_load_hours"]
        if hours > Decimal("2000"):
            raise forms.ValidationError(_("At most 2,000 hours."))
        return hours

    def chosen_owner(self) -> Owner | None:
        return self.owners.get(self.cleaned_data.get("owner", ""))

    def tags(self) -> list[str]:
        return tags_parse(self.cleaned_data.get("tags_text", ""))

    def item_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ItemForm.Meta.fields
            if name in self.fields and name in self.cleaned_data
        }


class ItemCompetencyForm(forms.Form):
    competency = forms.ChoiceField(label=gettext_lazy("Competency"))
    level = forms.IntegerField(
        label=gettext_lazy("Level it helps reach"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("A level of the competency's scale."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["competency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a competency")), *choices]


class DueDateField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Done by"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", DATE_WIDGET)
        kwargs.setdefault("help_text", gettext_lazy("Optional. Today or later."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.date | None:
        day: dt.date | None = super().clean(value)
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the past."))
        return day


class SelfEnrolForm(forms.Form):
    due_date = DueDateField(
        label=gettext_lazy("I want to be done by"),
    )


class TeamEnrolForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=gettext_lazy("Who"), widget=forms.CheckboxSelectMultiple
    )
    due_date = DueDateField()

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why does this enrolment end?"),
        max_length=300,
        help_text=gettext_lazy("A few words, for example: no time now, wrong course."),
    )


class ProofForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Proof (file)"),
        required=False,
        help_text=gettext_lazy("A certificate or a letter from the provider."),
    )
    link = forms.CharField(
        label=gettext_lazy("Or a link to the proof"), required=False, max_length=500
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; %(size)s.") % {
            "types": allowed_types_text(),
            "size": max_size_text(),
        }
        self.checked: CheckedFile | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                self.checked = check_upload(upload)
            except EvidenceError as error:
                raise forms.ValidationError(str(error)) from error
        return upload

    def clean_link(self) -> str:
        link = str(self.cleaned_data.get("link", "")).strip()
        if link:
            try:
                return check_link(link)
            except EvidenceError as error:
                raise forms.ValidationError(str(error)) from error
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("file") and not data.get("link"):
            raise forms.ValidationError(_("Add a file or a link as proof."))
        return data


class SignOffForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("How did it go?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional. The learner can read this."),
    )


class SchoolResultForm(forms.Form):
    school_result = forms.CharField(
        label=gettext_lazy("Result"),
        max_length=50,
        help_text=gettext_lazy("As the school gives it, for example 7.5 or 'good'."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)


class ProposalForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("accept", gettext_lazy("Agree: record this level")),
            ("dismiss", gettext_lazy("Not (yet)")),
        ],
        widget=forms.RadioSelect,
    )
    level = forms.TypedChoiceField(label=gettext_lazy("Level"), coerce=int, required=False)

    def __init__(self, *args: Any, levels: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["level"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = levels

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "accept" and data.get("level") in (None, ""):
            self.add_error("level", _("Choose the level."))
        return data
