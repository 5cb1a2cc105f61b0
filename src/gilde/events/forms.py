"""Forms for events. Forms check input; the rules live in the services (a form error and a
service error both reach the user as a message, and nothing changes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.events.models import Audience, EventSeries, Session
from gilde.events.services import MAX_RECURRING, SESSION_FIELDS, SessionTimes

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SessionForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title of this session"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Optional, for example: Breakfast 2 — heat pumps."),
    )
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    start = forms.TimeField(label=gettext_lazy("Starts at"), widget=TIME_WIDGET)
    end = forms.TimeField(label=gettext_lazy("Ends at"), widget=TIME_WIDGET)
    address = forms.CharField(label=gettext_lazy("Address"), required=False, max_length=300)
    room = forms.CharField(label=gettext_lazy("Room"), required=False, max_length=100)
    online_url = forms.URLField(
        label=gettext_lazy("Online meeting link"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Places"),
        validators=[MinValueValidator(1, gettext_lazy("A session needs at least one place."))],
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Audience"),
        required=False,
        choices=[("", gettext_lazy("everyone")), *Audience.choices],
    )
    host = forms.ChoiceField(label=gettext_lazy("Host"), required=False)
    speakers = forms.CharField(label=gettext_lazy("Speakers"), required=False, max_length=300)
    materials = forms.CharField(
        label=gettext_lazy("Materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What to bring or read; links are fine."),
    )

    def __init__(
        self, *args: Any, hosts: list[tuple[str, str]], host_people: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["host"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("nobody yet")), *hosts]
        self.host_people = host_people

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The session ends before it starts. Check the times."))
        if not cleaned.get("address") and not cleaned.get("online_url"):
            self.add_error("address", _("Give an address or an online meeting link."))
        return cleaned

    def times(self) -> SessionTimes:
        data = self.cleaned_data
        return SessionTimes(date=data["date"], start=data["start"], end=data["end"])

    def session_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["host"] = self.host_people.get(data.get("host") or "")
        return {name: data.get(name) for name in SESSION_FIELDS}

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        initial: dict[str, Any] = {name: getattr(session, name) for name in SESSION_FIELDS}
        initial["host"] = str(session.host.uuid) if session.host else ""
        initial.update(date=start.date(), start=start.time(), end=end.time())
        return initial


class SessionCreateForm(SessionForm):
    count = forms.IntegerField(
        label=gettext_lazy("How many sessions"),
        initial=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RECURRING)],
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_RECURRING}),
        help_text=gettext_lazy("More than one: the same time every so many weeks."),
    )
    every_weeks = forms.IntegerField(
        label=gettext_lazy("Every how many weeks"),
        initial=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        widget=forms.NumberInput(attrs={"min": 1, "max": 52}),
    )

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return date


class SeriesSettingsForm(forms.ModelForm[EventSeries]):
    class Meta:
        model = EventSeries
        fields = [
            "approval_required",
            "walk_ins_allowed",
            "cancel_hours",
            "public",
            "target_participants",
            "target_per_session",
            "target_organisations",
        ]

    def __init__(self, *args: Any, audience_targets: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Audience.choices:
            self.fields[f"audience_{value}"] = forms.IntegerField(
                label=_("Different participants: %(audience)s") % {"audience": label},
                required=False,
                min_value=0,
                initial=audience_targets.get(value),
            )

    def audience_targets(self) -> dict[str, int | None]:
        return {value: self.cleaned_data.get(f"audience_{value}") for value in Audience.values}

    def setting_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class TeamRegisterForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=gettext_lazy("Who"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class ReservationForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))
    places = forms.IntegerField(
        label=gettext_lazy("Places kept"),
        min_value=0,
        help_text=gettext_lazy("0 gives the places back to everyone."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why does the session not go ahead?"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Everyone registered gets this in the e-mail."),
    )


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("How useful was this session for you?"),
        coerce=int,
        choices=[
            (1, gettext_lazy("1 — not useful")),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, gettext_lazy("5 — very useful")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything you want to tell the organisers?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
