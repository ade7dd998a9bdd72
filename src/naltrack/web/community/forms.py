"""Forms of the forum pages (the API validates with its own schemas and calls the same services)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from .models import ReportReason
from .services.moderation import REASON_MAX
from .services.posting import BODY_MAX, TITLE_MAX, TITLE_MIN

MARKUP_HELP = ("You can use *emphasis*, **bold**, [a link](https://example.org), lists starting with - and "
               "`code`. Please use your forum name only: no real names, addresses or phone numbers.")


def _no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError("The text contains characters that cannot be stored.")


class TopicForm(forms.Form):
    title = forms.CharField(min_length=TITLE_MIN, max_length=TITLE_MAX, validators=[_no_nul])
    body = forms.CharField(label="Your post", max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=MARKUP_HELP, validators=[_no_nul])


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=MARKUP_HELP, validators=[_no_nul])


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=ReportReason.choices, widget=forms.RadioSelect)
    detail = forms.CharField(label="Anything the moderators should know", max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}), validators=[_no_nul])


class HideForm(forms.Form):
    reason = forms.CharField(label="Reason (shown to the author)", max_length=REASON_MAX, validators=[_no_nul])


class ApproveForm(forms.Form):
    reason = forms.CharField(label="Note for the log", max_length=REASON_MAX, required=False,
                             validators=[_no_nul])


class EditPostForm(forms.Form):
    title = forms.CharField(min_length=TITLE_MIN, max_length=TITLE_MAX, required=False, validators=[_no_nul],
                            help_text="Only for the opening post of a topic.")
    body = forms.CharField(label="Text", max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8}),
                           validators=[_no_nul])
    reason = forms.CharField(label="Why (shown to the author)", max_length=REASON_MAX, required=False,
                             validators=[_no_nul])


class LockForm(forms.Form):
    locked = forms.BooleanField(required=False)
    reason = forms.CharField(label="Note for the log", max_length=REASON_MAX, required=False,
                             validators=[_no_nul])


class SuspendForm(forms.Form):
    until = forms.DateField(label="Suspended through (last day)", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="Leave empty to suspend until a moderator lifts it.")
    reason = forms.CharField(label="Reason (shown to the member)", max_length=REASON_MAX, validators=[_no_nul])

    def clean_until(self) -> dt.date | None:
        until = self.cleaned_data.get("until")
        if until is not None and not dt.date(2000, 1, 1) <= until <= dt.date(2100, 12, 31):
            raise ValidationError("Please enter a date within the next few years.")
        return until


class LiftForm(forms.Form):
    reason = forms.CharField(label="Note for the log", max_length=REASON_MAX, required=False,
                             validators=[_no_nul])


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the forum", max_length=80, required=False, validators=[_no_nul])
