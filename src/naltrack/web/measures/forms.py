"""Forms of the measures pages: the drink picker, the TLFB calendar, questionnaires and date windows."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, cast

from django import forms

from naltrack.clinical.drinking import MAX_DRINK_VOLUME_ML, STANDARD_DRINK_UNITS
from naltrack.clinical.instruments import AnswerKind, Instrument

from .models import Beverage
from .services.drinks import MAX_TIMELINE_DRINKS_PER_DAY, MIN_VOLUME_ML, TimelineCell, preset
from .services.outcomes import MAX_WINDOW_DAYS

EARLIEST_DAY = dt.date(2000, 1, 1)


def day_label(day: dt.date, today: dt.date) -> str:
    if day == today:
        return "Today"
    if day == today - dt.timedelta(days=1):
        return "Yesterday"
    return f"{day:%a} {day.day} {day:%b}"


class DrinkForm(forms.Form):
    """One drink: tap a preset (its typical strength unless one is typed) or describe another drink."""

    day = forms.ChoiceField(label="Which day?", widget=forms.RadioSelect)
    preset = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    abv_percent = forms.FloatField(
        label="Strength (% alcohol)", required=False, min_value=0.5, max_value=100,
        help_text="Leave empty to use the usual strength shown on each button.",
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}))
    beverage = forms.ChoiceField(label="Kind of drink", required=False, choices=[("", "—"), *Beverage.choices])
    volume_ml = forms.FloatField(label="Amount (mL)", required=False, min_value=MIN_VOLUME_ML,
                                 max_value=MAX_DRINK_VOLUME_ML,
                                 widget=forms.NumberInput(attrs={"step": "1", "inputmode": "numeric"}))

    def __init__(self, *args: Any, days: list[dt.date], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day_field = cast(forms.ChoiceField, self.fields["day"])
        day_field.choices = [(d.isoformat(), day_label(d, today)) for d in days]
        day_field.initial = days[0].isoformat()

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        code = data.get("preset") or ""
        if code:
            chosen = preset(code)
            if chosen is None:
                raise forms.ValidationError("Choose one of the drinks shown.")
            data["beverage"] = chosen.beverage
            data["volume_ml"] = chosen.volume_ml
            data["label"] = chosen.label
            if data.get("abv_percent") is None and "abv_percent" not in self.errors:
                data["abv_percent"] = chosen.typical_abv_percent
        else:
            missing = [name for name in ("beverage", "volume_ml", "abv_percent")
                       if not data.get(name) and name not in self.errors]
            for name in missing:
                self.add_error(name, "Needed for a drink that is not one of the buttons.")
            data["label"] = ""
        if data.get("day"):
            data["day"] = dt.date.fromisoformat(data["day"])
        return data


def parse_timeline_value(text: str) -> float | None:
    """'' → missing; 'none' or 0 → abstinent (0.0); a number → standard drinks."""
    text = text.strip().lower().replace(",", ".")
    if text == "":
        return None
    if text in ("none", "n", "-0"):
        return 0.0
    try:
        value = float(text)
    except ValueError:
        raise forms.ValidationError("Enter a number of standard drinks, 'none', or leave it empty.") from None
    if not math.isfinite(value) or value < 0:
        raise forms.ValidationError("Enter a number of standard drinks of 0 or more.")
    if value > MAX_TIMELINE_DRINKS_PER_DAY:
        raise forms.ValidationError(f"At most {MAX_TIMELINE_DRINKS_PER_DAY:g} standard drinks a day.")
    return value


class TimelineForm(forms.Form):
    """A month of the timeline followback: one field per editable day (past days without a patient log)."""

    def __init__(self, *args: Any, cells: list[TimelineCell], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cells = cells
        for cell in cells:
            if cell.is_future or cell.logged is not None:
                continue
            initial = "" if cell.entered is None else ("none" if cell.entered == 0 else f"{cell.entered:g}")
            self.fields[cell.field_name] = forms.CharField(
                label=f"{cell.day:%A %d %B}", required=False, max_length=10, initial=initial,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 4}))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        values: dict[dt.date, float | None] = {}
        for name in list(self.fields):
            if name in self.errors:
                continue
            try:
                values[dt.date.fromisoformat(name[1:])] = parse_timeline_value(data.get(name) or "")
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        data["values"] = values
        return data


def instrument_field_name(number: int) -> str:
    return f"item_{number}"


class QuestionnaireForm(forms.Form):
    """A questionnaire generated from the instrument's data: one required choice per item."""

    def __init__(self, *args: Any, instrument: Instrument, with_date: bool, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            if item.kind is AnswerKind.YES_NO:
                choices = [("yes" if option.answer else "no", option.label.capitalize()) for option in item.options]
            else:
                choices = [(str(option.answer), option.label[:1].upper() + option.label[1:])
                           for option in item.options]
            self.fields[instrument_field_name(item.number)] = forms.ChoiceField(
                label=f"{item.number}. {item.topic}", choices=choices, widget=forms.RadioSelect,
                error_messages={"required": "Please answer this question."})
        if with_date:
            self.fields["taken_on"] = forms.DateField(
                label="Date completed", initial=today,
                widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        answers: list[object] = []
        for item in self.instrument.items:
            value = data.get(instrument_field_name(item.number))
            if value is None:
                return data
            answers.append(value == "yes" if item.kind is AnswerKind.YES_NO else int(value))
        data["answers"] = answers
        return data


class WindowForm(forms.Form):
    """A date window for outcome measures (GET): start and end, inclusive."""

    start = forms.DateField(label="From", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError("The start date is after the end date.")
            if start < EARLIEST_DAY or end > self.today + dt.timedelta(days=366):
                raise forms.ValidationError("Choose dates between 2000 and next year.")
            if (end - start).days + 1 > MAX_WINDOW_DAYS:
                raise forms.ValidationError("Choose a window of at most three years.")
        return data


UNIT_CHOICES = [(code, unit.name) for code, unit in STANDARD_DRINK_UNITS.items()]


class CohortForm(WindowForm):
    unit = forms.ChoiceField(label="Count in", choices=UNIT_CHOICES, required=False)
    clinic = forms.TypedChoiceField(label="Clinic", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, clinics: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clinic_field = cast(forms.TypedChoiceField, self.fields["clinic"])
        clinic_field.choices = [("", "All my clinics"), *((c.id, c.name) for c in clinics)]


class ExportForm(CohortForm):
    format = forms.ChoiceField(label="File format", choices=[("csv", "CSV"), ("parquet", "Parquet")],
                               widget=forms.RadioSelect, initial="csv")
