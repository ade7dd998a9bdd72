"""Forms for accounts: login, API tokens and the audit search."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import AuditAction


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="Username", max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label="Password", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="Token name", max_length=80,
                           help_text="What the token is for, e.g. 'clinic reporting script'.")


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="Staff member", max_length=80, required=False)
    patient_record = forms.CharField(label="Patient record number", max_length=40, required=False)
    action = forms.ChoiceField(label="Action", required=False,
                               choices=[("", "Any action"), *AuditAction.choices])
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("'From' must be on or before 'To'.")
        return data
