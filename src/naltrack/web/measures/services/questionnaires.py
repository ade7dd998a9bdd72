"""Questionnaires: record answers scored by the core, raise flags, and say which ones are due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from naltrack.clinical.drinking import parse_sex
from naltrack.clinical.instruments import INSTRUMENTS, Instrument, InstrumentError, get_instrument, score
from naltrack.clinical.instruments.phq9 import SELF_HARM_FLAG, SELF_HARM_ITEM
from naltrack.clinical.triage import TriageResult, triage_report
from naltrack.web.accounts.access import is_self
from naltrack.web.accounts.models import AuditAction, Patient, User
from naltrack.web.care.flags import raise_flag
from naltrack.web.care.models import Episode, FlagSeverity

from ..models import QuestionnaireResult
from .common import MeasuresError, audit_staff_write, check_not_future, check_not_too_old

if TYPE_CHECKING:
    from django.http import HttpRequest

# Self-report questionnaires a patient may fill in; COWS is rated by a clinician who observes the signs.
PATIENT_INSTRUMENTS = ("pacs", "phq-9", "gad-7", "audit-c", "audit", "dast-10")
STAFF_INSTRUMENTS = ("cows", "pacs", "phq-9", "gad-7", "audit-c", "audit", "dast-10")

# Product defaults (naltrack policy, not clinical rules): craving weekly during alcohol treatment,
# mood and anxiety every four weeks.
SCHEDULES: tuple[tuple[str, int, bool], ...] = (
    # instrument, every N days, only for an alcohol indication
    ("pacs", 7, True),
    ("phq-9", 28, False),
    ("gad-7", 28, False),
)

SELF_HARM_FLAG_KIND = "phq9_self_harm"


def instruments_for(user: User, patient: Patient) -> tuple[str, ...]:
    """Which questionnaires ``user`` may record for ``patient``: self-report ones for the patient."""
    return PATIENT_INSTRUMENTS if is_self(user, patient) else STAFF_INSTRUMENTS


def instrument_or_none(name: str) -> Instrument | None:
    return INSTRUMENTS.get(name)


def band_meaning(instrument: str, band: str) -> str:
    """The band's meaning in words, from the instrument's data."""
    try:
        return get_instrument(instrument).band_named(band).meaning
    except (KeyError, InstrumentError):
        return band.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Recorded:
    """A stored result, and the crisis advice to show at once when PHQ-9 item 9 was answered above 0."""

    result: QuestionnaireResult
    crisis: TriageResult | None


def crisis_advice(patient: Patient) -> TriageResult:
    """What to do now about thoughts of self-harm, with the numbers for the patient's clinic country."""
    return triage_report(["self_harm"], country=patient.clinic.country)


@transaction.atomic
def record_questionnaire(patient: Patient, *, instrument: str, answers: Sequence[object], by: User,
                         today: dt.date, taken_on: dt.date | None = None,
                         request: HttpRequest | None = None, via: str = "web") -> Recorded:
    """Score ``answers`` with the core's ``score`` and store the result; PHQ-9 item 9 raises an emergency flag."""
    allowed = instruments_for(by, patient)
    if instrument not in allowed:
        raise MeasuresError(f"{instrument!r} is not a questionnaire you can fill in here.")
    taken_on = taken_on or today
    check_not_future(taken_on, today, "A questionnaire")
    check_not_too_old(taken_on, today, "A questionnaire")
    try:
        result = score(instrument, answers, sex=parse_sex(patient.sex))
    except InstrumentError as exc:
        raise MeasuresError(str(exc)) from None
    stored = QuestionnaireResult.objects.create(
        patient=patient, instrument=instrument, taken_on=taken_on, answers=list(answers), total=result.total,
        band=result.band, flags=list(result.flags), entered_by=by, is_self_report=is_self(by, patient))
    audit_staff_write(by, patient, AuditAction.CREATE, f"{instrument} {stored.id}",
                      detail=f"total {result.total}", request=request, via=via)
    crisis = None
    if SELF_HARM_FLAG in result.flags:
        crisis = crisis_advice(patient)
        answer = answers[SELF_HARM_ITEM - 1]
        option = next((o.label for o in get_instrument(instrument).items[SELF_HARM_ITEM - 1].options
                       if o.answer == answer), str(answer))
        raise_flag(
            patient, kind=SELF_HARM_FLAG_KIND, severity=FlagSeverity.EMERGENCY,
            title="PHQ-9 item 9: thoughts of being better off dead or of self-harm",
            detail=(f"Answered '{option}' on {taken_on.isoformat()} "
                    f"({'self-report' if stored.is_self_report else 'recorded by staff'}). "
                    "Assess suicide risk today, whatever the total."),
            source="S134", link=reverse("measures:patient-view", args=[patient.id]),
            dedupe_key=SELF_HARM_FLAG_KIND)
    return Recorded(stored, crisis)


@dataclass(frozen=True)
class Due:
    """One scheduled questionnaire: when it was last done and whether it is due now."""

    instrument: str
    title: str
    every_days: int
    last_taken: dt.date | None
    due_on: dt.date
    is_due: bool


def is_alcohol_patient(patient: Patient) -> bool:
    """Whether the patient's latest treatment episode is for alcohol (or none recorded yet)."""
    indication = Episode.objects.filter(patient=patient).order_by("-started_on", "-id") \
        .values_list("indication", flat=True).first()
    return indication in (None, "alcohol")


def due_questionnaires(patient: Patient, today: dt.date) -> list[Due]:
    """The scheduled questionnaires with their next due day (two queries whatever the history)."""
    last = dict(QuestionnaireResult.objects.filter(patient=patient).values("instrument")
                .annotate(last=Max("taken_on")).values_list("instrument", "last"))
    alcohol = is_alcohol_patient(patient)
    dues = []
    for name, every, alcohol_only in SCHEDULES:
        if alcohol_only and not alcohol:
            continue
        taken = last.get(name)
        due_on = today if taken is None else min(taken + dt.timedelta(days=every), today + dt.timedelta(days=every))
        dues.append(Due(name, get_instrument(name).title, every, taken, due_on, due_on <= today))
    return sorted(dues, key=lambda d: (d.due_on, d.instrument))


def history(patient: Patient, *, since: dt.date | None = None) -> list[QuestionnaireResult]:
    results = QuestionnaireResult.objects.filter(patient=patient)
    if since is not None:
        results = results.filter(taken_on__gte=since)
    return list(results.order_by("taken_on", "id"))
