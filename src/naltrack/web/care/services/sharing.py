"""Private, revocable links: the patient's reminder calendar and a support person's missed-dose notices.

Each link carries a random secret; only its SHA-256 is stored, so the link is shown once (regenerate it
to see a new one). Revoking answers 404 from then on. Nothing is sent anywhere: the phone's calendar or
the support person's browser fetches the feed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from naltrack.clinical.adherence import compute_adherence
from naltrack.clinical.regimens import InvalidOrder, RegimenName, get_regimen, injection_window, scheduled_dates
from naltrack.web.accounts.models import Patient

from ..models import CalendarFeed, Dose, DoseKind, SupportPerson
from .adherence import taken_doses
from .common import CareError, now
from .courses import current_episode, current_order
from .doses import last_injection

UPCOMING_DAYS = 60
NOTICE_DAYS = 14
TOKEN_BYTES = 32
MAX_SUPPORT_PEOPLE = 3


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, _hash(token)


# --- Reminder feed -------------------------------------------------------------------------------

@transaction.atomic
def issue_calendar_feed(patient: Patient) -> str:
    """A new private feed address token for ``patient``; any previous address stops working."""
    CalendarFeed.objects.filter(patient=patient, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token, token_hash = _new_token()
    CalendarFeed.objects.create(patient=patient, token_hash=token_hash)
    return token


def revoke_calendar_feed(patient: Patient) -> int:
    return CalendarFeed.objects.filter(patient=patient, revoked_at__isnull=True).update(revoked_at=timezone.now())


def has_calendar_feed(patient: Patient) -> bool:
    return CalendarFeed.objects.filter(patient=patient, revoked_at__isnull=True).exists()


def patient_for_feed(token: str) -> Patient | None:
    feed = CalendarFeed.objects.select_related("patient").filter(
        token_hash=_hash(token), revoked_at__isnull=True).first()
    return feed.patient if feed is not None and feed.patient.is_active else None


@dataclass(frozen=True)
class Upcoming:
    """One reminder: a dose day or an injection appointment."""

    day: dt.date
    kind: str  # "dose", "injection", "implant"
    title: str
    detail: str


def upcoming_events(patient: Patient, today: dt.date, *, days: int = UPCOMING_DAYS) -> list[Upcoming]:
    """Dose days and injection appointments in the next ``days`` days, from the core's schedule."""
    episode = current_episode(patient)
    order = current_order(episode)
    if order is None:
        return []
    regimen = get_regimen(order.regimen)
    if regimen.name is RegimenName.TARGETED:
        return []  # targeted tablets follow drinking, not the calendar
    last = last_injection(episode)
    end = today + dt.timedelta(days=days - 1)
    try:
        dates = scheduled_dates(order.as_core_order(), today, end,
                                last_injection=last.taken_on if last is not None else None)
    except (InvalidOrder, ValueError):
        return []
    if regimen.name is RegimenName.XR_INJECTION:
        if last is not None and injection_window(last.taken_on).overdue_from <= today and today not in dates:
            dates = [today, *dates]  # overdue: the next one is due now (S39)
        return [Upcoming(day, "injection", "Injection appointment", "Your monthly naltrexone injection is due.")
                for day in dates]
    if regimen.name is RegimenName.IMPLANT:
        return [Upcoming(day, "implant", "Implant review", "Your implant's expected duration ends.")
                for day in dates if day > order.starts_on]
    taken = set(Dose.objects.filter(patient=patient, taken_on__gte=today, kind=DoseKind.SELF_REPORTED)
                .values_list("taken_on", flat=True))
    return [Upcoming(day, "dose", "Naltrexone dose", "Take your naltrexone and tap 'I took it' in naltrack.")
            for day in dates if day not in taken]


def reminder_calendar(patient: Patient, today: dt.date, *, feed_id: str) -> bytes:
    """The reminder feed as iCalendar (all-day events with a 9:00 alarm)."""
    calendar = _calendar("naltrack reminders")
    stamp = now()
    for item in upcoming_events(patient, today):
        event = Event()
        event.add("uid", f"{item.kind}-{item.day:%Y%m%d}-{feed_id}@naltrack")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", f"naltrack: {item.title.lower()}")
        event.add("description", f"{item.detail} naltrack supports, and does not replace, your care team.")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.title)
        alarm.add("trigger", dt.timedelta(hours=9))
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//naltrack//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


# --- Support person ------------------------------------------------------------------------------

@transaction.atomic
def add_support_person(patient: Patient, *, name: str, relationship: str) -> tuple[SupportPerson, str]:
    """Name a support person; returns the person and the secret for their link (shown once)."""
    name, relationship = name.strip(), relationship.strip()
    if not name or len(name) > 80:
        raise CareError("Enter their name (up to 80 characters).")
    if not relationship or len(relationship) > 60:
        raise CareError("Say how they relate to you (up to 60 characters), e.g. partner, friend, sponsor.")
    if SupportPerson.objects.filter(patient=patient, revoked_at__isnull=True).count() >= MAX_SUPPORT_PEOPLE:
        raise CareError(f"You can name up to {MAX_SUPPORT_PEOPLE} support people; stop sharing with one first.")
    token, token_hash = _new_token()
    person = SupportPerson.objects.create(patient=patient, name=name, relationship=relationship,
                                          token_hash=token_hash)
    return person, token


def revoke_support_person(patient: Patient, person_id: int) -> bool:
    """Stop sharing with one of ``patient``'s own support people; their link then answers 404."""
    return bool(SupportPerson.objects.filter(pk=person_id, patient=patient, revoked_at__isnull=True)
                .update(revoked_at=timezone.now()))


def support_person_for_token(token: str) -> SupportPerson | None:
    return SupportPerson.objects.select_related("patient").filter(
        token_hash=_hash(token), revoked_at__isnull=True, patient__is_active=True).first()


@dataclass(frozen=True)
class Notice:
    day: dt.date
    text: str  # "Missed dose" or "Missed injection": nothing else


def missed_notices(patient: Patient, today: dt.date, *, days: int = NOTICE_DAYS) -> list[Notice]:
    """Missed-dose and missed-injection notices of the last ``days`` completed days (core's adherence)."""
    episode = current_episode(patient)
    if episode is None:
        return []
    end = today - dt.timedelta(days=1)
    start = today - dt.timedelta(days=days)
    notices: list[Notice] = []
    for order in episode.orders.select_related("episode").all():
        first = max(start, order.starts_on)
        last = min(end, order.ends_on or end)
        if last < first:
            continue
        regimen = RegimenName(order.regimen)
        doses = taken_doses(list(Dose.objects.filter(patient=patient, order=order)))
        if regimen is RegimenName.XR_INJECTION:
            earlier = Dose.objects.filter(patient=patient, kind=DoseKind.INJECTION, taken_on__lt=first)
            doses += taken_doses(list(earlier.exclude(order=order)))
        report = compute_adherence(order.as_core_order(), first, last, doses)
        notices += [Notice(day, "Missed dose") for day in report.missed]
        if report.overdue:
            notices.append(Notice(report.overdue[0], "Missed injection"))
    return sorted(notices, key=lambda notice: notice.day, reverse=True)


def notices_calendar(person: SupportPerson, today: dt.date) -> bytes:
    calendar = _calendar("Missed-dose notices")
    stamp = now()
    for notice in missed_notices(person.patient, today):
        event = Event()
        event.add("uid", f"notice-{notice.day:%Y%m%d}-{notice.text.split()[-1].lower()}-{person.id}@naltrack")
        event.add("dtstamp", stamp)
        event.add("dtstart", notice.day)
        event.add("dtend", notice.day + dt.timedelta(days=1))
        event.add("summary", notice.text)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
