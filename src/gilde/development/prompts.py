"""The built-in questions for a check-in: open questions that support a motivating
conversation (what went well, what the person wants, what they need). An organisation can replace
them with its own list (`CheckInPrompt`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEFAULT_PROMPTS = (
    _("What went well since we last talked? What are you proud of?"),
    _("What did you learn, and where did you use it in your work?"),
    _("What is difficult right now, and what have you tried?"),
    _("What do you want to get better at next? Why does that matter to you?"),
    _("What do you need, from me or from others, to take the next step?"),
    _("What will you do before we talk again, and how will we know it worked?"),
)
