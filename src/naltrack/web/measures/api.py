"""API endpoints of the measures capability, mounted under /api/v1/measures/.

Patients use the ``/me/...`` endpoints (their own record, no id); staff use ``/patients/{id}/...``,
which go through open_patient (404 for another clinic's patient, audited). Writes call the same
services as the pages; a refused input answers 422 with the service's message.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from naltrack.web.accounts.access import Capability, clinics_with, open_patient, own_patient, require
from naltrack.web.accounts.models import Patient
from naltrack.web.api.api import via
from naltrack.web.api.schemas import Error

from . import services
from .models import DrinkEntry, QuestionnaireResult
from .services.outcomes import PatientOutcomes

router = Router(tags=["measures"])

DEFAULT_DAYS = 28
MAX_LIST = 500


class DrinkIn(Schema):
    day: dt.date
    beverage: Literal["beer", "wine", "spirits", "other"]
    volume_ml: float
    abv_percent: float
    label: str = ""


class DrinkOut(Schema):
    id: int
    day: dt.date
    beverage: str
    label: str
    volume_ml: float
    abv_percent: float
    ethanol_g: float
    standard_drinks: float
    unit: str


class QuestionnaireIn(Schema):
    instrument: str
    answers: list[bool | int]
    taken_on: dt.date | None = None


class QuestionnaireOut(Schema):
    id: int
    instrument: str
    taken_on: dt.date
    answers: list[bool | int]
    total: int
    band: str
    flags: list[str]
    is_self_report: bool


class QuestionnaireRecorded(Schema):
    result: QuestionnaireOut
    crisis_next_steps: list[str]


class Window(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


class CohortWindow(Window):
    unit: str | None = None


class MeasuresOut(Schema):
    days: int
    percent_days_abstinent: float | None
    percent_heavy_drinking_days: float | None
    drinks_per_drinking_day: float | None
    days_to_first_heavy_drinking_day: float | None
    grams_per_day: float | None
    who_risk_level: str | None


class PatientOutcomesOut(Schema):
    patient_id: int
    unit: str
    start: dt.date
    end: dt.date
    window_days: int
    measures: MeasuresOut
    who_risk_level_a: str | None
    who_risk_level_b: str | None
    opioid_use_days: int
    opioid_reported_days: int


class CohortOutcomesOut(Schema):
    unit: str
    start: dt.date
    end: dt.date
    clinic_ids: list[int]
    patients: int
    days: int
    percent_days_abstinent: float | None
    percent_heavy_drinking_days: float | None
    drinks_per_drinking_day: float | None
    days_to_first_heavy_drinking_day: float | None
    patients_with_heavy_drinking_day: int
    grams_per_day: float | None
    who_risk_levels: dict[str, int]
    risk_shift_down_at_least_1: int
    risk_shift_compared: int
    percent_opioid_use_days: float | None
    retention_percent: float | None
    adherent_percent: float | None


def _me(request: HttpRequest) -> Patient:
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("These endpoints are for patients.")
    return patient


def _window(query: Window, today: dt.date) -> tuple[dt.date, dt.date]:
    end = query.end or today
    start = query.start or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    return start, end


def _drink_out(entry: DrinkEntry) -> DrinkOut:
    return DrinkOut(id=entry.id, day=entry.day, beverage=entry.beverage, label=entry.label,
                    volume_ml=entry.volume_ml, abv_percent=entry.abv_percent, ethanol_g=entry.ethanol_g,
                    standard_drinks=entry.standard_drinks, unit=entry.unit)


def _result_out(result: QuestionnaireResult) -> QuestionnaireOut:
    return QuestionnaireOut(id=result.id, instrument=result.instrument, taken_on=result.taken_on,
                            answers=result.answers, total=result.total, band=result.band, flags=result.flags,
                            is_self_report=result.is_self_report)


def _drinks(patient: Patient, query: Window) -> list[DrinkOut]:
    start, end = _window(query, services.patient_today(patient))
    entries = DrinkEntry.objects.filter(patient=patient, day__gte=start, day__lte=end).order_by("-day", "-id")
    return [_drink_out(e) for e in entries[:MAX_LIST]]


def _record_drink(request: HttpRequest, patient: Patient, body: DrinkIn) -> DrinkOut:
    entry = services.record_drink(patient, day=body.day, today=services.patient_today(patient),
                                  beverage=body.beverage, volume_ml=body.volume_ml, abv_percent=body.abv_percent,
                                  label=body.label, by=request.user, request=request, via=via(request))  # type: ignore[arg-type]
    return _drink_out(entry)


def _record_questionnaire(request: HttpRequest, patient: Patient, body: QuestionnaireIn) -> QuestionnaireRecorded:
    recorded = services.record_questionnaire(
        patient, instrument=body.instrument, answers=body.answers, by=request.user,  # type: ignore[arg-type]
        today=services.patient_today(patient), taken_on=body.taken_on, request=request, via=via(request))
    steps = list(recorded.crisis.next_steps) if recorded.crisis else []
    return QuestionnaireRecorded(result=_result_out(recorded.result), crisis_next_steps=steps)


def _outcomes_out(outcomes: PatientOutcomes) -> PatientOutcomesOut:
    m = outcomes.measures
    shift = outcomes.shift.shifts[0] if outcomes.shift.shifts else None
    return PatientOutcomesOut(
        patient_id=outcomes.patient.id, unit=outcomes.unit, start=outcomes.start, end=outcomes.end,
        window_days=outcomes.window_days, measures=MeasuresOut(**m.as_json()),
        who_risk_level_a=shift.level_a.value if shift else None,
        who_risk_level_b=shift.level_b.value if shift else None,
        opioid_use_days=outcomes.opioid_use_days, opioid_reported_days=outcomes.opioid_reported_days)


# --- The patient themself ---------------------------------------------------------------------------


@router.get("/me/drinks", response={200: list[DrinkOut], 403: Error})
def my_drinks(request: HttpRequest, query: Query[Window]) -> list[DrinkOut]:
    """The caller's own logged drinks (last 28 days unless a window is given)."""
    return _drinks(_me(request), query)


@router.post("/me/drinks", response={201: DrinkOut, 403: Error, 422: Error})
def log_my_drink(request: HttpRequest, body: DrinkIn) -> Status[DrinkOut]:
    """Log a drink for one of the last seven days; grams and standard drinks are computed by the core."""
    return Status(201, _record_drink(request, _me(request), body))


@router.get("/me/questionnaires", response={200: list[QuestionnaireOut], 403: Error})
def my_questionnaires(request: HttpRequest) -> list[QuestionnaireOut]:
    patient = _me(request)
    return [_result_out(r) for r in QuestionnaireResult.objects.filter(patient=patient)[:MAX_LIST]]


@router.post("/me/questionnaires", response={201: QuestionnaireRecorded, 403: Error, 422: Error})
def fill_my_questionnaire(request: HttpRequest, body: QuestionnaireIn) -> Status[QuestionnaireRecorded]:
    """Submit a self-report questionnaire; PHQ-9 item 9 above 0 returns crisis next steps at once."""
    return Status(201, _record_questionnaire(request, _me(request), body))


@router.get("/me/outcomes", response={200: PatientOutcomesOut, 403: Error, 422: Error})
def my_outcomes(request: HttpRequest, query: Query[Window]) -> PatientOutcomesOut:
    patient = _me(request)
    start, end = _window(query, services.patient_today(patient))
    return _outcomes_out(services.patient_outcomes(patient, start, end))


# --- Staff, one patient -----------------------------------------------------------------------------


@router.get("/patients/{patient_id}/drinks", response={200: list[DrinkOut], 403: Error, 404: Error})
def patient_drinks(request: HttpRequest, patient_id: int, query: Query[Window]) -> list[DrinkOut]:
    """A patient's logged drinks (staff of their clinic; audited)."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="drinks", via=via(request))
    return _drinks(patient, query)


@router.get("/patients/{patient_id}/questionnaires", response={200: list[QuestionnaireOut], 403: Error, 404: Error})
def patient_questionnaires(request: HttpRequest, patient_id: int) -> list[QuestionnaireOut]:
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="questionnaires",
                           via=via(request))
    return [_result_out(r) for r in QuestionnaireResult.objects.filter(patient=patient)[:MAX_LIST]]


@router.post("/patients/{patient_id}/questionnaires",
             response={201: QuestionnaireRecorded, 403: Error, 404: Error, 422: Error})
def record_patient_questionnaire(request: HttpRequest, patient_id: int,
                                 body: QuestionnaireIn) -> Status[QuestionnaireRecorded]:
    """Record a questionnaire for a patient (COWS or any other); audited as a create."""
    patient = open_patient(request, patient_id, need=Capability.WRITE_CHART, target="questionnaires",
                           via=via(request))
    return Status(201, _record_questionnaire(request, patient, body))


@router.get("/patients/{patient_id}/outcomes", response={200: PatientOutcomesOut, 403: Error, 404: Error, 422: Error})
def patient_outcomes(request: HttpRequest, patient_id: int, query: Query[Window]) -> PatientOutcomesOut:
    """A patient's outcome measures over a window (naltrack.clinical.outcomes)."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="outcomes", via=via(request))
    start, end = _window(query, services.patient_today(patient))
    return _outcomes_out(services.patient_outcomes(patient, start, end))


# --- Staff, cohort ---------------------------------------------------------------------------------


@router.get("/cohort/outcomes", response={200: CohortOutcomesOut, 403: Error, 422: Error})
def cohort_outcomes(request: HttpRequest, query: Query[CohortWindow]) -> CohortOutcomesOut:
    """Outcome measures for the caller's clinics (naltrack.analytics); audited per clinic."""
    require(request.user, Capability.VIEW_CHART)  # type: ignore[arg-type]
    from django.utils import timezone

    start, end = _window(query, timezone.localdate())
    if query.unit is not None:
        from naltrack.clinical.drinking import STANDARD_DRINK_UNITS

        if query.unit not in STANDARD_DRINK_UNITS:
            raise HttpError(422, f"unknown unit {query.unit!r}")
    clinics = list(clinics_with(request.user, Capability.VIEW_CHART))  # type: ignore[arg-type]
    result = services.cohort_outcomes(request.user, clinics, start, end, unit=query.unit,  # type: ignore[arg-type]
                                      request=request, via=via(request))
    s = result.summary
    return CohortOutcomesOut(
        unit=result.unit, start=start, end=end, clinic_ids=[c.id for c in clinics], patients=s.patients,
        days=s.days, percent_days_abstinent=s.percent_days_abstinent,
        percent_heavy_drinking_days=s.percent_heavy_drinking_days, drinks_per_drinking_day=s.drinks_per_drinking_day,
        days_to_first_heavy_drinking_day=s.days_to_first_heavy_drinking_day,
        patients_with_heavy_drinking_day=s.patients_with_heavy_drinking_day, grams_per_day=s.grams_per_day,
        who_risk_levels=dict(s.who_risk_levels), risk_shift_down_at_least_1=result.shift.down_at_least_1,
        risk_shift_compared=result.shift.patients_compared, percent_opioid_use_days=result.percent_opioid_use_days,
        retention_percent=result.retention.percent, adherent_percent=result.adherence.percent_adherent)


