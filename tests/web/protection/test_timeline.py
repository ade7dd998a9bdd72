"""The timeline service: recorded doses placed in the patient's time zone, the as-prescribed line, and
what-if changes, checked against the pharmacology core's own behaviour."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from naltrack.clinical.pharmacology import TYPICAL, Dose, DoseKind, simulate
from naltrack.web.protection import services
from naltrack.web.protection.services import Origin, TimedDose, WhatIf

from .conftest import NEW_YORK, NOW, TODAY


def _index_of(timeline, at):
    """The first shown grid point at or after ``at``."""
    return next(i for i, t in enumerate(timeline.times) if t >= at)


def test_no_recorded_dose_gives_an_empty_timeline(patient):
    timeline = services.build_timeline(patient)
    assert not timeline.has_doses
    assert timeline.recorded_curve is None and timeline.recorded == ()


def test_a_recent_injection_gives_a_higher_estimate_than_an_old_tablet(patient, other_patient, course, dose):
    """Two patients: a tablet 12 days ago against the monthly injection 3 days ago."""
    dose(course(patient), TODAY - dt.timedelta(days=12))
    dose(course(other_patient, "xr-injection"), TODAY - dt.timedelta(days=3), mg=380.0, formulation="injection")
    tablet = services.build_timeline(patient)
    injection = services.build_timeline(other_patient)
    tablet_now = tablet.reading_now(tablet.recorded_curve)
    injection_now = injection.reading_now(injection.recorded_curve)
    assert injection_now.blockade > tablet_now.blockade + 0.5
    assert injection_now.band == "high" and tablet_now.band == "low"
    assert injection_now.low <= injection_now.blockade <= injection_now.high


def test_the_curve_equals_the_core_simulation_of_the_same_doses_in_hours(patient, course, dose):
    """Recorded doses become core Doses at their hour on the grid; the page shows the core's numbers."""
    episode = course(patient)
    dose(episode, TODAY - dt.timedelta(days=2), hour=8, minute=30)
    dose(episode, TODAY - dt.timedelta(days=1), hour=21)
    timeline = services.build_timeline(patient)
    grid = timeline.grid
    hours = [grid.hour_of(d.at) for d in timeline.recorded]
    expected = simulate([Dose(DoseKind.ORAL, 50.0, h) for h in hours], float(grid.n_hours))
    assert np.allclose(timeline.recorded_curve.blockade, expected.blockade[grid.shown_from:])
    assert np.allclose(timeline.recorded_curve.high, expected.blockade_high[grid.shown_from:])
    first = dt.datetime(2026, 11, 18, 8, 30, tzinfo=NEW_YORK)
    assert timeline.recorded[0].at == first
    assert grid.start + hours[0] * services.HOUR == first


def test_a_dose_without_a_time_sits_at_local_midday_in_the_patients_zone(clinic, make_patient, course, dose):
    patient = make_patient(clinic, time_zone="Australia/Sydney")
    dose(course(patient), TODAY - dt.timedelta(days=3), hour=None)
    timeline = services.build_timeline(patient)
    (placed,) = timeline.recorded
    assert not placed.is_time_recorded
    assert placed.at.astimezone(ZoneInfo("Australia/Sydney")).replace(tzinfo=None) == dt.datetime(2026, 11, 17, 12, 0)
    assert any("no recorded time" in note for note in timeline.notes)


def test_the_window_follows_the_patients_local_days_across_a_clock_change(clinic, make_patient, course, dose):
    """London leaves summer time on 25 Oct 2026: that local day has 25 hours and the rows stay whole days."""
    patient = make_patient(clinic, time_zone="Europe/London")
    dose(course(patient), TODAY - dt.timedelta(days=20))
    timeline = services.build_timeline(patient, past_days=30, ahead_days=2)
    rows = services.day_rows(timeline, timeline.recorded_curve)
    assert [r.day for r in rows] == [TODAY - dt.timedelta(days=30) + dt.timedelta(days=n) for n in range(33)]
    long_day = next(r for r in rows if r.day == dt.date(2026, 10, 25))
    points = [t for t in timeline.times if timeline.local(t).date() == long_day.day]
    assert len(points) == 25


def test_an_injection_older_than_the_history_no_longer_changes_anything_shown():
    """HISTORY_DAYS is long enough: one 380 mg injection is below 0.5% even at the 95th percentile by then."""
    result = simulate([Dose(DoseKind.XR, 380.0, 0.0)], float(services.HISTORY_DAYS * 24))
    assert result.blockade_high[-1] < 0.005


def test_tablets_older_than_their_history_no_longer_change_anything_shown():
    """ORAL_HISTORY_DAYS is long enough even after 60 days of 150 mg a day (more than any regimen gives)."""
    result = simulate([Dose(DoseKind.ORAL, 150.0, 24.0 * day) for day in range(60)],
                      float((59 + services.ORAL_HISTORY_DAYS) * 24))
    assert result.blockade_high[-1] < 0.00005


def test_only_tablets_inside_their_history_are_simulated(patient, course, dose):
    episode = course(patient)
    old = TODAY - dt.timedelta(days=services.PAST_DAYS + services.ORAL_HISTORY_DAYS + 2)
    dose(episode, old)
    dose(episode, TODAY - dt.timedelta(days=3))
    assert [d.at.date() for d in services.build_timeline(patient).recorded] == [TODAY - dt.timedelta(days=3)]


def test_daily_tablets_continue_as_prescribed_from_now(patient, daily_tablets):
    daily_tablets(patient)
    timeline = services.build_timeline(patient)
    planned = timeline.planned
    assert [d.at.astimezone(NEW_YORK).date() for d in planned] == [TODAY + dt.timedelta(days=n) for n in range(8)]
    assert planned[0].at == NOW  # today's tablet is not recorded yet and 09:00 has passed: "now"
    assert planned[1].at == dt.datetime(2026, 11, 21, 9, 0, tzinfo=NEW_YORK)  # the usual time
    assert all(d.origin is Origin.PLANNED and d.mg == 50.0 for d in planned)
    without = timeline.reading_at_end(timeline.recorded_curve)
    prescribed = timeline.reading_at_end(timeline.planned_curve)
    assert prescribed.blockade > without.blockade + 0.5
    now = timeline.grid.now_index
    assert np.allclose(timeline.recorded_curve.blockade[:now + 1], timeline.planned_curve.blockade[:now + 1])


def test_a_tablet_already_taken_today_is_not_planned_again(patient, daily_tablets, dose):
    episode = daily_tablets(patient)
    dose(episode, TODAY, hour=8)
    planned = services.build_timeline(patient).planned
    assert planned[0].at.astimezone(NEW_YORK).date() == TODAY + dt.timedelta(days=1)


def test_an_injection_is_planned_28_days_after_the_last_one_given(patient, course, dose):
    episode = course(patient, "xr-injection")
    dose(episode, TODAY - dt.timedelta(days=24), hour=11, mg=380.0, formulation="injection")
    (planned,) = services.build_timeline(patient).planned
    assert planned.kind is DoseKind.XR and planned.mg == 380.0
    assert planned.at == dt.datetime(2026, 11, 24, 11, 0, tzinfo=NEW_YORK)


def test_an_overdue_injection_is_planned_now_and_said_so(patient, course, dose):
    episode = course(patient, "xr-injection")
    dose(episode, TODAY - dt.timedelta(days=33), mg=380.0, formulation="injection")
    timeline = services.build_timeline(patient)
    assert timeline.planned[0].at == NOW
    assert any("overdue" in note and "S39" in note for note in timeline.notes)


def test_a_long_overdue_injection_is_planned_once_now_and_not_again_days_later(patient, course, dose):
    """The next one is due 28 days after the one actually given (S33), not on the old 28-day rhythm."""
    episode = course(patient, "xr-injection")
    dose(episode, TODAY - dt.timedelta(days=50), mg=380.0, formulation="injection")  # old rhythm: due in 6 days
    assert [d.at for d in services.build_timeline(patient).planned] == [NOW]


def test_targeted_tablets_have_no_as_prescribed_line(patient, course, dose):
    dose(course(patient, "targeted"), TODAY - dt.timedelta(days=2), hour=19)
    timeline = services.build_timeline(patient)
    assert timeline.has_doses and timeline.planned == () and timeline.planned_curve is None
    assert any("drinking days" in note for note in timeline.notes)


def test_implants_are_left_out_of_the_estimate_with_a_note(patient, course, dose):
    dose(course(patient, "implant"), TODAY - dt.timedelta(days=10), mg=1000.0, formulation="implant")
    timeline = services.build_timeline(patient)
    assert not timeline.has_doses
    assert any("Implants are not part of this estimate" in note for note in timeline.notes)


@pytest.mark.parametrize("blockade, word", [
    (TYPICAL.blockade_threshold, "high"), (0.999, "high"), (0.794, "medium"), (0.5, "medium"), (0.494, "low"),
    (0.0, "low"),
])
def test_display_bands_come_from_the_models_own_values(blockade, word):
    assert services.band_word(round(blockade, 2)) == word
    assert services.DISPLAY_BANDS[0][0] == TYPICAL.blockade_threshold


def test_the_band_word_follows_the_percent_shown():
    reading = services.Reading(at=NOW, blockade=0.7996, low=0.6, high=0.9)
    assert reading.percent == 80 and reading.band == "high"


@pytest.mark.parametrize("past, ahead", [(0, 7), (91, 7), (14, -1), (14, 29)])
def test_a_window_out_of_bounds_is_refused(patient, past, ahead):
    with pytest.raises(services.ProtectionError):
        services.build_timeline(patient, past_days=past, ahead_days=ahead)


# --- what-if -------------------------------------------------------------------------------------------


def test_missing_a_tablet_lowers_the_curve_after_that_dose_and_not_before(patient, daily_tablets):
    daily_tablets(patient)
    timeline = services.build_timeline(patient)
    missed = timeline.planned[2]  # the day after tomorrow
    comparison = services.compare(timeline, WhatIf(missed=(missed.key,)))
    split = _index_of(timeline, missed.at)
    assert np.allclose(comparison.changed.blockade[:split], comparison.baseline.blockade[:split])
    assert (comparison.changed.blockade[split:] <= comparison.baseline.blockade[split:] + 1e-12).all()
    assert comparison.changed.blockade[split + 24] < comparison.baseline.blockade[split + 24] - 0.02
    baseline, what_if = comparison.largest_drop
    assert what_if.blockade < baseline.blockade and baseline.at > missed.at
    assert comparison.changes == (f"Left out: {missed.label(timeline.zone)}.",)


def test_missing_a_recorded_tablet_lowers_the_estimate_now(patient, daily_tablets):
    daily_tablets(patient)
    timeline = services.build_timeline(patient)
    yesterday = timeline.recorded[-1]
    comparison = services.compare(timeline, WhatIf(missed=(yesterday.key,)))
    assert timeline.reading_now(comparison.changed).blockade < timeline.reading_now(comparison.baseline).blockade


def test_an_injection_given_late_lowers_the_curve_until_it_is_given(patient, course, dose):
    episode = course(patient, "xr-injection")
    dose(episode, TODAY - dt.timedelta(days=24), hour=11, mg=380.0, formulation="injection")
    timeline = services.build_timeline(patient)
    (due,) = timeline.planned
    comparison = services.compare(timeline, WhatIf(late_key=due.key, late_days=2))
    given = _index_of(timeline, due.at + dt.timedelta(days=2))
    start = _index_of(timeline, due.at)
    assert (comparison.changed.blockade[start + 1:given] < comparison.baseline.blockade[start + 1:given]).all()
    assert "2 days late" in comparison.changes[0]


def test_an_added_dose_raises_the_curve_after_it(patient, daily_tablets):
    daily_tablets(patient, skip=range(1, 6))
    timeline = services.build_timeline(patient)
    at = NOW - dt.timedelta(days=3)
    comparison = services.compare(timeline, WhatIf(added=TimedDose("added", at, DoseKind.ORAL, 50.0, Origin.WHAT_IF)))
    index = _index_of(timeline, at)
    assert comparison.changed.blockade[index + 12] > comparison.baseline.blockade[index + 12]
    assert any(d.origin is Origin.WHAT_IF for d in comparison.doses)


@pytest.mark.parametrize("what_if", [
    WhatIf(missed=("r999999",)),
    WhatIf(late_key="r999999", late_days=2),
    WhatIf(added=TimedDose("added", NOW + dt.timedelta(days=30), DoseKind.ORAL, 50.0, Origin.WHAT_IF)),
])
def test_a_what_if_naming_doses_outside_the_window_is_refused(patient, daily_tablets, what_if):
    daily_tablets(patient)
    with pytest.raises(services.ProtectionError):
        services.compare(services.build_timeline(patient), what_if)


def test_moving_a_tablet_as_if_it_were_an_injection_is_refused(patient, daily_tablets):
    daily_tablets(patient)
    timeline = services.build_timeline(patient)
    with pytest.raises(services.ProtectionError, match="injection"):
        services.compare(timeline, WhatIf(late_key=timeline.recorded[-1].key, late_days=1))
