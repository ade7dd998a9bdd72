"""Safety forms: they read and type the input; the core (through the services) decides what it means."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from naltrack.clinical import labs
from naltrack.clinical.screening import (
    SCREENING_FIELDS,
    Formulation,
    Indication,
    NaloxoneChallenge,
    OpioidType,
    ScreeningInputError,
    UrineScreen,
    parse_screening_input,
)
from naltrack.clinical.triage import SYMPTOMS_BY_CODE

from . import services

UNKNOWN = ("", "Not done / unknown")


def _date_input() -> forms.DateInput:
    """A native date picker; ISO format so the browser shows the initial value whatever the locale."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
YES_NO = [UNKNOWN, ("yes", "Yes"), ("no", "No")]
_TRI_STATE = {"": None, "yes": True, "no": False}

_WORDS = {
    "short_acting": "Short-acting (heroin, oxycodone, codeine…)", "methadone": "Methadone",
    "buprenorphine": "Buprenorphine", "none": "None", "negative": "Negative", "positive": "Positive",
    "not_done": "Not done", "passed": "Passed", "failed": "Failed", "alcohol": "Alcohol use disorder",
    "opioid": "Opioid use disorder", "oral": "Oral tablets", "injection": "Monthly injection (XR-naltrexone)",
}


def _choices(kind: Any, *, blank: bool = True) -> list[tuple[str, str]]:
    options = [(member.value, _WORDS.get(member.value, member.value)) for member in kind]
    return [UNKNOWN, *options] if blank else [("", "Choose…"), *options]


def _number(label: str, help_text: str = "", **kwargs: Any) -> forms.FloatField:
    return forms.FloatField(label=label, required=False, help_text=help_text,
                            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}), **kwargs)


class ScreeningForm(forms.Form):
    """Every field of the DESIGN.md screening input; only indication and formulation are required."""

    indication = forms.ChoiceField(choices=_choices(Indication, blank=False))
    formulation = forms.ChoiceField(choices=_choices(Formulation, blank=False))
    currently_taking_opioids = forms.ChoiceField(label="Currently taking any opioid?", choices=YES_NO,
                                                 required=False,
                                                 help_text="Including prescribed pain relief, cough medicine, "
                                                           "methadone or buprenorphine.")
    needs_opioid_analgesia = forms.ChoiceField(label="Needs opioid pain relief (now or planned surgery)?",
                                               choices=YES_NO, required=False)
    opioid_last_use_days_ago = _number("Days since last opioid use", "Leave empty if never or unknown.")
    opioid_type = forms.ChoiceField(label="Last opioid used", choices=_choices(OpioidType), required=False)
    urine_opioid_screen = forms.ChoiceField(label="Urine opioid screen", choices=_choices(UrineScreen),
                                            required=False)
    naloxone_challenge = forms.ChoiceField(label="Naloxone challenge", choices=_choices(NaloxoneChallenge),
                                           required=False)
    cows_score = forms.IntegerField(label="COWS score", required=False, help_text="0–48.",
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    alt = _number("ALT (U/L)")
    alt_uln = _number("ALT upper limit of normal (U/L)", "From the lab report.")
    ast = _number("AST (U/L)")
    ast_uln = _number("AST upper limit of normal (U/L)", "From the lab report.")
    acute_hepatitis = forms.ChoiceField(label="Acute hepatitis?", choices=YES_NO, required=False)
    liver_failure = forms.ChoiceField(label="Liver failure?", choices=YES_NO, required=False)
    pregnant = forms.ChoiceField(label="Pregnant?", choices=YES_NO, required=False)
    hypersensitivity = forms.ChoiceField(label="Known allergy to naltrexone (or the injection's components)?",
                                         choices=YES_NO, required=False)
    egfr = _number("eGFR (mL/min/1.73 m²)")
    platelets = _number("Platelets (x10⁹/L)", "Matters for the injection.")
    anticoagulated = forms.ChoiceField(label="Takes an anticoagulant?", choices=YES_NO, required=False,
                                       help_text="Matters for the injection.")
    bmi = _number("BMI (kg/m²)", "Chooses the injection needle length.")

    _TRI_STATE_FIELDS = ("currently_taking_opioids", "needs_opioid_analgesia", "acute_hepatitis",
                         "liver_failure", "pregnant", "hypersensitivity", "anticoagulated")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        data = self.screening_input(cleaned)
        try:
            parse_screening_input(data)
        except ScreeningInputError as exc:
            message = str(exc)
            field = message.split(" ", 1)[0]
            if field in self.fields:
                self.add_error(field, message.replace(field, str(self.fields[field].label or field), 1))
            else:
                self.add_error(None, message)
        return cleaned

    def screening_input(self, cleaned: dict[str, Any] | None = None) -> dict[str, Any]:
        """The form's answers as the DESIGN.md JSON object (unanswered fields left out)."""
        cleaned = self.cleaned_data if cleaned is None else cleaned
        data: dict[str, Any] = {}
        for name in SCREENING_FIELDS:
            value = cleaned.get(name)
            if name in self._TRI_STATE_FIELDS:
                value = _TRI_STATE.get(value or "")
            elif value == "":
                value = None
            if value is not None:
                data[name] = value
        return data


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why give the first dose despite this screening?", widget=forms.Textarea(attrs={"rows": 3}),
        min_length=services.OVERRIDE_REASON_MIN_CHARS, max_length=services.OVERRIDE_REASON_MAX_CHARS,
        help_text=f"Required, at least {services.OVERRIDE_REASON_MIN_CHARS} characters. "
                  "Shown on the screening and the chart, and audited.")


class _DatedForm(forms.Form):
    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget.attrs["max"] = today.isoformat()


UNIT_CHOICES = [("U/L", "U/L"), ("mg/dL", "mg/dL"), ("µmol/L", "µmol/L")]


class LiverResultForm(_DatedForm):
    test = forms.ChoiceField(choices=[(t.code, t.display_name) for t in labs.LIVER_TESTS])
    value = forms.FloatField(widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    unit = forms.ChoiceField(choices=UNIT_CHOICES,
                             help_text="U/L for ALT, AST and GGT; mg/dL or µmol/L for bilirubin.")
    uln = forms.FloatField(label="Upper limit of normal", help_text="That lab's upper limit, same unit.",
                           widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    taken_on = forms.DateField(label="Date taken", widget=_date_input())

    def __init__(self, *args: Any, born_on: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.born_on = born_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            services.validate_liver_result(today=self.today, born_on=self.born_on, **cleaned)
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class SymptomReportForm(forms.Form):
    symptoms = forms.MultipleChoiceField(label="What are you noticing?", required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         choices=[(s.code, s.label) for s in SYMPTOMS_BY_CODE.values()])
    free_text = forms.CharField(label="Anything else, in your own words", required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, formulation: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["symptoms"].choices = services.checklist(formulation)  # type: ignore[attr-defined]

    GROUPS = (("emergency", "Serious signs: get help now"),
              ("urgent", "Tell your clinic today"),
              ("routine", "Common side effects"))

    def symptom_groups(self) -> list[tuple[str, list[Any]]]:
        """The checklist's boxes grouped by how soon to act (the core's urgency of each item)."""
        boxes = list(self["symptoms"])
        groups = []
        for urgency, title in self.GROUPS:
            chosen = [box for box in boxes if SYMPTOMS_BY_CODE[box.data["value"]].urgency.value == urgency]
            if chosen:
                groups.append((title, chosen))
        return groups

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("symptoms") and not (cleaned.get("free_text") or "").strip():
            raise forms.ValidationError("Tick what you notice or describe it in your own words.")
        return cleaned


class MedicationForm(_DatedForm):
    name = forms.CharField(label="Medicine", max_length=120, help_text="Generic or brand name, e.g. co-codamol.")
    dose_text = forms.CharField(label="Dose", max_length=120, required=False, help_text="e.g. 30 mg twice a day")
    started_on = forms.DateField(label="Started", required=False, widget=_date_input())
    stopped_on = forms.DateField(label="Stopped", required=False, widget=_date_input(),
                                 help_text="Leave empty if still taking it.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        if not " ".join(cleaned.get("name", "").split()):
            self.add_error("name", "Enter the medicine's name.")
            return cleaned
        try:
            services.validate_medication_dates(cleaned.get("started_on"), cleaned.get("stopped_on"),
                                               today=self.today)
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class StopMedicationForm(_DatedForm):
    stopped_on = forms.DateField(label="Stopped on", widget=_date_input())
