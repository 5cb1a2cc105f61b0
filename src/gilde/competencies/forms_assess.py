"""Forms for assessment rounds, rating one person, evidence and prior-learning claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.competencies.evidence import (
    MAX_FILES_PER_CLAIM,
    CheckedFile,
    EvidenceError,
    allowed_types_text,
    check_link,
    check_upload,
    max_size_text,
)
from gilde.competencies.models import Assessment, FunctionProfile
from gilde.competencies.selectors_assess import CompetencyLevels, LevelOption
from gilde.tenancy.models import Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _evidence_help() -> str:
    return _("%(types)s; %(size)s.") % {"types": allowed_types_text(), "size": max_size_text()}


class RoundForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        help_text=gettext_lazy("For example: Self-assessment spring 2027."),
    )
    profile = forms.ModelChoiceField(
        label=gettext_lazy("Function profile"),
        queryset=FunctionProfile.objects.none(),
        help_text=gettext_lazy("People rate themselves on the competencies of this profile."),
    )
    people = forms.ChoiceField(label=gettext_lazy("Who takes part"))
    due_date = forms.DateField(
        label=gettext_lazy("Rate yourself before"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy("Today or later."),
    )

    def __init__(
        self,
        *args: Any,
        profiles: QuerySet[FunctionProfile],
        people_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        profile_field = self.fields["profile"]
        assert isinstance(profile_field, forms.ModelChoiceField)
        profile_field.queryset = profiles
        people_field = self.fields["people"]
        assert isinstance(people_field, forms.ChoiceField)
        people_field.choices = people_choices

    def clean_due_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["due_date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the past."))
        return day


@dataclass
class LevelRow:
    """One competency on a rating form: its radio buttons with descriptors, an optional comment,
    and (on the manager's form) the person's own rating beside it."""

    item: CompetencyLevels
    level: forms.BoundField
    comment: forms.BoundField
    options: list[tuple[Any, LevelOption]]
    self_rating: Assessment | None = None

    @property
    def self_option(self) -> LevelOption | None:
        if self.self_rating is None:
            return None
        return next((o for o in self.item.options if o.value == self.self_rating.level), None)


def _level_choices(options: Sequence[LevelOption]) -> list[tuple[str, str]]:
    return [(str(o.value), f"{o.value} {o.label}") for o in options]


class LevelsForm(forms.Form):
    """A level (and an optional comment) for every competency of a profile. Field names carry
    the competency's id; `ratings()` gives them back by code."""

    def __init__(
        self,
        *args: Any,
        items: list[CompetencyLevels],
        initial_levels: dict[int, Assessment] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        initial_levels = initial_levels or {}
        for item in items:
            competency = item.competency
            given = initial_levels.get(competency.pk)
            self.fields[f"level_{competency.pk}"] = forms.ChoiceField(
                label=f"{competency.code} {competency.name}",
                choices=_level_choices(item.options),
                widget=forms.RadioSelect,
                initial=str(given.level) if given else None,
                error_messages={
                    "required": _("Choose a level."),
                    "invalid_choice": _("Choose one of the levels of the scale."),
                },
            )
            self.fields[f"comment_{competency.pk}"] = forms.CharField(
                label=_("Comment on %(code)s (optional)") % {"code": competency.code},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self, self_ratings: dict[int, Assessment] | None = None) -> list[LevelRow]:
        rows = []
        for item in self.items:
            level = self[f"level_{item.competency.pk}"]
            rows.append(
                LevelRow(
                    item=item,
                    level=level,
                    comment=self[f"comment_{item.competency.pk}"],
                    options=list(zip(level.subwidgets, item.options, strict=True)),
                    self_rating=(self_ratings or {}).get(item.competency.pk),
                )
            )
        return rows

    def ratings(self) -> dict[str, tuple[int, str]]:
        return {
            item.competency.code: (
                int(self.cleaned_data[f"level_{item.competency.pk}"]),
                self.cleaned_data[f"comment_{item.competency.pk}"],
            )
            for item in self.items
        }


class EvidenceFields(forms.Form):
    """An optional evidence file and link, checked by content and scheme."""

    evidence_file = forms.FileField(label=gettext_lazy("Evidence file (optional)"), required=False)
    evidence_link = forms.CharField(
        label=gettext_lazy("Link to evidence (optional)"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("A web address starting with https:// or http://."),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].help_text = _evidence_help()

    def clean_evidence_file(self) -> CheckedFile | None:
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        try:
            return check_upload(upload)
        except EvidenceError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_evidence_link(self) -> str:
        link: str = self.cleaned_data.get("evidence_link", "").strip()
        if not link:
            return ""
        try:
            return check_link(link)
        except EvidenceError as error:
            raise forms.ValidationError(str(error)) from error


class RateForm(EvidenceFields):
    """Rate one person on one competency."""

    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a level."),
            "invalid_choice": gettext_lazy("Choose one of the levels of the scale."),
        },
    )
    assessed_on = forms.DateField(
        label=gettext_lazy("Date"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy("When you saw this; today or earlier."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = ["level", "assessed_on", "comment", "evidence_file", "evidence_link"]

    def __init__(self, *args: Any, item: CompetencyLevels, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.item = item
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = _level_choices(item.options)

    def options(self) -> list[tuple[Any, LevelOption]]:
        return list(zip(self["level"].subwidgets, self.item.options, strict=True))

    def clean_assessed_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A rating cannot be dated in the future."))
        return day


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ClaimForm(forms.Form):
    """A claim for recognition of prior learning (EVC)."""

    claimed_level = forms.ChoiceField(
        label=gettext_lazy("Level you claim"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a level."),
            "invalid_choice": gettext_lazy("Choose one of the levels of the scale."),
        },
    )
    statement = forms.CharField(
        label=gettext_lazy("What you did and where"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "For example: which work, at which company or course, for how long, and what you "
            "made or solved."
        ),
        error_messages={"required": gettext_lazy("Tell what you did and where.")},
    )
    evidence_files = MultipleFileField(
        label=gettext_lazy("Evidence files (optional)"), required=False
    )
    links = forms.CharField(
        label=gettext_lazy("Links to evidence (optional)"),
        required=False,
        max_length=2600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One web address per line, starting with https:// or http://."),
    )
    organisation = forms.ChoiceField(
        label=gettext_lazy("Who should decide"),
        help_text=gettext_lazy("The organisation whose manager or admin looks at your claim."),
    )

    field_order = ["claimed_level", "statement", "evidence_files", "links", "organisation"]

    def __init__(
        self,
        *args: Any,
        item: CompetencyLevels,
        organisations: list[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.organisations = {o.slug: o for o in organisations}
        level_field = self.fields["claimed_level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = _level_choices(item.options)
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ChoiceField)
        organisation_field.choices = [(o.slug, o.name) for o in organisations]
        if len(organisations) == 1:
            organisation_field.initial = organisations[0].slug
            organisation_field.widget = forms.HiddenInput()
        self.fields["evidence_files"].help_text = _(
            "Up to %(n)d files. %(types)s; %(size)s each."
        ) % {
            "n": MAX_FILES_PER_CLAIM,
            "types": allowed_types_text(),
            "size": max_size_text(),
        }

    def options(self) -> list[tuple[Any, LevelOption]]:
        return list(zip(self["claimed_level"].subwidgets, self.item.options, strict=True))

    def clean_evidence_files(self) -> list[CheckedFile]:
        uploads = self.cleaned_data.get("evidence_files") or []
        if len(uploads) > MAX_FILES_PER_CLAIM:
            raise forms.ValidationError(_("Add at most %(n)d files.") % {"n": MAX_FILES_PER_CLAIM})
        checked = []
        for upload in uploads:
            try:
                checked.append(check_upload(upload))
            except EvidenceError as error:
                raise forms.ValidationError(f"{upload.name}: {error}") from error
        return checked

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("links", "").splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_FILES_PER_CLAIM:
            raise forms.ValidationError(_("Add at most %(n)d links.") % {"n": MAX_FILES_PER_CLAIM})
        try:
            return [check_link(line) for line in lines]
        except EvidenceError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_organisation(self) -> Organisation:
        organisation = self.organisations.get(self.cleaned_data["organisation"])
        if organisation is None:
            raise forms.ValidationError(_("Choose one of your organisations."))
        return organisation


class DecideForm(forms.Form):
    ACCEPT = "accept"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        widget=forms.RadioSelect,
        choices=[
            (ACCEPT, gettext_lazy("Accept, with the level below")),
            (REJECT, gettext_lazy("Do not accept")),
        ],
        error_messages={"required": gettext_lazy("Choose accept or do not accept.")},
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Level you recognise"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the levels of the scale.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the person"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed when you do not accept: tell why and what would help."),
    )

    def __init__(self, *args: Any, item: CompetencyLevels, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = _level_choices(item.options)

    def options(self) -> list[tuple[Any, LevelOption]]:
        return list(zip(self["level"].subwidgets, self.item.options, strict=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == self.ACCEPT and not data.get("level"):
            self.add_error("level", _("Choose the level you recognise."))
        if decision == self.REJECT and not (data.get("note") or "").strip():
            self.add_error("note", _("Tell the person why the claim is not accepted."))
        return data
