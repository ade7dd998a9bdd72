"""Forms of the Learn pages: the Ask box, the search box and the support-group filter."""

from __future__ import annotations

from django import forms

from .content import GROUP_AUDIENCES
from .services import QUERY_MAX_CHARS, QUESTION_MAX_CHARS


class AskForm(forms.Form):
    """A question for the guide (1–500 characters)."""

    question = forms.CharField(
        label="Your question",
        max_length=QUESTION_MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": QUESTION_MAX_CHARS,
                                     "placeholder": "For example: Can I drink alcohol while taking naltrexone?"}),
        help_text=f"Up to {QUESTION_MAX_CHARS} characters. Please do not include your name or other personal details.",
        error_messages={
            "required": "Please type a question.",
            "max_length": f"Please keep your question under {QUESTION_MAX_CHARS} characters "
                          "(it has %(show_value)d).",
        },
    )


class SearchForm(forms.Form):
    """Words to search the guide for."""

    q = forms.CharField(
        label="Search the guide",
        max_length=QUERY_MAX_CHARS,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": QUERY_MAX_CHARS}),
        error_messages={
            "required": "Please type something to search for.",
            "max_length": f"Please keep your search under {QUERY_MAX_CHARS} characters.",
        },
    )


class SupportFilterForm(forms.Form):
    """Which support groups to show: by who they are for."""

    serving = forms.ChoiceField(
        label="Show groups for",
        required=False,
        choices=[("", "Everyone (all groups)"), *GROUP_AUDIENCES.items()],
        error_messages={"invalid_choice": "Please choose one of the listed options."},
    )
