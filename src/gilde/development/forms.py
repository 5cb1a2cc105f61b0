"""Forms for plans, check-ins, surveys, career plans and targets. Forms check the shape of the
input; the rules that depend on the rows (a period, a plan's state) live in the services, whose
messages the views add to the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.competencies.models import Competency, Framework
from gilde.development.models import (
    ActionKind,
    ActionStatus,
    GoalStatus,
    HoursPerWeek,
    Measure,
    NoteVisibility,
    SurveyMode,
)
from gilde.development.services_surveys import DEFAULT_OPEN_QUESTIONS, NEED_CHOICES, WAYS
from gilde.learning.models import CatalogueItem
from gilde.tenancy.models import MembershipKind, Organisation, Team

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
GOAL_COMPETENCIES = 3


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- plans ----------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Plan at"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("Your manager there reads the plan and agrees it with you."),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        help_text=gettext_lazy("For example: My plan for 2027."),
    )
    period_start = forms.DateField(label=gettext_lazy("From"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=gettext_lazy("Until"), widget=DATE_WIDGET)
    learning_question = forms.CharField(
        label=gettext_lazy("Your learning question"),
        widget=_text_area(4),
        help_text=gettext_lazy(
            "In your own words: what do you want to learn, and why now? For example: How do I "
            "become the person colleagues ask when the new machine stops?"
        ),
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        if organisations is None:
            del self.fields["organisation"]
        else:
            field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
            if len(organisations) == 1:
                field.initial = organisations[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period comes before its start."))
        return data


class GoalForm(forms.Form):
    what = forms.CharField(label=gettext_lazy("What do you want to learn?"), max_length=300)
    why = forms.CharField(
        label=gettext_lazy("Why does it matter to you and your work?"),
        widget=_text_area(),
        required=False,
    )
    how_i_know = forms.CharField(
        label=gettext_lazy("How will you know you got there?"),
        widget=_text_area(),
        required=False,
        help_text=gettext_lazy("Something you or others can see: a task you do alone, a result."),
    )
    due_date = forms.DateField(label=gettext_lazy("By when?"), widget=DATE_WIDGET)

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, list[tuple[int, str]]]],
        competencies: QuerySet[Competency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = competencies
        grouped: list[Any] = [("", _("— none —")), *choices]
        for i in range(1, GOAL_COMPETENCIES + 1):
            self.fields[f"competency_{i}"] = forms.TypedChoiceField(
                label=_("Competency %(n)s") % {"n": i},
                choices=grouped,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"level_{i}"] = forms.TypedChoiceField(
                label=_("Level you aim for (competency %(n)s)") % {"n": i},
                choices=[("", "—"), *[(v, str(v)) for v in range(1, 11)]],
                coerce=int,
                required=False,
                empty_value=None,
            )
        self.fields["competency_1"].help_text = _(
            "At least one competency, with the level you want to reach."
        )

    def main_fields(self) -> list[Any]:
        return [self[name] for name in ("what", "why", "how_i_know", "due_date")]

    def competency_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"competency_{i}"], self[f"level_{i}"]) for i in range(1, GOAL_COMPETENCIES + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: list[tuple[Competency, int]] = []
        wanted: dict[int, int] = {
            i: data[f"competency_{i}"]
            for i in range(1, GOAL_COMPETENCIES + 1)
            if data.get(f"competency_{i}")
        }
        found = {c.pk: c for c in self.competencies.filter(pk__in=list(wanted.values()))}
        for i, pk in wanted.items():
            competency = found.get(pk)
            if competency is None:
                self.add_error(f"competency_{i}", _("Choose a competency from the list."))
                continue
            level = data.get(f"level_{i}")
            if level is None:
                self.add_error(f"level_{i}", _("Choose the level you aim for."))
                continue
            chosen.append((competency, level))
        data["competencies"] = chosen
        return data


def _item_label(item: CatalogueItem) -> str:
    return f"{item.title} ({item.get_kind_display()})"


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of action"), choices=ActionKind.choices)
    description = forms.CharField(
        label=gettext_lazy("What will you do?"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Can stay empty when you choose an item from the catalogue."),
    )
    catalogue_item = forms.ModelChoiceField(
        label=gettext_lazy("From the catalogue (optional)"),
        queryset=CatalogueItem.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "A course, lesson or event. When you complete it, this action is ticked off."
        ),
    )
    due_date = forms.DateField(label=gettext_lazy("By when?"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, items: QuerySet[CatalogueItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["catalogue_item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = items
        field.label_from_instance = _item_label  # type: ignore[method-assign,assignment]


class ActionProgressForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Progress"), choices=ActionStatus.choices)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=GoalStatus.choices)


class CommentForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Your comment"), widget=_text_area(3))


class CloseForm(forms.Form):
    reflection = forms.CharField(
        label=gettext_lazy("Looking back"),
        widget=_text_area(5),
        help_text=gettext_lazy(
            "What did you learn? What worked, what did not? What do you want to do next?"
        ),
    )


# --- check-ins ----------------------------------------------------------------------------------


class CheckInForm(forms.Form):
    partner = forms.ChoiceField(label=gettext_lazy("With"))
    day = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET, required=False)
    time = forms.TimeField(label=gettext_lazy("Time"), widget=TIME_WIDGET, required=False)
    ad_hoc = forms.BooleanField(
        label=gettext_lazy("We are talking now (ad hoc)"),
        required=False,
        help_text=gettext_lazy("The check-in is recorded as held now; no date is needed."),
    )

    def __init__(self, *args: Any, pairs: list[tuple[str, str, Any]], **kwargs: Any) -> None:
        """`pairs`: (key, label, pair) for every person the actor can talk with."""
        super().__init__(*args, **kwargs)
        self.pairs = {key: pair for key, _label, pair in pairs}
        field = self.fields["partner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, label) for key, label, _pair in pairs]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["pair"] = self.pairs.get(data.get("partner") or "")
        if data.get("ad_hoc"):
            data["scheduled_for"] = None
            return data
        day, time = data.get("day"), data.get("time")
        if day is None and "day" not in self.errors:
            self.add_error("day", _("Choose a date, or tick that you are talking now."))
        if time is None and "time" not in self.errors:
            self.add_error("time", _("Choose a time."))
        if day is not None and time is not None:
            data["scheduled_for"] = timezone.make_aware(dt.datetime.combine(day, time))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Note"), widget=_text_area(4))
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who can read this note?"),
        choices=NoteVisibility.choices,
        widget=forms.RadioSelect,
        initial=NoteVisibility.PRIVATE,
        help_text=gettext_lazy(
            "Only me: nobody else ever reads it, also not an administrator. The two of us: you "
            "and the other person in this conversation, nobody else."
        ),
    )


class FollowUpForm(forms.Form):
    goal = forms.TypedChoiceField(label=gettext_lazy("Under goal"), coerce=int)
    description = forms.CharField(label=gettext_lazy("What will be done?"), max_length=300)
    due_date = forms.DateField(label=gettext_lazy("By when?"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = {g.pk: g for g in goals}
        field = self.fields["goal"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(g.pk, f"{g.plan.title}: {g.what}") for g in goals]


class PromptsForm(forms.Form):
    questions = forms.CharField(
        label=gettext_lazy("Questions, one per line"),
        widget=_text_area(10),
        required=False,
        help_text=gettext_lazy(
            "Open questions help people talk about what went well, what they want and what "
            "they need. Leave empty to use the built-in questions."
        ),
    )

    def texts(self) -> list[str]:
        return [line for line in self.cleaned_data["questions"].splitlines() if line.strip()]


# --- surveys --------------------------------------------------------------------------------------


class SurveyForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        initial=gettext_lazy("What do you need to learn?"),
    )
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        widget=_text_area(3),
        required=False,
        help_text=gettext_lazy("Why you ask, and what you will do with the answers."),
    )
    framework: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Competency framework"),
        queryset=Framework.objects.none(),
        help_text=gettext_lazy(
            "People say per competency how much they need it and how good they are at it."
        ),
    )
    category = forms.CharField(
        label=gettext_lazy("Only the category (optional)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Leave empty to ask about every competency of the framework."),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Answers are"),
        choices=SurveyMode.choices,
        widget=forms.RadioSelect,
        initial=SurveyMode.ANONYMOUS,
        help_text=gettext_lazy(
            "Anonymous: nobody sees who answered what; groups of fewer than five people are not "
            "shown; people answer with a link on their phone without logging in. Named: you see "
            "who answered what."
        ),
    )
    closes_on = forms.DateField(label=gettext_lazy("Open until"), widget=DATE_WIDGET)
    open_questions = forms.CharField(
        label=gettext_lazy("Open questions, one per line"),
        widget=_text_area(4),
        required=False,
    )

    def __init__(self, *args: Any, frameworks: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "open_questions": "\n".join(str(q) for q in DEFAULT_OPEN_QUESTIONS),
                "closes_on": timezone.localdate() + dt.timedelta(days=21),
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = frameworks

    def questions(self) -> list[str]:
        return [q for q in self.cleaned_data["open_questions"].splitlines() if q.strip()]


class LaunchForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Member organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Leave all unticked to invite every member organisation."),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=gettext_lazy("Everyone in the organisation"),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        teams: QuerySet[Team] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organisations"]
        team_field = self.fields["team"]
        assert isinstance(org_field, forms.ModelMultipleChoiceField)
        assert isinstance(team_field, forms.ModelChoiceField)
        if organisations is None:
            del self.fields["organisations"]
        else:
            org_field.queryset = organisations
        if teams is None:
            del self.fields["team"]
        else:
            team_field.queryset = teams


DONT_KNOW = "x"


class AnswerForm(forms.Form):
    """The survey itself: per competency need and current level, ways of learning, time, open
    questions. Built from the survey; works without JavaScript and on a 360 px phone."""

    def __init__(
        self,
        *args: Any,
        competencies: list[Competency],
        levels: list[tuple[int, str]],
        open_questions: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = competencies
        for competency in competencies:
            self.fields[f"need_{competency.code}"] = forms.TypedChoiceField(
                label=_("How much do you need this for your work?"),
                choices=[(v, str(label)) for v, label in NEED_CHOICES],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how much you need this.")},
            )
            self.fields[f"level_{competency.code}"] = forms.ChoiceField(
                label=_("How good are you at it now?"),
                choices=[
                    *[(str(v), f"{v} {label}") for v, label in levels],
                    (DONT_KNOW, _("I don't know")),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level, or “I don't know”.")},
            )
        self.fields["ways"] = forms.MultipleChoiceField(
            label=_("How do you like to learn? Tick all that apply."),
            choices=[(code, str(label)) for code, _field, label in WAYS],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["hours_per_week"] = forms.ChoiceField(
            label=_("How much time a week can you spend on learning?"),
            choices=HoursPerWeek.choices,
            widget=forms.RadioSelect,
            required=False,
        )
        self.open_questions = open_questions
        for i, question in enumerate(open_questions):
            self.fields[f"open_{i}"] = forms.CharField(
                label=question, widget=_text_area(3), required=False, max_length=2000
            )

    def competency_rows(self) -> list[tuple[Competency, Any, Any]]:
        return [(c, self[f"need_{c.code}"], self[f"level_{c.code}"]) for c in self.competencies]

    def open_fields(self) -> list[Any]:
        return [self[f"open_{i}"] for i in range(len(self.open_questions))]

    def answers(self) -> Any:
        from gilde.development.services_surveys import Answers

        data = self.cleaned_data
        levels: dict[str, int | None] = {}
        for c in self.competencies:
            raw = data[f"level_{c.code}"]
            levels[c.code] = None if raw == DONT_KNOW else int(raw)
        return Answers(
            needs={c.code: data[f"need_{c.code}"] for c in self.competencies},
            levels=levels,
            ways=set(data["ways"]),
            hours_per_week=data["hours_per_week"] or "",
            open_answers=[data.get(f"open_{i}", "") for i in range(len(self.open_questions))],
        )


class ProposalForm(forms.Form):
    code = forms.ChoiceField(label=gettext_lazy("Competency"))
    title = forms.CharField(label=gettext_lazy("What could be offered?"), max_length=200)
    note = forms.CharField(label=gettext_lazy("Note"), widget=_text_area(3), required=False)

    def __init__(self, *args: Any, codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = codes


class ProposalLinkForm(forms.Form):
    item = forms.ModelChoiceField(
        label=gettext_lazy("Catalogue item"), queryset=CatalogueItem.objects.none(), required=False
    )
    drop = forms.BooleanField(label=gettext_lazy("Drop this proposal"), required=False)

    def __init__(self, *args: Any, items: QuerySet[CatalogueItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = items


# --- career plans ---------------------------------------------------------------------------------


class CareerStartForm(forms.Form):
    person = forms.ChoiceField(label=gettext_lazy("With"))

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = people


class CareerForm(forms.Form):
    intake_date = forms.DateField(
        label=gettext_lazy("Intake on"), widget=DATE_WIDGET, required=False
    )
    intake = forms.CharField(
        label=gettext_lazy("Intake"), widget=_text_area(4), required=False, max_length=4000
    )
    current_situation = forms.CharField(
        label=gettext_lazy("Current situation"),
        widget=_text_area(4),
        required=False,
        max_length=4000,
    )
    strengths = forms.CharField(
        label=gettext_lazy("Strengths"), widget=_text_area(4), required=False, max_length=4000
    )
    values_ambitions = forms.CharField(
        label=gettext_lazy("Values and ambitions"),
        widget=_text_area(4),
        required=False,
        max_length=4000,
    )
    options = forms.CharField(
        label=gettext_lazy("Options"), widget=_text_area(4), required=False, max_length=4000
    )
    chosen_route = forms.CharField(
        label=gettext_lazy("Chosen route"), widget=_text_area(4), required=False, max_length=4000
    )


class CareerStepForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("Step"), max_length=300)
    due_date = forms.DateField(label=gettext_lazy("By when?"), widget=DATE_WIDGET, required=False)


class CareerNoteForm(forms.Form):
    written_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET, required=False)
    text = forms.CharField(label=gettext_lazy("Progress note"), widget=_text_area(4))


class CareerCloseForm(forms.Form):
    evaluation = forms.CharField(
        label=gettext_lazy("Closing evaluation"),
        widget=_text_area(5),
        help_text=gettext_lazy("Where does the person stand now? What was reached, what is next?"),
    )


# --- targets --------------------------------------------------------------------------------------


class TargetForm(forms.Form):
    measure = forms.ChoiceField(label=gettext_lazy("What is counted"), choices=Measure.choices)
    membership_kind = forms.ChoiceField(
        label=gettext_lazy("Only people who are"),
        choices=[("", gettext_lazy("everyone")), *MembershipKind.choices],
        required=False,
    )
    value = forms.IntegerField(
        label=gettext_lazy("Target"),
        min_value=0,
        required=False,
        help_text=gettext_lazy(
            "A number, or a percentage for a share. Leave empty to remove the target."
        ),
    )
