"""API endpoints of the safety capability, mounted under /api/v1/safety/.

Staff reach a patient through ``open_patient`` (404 for another clinic's patient, 403 without the
capability, audited with the API as channel); a patient reaches their own reports through
``own_patient``. Screenings take the DESIGN.md JSON object and are validated exactly like
``naltrack screen``: a bad input answers 422 with the same one-line message.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from naltrack.clinical.screening import ScreeningInputError
from naltrack.web.accounts.access import Capability, open_patient, own_patient
from naltrack.web.api.api import via
from naltrack.web.api.schemas import Error

from . import services
from .models import LiverResult, Screening, SymptomReport

router = Router(tags=["safety"])

MAX_BODY_BYTES = 64 * 1024


# --- schemas ---------------------------------------------------------------------------------------


class ScreeningIn(Schema):
    """The DESIGN.md screening input (documentation; the core's parser does the validating)."""

    model_config = ConfigDict(extra="forbid")

    indication: Literal["alcohol", "opioid"]
    formulation: Literal["oral", "injection"]
    opioid_last_use_days_ago: float | None = None
    opioid_type: Literal["short_acting", "methadone", "buprenorphine", "none"] | None = None
    currently_taking_opioids: bool | None = None
    needs_opioid_analgesia: bool | None = None
    urine_opioid_screen: Literal["negative", "positive", "not_done"] | None = None
    naloxone_challenge: Literal["passed", "failed", "not_done"] | None = None
    cows_score: int | None = None
    alt: float | None = None
    ast: float | None = None
    alt_uln: float | None = None
    ast_uln: float | None = None
    acute_hepatitis: bool | None = None
    liver_failure: bool | None = None
    pregnant: bool | None = None
    hypersensitivity: bool | None = None
    egfr: float | None = None
    platelets: float | None = None
    anticoagulated: bool | None = None
    bmi: float | None = None


class ReasonOut(Schema):
    code: str
    severity: str
    message: str
    source: str


class OverrideOut(Schema):
    reason: str
    by: str
    at: dt.datetime


class ScreeningOut(Schema):
    id: int
    patient_id: int
    verdict: str
    reasons: list[ReasonOut]
    inputs: dict[str, Any]
    recorded_by: str
    recorded_at: dt.datetime
    override: OverrideOut | None


class LiverResultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    test: Literal["alt", "ast", "ggt", "bilirubin_total"]
    value: float
    unit: Literal["U/L", "mg/dL", "µmol/L"]
    uln: float
    taken_on: dt.date


class LiverResultOut(Schema):
    id: int
    test: str
    value: float
    unit: str
    uln: float
    multiple_of_uln: float
    flag: str
    taken_on: dt.date


class SymptomReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    symptoms: list[str] = Field(default_factory=list, max_length=50)
    free_text: str = Field(default="", max_length=2000)


class SymptomReportOut(Schema):
    id: int
    patient_id: int
    reported_at: dt.datetime
    symptoms: list[str]
    free_text: str
    urgency: str
    codes: list[str]
    next_steps: list[str]
    flags_clinician: bool
    is_crisis: bool


class MedicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    dose_text: str = Field(default="", max_length=120)
    started_on: dt.date | None = None
    stopped_on: dt.date | None = None


class MedicationWarningOut(Schema):
    medicine: str
    category: str
    level: str
    message: str
    source: str
    certainty: str


class MedicationOut(Schema):
    id: int
    name: str
    dose_text: str
    started_on: dt.date | None
    stopped_on: dt.date | None
    is_current: bool
    warnings: list[MedicationWarningOut]


# --- converters ------------------------------------------------------------------------------------


def _screening_out(s: Screening) -> ScreeningOut:
    override = getattr(s, "override", None)
    return ScreeningOut(
        id=s.id, patient_id=s.patient_id, verdict=s.verdict, reasons=s.reasons, inputs=s.inputs,
        recorded_by=s.recorded_by_label, recorded_at=s.recorded_at,
        override=OverrideOut(reason=override.reason, by=override.by_label, at=override.at) if override else None)


def _liver_out(r: LiverResult) -> LiverResultOut:
    from naltrack.clinical import labs

    lab = labs.LabResult(labs.LIVER_TESTS_BY_CODE[r.test], r.value, r.uln, r.taken_on)
    classification = labs.classify_liver_result(lab)
    return LiverResultOut(id=r.id, test=r.test, value=r.value, unit=r.unit, uln=r.uln,
                          multiple_of_uln=round(classification.multiple, 4), flag=classification.flag.value,
                          taken_on=r.taken_on)


def _report_out(r: SymptomReport) -> SymptomReportOut:
    return SymptomReportOut(id=r.id, patient_id=r.patient_id, reported_at=r.reported_at, symptoms=r.symptoms,
                            free_text=r.free_text, urgency=r.urgency, codes=r.codes, next_steps=r.next_steps,
                            flags_clinician=r.flags_clinician, is_crisis=r.is_crisis)


def _medication_out(check: services.MedicationCheck) -> MedicationOut:
    m = check.medication
    return MedicationOut(
        id=m.id, name=m.name, dose_text=m.dose_text, started_on=m.started_on, stopped_on=m.stopped_on,
        is_current=m.is_current,
        warnings=[MedicationWarningOut(medicine=w.medicine, category=w.category.value, level=w.level.value,
                                       message=w.staff_message, source=w.source, certainty=w.certainty.value)
                  for w in check.warnings])


def _json_body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY_BYTES:
        raise ValidationError("the request body is too large")
    try:
        return json.loads(request.body.decode("utf-8"))
    except RecursionError:
        raise ValidationError("invalid JSON: nested too deeply") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"invalid JSON: {exc}") from None


# --- screenings ------------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/screenings", response={200: list[ScreeningOut], 404: Error, 403: Error})
def list_screenings(request: HttpRequest, patient_id: int) -> list[ScreeningOut]:
    """A patient's screenings, newest first (staff of the patient's clinic)."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="screenings", via=via(request))
    return [_screening_out(s) for s in Screening.objects.filter(patient=patient).select_related("override")[:200]]


@router.post("/patients/{patient_id}/screenings",
             response={201: ScreeningOut, 404: Error, 403: Error, 422: Error},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": ScreeningIn.model_json_schema()}}}})
def create_screening(request: HttpRequest, patient_id: int) -> Status[Any]:
    """Screen a patient for induction and record the verdict (same validation as `naltrack screen`)."""
    patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION, target="screenings",
                           via=via(request))
    data = _json_body(request)
    try:
        screening = services.record_screening(patient, data, by=request.user, request=request,  # type: ignore[arg-type]
                                              via=via(request))
    except ScreeningInputError as exc:
        raise ValidationError(str(exc)) from None
    return Status(201, _screening_out(screening))


# --- liver results ---------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/liver-results", response={200: list[LiverResultOut], 404: Error, 403: Error})
def list_liver_results(request: HttpRequest, patient_id: int) -> list[LiverResultOut]:
    """A patient's liver results, oldest first, with multiples of ULN and the core's flag."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="liver tests", via=via(request))
    return [_liver_out(r) for r in LiverResult.objects.filter(patient=patient)[:1000]]


@router.post("/patients/{patient_id}/liver-results",
             response={201: LiverResultOut, 404: Error, 403: Error, 422: Error})
def create_liver_result(request: HttpRequest, patient_id: int, payload: LiverResultIn) -> Status[Any]:
    """Record a liver result; results above 3x / 5x ULN raise flags."""
    patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION, target="liver tests",
                           via=via(request))
    result = services.record_liver_result(patient, by=request.user, today=timezone.localdate(),  # type: ignore[arg-type]
                                          request=request, via=via(request), **payload.dict())
    return Status(201, _liver_out(result))


# --- symptom reports -------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/symptom-reports",
            response={200: list[SymptomReportOut], 404: Error, 403: Error})
def list_symptom_reports(request: HttpRequest, patient_id: int) -> list[SymptomReportOut]:
    """A patient's symptom reports, newest first (staff of the patient's clinic)."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="symptom reports",
                           via=via(request))
    return [_report_out(r) for r in SymptomReport.objects.filter(patient=patient)[:200]]


def _self(request: HttpRequest):  # type: ignore[no-untyped-def]
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("Only a patient can report their own symptoms.")
    return patient


@router.get("/me/symptom-reports", response={200: list[SymptomReportOut], 403: Error})
def my_symptom_reports(request: HttpRequest) -> list[SymptomReportOut]:
    """The caller's own symptom reports (patients only)."""
    return [_report_out(r) for r in SymptomReport.objects.filter(patient=_self(request))[:200]]


@router.post("/me/symptom-reports", response={201: SymptomReportOut, 403: Error, 422: Error})
def create_my_symptom_report(request: HttpRequest, payload: SymptomReportIn) -> Status[Any]:
    """A patient reports side effects; emergency and urgent reports flag their clinician at once."""
    from naltrack.clinical.triage import SYMPTOMS_BY_CODE

    patient = _self(request)
    unknown = [code for code in payload.symptoms if code not in SYMPTOMS_BY_CODE]
    if unknown:
        raise ValidationError(f"unknown symptom code {unknown[0][:40]!r}")
    if not payload.symptoms and not payload.free_text.strip():
        raise ValidationError("give at least one symptom code or some free text")
    report = services.report_symptoms(patient, symptoms=payload.symptoms, free_text=payload.free_text)
    return Status(201, _report_out(report))


# --- medications -----------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/medications", response={200: list[MedicationOut], 404: Error, 403: Error})
def list_medications(request: HttpRequest, patient_id: int) -> list[MedicationOut]:
    """A patient's medicines with the opioid-medicine check."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="medications", via=via(request))
    return [_medication_out(c) for c in services.medication_checks(patient)]


@router.post("/patients/{patient_id}/medications", response={201: MedicationOut, 404: Error, 403: Error, 422: Error})
def create_medication(request: HttpRequest, patient_id: int, payload: MedicationIn) -> Status[Any]:
    """Record a medicine; an opioid-containing one raises a warning flag."""
    patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION, target="medications",
                           via=via(request))
    medication = services.record_medication(patient, by=request.user, today=timezone.localdate(),  # type: ignore[arg-type]
                                            request=request, via=via(request), **payload.dict())
    from naltrack.clinical.medicines import check_medications

    return Status(201, _medication_out(services.MedicationCheck(medication, check_medications([medication.name]))))
