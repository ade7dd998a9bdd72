"""Demo-clinic stage of the safety capability: screenings, liver tests, symptom reports and medicines.

Patients with a care episode get a screening before it started (mostly ready or caution; a few were
not ready, then overridden by a prescriber or re-screened as ready), baseline and follow-up liver tests
(a few above 3x ULN); a few patients without a course wait behind a blocking screening. Some patients
report symptoms (mostly routine; one urgent dark-urine report for the ``patient`` login) and some have
other medicines recorded (one takes co-codamol, which contains codeine). Everything is drawn from
context.rng("safety"); verdicts, triage and flags come from the core through the services' helpers.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from naltrack.clinical import labs
from naltrack.clinical.screening import parse_screening_input, screen_for_induction
from naltrack.clinical.triage import triage_report
from naltrack.web.accounts.access import role_labels
from naltrack.web.accounts.models import Membership, Patient, Role, User
from naltrack.web.demo import DemoContext

from . import services
from .models import LiverResult, Medication, Screening, ScreeningOverride, SymptomReport

DAY = dt.timedelta(days=1)
ROUTINE_SYMPTOMS = (["nausea"], ["headache"], ["trouble_sleeping"], ["dizziness", "nausea"], ["fatigue"],
                    ["anxiety"], ["joint_muscle_pain"])
ROUTINE_TEXT = ("", "", "Mostly in the mornings.", "Started after the dose went up.", "Better after food.")
OTHER_MEDICINES = (("Sertraline", "50 mg daily"), ("Omeprazole", "20 mg daily"), ("Metformin", "500 mg twice a day"),
                   ("Atorvastatin", "20 mg at night"), ("Ibuprofen", "400 mg when needed"),
                   ("Salbutamol inhaler", "2 puffs when needed"), ("Levothyroxine", "75 micrograms daily"),
                   ("Paracetamol", "1 g up to four times a day"), ("Amlodipine", "5 mg daily"))
OVERRIDE_REASONS = (
    "Urine positive for codeine from a cough syrup stopped 11 days ago; naloxone challenge passed today.",
    "ALT raised from recent heavy drinking; hepatology advice taken, benefit outweighs risk, LFTs weekly.",
)
ULN = {"alt": 40.0, "ast": 35.0}


def _episodes_by_patient() -> dict[int, tuple[dt.date, str, str, bool]]:
    """patient id -> (first episode start, indication, 'oral'/'injection', has an active episode)."""
    try:
        from naltrack.web.care.models import Episode, MedicationOrder
    except ImportError:  # pragma: no cover - the care app is always installed
        return {}
    starts: dict[int, tuple[dt.date, str]] = {}
    active: set[int] = set()
    for patient_id, started_on, indication, status in Episode.objects.order_by("started_on").values_list(
            "patient_id", "started_on", "indication", "status"):
        starts.setdefault(patient_id, (started_on, indication))
        if status == "active":
            active.add(patient_id)
    routes: dict[int, str] = {}
    for patient_id, regimen in MedicationOrder.objects.order_by("starts_on").values_list("patient_id", "regimen"):
        routes.setdefault(patient_id, "injection" if regimen in ("xr-injection", "implant") else "oral")
    return {pid: (start, indication, routes.get(pid, "oral"), pid in active)
            for pid, (start, indication) in starts.items()}


def _facts(rng: random.Random, indication: str, formulation: str, kind: str) -> dict[str, Any]:
    """A screening input: 'ready' answers everything, 'caution' leaves gaps, 'block' adds a blocking fact."""
    indication = "opioid" if indication == "opioid" else "alcohol"
    alt = round(rng.uniform(14, 48))
    facts: dict[str, Any] = {
        "indication": indication, "formulation": formulation, "currently_taking_opioids": False,
        "needs_opioid_analgesia": False, "alt": alt, "ast": round(alt * rng.uniform(0.7, 1.1)),
        "alt_uln": ULN["alt"], "ast_uln": ULN["ast"], "acute_hepatitis": False, "liver_failure": False,
        "pregnant": False, "hypersensitivity": False, "egfr": rng.choice([72, 85, 90, 104]),
    }
    if indication == "opioid":
        facts.update({"opioid_last_use_days_ago": rng.choice([10, 12, 15, 21]), "opioid_type": "short_acting",
                      "urine_opioid_screen": "negative", "naloxone_challenge": "passed",
                      "cows_score": rng.choice([0, 1, 2])})
    if formulation == "injection":
        facts.update({"platelets": rng.choice([190, 240, 310]), "anticoagulated": False,
                      "bmi": rng.choice([21.5, 24.0, 27.3, 31.8])})
    if kind == "caution":
        for key in rng.sample(["needs_opioid_analgesia", "alt", "ast", "egfr", "pregnant"], 2):
            facts.pop(key, None)
        if "alt" not in facts or "ast" not in facts:  # no baseline liver tests at all: a caution
            for key in ("alt", "ast"):
                facts.pop(key, None)
    elif kind == "block":
        if indication == "opioid":
            facts.update({"urine_opioid_screen": "positive", "naloxone_challenge": "not_done"})
        else:
            facts["alt"] = round(ULN["alt"] * rng.uniform(5.3, 6.5))
    return facts


def _at(day: dt.date, zone: str, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=ZoneInfo(zone))


def build(context: DemoContext) -> None:
    """Add this capability's fictional history to the demo clinic."""
    rng = context.rng("safety")
    today = context.today
    episodes = _episodes_by_patient()
    prescribers: dict[int, User] = {}
    givers: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(role__in=[Role.PRESCRIBER, Role.NURSE]).select_related("user"):
        givers.setdefault(membership.clinic_id, []).append(membership.user)
        if membership.role == Role.PRESCRIBER:
            prescribers.setdefault(membership.clinic_id, membership.user)
    labels = {user.id: role_labels(user) for users in givers.values() for user in users}
    clinics = {patient.clinic_id: patient.clinic for patient in context.patients}

    screenings: list[Screening] = []
    overrides: list[tuple[int, str]] = []  # (index into screenings, reason)
    results: list[LiverResult] = []
    waiting = 0
    for patient in context.patients:
        staff = givers.get(patient.clinic_id)
        if not staff:
            continue
        zone = clinics[patient.clinic_id].time_zone
        plan = episodes.get(patient.id)
        if plan is None:
            if waiting < 4 and (today - patient.enrolled_on).days < 60:  # a few wait behind a block
                waiting += 1
                day = min(today, patient.enrolled_on + DAY * rng.randint(1, 10))
                screenings.append(_screening(patient, _facts(rng, "opioid", "injection", "block"),
                                             rng.choice(staff), labels, _at(day, zone, 10)))
            continue
        start, indication, formulation, _active = plan
        draw = rng.random()
        kind = "ready" if draw < 0.68 else "caution" if draw < 0.9 else "block"
        screened_on = start - DAY * rng.randint(0, 6)
        screenings.append(_screening(patient, _facts(rng, indication, formulation, kind), rng.choice(staff),
                                     labels, _at(screened_on, zone, 10)))
        if kind == "block":  # the first dose was given: overridden, or re-screened as ready
            if rng.random() < 0.5 and patient.clinic_id in prescribers:
                overrides.append((len(screenings) - 1, rng.choice(OVERRIDE_REASONS)))
            else:
                screenings.append(_screening(patient, _facts(rng, indication, formulation, "ready"),
                                             rng.choice(staff), labels, _at(screened_on, zone, 15)))
        results += _liver_history(rng, patient, start, today, rng.choice(staff))

    created = Screening.objects.bulk_create(screenings, batch_size=500)
    ScreeningOverride.objects.bulk_create([
        ScreeningOverride(screening=created[index], reason=reason, by=prescribers[created[index].patient.clinic_id],
                          by_label=labels[prescribers[created[index].patient.clinic_id].id],
                          at=created[index].recorded_at + dt.timedelta(minutes=40))
        for index, reason in overrides])
    stored = LiverResult.objects.bulk_create(results, batch_size=1000)
    _flag_liver(stored, episodes, context.patients, today)
    _symptom_reports(rng, context, today)
    _medications(rng, context, givers, today)


def _screening(patient: Patient, facts: dict[str, Any], by: User, labels: dict[int, str],
               at: dt.datetime) -> Screening:
    verdict = screen_for_induction(parse_screening_input(facts))
    return Screening(patient=patient, inputs=facts, verdict=verdict.verdict.value,
                     reasons=[r.as_dict() for r in verdict.reasons], recorded_by=by, recorded_by_label=labels[by.id],
                     recorded_at=at)


def _liver_history(rng: random.Random, patient: Patient, start: dt.date, today: dt.date,
                   by: User) -> list[LiverResult]:
    """Baseline and scheduled follow-ups (some skipped or late); about 1 in 25 draws above 3x ULN."""
    rows: list[LiverResult] = []
    index = 0
    while True:
        due = labs.add_months(start, labs.follow_up_months(index))
        taken = due - DAY * rng.randint(1, 5) if index == 0 else due + DAY * rng.randint(-4, 12)
        if taken > today:
            break
        index += 1
        if index > 1 and rng.random() < 0.15:  # a missed follow-up
            continue
        spike = rng.random()
        for test in ("alt", "ast"):
            multiple = rng.uniform(0.4, 1.3)
            if spike > 0.985:
                multiple = rng.uniform(5.2, 6.8)
            elif spike > 0.96:
                multiple = rng.uniform(3.2, 4.6)
            rows.append(LiverResult(patient=patient, test=test, value=round(ULN[test] * multiple), unit="U/L",
                                    uln=ULN[test], taken_on=taken, recorded_by=by,
                                    recorded_at=_at(taken, "UTC", 16)))
    return rows


def _flag_liver(stored: list[LiverResult], episodes: dict[int, tuple[dt.date, str, str, bool]],
                patients: list[Patient], today: dt.date) -> None:
    """Flags as the services raise them: results above 3x/5x ULN (latest draw) and overdue tests."""
    by_patient: dict[int, list[LiverResult]] = {}
    for result in stored:
        by_patient.setdefault(result.patient_id, []).append(result)
    for patient in patients:
        rows = by_patient.get(patient.id, [])
        if not rows or not episodes.get(patient.id, (None, "", "", False))[3]:  # active courses only
            continue
        latest_day = max(r.taken_on for r in rows)
        for row in rows:
            if row.taken_on == latest_day:
                services.flag_liver_result(patient, row)
        due = labs.liver_tests_due(episodes[patient.id][0], [services._as_lab_result(r) for r in rows], today)
        services.flag_liver_tests_due(patient, due)


def _symptom_reports(rng: random.Random, context: DemoContext, today: dt.date) -> None:
    with_login = [p for p in context.patients if p.user_id is not None]
    reports: list[SymptomReport] = []
    for patient in with_login + rng.sample(context.patients, min(20, len(context.patients))):
        if patient.user is not None and patient.user.username == "patient":
            continue
        symptoms = rng.choice(ROUTINE_SYMPTOMS)
        text = rng.choice(ROUTINE_TEXT)
        result = triage_report(symptoms, text, country=patient.clinic.country)
        day = max(patient.enrolled_on, today - DAY * rng.randint(1, 40))
        reports.append(SymptomReport(
            patient=patient, symptoms=symptoms, free_text=text, urgency=result.urgency.value,
            codes=list(result.codes), next_steps=list(result.next_steps), sources=list(result.sources),
            is_crisis=result.is_crisis, flags_clinician=result.flags_clinician,
            reported_at=_at(day, patient.time_zone, rng.randint(8, 21))))
    SymptomReport.objects.bulk_create(reports)
    first = next((p for p in with_login if p.user is not None and p.user.username == "patient"), None)
    if first is not None:  # the one urgent report, through the service so the caseload is flagged
        services.report_symptoms(first, symptoms=["dark_urine"],
                                 free_text="My pee has been dark since yesterday and I feel washed out.")


def _medications(rng: random.Random, context: DemoContext, givers: dict[int, list[User]], today: dt.date) -> None:
    rows: list[Medication] = []
    for patient in context.patients:
        if rng.random() > 0.3 or patient.clinic_id not in givers:
            continue
        for name, dose in rng.sample(OTHER_MEDICINES, rng.randint(1, 2)):
            started = max(patient.enrolled_on - DAY * 400, today - DAY * rng.randint(30, 900))
            stopped = today - DAY * rng.randint(1, 20) if rng.random() < 0.15 else None
            rows.append(Medication(patient=patient, name=name, dose_text=dose, started_on=started, stopped_on=stopped,
                                   recorded_by=rng.choice(givers[patient.clinic_id])))
    Medication.objects.bulk_create(rows, batch_size=500)  # OTHER_MEDICINES hold no opioid: no flag to raise
    candidates = [p for p in context.patients if p.user_id is not None and p.clinic_id in givers]
    if candidates:  # one patient takes co-codamol (codeine): recorded through the service, which flags it
        patient = candidates[min(1, len(candidates) - 1)]
        services.record_medication(patient, name="Co-codamol 30/500", dose_text="2 tablets up to four times a day",
                                   started_on=today - DAY * 5, by=givers[patient.clinic_id][0], today=today)
