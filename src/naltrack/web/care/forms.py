"""Care forms: they check shape and range; the services (and the core behind them) decide the rest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from naltrack.clinical.regimens import (
    TARGETED_MINUTES_BEFORE_DRINK_DEFAULT,
    InjectionSite,
    RegimenName,
    SupervisedPattern,
    get_regimen,
)

from .models import EndReason, EpisodeGoal, EpisodeIndication, StockProduct

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"), (5, "Saturday"),
            (6, "Sunday")]
PATTERN_LABELS = {
    SupervisedPattern.WEEKDAYS_50_SATURDAY_100: "50 mg Monday to Friday, 100 mg Saturday",
    SupervisedPattern.EVERY_SECOND_DAY_100: "100 mg every second day",
    SupervisedPattern.EVERY_THIRD_DAY_150: "150 mg every third day",
    SupervisedPattern.THREE_TIMES_WEEKLY: "Three times a week: 100, 100 and 150 mg",
}


def _date_input(**attrs: Any) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def regimen_choices() -> list[tuple[str, str]]:
    choices = []
    for name in RegimenName:
        entry = get_regimen(name)
        label = entry.label
        if not entry.is_on_label and "off-label" not in label.lower() and "unapproved" not in label.lower():
            label += " — off-label"
        choices.append((name.value, f"{name.value}: {label}"))
    return choices


class EpisodeStartForm(forms.Form):
    indication = forms.ChoiceField(choices=EpisodeIndication.choices)
    goal = forms.ChoiceField(choices=EpisodeGoal.choices, help_text="Reduced drinking applies to alcohol.")
    started_on = forms.DateField(label="Start date", widget=_date_input())
    planned_weeks = forms.IntegerField(
        label="Planned length in weeks", required=False, min_value=1, max_value=520,
        help_text="Leave empty for the default: about 12 weeks for alcohol (S7, S8, S67); open-ended "
                  "for opioids, reviewed regularly (S45, S71, S72).")
    open_ended = forms.BooleanField(label="Open-ended (no planned end)", required=False)


class EpisodeEditForm(forms.Form):
    goal = forms.ChoiceField(choices=EpisodeGoal.choices)
    started_on = forms.DateField(label="Start date", widget=_date_input())
    planned_weeks = forms.IntegerField(label="Planned length in weeks", required=False, min_value=1,
                                       max_value=520, help_text="Empty: open-ended.")


class EpisodeEndForm(forms.Form):
    ended_on = forms.DateField(label="End date", widget=_date_input())
    reason = forms.ChoiceField(choices=[("", "Choose a reason"), *EndReason.choices])
    note = forms.CharField(label="Note", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    overdose_risk_explained = forms.BooleanField(
        label="I explained the overdose risk: opioid tolerance is lower after naltrexone stops, and an amount "
              "the patient used before can now be fatal.",
        error_messages={"required": "Tick this box once you have explained the overdose risk; the episode "
                                    "cannot end without it."})


class OrderForm(forms.Form):
    regimen = forms.ChoiceField(choices=regimen_choices)
    starts_on = forms.DateField(label="Start date", widget=_date_input())
    dose_mg = forms.DecimalField(label="Dose (mg)", required=False, min_value=Decimal("0.5"),
                                 max_value=Decimal("2000"), max_digits=6, decimal_places=2,
                                 help_text="Daily and targeted: 50. Injection: 380. Low-dose: 1 to 4.5 in "
                                           "0.5 steps. Implant: the product's content. Supervised: leave empty.")
    pattern = forms.ChoiceField(label="Supervised pattern", required=False,
                                choices=[("", "—"), *[(p.value, label) for p, label in PATTERN_LABELS.items()]])
    day_100_a = forms.TypedChoiceField(label="Three times a week: first 100 mg day", choices=WEEKDAYS,
                                       coerce=int, initial=0, required=False)
    day_100_b = forms.TypedChoiceField(label="Second 100 mg day", choices=WEEKDAYS, coerce=int, initial=2,
                                       required=False)
    day_150 = forms.TypedChoiceField(label="150 mg day", choices=WEEKDAYS, coerce=int, initial=4, required=False,
                                     help_text="Monday, Wednesday and Friday is only an example (S11); the "
                                               "clinic chooses.")
    implant_duration_days = forms.IntegerField(label="Implant: expected duration in days", required=False,
                                               min_value=1, max_value=730,
                                               help_text="From the product; naltrack never assumes it.")
    minutes_before_drink = forms.IntegerField(
        label="Targeted: minutes before the first drink", required=False, min_value=1, max_value=240,
        initial=TARGETED_MINUTES_BEFORE_DRINK_DEFAULT,
        help_text="Policy default 60 minutes (sources say 1–2 hours).")
    note = forms.CharField(required=False, max_length=300)

    def order_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        regimen = data["regimen"]
        kwargs: dict[str, Any] = {"regimen": regimen, "starts_on": data["starts_on"], "note": data["note"]}
        if data.get("dose_mg") is not None:
            kwargs["dose_mg"] = float(data["dose_mg"])
        if regimen == RegimenName.ORAL_SUPERVISED:
            kwargs["pattern"] = data.get("pattern") or ""
            if kwargs["pattern"] == SupervisedPattern.THREE_TIMES_WEEKLY:
                kwargs["weekly_doses"] = [(data["day_100_a"], 100.0), (data["day_100_b"], 100.0),
                                          (data["day_150"], 150.0)]
        elif data.get("pattern"):
            kwargs["pattern"] = data["pattern"]  # the core refuses a pattern on other regimens
        if data.get("implant_duration_days") is not None:
            kwargs["implant_duration_days"] = data["implant_duration_days"]
        if regimen == RegimenName.TARGETED:
            kwargs["minutes_before_drink"] = data.get("minutes_before_drink") or \
                TARGETED_MINUTES_BEFORE_DRINK_DEFAULT
        return kwargs


class SupervisedDoseForm(forms.Form):
    day = forms.DateField(label="Day given", widget=_date_input())
    dose_mg = forms.DecimalField(label="Dose (mg)", required=False, min_value=Decimal("0.5"),
                                 max_value=Decimal("1000"), max_digits=6, decimal_places=2,
                                 help_text="Leave empty for the order's dose due that day.")


SITE_CHOICES = [(site.value, site.value.capitalize()) for site in InjectionSite]


class InjectionForm(forms.Form):
    day = forms.DateField(label="Day given", widget=_date_input())
    site = forms.CharField(label="Site", max_length=20,
                           widget=forms.Select(choices=[*SITE_CHOICES, ("abdominal wall", "Abdominal wall (implant)")]))
    lot = forms.CharField(label="Lot number", max_length=40)
    expires_on = forms.DateField(label="Lot expiry date", widget=_date_input())
    reactions = forms.CharField(label="Immediate reactions", required=False, max_length=300,
                                widget=forms.Textarea(attrs={"rows": 2}),
                                help_text="Anything seen at or after the injection, e.g. pain, swelling.")


class DispenseForm(forms.Form):
    tablets = forms.IntegerField(label="Tablets (or capsules) handed over", min_value=1, max_value=400)
    dispensed_on = forms.DateField(label="Day", widget=_date_input())


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label="Note (what you did)", required=False, max_length=300)


class StockForm(forms.Form):
    product = forms.ChoiceField(choices=StockProduct.choices)
    on_hand = forms.IntegerField(label="Counted on hand", min_value=0, max_value=100_000)


CRAVING_CHOICES = [(n, str(n)) for n in range(11)]
MOOD_CHOICES = [(1, "Very low"), (2, "Low"), (3, "OK"), (4, "Good"), (5, "Very good")]
YES_NO = [("no", "No"), ("yes", "Yes")]


class CheckInForm(forms.Form):
    craving = forms.TypedChoiceField(label="Craving right now (0 none – 10 strongest)", choices=CRAVING_CHOICES,
                                     coerce=int, required=False, empty_value=None, widget=forms.RadioSelect)
    opioid_use = forms.TypedChoiceField(label="Any opioid use since your last check-in?", choices=YES_NO,
                                        coerce=lambda v: v == "yes", required=False, empty_value=None,
                                        widget=forms.RadioSelect)
    mood = forms.TypedChoiceField(label="Mood", choices=MOOD_CHOICES, coerce=int, required=False,
                                  empty_value=None, widget=forms.RadioSelect)
    breath_alcohol_mg_l = forms.DecimalField(
        label="Breath alcohol (mg/L)", required=False, min_value=Decimal("0"), max_value=Decimal("2.5"),
        max_digits=4, decimal_places=2,
        help_text="Only if you used a breathalyser: the reading in milligrams per litre of breath (mg/L).",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    is_lapse = forms.BooleanField(label="I had a lapse today", required=False)
    lapse_note = forms.CharField(label="What led to it?", required=False, max_length=500,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="Journal", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class BackfillForm(forms.Form):
    day = forms.DateField(label="Day you took it", widget=_date_input())


class FirstDrinkForm(forms.Form):
    time = forms.TimeField(label="First drink at (today)", required=False,
                           widget=forms.TimeInput(attrs={"type": "time"}), help_text="Leave empty for now.")


class SupportPersonForm(forms.Form):
    name = forms.CharField(max_length=80)
    relationship = forms.CharField(max_length=60, help_text="For example partner, friend, sponsor.")


def today_input_bounds(today: dt.date, days_back: int) -> dict[str, str]:
    """min/max attributes for a date input limited to the last ``days_back`` days."""
    return {"min": (today - dt.timedelta(days=days_back)).isoformat(), "max": today.isoformat()}
