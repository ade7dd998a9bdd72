"""The clinician's what-if form (a plain GET form): leave doses out, give an injection late, add a dose."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from naltrack.clinical.pharmacology import DoseKind
from naltrack.clinical.regimens import RegimenName, get_regimen

from .services import MAX_LATE_DAYS, Origin, TimedDose, Timeline, WhatIf

FIELDS = ("miss", "late", "late_days", "add_dose", "add_at")
NOT_IN_WINDOW = "{what} is not in this window; choose one from the list."


def _dose_choices() -> list[tuple[str, str]]:
    """Doses the regimen catalogue uses (no invented amounts): tablets of the oral regimens, the injection."""
    tablets = sorted({mg for name in (RegimenName.ORAL_DAILY, RegimenName.ORAL_SUPERVISED)
                      for mg in get_regimen(name).standard_doses_mg})
    injections = get_regimen(RegimenName.XR_INJECTION).standard_doses_mg
    return [*((f"oral:{mg:g}", f"{mg:g} mg tablet") for mg in tablets),
            *((f"xr:{mg:g}", f"{mg:g} mg injection") for mg in injections)]


ADD_DOSE_CHOICES = _dose_choices()


class WhatIfForm(forms.Form):
    """Changes to compare against the recorded-then-prescribed history; choices come from the timeline."""

    miss = forms.MultipleChoiceField(
        label="Leave out", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_IN_WINDOW.format(what="A dose chosen to leave out")},
    )
    late = forms.ChoiceField(
        label="Give this injection late", required=False,
        error_messages={"invalid_choice": NOT_IN_WINDOW.format(what="The injection chosen to move")},
    )
    late_days = forms.IntegerField(
        label="Days late", required=False, min_value=1, max_value=MAX_LATE_DAYS,
        help_text=f"1 to {MAX_LATE_DAYS} days (one injection interval).",
        error_messages={"invalid": "Enter the number of days late as a whole number.",
                        "min_value": f"Days late must be between 1 and {MAX_LATE_DAYS}.",
                        "max_value": f"Days late must be between 1 and {MAX_LATE_DAYS}."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    add_dose = forms.ChoiceField(
        label="Add a dose", required=False, choices=[("", "No added dose"), *ADD_DOSE_CHOICES],
        error_messages={"invalid_choice": "Choose the added dose from the list."},
    )
    add_at = forms.DateTimeField(
        label="Added dose at", required=False, help_text="The patient's local date and time.",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"invalid": "Enter the date and time of the added dose, like 2026-11-21 09:00."},
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, data: Any = None, *, timeline: Timeline, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.timeline = timeline
        shown = timeline.shown(timeline.baseline_doses)
        self.doses: dict[str, TimedDose] = {d.key: d for d in shown}
        self.fields["miss"].choices = [(d.key, d.label(timeline.zone)) for d in shown]  # type: ignore[attr-defined]
        injections = [d for d in shown if d.kind is DoseKind.XR]
        self.fields["late"].choices = [  # type: ignore[attr-defined]
            ("", "No injection moved" if injections else "No injection in this window"),
            *((d.key, d.label(timeline.zone)) for d in injections)]
        start = timeline.local(timeline.window_start).strftime("%Y-%m-%dT%H:%M")
        end = timeline.local(timeline.window_end).strftime("%Y-%m-%dT%H:%M")
        self.fields["add_at"].widget.attrs.update({"min": start, "max": end})

    def full_clean(self) -> None:
        # A typed date and time means the patient's wall clock: read it in their zone (Django refuses a time
        # that does not exist there, such as one skipped when clocks go forward).
        with timezone.override(self.timeline.zone):
            super().full_clean()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if bool(data.get("late")) != (data.get("late_days") is not None):
            self.add_error("late_days" if data.get("late") else "late",
                           "Choose an injection and say how many days late, or leave both empty.")
        if bool(data.get("add_dose")) != (data.get("add_at") is not None):
            self.add_error("add_at" if data.get("add_dose") else "add_dose",
                           "Choose the added dose and its date and time, or leave both empty.")
        at = data.get("add_at")
        if at is not None and not (self.timeline.window_start <= at <= self.timeline.window_end):
            start, end = (self.timeline.local(t) for t in (self.timeline.window_start, self.timeline.window_end))
            self.add_error("add_at", f"The added dose must fall inside the window shown, {start:%d %b %H:%M} "
                                     f"to {end:%d %b %H:%M}.")
        if not self.errors and not (data.get("miss") or data.get("late") or data.get("add_dose")):
            raise forms.ValidationError("Choose at least one change to compare.")
        return data

    def what_if(self) -> WhatIf:
        """The validated changes (call after is_valid())."""
        data = self.cleaned_data
        added = None
        if data.get("add_dose"):
            kind, mg = data["add_dose"].split(":")
            added = TimedDose("added", data["add_at"], DoseKind(kind), float(mg), Origin.WHAT_IF)
        return WhatIf(missed=tuple(data.get("miss") or ()), late_key=data.get("late") or None,
                      late_days=data.get("late_days") or 0, added=added)


def is_submitted(query: Any) -> bool:
    """Whether the GET query carries the what-if form (any of its fields)."""
    return any(name in query for name in FIELDS)
