"""refresh_flags: recompute a patient's adherence snapshot and raise the care flags it calls for.

Called after every check-in and dose, by the ``refresh_flags`` management command (daily), and by the
demo. Flags are raised through care.flags.raise_flag; a flag once acknowledged is not raised again for
the same event (its dedupe key names the event: the last missed day, the injection, the dispense...).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from naltrack.clinical.adherence import has_missed_doses_recently
from naltrack.clinical.regimens import RegimenName
from naltrack.web.accounts.models import Patient

from ..flags import raise_flag
from ..models import Episode, EpisodeStatus, Flag, FlagSeverity
from .adherence import AdherenceSummary, store_snapshot, summarise_adherence
from .supply import SupplyStatus, supply_status

# Product choice (not a clinical rule): a patient with an app login and an active episode who has not
# checked in on any of the last 3 days gets a flag, so the team can reach out early.
NO_CHECKIN_DAYS = 3
_EVERY_DAY = frozenset({RegimenName.ORAL_DAILY, RegimenName.ORAL_SUPERVISED, RegimenName.LOW_DOSE})


def _raise_once(patient: Patient, key: str, **fields: str) -> Flag | None:
    """Raise a flag unless one with this key was ever raised (open or acknowledged)."""
    if Flag.objects.filter(patient=patient, dedupe_key=key).exists():
        return None
    return raise_flag(patient, dedupe_key=key, **fields)


@transaction.atomic
def refresh_flags(patient: Patient, today: dt.date) -> list[Flag]:
    """Update ``patient``'s adherence snapshot and raise missed-dose, overdue, check-in and refill flags."""
    summary = summarise_adherence(patient, today)
    episode, order = summary.episode, summary.order
    supply = supply_status(patient, episode, order, today) if episode is not None and episode.is_active else None
    store_snapshot(patient, summary, today=today, days_of_supply_left=supply.days_left if supply else None)
    if episode is None or episode.status != EpisodeStatus.ACTIVE or order is None:
        _resolve_stale(patient, summary, supply_key=None, today=today)
        return []
    chart = reverse("care:patient-chart", args=[patient.id])
    raised: list[Flag | None] = []
    regimen = RegimenName(order.regimen)
    yesterday = today - dt.timedelta(days=1)
    if regimen in _EVERY_DAY and yesterday >= order.starts_on:
        doses = summary.doses_by_order.get(order.id, [])
        if has_missed_doses_recently(order.as_core_order(), doses, today=yesterday):
            last_missed = max(summary.missed) if summary.missed else yesterday
            raised.append(_raise_once(
                patient, f"missed_doses:{order.id}:{last_missed}", kind="missed_doses",
                severity=FlagSeverity.WARNING, title=f"Missed doses: {summary.missed_last_7} of the last 7 days",
                detail="Two or more of the last seven daily doses were not recorded (a product default).",
                source="naltrack-policy:adherence", link=f"{chart}#adherence"))
    if regimen is RegimenName.XR_INJECTION and summary.is_injection_overdue:
        raised.append(_raise_once(
            patient, f"injection_overdue:{episode.id}:{summary.last_injection_on}", kind="injection_overdue",
            severity=FlagSeverity.URGENT,
            title=f"Injection overdue (was due {summary.injection_due_on:%d %b %Y})",
            detail="Give the next injection as soon as possible (S39); blockade fades after about 28 days.",
            source="S33", link=f"{chart}#injections"))
    raised.append(_no_checkin_flag(patient, summary.last_checkin_on, episode.started_on, today, chart))
    refill_key = _refill_key(episode, supply)
    if supply is not None and refill_key is not None:
        raised.append(_raise_once(
            patient, refill_key, kind="refill_due",
            severity=FlagSeverity.INFO if supply.days_left else FlagSeverity.WARNING,
            title=f"Refill due: about {supply.days_left} days of tablets left",
            detail=f"Supply runs out around {supply.runs_out_on:%d %b %Y}.", source="",
            link=f"{chart}#supply"))
    _resolve_stale(patient, summary, supply_key=_refill_key(episode, supply), today=today)
    return [flag for flag in raised if flag is not None]


# Flags whose condition can end by itself: once it has, refresh_flags closes them with a note, so the
# caseload does not sort by something already fixed. Missed doses stay until a clinician acknowledges them.
AUTO_RESOLVED_KINDS = ("injection_overdue", "no_checkin", "refill_due")


def _refill_key(episode: Episode, supply: SupplyStatus | None) -> str | None:
    if supply is None or not supply.is_refill_due:
        return None
    latest = episode.dispenses.order_by("-dispensed_on", "-id").first()
    return f"refill_due:{episode.id}:{latest.id if latest else 0}"


def _resolve_stale(patient: Patient, summary: AdherenceSummary, *, supply_key: str | None,
                   today: dt.date) -> None:
    episode = summary.episode
    still_true = {
        "injection_overdue": f"injection_overdue:{episode.id}:{summary.last_injection_on}"
        if episode is not None and summary.is_injection_overdue else None,
        "refill_due": supply_key,
    }
    last = summary.last_checkin_on
    for flag in Flag.objects.filter(patient=patient, kind__in=AUTO_RESOLVED_KINDS, acknowledged_at__isnull=True):
        if flag.kind == "no_checkin":
            is_stale = last is not None and last >= today - dt.timedelta(days=NO_CHECKIN_DAYS)
        else:
            is_stale = flag.dedupe_key != still_true[flag.kind]
        if is_stale:
            flag.acknowledged_at = timezone.now()
            flag.acknowledgement_note = "Resolved automatically: the condition no longer holds."
            flag.save(update_fields=["acknowledged_at", "acknowledgement_note"])


def _no_checkin_flag(patient: Patient, last: dt.date | None, started_on: dt.date, today: dt.date,
                     chart: str) -> Flag | None:
    if patient.user_id is None:
        return None
    since = last or started_on
    if since >= today - dt.timedelta(days=NO_CHECKIN_DAYS):
        return None
    return _raise_once(
        patient, f"no_checkin:{since}", kind="no_checkin", severity=FlagSeverity.INFO,
        title=f"No check-in since {since:%d %b %Y}" if last else "No check-in yet",
        detail=f"No daily check-in on any of the last {NO_CHECKIN_DAYS} days (a product default).",
        link=f"{chart}#checkins")


def adherence_for(patient: Patient, today: dt.date) -> AdherenceSummary:
    """The adherence summary pages and the API show (same core functions as the CLI)."""
    return summarise_adherence(patient, today)
