"""Recording doses: the patient's one-tap report, supervised tablets, injections and implants.

Every dose belongs to the patient's LOCAL day (naltrack.clinical.localtime). The first dose of an
episode passes the safety gate (naltrack.web.safety.gate.first_dose_block) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from naltrack.clinical.regimens import (
    InjectionSite,
    InvalidOrder,
    RegimenName,
    dose_due_on,
    get_regimen,
    next_injection_site,
)
from naltrack.web.accounts.access import role_labels
from naltrack.web.accounts.models import AuditAction, Patient, User

from ..models import Dose, DoseKind, Episode, MedicationOrder
from .common import CareError, audit, check_recent_day, now, patient_today
from .courses import current_episode, current_order

if TYPE_CHECKING:
    from django.http import HttpRequest

# Regimens whose tablets a patient takes at home and reports with one tap.
SELF_REPORTED_REGIMENS = frozenset({RegimenName.ORAL_DAILY, RegimenName.TARGETED, RegimenName.LOW_DOSE})
ORAL_REGIMENS = SELF_REPORTED_REGIMENS | {RegimenName.ORAL_SUPERVISED}
LOT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$")


class FirstDoseBlocked(CareError):
    """The safety screening says the first dose must wait; ``reason`` is its short explanation."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"The first dose cannot be recorded yet: {reason}")


def check_first_dose_gate(patient: Patient, episode: Episode) -> None:
    """Before an episode's FIRST dose, ask the safety gate; a reason refuses the dose (FirstDoseBlocked).

    The safety app owns the gate (imported here, not at module load, so the two apps load in any order).
    """
    if Dose.objects.filter(episode=episode).exists():
        return
    from naltrack.web.safety.gate import first_dose_block

    reason = first_dose_block(patient)
    if reason:
        raise FirstDoseBlocked(str(reason))


def _active_order(patient: Patient) -> tuple[Episode, MedicationOrder]:
    episode = current_episode(patient)
    order = current_order(episode)
    if episode is None or order is None:
        raise CareError("There is no current naltrexone order to record a dose against.")
    return episode, order


def _order_on(episode: Episode, day: dt.date) -> MedicationOrder | None:
    """The episode's order in force on ``day``."""
    for order in episode.orders.all().order_by("-starts_on", "-id"):
        if order.starts_on <= day and (order.ends_on is None or day <= order.ends_on):
            return order
    return None


def _due_mg(order: MedicationOrder, day: dt.date) -> float | None:
    try:
        return dose_due_on(order.as_core_order(), day)
    except InvalidOrder:
        return None


@transaction.atomic
def record_self_dose(patient: Patient, *, day: dt.date | None = None) -> tuple[Dose, bool]:
    """The patient's own report of a tablet taken: today with one tap (time recorded), or a recent day.

    Returns (dose, created); a second report for the same day changes nothing.
    """
    at = now()
    today = patient_today(patient, at)
    day = today if day is None else day
    check_recent_day(day, today)
    episode = current_episode(patient)
    if episode is None:
        raise CareError("You have no current naltrexone course to record a dose for.")
    existing = Dose.objects.filter(patient=patient, taken_on=day, kind=DoseKind.SELF_REPORTED).first()
    if existing is not None:
        return existing, False
    order = _order_on(episode, day)
    if order is None:
        raise CareError("Your course had not started on that day.")
    regimen = RegimenName(order.regimen)
    if regimen not in SELF_REPORTED_REGIMENS:
        raise CareError("Your doses are given at the clinic, which records them.")
    dose_mg = order.dose_mg if regimen is RegimenName.TARGETED else _due_mg(order, day)
    if dose_mg is None:
        raise CareError("No dose was due on that day under your current order.")
    check_first_dose_gate(patient, episode)
    dose = Dose(patient=patient, episode=episode, order=order, taken_on=day,
                time_taken=at if day == today else None, dose_mg=dose_mg, kind=DoseKind.SELF_REPORTED,
                formulation="oral")
    try:
        with transaction.atomic():
            dose.save()
    except IntegrityError:  # the same tap arrived twice at once
        return Dose.objects.get(patient=patient, taken_on=day, kind=DoseKind.SELF_REPORTED), False
    return dose, True


@transaction.atomic
def record_supervised_dose(patient: Patient, *, by: User, day: dt.date, dose_mg: float | None = None,
                           request: HttpRequest | None = None, via: str = "web") -> Dose:
    """A tablet dose given in front of staff, on the order's due dose for that day (or one the regimen uses)."""
    today = patient_today(patient)
    check_recent_day(day, today, staff=True)
    episode, _ = _active_order(patient)
    order = _order_on(episode, day)
    if order is None:
        raise CareError("No order was in force on that day.")
    regimen = get_regimen(order.regimen)
    if regimen.name not in ORAL_REGIMENS:
        raise CareError(f"The current order is {regimen.label.lower()}; record an injection or implant instead.")
    due_mg = order.dose_mg if regimen.name in (RegimenName.TARGETED, RegimenName.LOW_DOSE) else _due_mg(order, day)
    if dose_mg is None:
        dose_mg = due_mg
    allowed = {due_mg, *regimen.standard_doses_mg} - {None}
    if dose_mg is None or dose_mg not in allowed:
        choices = ", ".join(f"{mg:g} mg" for mg in sorted(allowed))  # type: ignore[type-var]
        raise CareError(f"{regimen.label} uses {choices}; {dose_mg if dose_mg is not None else 'no dose'} "
                        "is not one of them.")
    if Dose.objects.filter(patient=patient, taken_on=day, kind=DoseKind.SUPERVISED).exists():
        raise CareError("A supervised dose is already recorded for that day.")
    check_first_dose_gate(patient, episode)
    at = now()
    dose = Dose.objects.create(
        patient=patient, episode=episode, order=order, taken_on=day, time_taken=at if day == today else None,
        dose_mg=float(dose_mg), kind=DoseKind.SUPERVISED, formulation="oral", given_by=by,
        given_by_label=role_labels(by)[:160])
    audit(by, patient, AuditAction.CREATE, f"dose {dose.id}", detail=f"supervised {dose.dose_mg:g} mg",
          request=request, via=via)
    return dose


def last_injection(episode: Episode | None) -> Dose | None:
    if episode is None:
        return None
    return Dose.objects.filter(episode__patient=episode.patient, kind=DoseKind.INJECTION).order_by(
        "-taken_on", "-id").first()


def suggested_site(patient: Patient) -> InjectionSite:
    """The buttock for the next injection: the other one from the last (next_injection_site, S33)."""
    previous = Dose.objects.filter(patient=patient, kind=DoseKind.INJECTION).order_by("-taken_on", "-id").first()
    if previous is None or previous.site not in InjectionSite._value2member_map_:
        return InjectionSite.LEFT_GLUTEAL
    return next_injection_site(InjectionSite(previous.site))


@transaction.atomic
def record_injection(patient: Patient, *, by: User, day: dt.date, site: str, lot: str, expires_on: dt.date,
                     reactions: str = "", request: HttpRequest | None = None, via: str = "web") -> Dose:
    """An extended-release injection (or implant) given by staff: site, lot, expiry and reactions recorded.

    Refuses an expired lot, a future day, a second injection on one day, and a site the regimen does not use.
    The next injection is due 28 days after the day it was actually given (S33).
    """
    today = patient_today(patient)
    check_recent_day(day, today, what="an injection", staff=True)
    episode, _ = _active_order(patient)
    order = _order_on(episode, day)
    if order is None:
        raise CareError("No order was in force on that day.")
    regimen = RegimenName(order.regimen)
    if regimen not in (RegimenName.XR_INJECTION, RegimenName.IMPLANT):
        raise CareError("The order in force is not an injection or implant; record a tablet dose instead.")
    lot = lot.strip()
    if not LOT_PATTERN.match(lot):
        raise CareError("Enter the lot number as printed on the carton (letters, digits, '-', '/', '.').")
    if expires_on < day:
        raise CareError(f"Lot {lot} expired on {expires_on:%d %b %Y}: do not use it. Nothing was recorded.")
    site = site.strip()
    if regimen is RegimenName.XR_INJECTION and site not in InjectionSite._value2member_map_:
        raise CareError("Choose the left or right gluteal muscle for the injection.")
    if not site or len(site) > 20:
        raise CareError("Say where the implant was placed (up to 20 characters).")
    kind = DoseKind.INJECTION if regimen is RegimenName.XR_INJECTION else DoseKind.IMPLANT
    if Dose.objects.filter(patient=patient, taken_on=day, kind=kind).exists():
        raise CareError(f"An {kind.label.lower()} is already recorded for that day.")
    check_first_dose_gate(patient, episode)
    dose_mg = order.dose_mg
    assert dose_mg is not None  # the core refuses injection and implant orders without a dose
    dose = Dose.objects.create(
        patient=patient, episode=episode, order=order, taken_on=day, time_taken=now() if day == today else None,
        dose_mg=dose_mg, kind=kind, formulation="injection" if kind == DoseKind.INJECTION else "implant",
        site=site, lot=lot, expires_on=expires_on, reactions=reactions.strip()[:300], given_by=by,
        given_by_label=role_labels(by)[:160])
    audit(by, patient, AuditAction.CREATE, f"dose {dose.id}",
          detail=f"{kind.label.lower()} {dose_mg:g} mg, {site}, lot {lot}", request=request, via=via)
    return dose
