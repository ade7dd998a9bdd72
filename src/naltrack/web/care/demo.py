"""Demo-clinic stage of the care capability: courses, doses, injections, check-ins, supply and flags.

A mix of alcohol (daily tablet, targeted) and opioid (monthly injection, some supervised tablets)
episodes with good, patchy and lapsed adherence; injections on time and late; some ended episodes;
check-ins for the patients with logins (``patient`` gets three lively weeks on a daily tablet); supply;
then refresh_flags so the caseload shows flags. Everything is drawn from context.rng("care").
"""

from __future__ import annotations

import datetime as dt
import random
from typing import cast
from zoneinfo import ZoneInfo

from django.utils import timezone

from naltrack.clinical.regimens import (
    InjectionSite,
    RegimenName,
    SupervisedPattern,
    dose_due_on,
    next_injection_site,
)
from naltrack.web.accounts.models import Patient, User
from naltrack.web.demo import DemoContext

from .models import (
    CheckIn,
    ClinicStock,
    Dispense,
    Dose,
    DoseKind,
    EndReason,
    Episode,
    EpisodeGoal,
    EpisodeStatus,
    MedicationOrder,
    StockProduct,
)
from .services.courses import default_planned_weeks
from .services.flagging import refresh_flags

DAY = dt.timedelta(days=1)
TAKE_PROBABILITY = {"good": 0.96, "patchy": 0.72, "lapsed": 0.9}
NOTES = ("Busy day at work.", "Went for a walk after dinner.", "Slept badly.", "Felt steady today.",
         "Saw friends, had soda water.", "Craving after an argument; called my sponsor.", "")
LAPSE_NOTES = ("A wedding; I did not plan ahead.", "Stress at work and I was alone at home.")


def _at(day: dt.date, hour: int, minute: int, zone: ZoneInfo) -> dt.datetime:
    """A local time on ``day``, never later than now (the demo's last day is the patient's today)."""
    return min(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone), timezone.now())


class _Builder:
    def __init__(self, context: DemoContext) -> None:
        self.context = context
        self.rng: random.Random = context.rng("care")
        self.today = context.today
        self.episodes: list[Episode] = []
        self.plans: list[tuple[Patient, Episode, dict[str, object]]] = []
        self.doses: list[Dose] = []
        self.checkins: list[CheckIn] = []
        self.dispenses: list[Dispense] = []
        staff = context.staff
        self.prescriber: dict[int, User | None] = {clinic.id: None for clinic in context.clinics}
        self.nurse: dict[int, User | None] = {clinic.id: None for clinic in context.clinics}
        for user in staff.values():
            for membership in user.memberships.all():
                if membership.role == "prescriber":
                    self.prescriber[membership.clinic_id] = user
                if membership.role == "nurse":
                    self.nurse[membership.clinic_id] = user

    # -- plan episodes ---------------------------------------------------------------------------
    def plan(self, patient: Patient) -> None:
        rng, today = self.rng, self.today
        username = patient.user.username if patient.user_id and patient.user else ""
        if username == "patient":
            profile, indication, regimen, days_ago, ended = "good", "alcohol", RegimenName.ORAL_DAILY, 40, False
        elif username == "patient2":
            profile, indication, regimen, days_ago, ended = "good", "opioid", RegimenName.XR_INJECTION, 75, False
        else:
            if rng.random() < 0.12:
                return  # recently enrolled, no course yet
            indication = "alcohol" if rng.random() < 0.6 else "opioid"
            pick = rng.random()
            if indication == "alcohol":
                regimen = (RegimenName.ORAL_DAILY if pick < 0.55 else RegimenName.TARGETED if pick < 0.8
                           else RegimenName.XR_INJECTION)
            else:
                regimen = (RegimenName.XR_INJECTION if pick < 0.6 else RegimenName.ORAL_SUPERVISED if pick < 0.85
                           else RegimenName.ORAL_DAILY)
            profile = rng.choices(["good", "patchy", "lapsed"], weights=[55, 30, 15])[0]
            days_ago = rng.randint(8, 220)
            ended = rng.random() < 0.15 and days_ago > 30
        start = max(patient.enrolled_on, today - dt.timedelta(days=days_ago))
        if start >= today:
            start = today - dt.timedelta(days=3)
        end = None
        if ended:
            end = start + dt.timedelta(days=rng.randint(21, max(22, (today - start).days - 2)))
            end = min(end, today - DAY)
        clinic_id = patient.clinic_id
        episode = Episode(
            patient=patient, indication=indication,
            goal=EpisodeGoal.REDUCED_DRINKING if regimen is RegimenName.TARGETED else EpisodeGoal.ABSTINENCE,
            started_on=start, planned_weeks=default_planned_weeks(indication),
            status=EpisodeStatus.ENDED if end else EpisodeStatus.ACTIVE, ended_on=end,
            end_reason=rng.choice([EndReason.COMPLETED, EndReason.PATIENT_CHOICE, EndReason.LOST_TO_FOLLOW_UP,
                                   EndReason.SIDE_EFFECTS]) if end else "",
            overdose_risk_explained=bool(end), started_by=self.prescriber[clinic_id],
            ended_by=self.prescriber[clinic_id] if end else None)
        self.episodes.append(episode)
        self.plans.append((patient, episode, {"regimen": regimen, "profile": profile, "end": end,
                                              "username": username}))

    # -- orders and history ----------------------------------------------------------------------
    def order_for(self, episode: Episode, regimen: RegimenName, end: dt.date | None) -> MedicationOrder:
        fields: dict[str, object] = {}
        if regimen in (RegimenName.ORAL_DAILY, RegimenName.TARGETED):
            fields["dose_mg"] = 50.0
        elif regimen is RegimenName.XR_INJECTION:
            fields["dose_mg"] = 380.0
        elif regimen is RegimenName.ORAL_SUPERVISED:
            fields["pattern"] = self.rng.choice([SupervisedPattern.WEEKDAYS_50_SATURDAY_100.value,
                                                 SupervisedPattern.EVERY_SECOND_DAY_100.value])
        return MedicationOrder(episode=episode, patient=episode.patient, regimen=regimen.value,
                               starts_on=episode.started_on, ends_on=end, is_current=end is None,
                               prescribed_by=episode.started_by, **fields)

    def history(self, patient: Patient, episode: Episode, order: MedicationOrder, plan: dict[str, object]) -> None:
        regimen: RegimenName = plan["regimen"]  # type: ignore[assignment]
        profile: str = plan["profile"]  # type: ignore[assignment]
        zone = ZoneInfo(patient.time_zone)
        # The history ends on the patient's own today, which may still be yesterday on the server.
        rng, today = self.rng, min(self.today, timezone.now().astimezone(zone).date())
        last = min(cast(dt.date, plan["end"] or today), today)
        span = (last - episode.started_on).days
        stop_after = episode.started_on + dt.timedelta(days=int(span * rng.uniform(0.3, 0.7))) \
            if profile == "lapsed" else None
        nurse = self.nurse[patient.clinic_id]
        core = order.as_core_order()
        has_login = bool(plan["username"])
        checkin_days = 21 if plan["username"] == "patient" else (rng.randint(5, 18) if has_login else 0)
        if regimen is RegimenName.XR_INJECTION:
            day, site = episode.started_on, InjectionSite.LEFT_GLUTEAL
            while day <= last and (stop_after is None or day <= stop_after):
                self.doses.append(Dose(
                    patient=patient, episode=episode, order=order, taken_on=day, dose_mg=380.0,
                    kind=DoseKind.INJECTION, formulation="injection", site=site.value,
                    lot=f"DEMO{rng.randint(1000, 9999)}", expires_on=day + dt.timedelta(days=rng.randint(60, 400)),
                    given_by=nurse, given_by_label=nurse.full_name if nurse else "",
                    time_taken=_at(day, rng.randint(9, 16), rng.choice([0, 15, 30, 45]), zone),
                    reactions=rng.choice(["", "", "", "mild soreness at the site"])))
                late = rng.randint(0, 2) if profile == "good" else rng.randint(2, 12)
                day += dt.timedelta(days=28 + late)
                site = next_injection_site(site)
        else:
            day = episode.started_on
            while day <= last:
                lapsed = stop_after is not None and day > stop_after
                is_recent_checkin = has_login and (today - day).days < checkin_days
                drank = regimen is RegimenName.TARGETED and rng.random() < 0.35
                if regimen is RegimenName.TARGETED:
                    if drank and not lapsed and rng.random() < TAKE_PROBABILITY[profile]:
                        taken = _at(day, rng.randint(17, 19), rng.choice([0, 10, 20, 30]), zone)
                        self.doses.append(Dose(patient=patient, episode=episode, order=order, taken_on=day,
                                               time_taken=taken, dose_mg=50.0, kind=DoseKind.SELF_REPORTED,
                                               formulation="oral"))
                elif regimen is RegimenName.ORAL_SUPERVISED:
                    due = dose_due_on(core, day)
                    if due and not lapsed and rng.random() < TAKE_PROBABILITY[profile]:
                        self.doses.append(Dose(patient=patient, episode=episode, order=order, taken_on=day,
                                               dose_mg=due, kind=DoseKind.SUPERVISED, formulation="oral",
                                               given_by=nurse, given_by_label=nurse.full_name if nurse else ""))
                else:
                    due = dose_due_on(core, day)
                    skip_today = day == today and rng.random() < 0.5
                    if due and not lapsed and not skip_today and rng.random() < TAKE_PROBABILITY[profile]:
                        self.doses.append(Dose(
                            patient=patient, episode=episode, order=order, taken_on=day, dose_mg=due,
                            kind=DoseKind.SELF_REPORTED, formulation="oral",
                            time_taken=_at(day, rng.randint(7, 10), rng.randint(0, 59), zone) if has_login else None))
                if is_recent_checkin and day < today and not lapsed:
                    self.checkins.append(self.checkin(patient, day, zone, drank, profile))
                day += DAY
        if regimen in (RegimenName.ORAL_DAILY, RegimenName.TARGETED):
            day = episode.started_on
            while day <= last:
                tablets = 28 if regimen is RegimenName.ORAL_DAILY else 14
                self.dispenses.append(Dispense(patient=patient, episode=episode, tablets=tablets + rng.randint(-4, 2),
                                               dispensed_on=day, dispensed_by=nurse))
                day += dt.timedelta(days=tablets)

    def checkin(self, patient: Patient, day: dt.date, zone: ZoneInfo, drank: bool, profile: str) -> CheckIn:
        rng = self.rng
        lapse = profile != "good" and rng.random() < 0.08
        return CheckIn(
            patient=patient, day=day, craving=max(0, min(10, int(rng.gauss(3 if profile == "good" else 5, 2)))),
            opioid_use=not rng.random() < 0.97, mood=rng.choice([2, 3, 3, 4, 4, 5]),
            note=rng.choice(NOTES), is_lapse=lapse, lapse_note=rng.choice(LAPSE_NOTES) if lapse else "",
            drank=drank, first_drink_at=_at(day, rng.randint(18, 21), rng.choice([0, 15, 30]), zone) if drank else None)

    def build(self) -> None:
        for patient in self.context.patients:
            self.plan(patient)
        Episode.objects.bulk_create(self.episodes, batch_size=500)
        orders = [self.order_for(episode, plan["regimen"], plan["end"])  # type: ignore[arg-type]
                  for _, episode, plan in self.plans]
        MedicationOrder.objects.bulk_create(orders, batch_size=500)
        for (patient, episode, plan), order in zip(self.plans, orders, strict=True):
            self.history(patient, episode, order, plan)
        Dose.objects.bulk_create(self.doses, batch_size=1000)
        CheckIn.objects.bulk_create(self.checkins, batch_size=1000)
        Dispense.objects.bulk_create(self.dispenses, batch_size=1000)
        stock = []
        for index, clinic in enumerate(self.context.clinics):
            stock += [
                ClinicStock(clinic=clinic, product=StockProduct.TABLETS_50MG, on_hand=1200 if index == 0 else 300,
                            counted_on=self.today),
                ClinicStock(clinic=clinic, product=StockProduct.INJECTIONS, on_hand=6 if index == 0 else 10,
                            counted_on=self.today),
            ]
        ClinicStock.objects.bulk_create(stock)
        for patient, _, _ in self.plans:
            refresh_flags(patient, self.today)


def build(context: DemoContext) -> None:
    """Add treatment courses, doses, check-ins, supply and flags to the demo clinic."""
    _Builder(context).build()
