"""The patient's daily check-in and the targeted-dosing session (tablet now, first drink later)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from naltrack.clinical.regimens import RegimenName
from naltrack.web.accounts.models import Patient

from ..models import CheckIn, Dose, DoseKind
from .common import CareError, check_recent_day, now, patient_today
from .courses import current_episode, current_order
from .doses import record_self_dose

CRAVING_RANGE = range(0, 11)
MOOD_RANGE = range(1, 6)
# Breath-alcohol readings are in mg of ethanol per litre of breath (mg/L), as breathalysers show them.
# Above 2.5 mg/L no living person is being measured; such an entry is a typing mistake (an input guard).
BREATH_ALCOHOL_MAX_MG_L = Decimal("2.50")
CHECKIN_FIELDS = ("craving", "opioid_use", "mood", "breath_alcohol_mg_l", "note", "is_lapse", "lapse_note",
                  "drank")


def _validate(values: dict[str, Any]) -> None:
    craving, mood, breath = values.get("craving"), values.get("mood"), values.get("breath_alcohol_mg_l")
    if craving is not None and (isinstance(craving, bool) or craving not in CRAVING_RANGE):
        raise CareError("Craving is a number from 0 (none) to 10 (the strongest).")
    if mood is not None and (isinstance(mood, bool) or mood not in MOOD_RANGE):
        raise CareError("Mood is a number from 1 to 5.")
    if breath is not None:
        breath = Decimal(str(breath))
        if not breath.is_finite() or breath < 0 or breath > BREATH_ALCOHOL_MAX_MG_L:
            raise CareError(f"A breath-alcohol reading is between 0 and {BREATH_ALCOHOL_MAX_MG_L} mg/L; "
                            "check the number on the device.")
        values["breath_alcohol_mg_l"] = breath.quantize(Decimal("0.01"))
    if values.get("lapse_note") and not values.get("is_lapse"):
        values["is_lapse"] = True


@transaction.atomic
def save_checkin(patient: Patient, *, day: dt.date | None = None, **values: Any) -> CheckIn:
    """Create or update the check-in of ``day`` (default today, the patient's local day); then refresh flags."""
    today = patient_today(patient)
    day = today if day is None else day
    check_recent_day(day, today, what="a check-in")
    unknown = set(values) - set(CHECKIN_FIELDS)
    if unknown:
        raise CareError(f"Unknown check-in fields: {', '.join(sorted(unknown))}.")
    _validate(values)
    values["note"] = (values.get("note") or "")[:1000]
    values["lapse_note"] = (values.get("lapse_note") or "")[:500]
    checkin, _ = CheckIn.objects.update_or_create(patient=patient, day=day, defaults=values)
    from .flagging import refresh_flags

    refresh_flags(patient, today)
    return checkin


def today_checkin(patient: Patient, today: dt.date) -> CheckIn | None:
    return CheckIn.objects.filter(patient=patient, day=today).first()


@transaction.atomic
def take_dose_now(patient: Patient) -> tuple[Dose, bool]:
    """One tap: 'I took my tablet' (for targeted dosing: 'I took my tablet now', starting the countdown)."""
    dose, created = record_self_dose(patient)
    from .flagging import refresh_flags

    refresh_flags(patient, patient_today(patient))
    return dose, created


@transaction.atomic
def backfill_dose(patient: Patient, *, day: dt.date) -> tuple[Dose, bool]:
    """A dose the patient forgot to tap, for one of the last 7 days (never earlier, never the future)."""
    dose, created = record_self_dose(patient, day=day)
    from .flagging import refresh_flags

    refresh_flags(patient, patient_today(patient))
    return dose, created


@transaction.atomic
def record_first_drink(patient: Patient, *, at: dt.datetime | None = None) -> CheckIn:
    """Targeted dosing: the first drink of today's session (now, or a time earlier today)."""
    moment = at or now()
    today = patient_today(patient)
    if moment > now() + dt.timedelta(minutes=5):
        raise CareError("The first drink cannot be in the future.")
    if patient_today(patient, moment) != today:
        raise CareError("Record today's first drink only.")
    order = current_order(current_episode(patient))
    if order is None or order.regimen != RegimenName.TARGETED:
        raise CareError("This is for targeted dosing only.")
    checkin, _ = CheckIn.objects.get_or_create(patient=patient, day=today)
    checkin.drank = True
    if checkin.first_drink_at is None or moment < checkin.first_drink_at:
        checkin.first_drink_at = moment
    checkin.save(update_fields=["drank", "first_drink_at", "updated_at"])
    from .flagging import refresh_flags

    refresh_flags(patient, today)
    return checkin


def targeted_session(patient: Patient, today: dt.date) -> dict[str, Any] | None:
    """Today's targeted session: when the tablet was taken, the wait, the first drink and the gap."""
    order = current_order(current_episode(patient))
    if order is None or order.regimen != RegimenName.TARGETED:
        return None
    dose = Dose.objects.filter(patient=patient, taken_on=today, kind=DoseKind.SELF_REPORTED).first()
    checkin = today_checkin(patient, today)
    first_drink_at = checkin.first_drink_at if checkin else None
    gap_minutes = None
    if dose is not None and dose.time_taken and first_drink_at:
        gap_minutes = round((first_drink_at - dose.time_taken).total_seconds() / 60)
    return {"order": order, "minutes": order.minutes_before_drink, "dose": dose,
            "taken_at": dose.time_taken if dose else None, "first_drink_at": first_drink_at,
            "gap_minutes": gap_minutes,
            "wait_until": dose.time_taken + dt.timedelta(minutes=order.minutes_before_drink)
            if dose is not None and dose.time_taken else None}
