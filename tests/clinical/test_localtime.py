"""Patient-local days: a dose belongs to the patient's own calendar day, whatever the clocks do."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naltrack.clinical.localtime import (
    UnknownTimeZone,
    hours_in_local_day,
    local_day,
    local_day_bounds,
    local_days,
)
from tests.strategies.courses import DST_ZONES, wall_times_near_dst


@pytest.mark.parametrize(
    ("instant_utc", "tz_name", "expected_day"),
    [
        # 23:30 UTC on 6 Jan is already 7 Jan in Sydney (UTC+11 in summer).
        (datetime(2024, 1, 6, 23, 30, tzinfo=UTC), "Australia/Sydney", date(2024, 1, 7)),
        # 03:00 UTC on 7 Jan is still 6 Jan in New York (UTC-5).
        (datetime(2024, 1, 7, 3, 0, tzinfo=UTC), "America/New_York", date(2024, 1, 6)),
        # 18:29 UTC is 23:59 in Kolkata (UTC+5:30); 18:30 UTC is the next day.
        (datetime(2024, 5, 1, 18, 29, tzinfo=UTC), "Asia/Kolkata", date(2024, 5, 1)),
        (datetime(2024, 5, 1, 18, 30, tzinfo=UTC), "Asia/Kolkata", date(2024, 5, 2)),
        # London, night the clocks go back (27 Oct 2024): 00:30 and both 01:30s are the same day.
        (datetime(2024, 10, 26, 23, 30, tzinfo=UTC), "Europe/London", date(2024, 10, 27)),
        (datetime(2024, 10, 27, 0, 30, tzinfo=UTC), "Europe/London", date(2024, 10, 27)),
        (datetime(2024, 10, 27, 1, 30, tzinfo=UTC), "Europe/London", date(2024, 10, 27)),
    ],
)
def test_an_instant_falls_on_the_patients_local_day(
    instant_utc: datetime, tz_name: str, expected_day: date
) -> None:
    assert local_day(instant_utc, tz_name) == expected_day


@pytest.mark.parametrize(
    ("day", "tz_name", "hours"),
    [
        (date(2024, 3, 31), "Europe/London", 23.0),       # clocks go forward
        (date(2024, 10, 27), "Europe/London", 25.0),      # clocks go back
        (date(2024, 3, 10), "America/New_York", 23.0),
        (date(2024, 4, 7), "Australia/Sydney", 25.0),     # southern autumn: clocks go back
        (date(2024, 4, 7), "Australia/Lord_Howe", 24.5),  # Lord Howe shifts by half an hour
        (date(2024, 6, 1), "Asia/Kolkata", 24.0),
    ],
)
def test_a_local_day_lasts_longer_or_shorter_on_a_clock_change(day: date, tz_name: str, hours: float) -> None:
    assert hours_in_local_day(day, tz_name) == hours


def test_local_days_keep_the_order_of_the_instants() -> None:
    instants = [datetime(2024, 1, 1, 12, tzinfo=UTC), datetime(2023, 12, 31, 12, tzinfo=UTC)]
    assert local_days(instants, "Europe/London") == [date(2024, 1, 1), date(2023, 12, 31)]


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        local_day(datetime(2024, 1, 1, 12), "Europe/London")


@pytest.mark.parametrize("tz_name", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_an_unknown_time_zone_is_refused(tz_name: str) -> None:
    with pytest.raises(UnknownTimeZone):
        local_day(datetime(2024, 1, 1, tzinfo=UTC), tz_name)


@given(wall_times_near_dst())
def test_a_clock_change_never_moves_a_dose_to_another_local_day(case: tuple[str, date, time, int]) -> None:
    """A dose logged at a local wall time near a DST change stays on that local day after a trip via UTC."""
    tz_name, day, wall, fold = case
    logged = datetime.combine(day, wall, tzinfo=ZoneInfo(tz_name)).replace(fold=fold)
    stored_utc = logged.astimezone(UTC)
    assert local_day(stored_utc, tz_name) == day
    # And the same instant seen from any other offset still lands on the same patient day.
    assert local_day(stored_utc.astimezone(timezone(timedelta(hours=-11))), tz_name) == day


@given(
    st.sampled_from(DST_ZONES),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)),
)
def test_every_instant_lies_inside_the_bounds_of_its_local_day(tz_name: str, instant: datetime) -> None:
    start, end = local_day_bounds(local_day(instant, tz_name), tz_name)
    assert start <= instant < end
    assert timedelta(hours=23) <= end - start <= timedelta(hours=25)
