from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class CellRatingForm(forms.Form):
    """Rate one person on one competency from the team overview: a level of the column's scale
    and, on the full page, an optional comment."""

    level = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        error_messages={
            "invalid_choice": _("Choose one of the levels of the scale."),
            "required": _("Choose a level."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, levels: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["level"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("choose…"))] + [
            (value, f"{value} – {label}") for value, label in levels
        ]
