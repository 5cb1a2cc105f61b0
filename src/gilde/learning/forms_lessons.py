"""Forms for writing and taking lessons. They check the shape of the input; the rules (a
question needs a correct answer, an image must really be an image, an answer counts once) live
in `learning.lessons`, whose messages reach the user the same way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.learning.lessons import MAX_CHOICES, ChoiceInput, image_limits_text, true_false_choices
from gilde.learning.models import CatalogueItem, Question, QuestionKind, Quiz

CHOICE_ROWS = 6
ACCEPT_IMAGES = "image/jpeg,image/png,image/webp,image/gif"


class PageForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the page"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=gettext_lazy(
            "Markdown: **bold**, *italic*, ## heading, - list, [link](https://…), "
            "![description](image address)."
        ),
    )
    video_url = forms.URLField(
        label=gettext_lazy("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "A YouTube or Vimeo link is shown as a player (without tracking cookies); any other "
            "https link as a link."
        ),
    )


class ImageForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("Image"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_IMAGES}),
    )
    alt_text = forms.CharField(
        label=gettext_lazy("What the image shows"),
        max_length=300,
        help_text=gettext_lazy("Read aloud to people who cannot see the image. Required."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = image_limits_text()


class QuizForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the quiz"), max_length=200)
    pass_mark_percent = forms.IntegerField(
        label=gettext_lazy("Pass mark (%)"), min_value=0, max_value=100, initial=70
    )
    max_attempts = forms.IntegerField(
        label=gettext_lazy("Attempts allowed"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=gettext_lazy("Empty: as many as the learner wants."),
    )
    draw_count = forms.IntegerField(
        label=gettext_lazy("Questions per attempt"),
        min_value=1,
        max_value=200,
        required=False,
        help_text=gettext_lazy(
            "Drawn at random from the question bank for each attempt. Empty: all questions."
        ),
    )
    time_limit_minutes = forms.IntegerField(
        label=gettext_lazy("Time limit in minutes"),
        min_value=1,
        max_value=600,
        required=False,
        help_text=gettext_lazy("Empty: no time limit."),
    )

    @classmethod
    def for_quiz(cls, quiz: Quiz) -> QuizForm:
        return cls(
            initial={
                "title": quiz.title,
                "pass_mark_percent": quiz.pass_mark_percent,
                "max_attempts": quiz.max_attempts,
                "draw_count": quiz.draw_count,
                "time_limit_minutes": quiz.time_limit_minutes,
            }
        )


class QuestionForm(forms.Form):
    """One question of a given kind. Choice questions and ordering questions have rows of
    answers (ordering: in the right order); true-or-false has the statement's truth; a short
    answer has the answers that count as right, one per line."""

    prompt = forms.CharField(
        label=gettext_lazy("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    feedback = forms.CharField(
        label=gettext_lazy("Explanation after answering"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Shown with the result, whatever the learner answered."),
    )
    points = forms.IntegerField(label=gettext_lazy("Points"), min_value=1, max_value=10, initial=1)

    def __init__(
        self,
        *args: Any,
        kind: str,
        item: CatalogueItem,
        question: Question | None = None,
        **kwargs: Any,
    ) -> None:
        if question is not None and "initial" not in kwargs and not args:
            kwargs["initial"] = _initial_for(question)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.item = item
        if kind == QuestionKind.TRUE_FALSE:
            self.fields["prompt"].label = _("Statement")
            self.fields["true_is_correct"] = forms.TypedChoiceField(
                label=_("The statement is"),
                choices=[("1", _("true")), ("0", _("false"))],
                coerce=lambda v: v == "1",
                widget=forms.RadioSelect,
            )
            self.fields["feedback_true"] = forms.CharField(
                label=_("Feedback when the learner answers 'true'"), required=False, max_length=500
            )
            self.fields["feedback_false"] = forms.CharField(
                label=_("Feedback when the learner answers 'false'"),
                required=False,
                max_length=500,
            )
        elif kind == QuestionKind.SHORT_ANSWER:
            self.fields["accepted"] = forms.CharField(
                label=_("Answers that count as right"),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One per line. Capitals and spaces do not matter."),
            )
        else:
            for row in range(1, CHOICE_ROWS + 1):
                label = (
                    _("Step %(n)d") % {"n": row}
                    if kind == QuestionKind.ORDERING
                    else _("Answer %(n)d") % {"n": row}
                )
                self.fields[f"choice_{row}"] = forms.CharField(
                    label=label, required=False, max_length=500
                )
                if kind != QuestionKind.ORDERING:
                    self.fields[f"correct_{row}"] = forms.BooleanField(
                        label=_("Answer %(n)d is correct") % {"n": row}, required=False
                    )
                    self.fields[f"feedback_{row}"] = forms.CharField(
                        label=_("Feedback on answer %(n)d") % {"n": row},
                        required=False,
                        max_length=500,
                    )

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The answer rows' fields, for the template (one fieldset per row)."""
        if self.kind in (QuestionKind.TRUE_FALSE, QuestionKind.SHORT_ANSWER):
            return []
        out = []
        for row in range(1, CHOICE_ROWS + 1):
            out.append(
                {
                    "number": row,
                    "text": self[f"choice_{row}"],
                    "correct": self[f"correct_{row}"] if f"correct_{row}" in self.fields else None,
                    "feedback": self[f"feedback_{row}"]
                    if f"feedback_{row}" in self.fields
                    else None,
                }
            )
        return out

    def choice_inputs(self) -> list[ChoiceInput]:
        data = self.cleaned_data
        if self.kind == QuestionKind.TRUE_FALSE:
            return true_false_choices(
                self.item,
                true_is_correct=bool(data.get("true_is_correct")),
                feedback_true=data.get("feedback_true", ""),
                feedback_false=data.get("feedback_false", ""),
            )
        if self.kind == QuestionKind.SHORT_ANSWER:
            return []
        return [
            ChoiceInput(
                text=data.get(f"choice_{row}", ""),
                correct=bool(data.get(f"correct_{row}")),
                feedback=data.get(f"feedback_{row}", ""),
            )
            for row in range(1, CHOICE_ROWS + 1)
            if data.get(f"choice_{row}", "").strip()
        ]

    def accepted_answers(self) -> list[str]:
        if self.kind != QuestionKind.SHORT_ANSWER:
            return []
        return [line for line in self.cleaned_data.get("accepted", "").splitlines() if line.strip()]


def _initial_for(question: Question) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "prompt": question.prompt,
        "feedback": question.feedback,
        "points": question.points,
    }
    choices = list(question.choices.all())
    if question.kind == QuestionKind.TRUE_FALSE and len(choices) == 2:
        initial["true_is_correct"] = "1" if choices[0].correct else "0"
        initial["feedback_true"] = choices[0].feedback
        initial["feedback_false"] = choices[1].feedback
    elif question.kind == QuestionKind.SHORT_ANSWER:
        initial["accepted"] = "\n".join(a.text for a in question.accepted.all())
    else:
        for row, choice in enumerate(choices[:MAX_CHOICES], start=1):
            initial[f"choice_{row}"] = choice.text
            initial[f"correct_{row}"] = choice.correct
            initial[f"feedback_{row}"] = choice.feedback
    return initial


class AnswerForm(forms.Form):
    """The learner's answer to one question, shaped by its kind."""

    def __init__(self, *args: Any, view: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.view = view
        question = view.question
        self.kind = question.kind
        options = [(str(c.pk), c.text) for c in view.choices]
        if self.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
            self.fields["answer"] = forms.ChoiceField(
                label=question.prompt,
                choices=options,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )
        elif self.kind == QuestionKind.MULTIPLE:
            self.fields["answer"] = forms.MultipleChoiceField(
                label=question.prompt,
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Tick every answer that is right."),
                error_messages={"required": _("Choose an answer.")},
            )
        elif self.kind == QuestionKind.SHORT_ANSWER:
            self.fields["answer"] = forms.CharField(
                label=question.prompt,
                max_length=200,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
                error_messages={"required": _("Type your answer.")},
            )
        else:
            places = [("", "—")] + [(str(n), str(n)) for n in range(1, len(view.choices) + 1)]
            for choice in view.choices:
                self.fields[f"place_{choice.pk}"] = forms.ChoiceField(
                    label=_("Place of: %(step)s") % {"step": choice.text},
                    choices=places,
                    error_messages={"required": _("Give every step a place.")},
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind == QuestionKind.ORDERING and not self.errors:
            places = [data.get(f"place_{c.pk}") for c in self.view.choices]
            if len(set(places)) != len(places):
                raise forms.ValidationError(_("Give every step a different place."))
        return data

    def response(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
            return {"choices": [int(data["answer"])]}
        if self.kind == QuestionKind.MULTIPLE:
            return {"choices": [int(v) for v in data["answer"]]}
        if self.kind == QuestionKind.SHORT_ANSWER:
            return {"value": data["answer"]}
        ranked = sorted(self.view.choices, key=lambda c: int(data[f"place_{c.pk}"]))
        return {"order": [c.pk for c in ranked]}
