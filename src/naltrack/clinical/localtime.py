"""Patient-local day arithmetic: which calendar day an instant belongs to, wherever the patient lives.

A dose taken at 00:30 in Sydney belongs to that Sydney day, not to the UTC day before it; a dose
taken at 01:30 on the night clocks go back belongs to the same day as the 00:30 one. Every rule in
naltrack that speaks of "a day" (coverage, missed days, targeted dosing) means the patient's local
day, and this module is the one place that turns an instant into it. It reads the time-zone database
through ``zoneinfo`` (standard library) and never the clock: callers pass the instants in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "UnknownTimeZone",
    "hours_in_local_day",
    "local_day",
    "local_day_bounds",
    "local_days",
    "time_zone",
]


class UnknownTimeZone(ValueError):
    """The time-zone name is not in the time-zone database."""


def time_zone(tz_name: str) -> ZoneInfo:
    """The IANA time zone called ``tz_name`` (e.g. ``Europe/London``), or UnknownTimeZone."""
    if not isinstance(tz_name, str) or not tz_name.strip():
        raise UnknownTimeZone("a time-zone name such as 'Europe/London' is required")
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZone(f"unknown time zone {tz_name!r}") from exc


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("the instant must carry its UTC offset (a timezone-aware datetime)")


def local_day(instant: datetime, tz_name: str) -> date:
    """The calendar day, in the patient's time zone, on which the aware ``instant`` falls."""
    _require_aware(instant)
    return instant.astimezone(time_zone(tz_name)).date()


def local_days(instants: Iterable[datetime], tz_name: str) -> list[date]:
    """The patient-local day of each aware instant, in the order given."""
    zone = time_zone(tz_name)
    days: list[date] = []
    for instant in instants:
        _require_aware(instant)
        days.append(instant.astimezone(zone).date())
    return days


def local_day_bounds(day: date, tz_name: str) -> tuple[datetime, datetime]:
    """The first instant of ``day`` and of the next day in the patient's zone, both in UTC.

    An instant belongs to ``day`` exactly when ``start <= instant < end``. Where a zone skips local
    midnight (clocks jump forward at 00:00), the day starts at the first local time that exists.
    """
    zone = time_zone(tz_name)

    def first_instant(of_day: date) -> datetime:
        # A skipped local midnight (fold=0) maps to the transition instant itself, which is the
        # first existing moment of that day; an ordinary midnight maps to itself.
        return datetime.combine(of_day, time(0), tzinfo=zone).astimezone(UTC)

    return first_instant(day), first_instant(day + timedelta(days=1))


def hours_in_local_day(day: date, tz_name: str) -> float:
    """How many hours ``day`` lasts in the patient's zone: 24, or 23/25 (or 23.5…) around a clock change."""
    start, end = local_day_bounds(day, tz_name)
    return (end - start) / timedelta(hours=1)
