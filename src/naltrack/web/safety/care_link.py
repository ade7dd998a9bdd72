"""What the safety pages read from the care app (treatment start, form of naltrexone, last dose).

The care app owns episodes, orders and doses (``care.models.Episode``, ``MedicationOrder``, ``Dose``).
This module reads them defensively: if a model or field is missing (the care app changes shape, or a
patient has no course yet) the functions answer None or "" and the pages say "not recorded" or "ask
the patient"; they never fail because of the care app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.core.exceptions import FieldError
from django.db import DatabaseError

from naltrack.clinical.regimens import Route, UnknownRegimen, get_regimen
from naltrack.web.accounts.models import Patient

_ROUTE_FORMULATION = {Route.ORAL: "oral", Route.INTRAMUSCULAR: "injection",
                      Route.SUBCUTANEOUS_IMPLANT: "implant"}


@dataclass(frozen=True)
class LastDose:
    """The latest naltrexone dose the care app recorded."""

    taken_on: dt.date
    formulation: str  # "oral", "injection", "implant" or ""
    dose_mg: float | None


def _care_model(name: str) -> Any:
    try:
        return getattr(import_module("naltrack.web.care.models"), name, None)
    except ImportError:  # pragma: no cover - the care app is always installed
        return None


def _latest(model_name: str, patient: Patient, *order_by: str) -> Any:
    model = _care_model(model_name)
    if model is None:
        return None
    try:
        return model.objects.filter(patient=patient).order_by(*order_by).first()
    except (FieldError, DatabaseError, AttributeError):
        return None


def _formulation(value: Any) -> str:
    text = str(value or "").lower()
    return text if text in ("oral", "injection", "implant") else ""


def last_dose(patient: Patient) -> LastDose | None:
    """The latest dose, injection or implant recorded by the care app, or None."""
    dose = _latest("Dose", patient, "-taken_on", "-id")
    taken_on = getattr(dose, "taken_on", None)
    if not isinstance(taken_on, dt.date):
        return None
    mg = getattr(dose, "dose_mg", None)
    return LastDose(taken_on=taken_on, formulation=_formulation(getattr(dose, "formulation", "")),
                    dose_mg=float(mg) if isinstance(mg, int | float) else None)


def treatment_start(patient: Patient) -> dt.date | None:
    """The start date of the patient's latest treatment episode, or None."""
    episode = _latest("Episode", patient, "-started_on", "-id")
    started = getattr(episode, "started_on", None)
    return started if isinstance(started, dt.date) else None


def current_formulation(patient: Patient) -> str:
    """'oral', 'injection' or 'implant' from the latest order (else the latest dose); '' when unknown."""
    order = _latest("MedicationOrder", patient, "-starts_on", "-id")
    try:
        regimen = get_regimen(getattr(order, "regimen", "")) if order is not None else None
    except (UnknownRegimen, ValueError):
        regimen = None
    if regimen is not None:
        return _ROUTE_FORMULATION.get(regimen.route, "")
    dose = last_dose(patient)
    return dose.formulation if dose else ""


def triage_formulation(patient: Patient) -> str | None:
    """The formulation as the triage core knows it ('oral' or 'injection'), else None."""
    value = current_formulation(patient)
    return value if value in ("oral", "injection") else None
