"""Hypothesis strategies for treatment courses: windows, doses, orders and instants around clock changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from naltrack.clinical.adherence import TakenDose
from naltrack.clinical.regimens import (
    EXAMPLE_THREE_TIMES_WEEKLY,
    Indication,
    Order,
    RegimenName,
    SupervisedPattern,
)

FIRST_DAY = date(2020, 1, 1)
LAST_DAY = date(2030, 12, 31)

# Zones with daylight saving on both hemispheres, plus half-hour offsets (Adelaide shifts by an hour
# from +9:30; Lord Howe shifts by only half an hour) and Kolkata, a half-hour zone without DST.
DST_ZONES = (
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
)

# Oral amounts around the coverage steps, plus arbitrary positive amounts.
ORAL_DOSES_MG = st.one_of(
    st.sampled_from([25.0, 50.0, 51.0, 100.0, 150.0, 200.0]),
    st.floats(min_value=0.5, max_value=400.0, allow_nan=False, allow_infinity=False),
)


@st.composite
def windows(draw: st.DrawFn, max_days: int = 120) -> tuple[date, date]:
    """An inclusive (start, end) window of 1 to ``max_days`` days."""
    start = draw(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
    length = draw(st.integers(min_value=1, max_value=max_days))
    return start, start + timedelta(days=length - 1)


def doses_around(start: date, end: date, doses_mg: st.SearchStrategy[float] = ORAL_DOSES_MG,
                 min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[list[TakenDose]]:
    """Doses on days from a month before ``start`` to a few days after ``end``."""
    day = st.dates(min_value=start - timedelta(days=35), max_value=end + timedelta(days=3))
    dose = st.builds(TakenDose, day=day, dose_mg=doses_mg)
    return st.lists(dose, min_size=min_size, max_size=max_size)


# Regimens that need nothing beyond a name to compute adherence.
NAMED_REGIMENS = st.sampled_from([
    RegimenName.ORAL_DAILY, RegimenName.ORAL_SUPERVISED, RegimenName.XR_INJECTION,
    RegimenName.TARGETED, RegimenName.LOW_DOSE,
])


@st.composite
def followed_orders(draw: st.DrawFn, window_start: date) -> Order:
    """A valid dose-based order that started at least a week before ``window_start``."""
    start = window_start - timedelta(days=draw(st.integers(min_value=7, max_value=60)))
    kind = draw(st.sampled_from(["daily", "supervised", "low-dose", "xr", "implant"]))
    if kind == "daily":
        indication = draw(st.sampled_from(list(Indication)))
        return Order(RegimenName.ORAL_DAILY, start, indication=indication, dose_mg=50.0)
    if kind == "supervised":
        pattern = draw(st.sampled_from(list(SupervisedPattern)))
        weekly = EXAMPLE_THREE_TIMES_WEEKLY if pattern is SupervisedPattern.THREE_TIMES_WEEKLY else ()
        return Order(RegimenName.ORAL_SUPERVISED, start, indication=Indication.OPIOID,
                     pattern=pattern, weekly_doses=weekly)
    if kind == "low-dose":
        dose_mg = draw(st.sampled_from([1.0, 1.5, 2.0, 3.0, 4.5]))
        return Order(RegimenName.LOW_DOSE, start, dose_mg=dose_mg)
    if kind == "xr":
        return Order(RegimenName.XR_INJECTION, start, indication=Indication.OPIOID, dose_mg=380.0)
    duration = draw(st.integers(min_value=1, max_value=200))
    return Order(RegimenName.IMPLANT, start, indication=Indication.OPIOID, dose_mg=1000.0,
                 implant_duration_days=duration)


@st.composite
def wall_times_near_dst(draw: st.DrawFn) -> tuple[str, date, time, int]:
    """(zone, local date, local wall time, fold) within two days of a clock change in 2020–2030."""
    zone_name = draw(st.sampled_from(DST_ZONES))
    year = draw(st.integers(min_value=2020, max_value=2030))
    transitions = _transition_days(zone_name, year) or [date(year, 3, 15)]
    around = draw(st.sampled_from(transitions)) + timedelta(days=draw(st.integers(-2, 2)))
    wall = draw(st.times())
    fold = draw(st.integers(min_value=0, max_value=1))
    return zone_name, around, wall, fold


@cache
def _transition_days(zone_name: str, year: int) -> list[date]:
    """Local days in ``year`` on which the zone's UTC offset changes (found by a daily scan)."""
    zone = ZoneInfo(zone_name)
    days: list[date] = []
    day = date(year, 1, 1)
    previous = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
    while day.year == year:
        day += timedelta(days=1)
        offset = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
        if offset != previous:
            days.append(day)
        previous = offset
    return days
