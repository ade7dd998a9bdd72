"""Episodes of care and naltrexone orders: start, edit and end an episode; write an order."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from naltrack.clinical.regimens import (
    Indication,
    InvalidOrder,
    RegimenName,
    SupervisedPattern,
    WeeklyDose,
    get_regimen,
    planned_episode,
    validate_order,
)
from naltrack.clinical.regimens import Order as CoreOrder
from naltrack.web.accounts.models import AuditAction, Patient, User

from ..models import EndReason, Episode, EpisodeIndication, EpisodeStatus, MedicationOrder
from .common import CareError, audit

if TYPE_CHECKING:
    from django.http import HttpRequest

# An episode start or end more than this far from today is a typing mistake (a product guard).
EPISODE_DATE_SLACK_DAYS = 366
MAX_PLANNED_WEEKS = 520


def current_episode(patient: Patient) -> Episode | None:
    """The patient's active episode, if any."""
    return Episode.objects.filter(patient=patient, status=EpisodeStatus.ACTIVE).first()


def latest_episode(patient: Patient) -> Episode | None:
    """The active episode, or else the most recently ended one."""
    return current_episode(patient) or Episode.objects.filter(patient=patient).order_by(
        "-ended_on", "-started_on", "-id").first()


def current_order(episode: Episode | None) -> MedicationOrder | None:
    if episode is None:
        return None
    return episode.orders.filter(is_current=True).select_related("episode").first()


def default_planned_weeks(indication: str) -> int | None:
    """The core's default episode length (about 12 weeks for alcohol; open-ended for opioids)."""
    if indication not in (Indication.ALCOHOL, Indication.OPIOID):
        return None
    # The regimen does not change the default; oral-daily serves both indications.
    return planned_episode(RegimenName.ORAL_DAILY, Indication(indication)).weeks


def _check_episode_dates(started_on: dt.date, today: dt.date, planned_weeks: int | None) -> None:
    if abs((started_on - today).days) > EPISODE_DATE_SLACK_DAYS:
        raise CareError("The start date must be within a year of today.")
    if planned_weeks is not None and not (1 <= planned_weeks <= MAX_PLANNED_WEEKS):
        raise CareError(f"The planned length must be between 1 and {MAX_PLANNED_WEEKS} weeks, or empty.")


@transaction.atomic
def start_episode(patient: Patient, *, by: User, indication: str, goal: str, started_on: dt.date,
                  today: dt.date, planned_weeks: int | None = None, use_default_length: bool = True,
                  request: HttpRequest | None = None, via: str = "web") -> Episode:
    """Open a new episode of care (prescribers); one active episode per patient."""
    if indication not in EpisodeIndication.values:
        raise CareError("Choose alcohol, opioid or other as the indication.")
    if planned_weeks is None and use_default_length:
        planned_weeks = default_planned_weeks(indication)
    _check_episode_dates(started_on, today, planned_weeks)
    if Episode.objects.select_for_update().filter(patient=patient, status=EpisodeStatus.ACTIVE).exists():
        raise CareError("This patient already has an active episode: end it before starting another.")
    episode = Episode(patient=patient, indication=indication, goal=goal, started_on=started_on,
                      planned_weeks=planned_weeks, started_by=by)
    try:
        with transaction.atomic():
            episode.save()
    except IntegrityError:
        raise CareError("This patient already has an active episode.") from None
    audit(by, patient, AuditAction.CREATE, f"episode {episode.id}", detail=episode.get_indication_display(),
          request=request, via=via)
    return episode


@transaction.atomic
def update_episode(episode: Episode, *, by: User, goal: str, started_on: dt.date, planned_weeks: int | None,
                   today: dt.date, request: HttpRequest | None = None, via: str = "web") -> Episode:
    """Change an active episode's goal, start or planned length."""
    if not episode.is_active:
        raise CareError("An ended episode cannot be changed.")
    _check_episode_dates(started_on, today, planned_weeks)
    first_order = episode.orders.order_by("starts_on").first()
    if first_order is not None and started_on > first_order.starts_on:
        raise CareError("The episode cannot start after its first order.")
    episode.goal, episode.started_on, episode.planned_weeks = goal, started_on, planned_weeks
    episode.save(update_fields=["goal", "started_on", "planned_weeks"])
    audit(by, episode.patient, AuditAction.UPDATE, f"episode {episode.id}", request=request, via=via)
    return episode


@transaction.atomic
def end_episode(episode: Episode, *, by: User, ended_on: dt.date, reason: str, note: str = "",
                overdose_risk_explained: bool, today: dt.date, request: HttpRequest | None = None,
                via: str = "web") -> Episode:
    """End an episode with its reason; refused unless the loss-of-tolerance risk was explained (S2, S1, S46)."""
    if not episode.is_active:
        raise CareError("This episode has already ended.")
    if overdose_risk_explained is not True:
        raise CareError("Confirm that you explained the overdose risk from lost opioid tolerance before "
                        "ending the episode.")
    if reason not in EndReason.values:
        raise CareError("Choose a reason for ending the episode.")
    if ended_on < episode.started_on or ended_on > today:
        raise CareError("The end date must lie between the episode's start and today.")
    episode.status, episode.ended_on, episode.end_reason = EpisodeStatus.ENDED, ended_on, reason
    episode.end_note, episode.overdose_risk_explained, episode.ended_by = note[:300], True, by
    episode.save()
    for order in episode.orders.filter(is_current=True):
        order.is_current = False
        if order.ends_on is None or order.ends_on > ended_on:
            order.ends_on = max(order.starts_on, ended_on)
        order.save(update_fields=["is_current", "ends_on"])
    audit(by, episode.patient, AuditAction.UPDATE, f"episode {episode.id}",
          detail=f"ended: {episode.get_end_reason_display()}", request=request, via=via)
    return episode


def build_core_order(episode: Episode, *, regimen: str, starts_on: dt.date, dose_mg: float | None = None,
                     pattern: str = "", weekly_doses: list[tuple[int, float]] | None = None,
                     implant_duration_days: int | None = None,
                     minutes_before_drink: int | None = None) -> CoreOrder:
    """The core Order these fields describe, validated by the core (InvalidOrder → CareError)."""
    try:
        name = get_regimen(regimen).name
        indication = None if episode.indication == EpisodeIndication.OTHER else Indication(episode.indication)
        order = CoreOrder(
            regimen=name, start=starts_on, indication=indication, dose_mg=dose_mg,
            pattern=SupervisedPattern(pattern) if pattern else None,
            weekly_doses=tuple(WeeklyDose(weekday=d, dose_mg=mg) for d, mg in (weekly_doses or [])),
            implant_duration_days=implant_duration_days,
        )
        if minutes_before_drink is not None:
            order = replace(order, minutes_before_drink=minutes_before_drink)
        validate_order(order)
    except (InvalidOrder, ValueError) as exc:
        raise CareError(_sentence(str(exc))) from None
    return order


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


@transaction.atomic
def write_order(episode: Episode, *, by: User, regimen: str, starts_on: dt.date, today: dt.date,
                dose_mg: float | None = None, pattern: str = "", weekly_doses: list[tuple[int, float]] | None = None,
                implant_duration_days: int | None = None, minutes_before_drink: int | None = None,
                note: str = "", request: HttpRequest | None = None, via: str = "web") -> MedicationOrder:
    """Write an order in an active episode; the previous current order ends the day before this one starts."""
    if not episode.is_active:
        raise CareError("Orders can only be written in an active episode.")
    if starts_on < episode.started_on:
        raise CareError("The order cannot start before the episode.")
    if abs((starts_on - today).days) > EPISODE_DATE_SLACK_DAYS:
        raise CareError("The order must start within a year of today.")
    core = build_core_order(episode, regimen=regimen, starts_on=starts_on, dose_mg=dose_mg, pattern=pattern,
                            weekly_doses=weekly_doses, implant_duration_days=implant_duration_days,
                            minutes_before_drink=minutes_before_drink)
    for previous in episode.orders.select_for_update().filter(is_current=True):
        if previous.starts_on > starts_on:
            raise CareError(f"The current order starts on {previous.starts_on}; a new order cannot start "
                            "before it.")
        previous.is_current = False
        previous.ends_on = max(previous.starts_on, starts_on - dt.timedelta(days=1))
        previous.save(update_fields=["is_current", "ends_on"])
    order = MedicationOrder.objects.create(
        episode=episode, patient=episode.patient, regimen=core.regimen.value, dose_mg=core.dose_mg,
        pattern=core.pattern.value if core.pattern else "",
        weekly_doses=[[d.weekday, d.dose_mg] for d in core.weekly_doses],
        implant_duration_days=core.implant_duration_days, minutes_before_drink=core.minutes_before_drink,
        starts_on=starts_on, note=note[:300], prescribed_by=by,
    )
    audit(by, episode.patient, AuditAction.CREATE, f"order {order.id}",
          detail=f"{core.regimen.value}" + (f" {core.dose_mg:g} mg" if core.dose_mg else ""),
          request=request, via=via)
    return order


def order_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The order keyword arguments out of a cleaned form or API payload (unused keys dropped)."""
    keys = ("regimen", "starts_on", "dose_mg", "pattern", "weekly_doses", "implant_duration_days",
            "minutes_before_drink", "note")
    return {key: data[key] for key in keys if key in data and data[key] not in (None, "")}
