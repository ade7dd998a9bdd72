"""Safety services: screen, override, record liver results and medications, triage symptom reports.

Each service owns its transaction, writes the audit event for staff writes and raises flags through
``care.flags.raise_flag``. Every clinical decision is the core's (``naltrack.clinical``): these functions
turn records into core inputs and store the results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from naltrack.clinical import labs
from naltrack.clinical.emergency import EmergencyContacts, contacts_for
from naltrack.clinical.medicines import Category, MedicationWarning, check_medications
from naltrack.clinical.screening import parse_screening_input, screen_for_induction
from naltrack.clinical.triage import SYMPTOMS_BY_CODE, triage_report
from naltrack.web.accounts.access import Capability, can_act_on_patient, role_labels
from naltrack.web.accounts.models import AuditAction, Patient, User
from naltrack.web.accounts.services import record_audit_event
from naltrack.web.care.flags import acknowledge_flag, raise_flag
from naltrack.web.care.models import Flag, FlagSeverity

from . import care_link
from .models import LiverResult, Medication, Screening, ScreeningOverride, SymptomReport, Verdict

if TYPE_CHECKING:
    from django.http import HttpRequest

OVERRIDE_REASON_MIN_CHARS = 20  # a sentence, not "ok": the reason is read by the next clinician
OVERRIDE_REASON_MAX_CHARS = 1000

# Units a liver result may be recorded in, per test (value and ULN share the unit, so the multiple of
# ULN does not depend on it). Plausibility limits below catch typos and unit mix-ups; they are input
# validation, set wide enough that no real measurement is refused, not clinical thresholds.
UNITS_BY_TEST: dict[str, tuple[str, ...]] = {
    labs.ALT.code: ("U/L",),
    labs.AST.code: ("U/L",),
    labs.GGT.code: ("U/L",),
    labs.TOTAL_BILIRUBIN.code: ("mg/dL", "µmol/L"),
}
_MAX_VALUE = {"U/L": 100_000.0, "mg/dL": 100.0, "µmol/L": 1_700.0}
_MAX_ULN = {"U/L": 1_000.0, "mg/dL": 10.0, "µmol/L": 200.0}
EARLIEST_LAB_DATE = dt.date(1990, 1, 1)


def _label(user: User) -> str:
    return role_labels(user)[:160]


# ---------------------------------------------------------------------------------------------------
# Screening and overrides
# ---------------------------------------------------------------------------------------------------


@transaction.atomic
def record_screening(patient: Patient, data: Mapping[str, Any], *, by: User,
                     request: HttpRequest | None = None, via: str = "web") -> Screening:
    """Screen ``data`` (DESIGN.md screening input) with the core and store the verdict on the record.

    Raises ScreeningInputError (from the core) for bad input; nothing is written then.
    """
    facts = parse_screening_input(data)
    verdict = screen_for_induction(facts)
    inputs = {key: value for key, value in data.items() if value is not None}
    screening = Screening.objects.create(
        patient=patient, inputs=inputs, verdict=verdict.verdict.value,
        reasons=[reason.as_dict() for reason in verdict.reasons],
        recorded_by=by, recorded_by_label=_label(by), recorded_at=timezone.now())
    record_audit_event(actor=by, patient=patient, action=AuditAction.CREATE, target=f"screening {screening.id}",
                       detail=f"verdict {screening.verdict}", request=request, via=via)
    return screening


def latest_screening(patient: Patient) -> Screening | None:
    return (Screening.objects.filter(patient=patient).select_related("override")
            .order_by("-recorded_at", "-id").first())


@transaction.atomic
def override_screening(screening: Screening, *, by: User, reason: str, request: HttpRequest | None = None,
                       via: str = "web") -> ScreeningOverride:
    """A prescriber allows a first dose despite a not_ready screening; the reason is required (audited)."""
    patient = screening.patient
    if not can_act_on_patient(by, patient, Capability.PRESCRIBE):
        raise PermissionDenied("Only a prescriber can override a screening.")
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    text = " ".join((reason or "").split())
    if screening.verdict != Verdict.NOT_READY:
        raise ValidationError("Only a 'not ready' screening can be overridden.")
    if ScreeningOverride.objects.filter(screening=screening).exists():
        raise ValidationError("This screening has already been overridden.")
    latest = latest_screening(patient)
    if latest is None or latest.pk != screening.pk:
        raise ValidationError("A newer screening exists: override that one if needed.")
    if len(text) < OVERRIDE_REASON_MIN_CHARS:
        raise ValidationError(f"Write the reason in at least {OVERRIDE_REASON_MIN_CHARS} characters.")
    if len(text) > OVERRIDE_REASON_MAX_CHARS:
        raise ValidationError(f"Keep the reason under {OVERRIDE_REASON_MAX_CHARS} characters.")
    override = ScreeningOverride.objects.create(screening=screening, reason=text, by=by, by_label=_label(by),
                                                at=timezone.now())
    record_audit_event(actor=by, patient=patient, action=AuditAction.OVERRIDE,
                       target=f"screening {screening.id}", detail=text[:300], request=request, via=via)
    return override


# ---------------------------------------------------------------------------------------------------
# Liver tests
# ---------------------------------------------------------------------------------------------------


def validate_liver_result(*, test: str, value: float, unit: str, uln: float, taken_on: dt.date,
                          today: dt.date, born_on: dt.date | None = None) -> None:
    """Refuse a liver result that cannot be a real measurement (ValidationError naming the field)."""
    if test not in labs.LIVER_TESTS_BY_CODE:
        raise ValidationError({"test": f"Choose one of: {', '.join(labs.LIVER_TESTS_BY_CODE)}."})
    if unit not in UNITS_BY_TEST[test]:
        raise ValidationError({"unit": f"{labs.LIVER_TESTS_BY_CODE[test].display_name} is recorded in "
                                       f"{' or '.join(UNITS_BY_TEST[test])}."})
    try:
        labs.multiple_of_uln(value, uln)
    except labs.LabValueError as exc:
        field = "uln" if "upper limit" in str(exc) else "value"
        raise ValidationError({field: str(exc).capitalize() + "."}) from None
    if value > _MAX_VALUE[unit]:
        raise ValidationError({"value": f"{value:g} {unit} is not a possible result: check the value and unit."})
    if uln > _MAX_ULN[unit]:
        raise ValidationError({"uln": f"An upper limit of {uln:g} {unit} is not plausible: check the lab report."})
    if taken_on > today:
        raise ValidationError({"taken_on": "The date taken cannot be in the future."})
    if taken_on < max(EARLIEST_LAB_DATE, born_on or EARLIEST_LAB_DATE):
        raise ValidationError({"taken_on": "The date taken is too far in the past."})


def _as_lab_result(result: LiverResult) -> labs.LabResult:
    return labs.LabResult(labs.LIVER_TESTS_BY_CODE[result.test], result.value, result.uln, result.taken_on)


def _liver_link(patient: Patient) -> str:
    return reverse("safety:liver", args=[patient.id])


@transaction.atomic
def record_liver_result(patient: Patient, *, test: str, value: float, unit: str, uln: float,
                        taken_on: dt.date, by: User, today: dt.date, request: HttpRequest | None = None,
                        via: str = "web") -> LiverResult:
    """Store a liver result; above 3x ULN raise a warning flag, above 5x an urgent one (core thresholds)."""
    validate_liver_result(test=test, value=value, unit=unit, uln=uln, taken_on=taken_on, today=today,
                          born_on=patient.date_of_birth)
    result = LiverResult.objects.create(patient=patient, test=test, value=value, unit=unit, uln=uln,
                                        taken_on=taken_on, recorded_by=by, recorded_at=timezone.now())
    record_audit_event(actor=by, patient=patient, action=AuditAction.CREATE, target=f"liver result {result.id}",
                       detail=str(result)[:300], request=request, via=via)
    flag_liver_result(patient, result)
    # New results settle an open "liver tests due" flag; the schedule is then checked afresh.
    for flag in Flag.objects.filter(patient=patient, kind="liver_tests_due", acknowledged_at__isnull=True):
        acknowledge_flag(flag, by=by, note="Liver tests recorded.", request=request)
    check_liver_tests_due(patient, today=today)
    return result


def flag_liver_result(patient: Patient, result: LiverResult) -> Flag | None:
    """Above 3x ULN raise a warning flag, above 5x an urgent one (the core's classification)."""
    classification = labs.classify_liver_result(_as_lab_result(result))
    if not classification.flags_clinician:
        return None
    urgent = classification.is_urgent
    limit = labs.URGENT_FLAG_MULTIPLE if urgent else labs.CLINICIAN_FLAG_MULTIPLE
    name = labs.LIVER_TESTS_BY_CODE[result.test].display_name
    return raise_flag(
        patient, kind="liver_above_5x_uln" if urgent else "liver_above_3x_uln",
        severity=FlagSeverity.URGENT if urgent else FlagSeverity.WARNING,
        title=f"{name} {classification.multiple:.1f}x the upper limit of normal (above {limit:g}x)",
        detail=f"{result.value:g} {result.unit} (upper limit {result.uln:g} {result.unit}) taken "
               f"{result.taken_on.isoformat()}.",
        source=classification.source, link=_liver_link(patient), dedupe_key=f"liver_result:{result.id}")


def treatment_start(patient: Patient) -> dt.date:
    """When naltrexone treatment started: the care app's latest episode, else the enrolment date."""
    return care_link.treatment_start(patient) or patient.enrolled_on


def liver_tests_due_for(patient: Patient, *, today: dt.date,
                        results: Sequence[LiverResult] | None = None) -> labs.LiverTestsDue:
    rows = list(results) if results is not None else list(LiverResult.objects.filter(patient=patient))
    return labs.liver_tests_due(treatment_start(patient), [_as_lab_result(r) for r in rows], today)


def check_liver_tests_due(patient: Patient, *, today: dt.date,
                          results: Sequence[LiverResult] | None = None) -> labs.LiverTestsDue:
    """Work out the next liver tests (core schedule) and raise a "liver tests due" flag when overdue."""
    due = liver_tests_due_for(patient, today=today, results=results)
    flag_liver_tests_due(patient, due)
    return due


def flag_liver_tests_due(patient: Patient, due: labs.LiverTestsDue) -> Flag | None:
    """Raise the "liver tests due" warning flag when the core says the tests are overdue (once per date)."""
    if not due.is_overdue:
        return None
    return raise_flag(patient, kind="liver_tests_due", severity=FlagSeverity.WARNING,
                      title=f"Liver tests due ({due.milestone})",
                      detail=due.message, source=due.sources[0], link=_liver_link(patient),
                      dedupe_key=f"liver_tests_due:{due.next_due.isoformat()}")


@dataclass(frozen=True)
class LiverRow:
    """A stored result with its multiple of ULN and the flag the core gives it."""

    result: LiverResult
    multiple: float
    flag: labs.LiverFlag


@dataclass(frozen=True)
class LiverOverview:
    rows: list[LiverRow]  # newest first
    trends: list[labs.LiverTrend]
    due: labs.LiverTestsDue
    chart: dict[str, Any]  # data for the Plotly chart (json_script)


def liver_overview(patient: Patient, *, today: dt.date) -> LiverOverview:
    """Results as multiples of ULN, a trend per test, the next due tests (flagged when overdue)."""
    results = list(LiverResult.objects.filter(patient=patient).order_by("taken_on", "id"))
    lab_results = [_as_lab_result(r) for r in results]
    rows = []
    for stored, lab in zip(results, lab_results, strict=True):
        classification = labs.classify_liver_result(lab)
        rows.append(LiverRow(stored, classification.multiple, classification.flag))
    trends = [labs.trend_liver_test(lab_results, test) for test in labs.LIVER_TESTS]
    due = check_liver_tests_due(patient, today=today, results=results)
    chart = {
        "series": [{"name": trend.test.display_name,
                    "x": [p.taken_on.isoformat() for p in trend.points],
                    "y": [round(p.multiple, 2) for p in trend.points]} for trend in trends if trend.points],
        "thresholds": [{"name": "3x ULN: clinician flag", "y": labs.CLINICIAN_FLAG_MULTIPLE},
                       {"name": "5x ULN: urgent flag", "y": labs.URGENT_FLAG_MULTIPLE}],
    }
    return LiverOverview(rows=rows[::-1], trends=trends, due=due, chart=chart)


def latest_liver_values(patient: Patient) -> dict[str, float]:
    """The latest ALT and AST (value and ULN) to prefill a screening: {"alt": .., "alt_uln": ..}."""
    values: dict[str, float] = {}
    for code in (labs.ALT.code, labs.AST.code):
        latest = LiverResult.objects.filter(patient=patient, test=code).order_by("-taken_on", "-id").first()
        if latest is not None:
            values[code] = latest.value
            values[f"{code}_uln"] = latest.uln
    return values


# ---------------------------------------------------------------------------------------------------
# Symptom reports
# ---------------------------------------------------------------------------------------------------


def checklist(formulation: str = "") -> list[tuple[str, str]]:
    """The core's checklist as (code, plain label); injection-site items only when relevant."""
    return [(s.code, s.label) for s in SYMPTOMS_BY_CODE.values()
            if not (s.injection_only and formulation == "oral")]


def symptoms_link(patient: Patient, report: SymptomReport) -> str:
    return reverse("safety:symptoms", args=[patient.id]) + f"#report-{report.id}"


@transaction.atomic
def report_symptoms(patient: Patient, *, symptoms: Iterable[str], free_text: str = "") -> SymptomReport:
    """Triage a patient's own report with the core, store it, and flag emergency and urgent reports at once."""
    formulation = care_link.triage_formulation(patient)
    chosen = list(dict.fromkeys(symptoms))
    text = (free_text or "").strip()
    result = triage_report(chosen, text, formulation=formulation, country=patient.clinic.country)
    report = SymptomReport.objects.create(
        patient=patient, symptoms=chosen, free_text=text, formulation=formulation or "", urgency=result.urgency.value,
        codes=list(result.codes), next_steps=list(result.next_steps), sources=list(result.sources),
        is_crisis=result.is_crisis, flags_clinician=result.flags_clinician, reported_at=timezone.now())
    if result.flags_clinician:
        labels = "; ".join(SYMPTOMS_BY_CODE[code].label for code in result.codes[:3])
        severity = FlagSeverity.EMERGENCY if result.urgency.value == "emergency" else FlagSeverity.URGENT
        raise_flag(patient, kind=f"symptom_{result.urgency.value}", severity=severity,
                   title=f"{severity.label} symptom report: {labels}",
                   detail="Reported by the patient. " + (result.next_steps[0] if result.next_steps else ""),
                   source=SYMPTOMS_BY_CODE[result.codes[0]].source,
                   link=symptoms_link(patient, report), dedupe_key=f"symptom_report:{report.id}")
    return report


def symptom_labels(codes: Iterable[str]) -> list[str]:
    return [SYMPTOMS_BY_CODE[code].label for code in codes if code in SYMPTOMS_BY_CODE]


# ---------------------------------------------------------------------------------------------------
# Medications
# ---------------------------------------------------------------------------------------------------

OPIOID_CATEGORIES = frozenset({Category.OPIOID_ANALGESIC, Category.OPIOID_TREATMENT, Category.ILLICIT_OPIOID,
                               Category.OPIOID_COUGH_COLD, Category.OPIOID_ANTIDIARRHOEAL})


def validate_medication_dates(started_on: dt.date | None, stopped_on: dt.date | None, *, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if started_on is not None and not EARLIEST_LAB_DATE <= started_on <= today:
        errors["started_on"] = "The start date must be a real date, not in the future."
    if stopped_on is not None and not EARLIEST_LAB_DATE <= stopped_on <= today:
        errors["stopped_on"] = "The stop date must be a real date, not in the future."
    if started_on and stopped_on and stopped_on < started_on:
        errors["stopped_on"] = "The stop date cannot be before the start date."
    if errors:
        raise ValidationError(errors)


def _flag_opioid_medicine(patient: Patient, medication: Medication) -> None:
    warnings = [w for w in check_medications([medication.name]) if w.category in OPIOID_CATEGORIES]
    if not warnings or not medication.is_current:
        return
    first = warnings[0]
    raise_flag(patient, kind="opioid_medication", severity=FlagSeverity.WARNING,
               title=f"Opioid-containing medicine recorded: {medication.name}"[:140],
               detail=first.staff_message, source=first.source,
               link=reverse("safety:medications", args=[patient.id]),
               dedupe_key=f"opioid_medication:{medication.id}")


@transaction.atomic
def record_medication(patient: Patient, *, name: str, dose_text: str = "", started_on: dt.date | None = None,
                      stopped_on: dt.date | None = None, by: User, today: dt.date,
                      request: HttpRequest | None = None, via: str = "web") -> Medication:
    """Add a medicine to the patient's list (audited); an opioid-containing one raises a warning flag."""
    clean_name = " ".join((name or "").split())
    if not clean_name:
        raise ValidationError({"name": "Enter the medicine's name."})
    validate_medication_dates(started_on, stopped_on, today=today)
    medication = Medication.objects.create(patient=patient, name=clean_name[:120], dose_text=dose_text.strip()[:120],
                                           started_on=started_on, stopped_on=stopped_on, recorded_by=by,
                                           recorded_at=timezone.now())
    record_audit_event(actor=by, patient=patient, action=AuditAction.CREATE, target=f"medication {medication.id}",
                       detail=clean_name[:300], request=request, via=via)
    _flag_opioid_medicine(patient, medication)
    return medication


@transaction.atomic
def stop_medication(medication: Medication, *, stopped_on: dt.date, by: User, today: dt.date,
                    request: HttpRequest | None = None, via: str = "web") -> Medication:
    """Mark a medicine stopped on a date (audited)."""
    validate_medication_dates(medication.started_on, stopped_on, today=today)
    medication.stopped_on = stopped_on
    medication.save(update_fields=["stopped_on"])
    record_audit_event(actor=by, patient=medication.patient, action=AuditAction.UPDATE,
                       target=f"medication {medication.id}", detail=f"stopped {stopped_on.isoformat()}",
                       request=request, via=via)
    return medication


@dataclass(frozen=True)
class MedicationCheck:
    medication: Medication
    warnings: tuple[MedicationWarning, ...]

    @property
    def has_opioid(self) -> bool:
        return any(w.category in OPIOID_CATEGORIES for w in self.warnings)


def medication_checks(patient: Patient) -> list[MedicationCheck]:
    """Every recorded medicine with the core's warnings for it (current ones first)."""
    medications = sorted(Medication.objects.filter(patient=patient), key=lambda m: (not m.is_current, m.name.lower()))
    return [MedicationCheck(m, check_medications([m.name])) for m in medications]


# ---------------------------------------------------------------------------------------------------
# Emergency card
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmergencyCard:
    patient: Patient
    formulation: str
    last_dose: care_link.LastDose | None
    contacts: EmergencyContacts
    opioid_medicines: list[str]


def emergency_card(patient: Patient) -> EmergencyCard:
    """What the printable card shows: the form of naltrexone, the last dose, and who to call."""
    last = care_link.last_dose(patient)
    formulation = care_link.current_formulation(patient)
    current = [m.name for m in Medication.objects.filter(patient=patient, stopped_on__isnull=True)]
    opioid = [w.query for w in check_medications(current) if w.category in OPIOID_CATEGORIES]
    return EmergencyCard(patient=patient, formulation=formulation, last_dose=last,
                         contacts=contacts_for(patient.clinic.country), opioid_medicines=list(dict.fromkeys(opioid)))
