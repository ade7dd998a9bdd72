"""Forms for accounts: login, two-factor codes, API tokens and the audit search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import AuditAction
from .two_factor import TOTP_DIGITS, is_recovery_code_shaped, normalise_recovery_code

_CODE_ATTRS = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false",
               "autofocus": True}


def _digits(raw: str) -> str:
    return "".join(raw.split())


class AuthenticatorCodeForm(forms.Form):
    """Six digits from the authenticator app (spaces allowed, as some apps show '123 456')."""

    code = forms.CharField(label="Code from your app", max_length=20,
                           widget=forms.TextInput(attrs={**_CODE_ATTRS, "inputmode": "numeric"}))

    def clean_code(self) -> str:
        code = _digits(self.cleaned_data["code"])
        if len(code) != TOTP_DIGITS or not code.isdigit():
            raise forms.ValidationError(f"Enter the {TOTP_DIGITS}-digit code your app shows, e.g. 123456.")
        return code


class SecondStepForm(forms.Form):
    """A code from the app, or one of the recovery codes."""

    code = forms.CharField(
        label="Code from your app, or a recovery code", max_length=40,
        help_text="Six digits from your authenticator app. Lost your phone? Enter one of your recovery codes.",
        widget=forms.TextInput(attrs=_CODE_ATTRS))

    def __init__(self, *args: Any, autofocus: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not autofocus:
            self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_code(self) -> str:
        raw = self.cleaned_data["code"]
        digits = _digits(raw)
        if len(digits) == TOTP_DIGITS and digits.isdigit():
            return digits
        if is_recovery_code_shaped(raw):
            return normalise_recovery_code(raw)
        raise forms.ValidationError(
            f"Enter the {TOTP_DIGITS}-digit code from your app (e.g. 123456) "
            "or a recovery code (16 letters and digits, e.g. abcd-efgh-jkmn-pqrs).")


class DisableTwoFactorForm(SecondStepForm):
    password = forms.CharField(label="Your password", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    field_order = ["password", "code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, autofocus=False, **kwargs)


class ClinicTwoFactorForm(forms.Form):
    required = forms.BooleanField(label="Require two-factor for staff", required=False)


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
