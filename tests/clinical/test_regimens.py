"""The regimen catalogue: names, label status, schedules, order validation and injection timing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naltrack.clinical.regimens import (
    EXAMPLE_THREE_TIMES_WEEKLY,
    REGIMENS,
    Indication,
    InjectionSite,
    InvalidOrder,
    LabelStatus,
    Order,
    RegimenName,
    SupervisedPattern,
    UnknownRegimen,
    WeeklyDose,
    dose_due_on,
    get_regimen,
    injection_window,
    ldn_titration_steps_mg,
    next_injection_site,
    planned_episode,
    scheduled_dates,
    targeted_dose_time,
    validate_order,
)
from naltrack.clinical.sources import SOURCES

MONDAY = date(2024, 1, 1)  # 1 January 2024 was a Monday


def test_the_catalogue_holds_exactly_the_six_named_regimens() -> None:
    assert sorted(name.value for name in REGIMENS) == sorted(
        ["oral-daily", "oral-supervised", "xr-injection", "targeted", "low-dose", "implant"]
    )


def test_every_regimen_cites_only_registered_sources() -> None:
    for regimen in REGIMENS.values():
        assert regimen.sources
        assert all(key in SOURCES for key in regimen.sources)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("oral-daily", LabelStatus.ON_LABEL),          # S7
        ("oral-supervised", LabelStatus.ON_LABEL),     # S7 label-family schedules
        ("xr-injection", LabelStatus.ON_LABEL),        # S33
        ("targeted", LabelStatus.OFF_LABEL),           # drinking days only, not the label's daily schedule
        ("low-dose", LabelStatus.OFF_LABEL),           # S153, S154
        ("implant", LabelStatus.UNAPPROVED_IN_MANY_COUNTRIES),  # MJA 2008 editorial
    ],
)
def test_each_regimen_says_whether_it_is_on_label(name: str, status: LabelStatus) -> None:
    regimen = get_regimen(name)
    assert regimen.label_status is status
    assert regimen.is_on_label is (status is LabelStatus.ON_LABEL)


def test_an_unknown_regimen_name_is_refused_with_the_known_names() -> None:
    with pytest.raises(UnknownRegimen, match="oral-daily"):
        get_regimen("daily-oral")


def test_alcohol_episodes_are_planned_for_twelve_weeks() -> None:
    # Label trials ran 12 weeks (S7, S8); UK practice about 3 months (S67).
    episode = planned_episode("oral-daily", Indication.ALCOHOL)
    assert (episode.weeks, episode.is_open_ended) == (12, False)


@pytest.mark.parametrize("name", ["oral-daily", "xr-injection", "implant"])
def test_opioid_episodes_are_open_ended(name: str) -> None:
    # ASAM: no recommended length of naltrexone treatment for opioid use disorder (S45, S71).
    episode = planned_episode(name, Indication.OPIOID)
    assert episode.weeks is None and episode.is_open_ended


def test_targeted_dosing_has_no_opioid_episode() -> None:
    with pytest.raises(InvalidOrder):
        planned_episode("targeted", Indication.OPIOID)


def _order(regimen: RegimenName, **fields: object) -> Order:
    return Order(regimen, MONDAY, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("order", "message"),
    [
        # Oral naltrexone is 50 mg once a day (S7); 380 mg is the injection's strength.
        (_order(RegimenName.ORAL_DAILY, indication=Indication.ALCOHOL, dose_mg=380.0), "50 mg once a day"),
        # The injection comes in one strength, 380 mg (S33).
        (_order(RegimenName.XR_INJECTION, indication=Indication.OPIOID, dose_mg=50.0), "380 mg"),
        # Low-dose naltrexone: 1–4.5 mg in 0.5 mg steps (S153, S155).
        (_order(RegimenName.LOW_DOSE, dose_mg=50.0), "1 to 4.5 mg"),
        (_order(RegimenName.LOW_DOSE, dose_mg=0.5), "1 to 4.5 mg"),
        (_order(RegimenName.LOW_DOSE, dose_mg=5.0), "1 to 4.5 mg"),
        (_order(RegimenName.LOW_DOSE, dose_mg=1.7), "0.5 mg steps"),
        (_order(RegimenName.LOW_DOSE, indication=Indication.ALCOHOL, dose_mg=4.5), "not a regimen"),
        # Targeted: one 50 mg tablet before drinking (S95, S96), alcohol only.
        (_order(RegimenName.TARGETED, indication=Indication.ALCOHOL, dose_mg=100.0), "50 mg tablet"),
        (_order(RegimenName.TARGETED, indication=Indication.OPIOID, dose_mg=50.0), "not a regimen"),
        (_order(RegimenName.TARGETED, indication=Indication.ALCOHOL, dose_mg=50.0, minutes_before_drink=0),
         "minutes"),
        # Supervised: the pattern sets the doses (S7); three-times-weekly is 100/100/150 (S9).
        (_order(RegimenName.ORAL_SUPERVISED, indication=Indication.OPIOID), "choose a pattern"),
        (_order(RegimenName.ORAL_SUPERVISED, indication=Indication.OPIOID,
                pattern=SupervisedPattern.THREE_TIMES_WEEKLY,
                weekly_doses=(WeeklyDose(0, 150.0), WeeklyDose(2, 150.0), WeeklyDose(4, 150.0))),
         "100, 100 and 150"),
        (_order(RegimenName.ORAL_SUPERVISED, indication=Indication.OPIOID,
                pattern=SupervisedPattern.THREE_TIMES_WEEKLY,
                weekly_doses=(WeeklyDose(0, 100.0), WeeklyDose(0, 100.0), WeeklyDose(4, 150.0))),
         "different weekdays"),
        (_order(RegimenName.ORAL_SUPERVISED, indication=Indication.OPIOID,
                pattern=SupervisedPattern.EVERY_THIRD_DAY_150, dose_mg=50.0), "leave dose_mg empty"),
        # Implant: the clinician enters the duration from the product; none is invented.
        (_order(RegimenName.IMPLANT, indication=Indication.OPIOID, dose_mg=1000.0), "expected duration"),
        (_order(RegimenName.IMPLANT, indication=Indication.OPIOID, implant_duration_days=0, dose_mg=1000.0),
         "expected duration"),
        # Orders for the two labelled indications must say which one.
        (_order(RegimenName.ORAL_DAILY, dose_mg=50.0), "alcohol or opioid"),
        (Order(RegimenName.ORAL_DAILY, MONDAY, indication=Indication.ALCOHOL, dose_mg=50.0,
               end=MONDAY - timedelta(days=1)), "before it starts"),
        (_order(RegimenName.ORAL_DAILY, indication=Indication.ALCOHOL, dose_mg=float("nan")), "positive"),
    ],
)
def test_orders_outside_the_regimen_rules_are_refused(order: Order, message: str) -> None:
    with pytest.raises(InvalidOrder, match=message):
        validate_order(order)


@pytest.mark.parametrize(
    "order",
    [
        _order(RegimenName.ORAL_DAILY, indication=Indication.OPIOID, dose_mg=50.0),
        _order(RegimenName.XR_INJECTION, indication=Indication.ALCOHOL, dose_mg=380.0),
        _order(RegimenName.LOW_DOSE, dose_mg=4.5),
        _order(RegimenName.TARGETED, indication=Indication.ALCOHOL, dose_mg=50.0, minutes_before_drink=90),
        _order(RegimenName.IMPLANT, indication=Indication.OPIOID, dose_mg=1000.0, implant_duration_days=90),
    ],
)
def test_orders_within_the_rules_pass(order: Order) -> None:
    validate_order(order)


def _supervised(pattern: SupervisedPattern, weekly: tuple[WeeklyDose, ...] = ()) -> Order:
    return Order(RegimenName.ORAL_SUPERVISED, MONDAY, indication=Indication.OPIOID,
                 pattern=pattern, weekly_doses=weekly)


@pytest.mark.parametrize(
    ("order", "expected_mg_by_day"),
    [
        # Label: 50 mg Monday to Friday, 100 mg Saturday, nothing on Sunday (S7).
        (_supervised(SupervisedPattern.WEEKDAYS_50_SATURDAY_100), [50, 50, 50, 50, 50, 100, None]),
        # Label: 100 mg every second day (S7).
        (_supervised(SupervisedPattern.EVERY_SECOND_DAY_100), [100, None, 100, None, 100, None, 100]),
        # Label: 150 mg every third day (S7).
        (_supervised(SupervisedPattern.EVERY_THIRD_DAY_150), [150, None, None, 150, None, None, 150]),
        # Three times weekly 100/100/150 (S9, S10), on the clinic-chosen Mon/Wed/Fri example (S11).
        (_supervised(SupervisedPattern.THREE_TIMES_WEEKLY, EXAMPLE_THREE_TIMES_WEEKLY),
         [100, None, 100, None, 150, None, None]),
    ],
)
def test_supervised_patterns_put_the_right_dose_on_each_day(
    order: Order, expected_mg_by_day: list[float | None]
) -> None:
    week = [MONDAY + timedelta(days=offset) for offset in range(7)]
    assert [dose_due_on(order, day) for day in week] == expected_mg_by_day
    assert scheduled_dates(order, week[0], week[-1]) == [
        day for day, mg in zip(week, expected_mg_by_day, strict=True) if mg is not None
    ]


@pytest.mark.parametrize("pattern", list(SupervisedPattern))
def test_every_supervised_pattern_gives_350_mg_a_week_on_average(pattern: SupervisedPattern) -> None:
    # 7 x 50 mg = 350 mg a week (S9, derived); 42 days hold whole 2-, 3- and 7-day cycles.
    weekly = EXAMPLE_THREE_TIMES_WEEKLY if pattern is SupervisedPattern.THREE_TIMES_WEEKLY else ()
    order = _supervised(pattern, weekly)
    total_mg = sum(dose_due_on(order, MONDAY + timedelta(days=offset)) or 0.0 for offset in range(42))
    assert total_mg / 6 == 350


def test_an_opioid_order_starts_with_25_mg_then_50_mg() -> None:
    # Opioid blockade: 25 mg first, then 50 mg a day if no withdrawal signs (S7).
    order = Order(RegimenName.ORAL_DAILY, MONDAY, indication=Indication.OPIOID, dose_mg=50.0)
    assert [dose_due_on(order, MONDAY + timedelta(days=n)) for n in range(3)] == [25.0, 50.0, 50.0]


def test_an_alcohol_order_is_50_mg_from_the_first_day() -> None:
    order = Order(RegimenName.ORAL_DAILY, MONDAY, indication=Indication.ALCOHOL, dose_mg=50.0)
    assert dose_due_on(order, MONDAY) == 50.0


def test_no_dose_is_due_outside_the_order() -> None:
    order = Order(RegimenName.ORAL_DAILY, MONDAY, indication=Indication.ALCOHOL, dose_mg=50.0,
                  end=MONDAY + timedelta(days=2))
    assert scheduled_dates(order, MONDAY - timedelta(days=3), MONDAY + timedelta(days=9)) == [
        MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    ]


def test_targeted_orders_have_no_scheduled_days() -> None:
    order = Order(RegimenName.TARGETED, MONDAY, indication=Indication.ALCOHOL, dose_mg=50.0)
    assert scheduled_dates(order, MONDAY, MONDAY + timedelta(days=30)) == []


def test_injections_are_scheduled_every_28_days_from_the_last_one_given() -> None:
    # 380 mg every 4 weeks (S33); counted from the injection actually given.
    order = Order(RegimenName.XR_INJECTION, MONDAY, indication=Indication.OPIOID, dose_mg=380.0)
    window_end = MONDAY + timedelta(days=90)
    assert scheduled_dates(order, MONDAY, window_end) == [MONDAY + timedelta(days=d) for d in (0, 28, 56, 84)]
    late = MONDAY + timedelta(days=33)
    assert scheduled_dates(order, MONDAY, window_end, last_injection=late) == [
        late + timedelta(days=28), late + timedelta(days=56)
    ]


def test_an_implant_is_due_again_after_its_entered_duration() -> None:
    order = Order(RegimenName.IMPLANT, MONDAY, indication=Indication.OPIOID, dose_mg=1000.0,
                  implant_duration_days=60)
    assert scheduled_dates(order, MONDAY, MONDAY + timedelta(days=130)) == [
        MONDAY, MONDAY + timedelta(days=60), MONDAY + timedelta(days=120)
    ]


def test_the_next_injection_goes_into_the_other_buttock() -> None:
    # Alternate buttocks with each injection (S33).
    assert next_injection_site(InjectionSite.LEFT_GLUTEAL) is InjectionSite.RIGHT_GLUTEAL
    assert next_injection_site(InjectionSite.RIGHT_GLUTEAL) is InjectionSite.LEFT_GLUTEAL


def test_an_injection_is_due_on_day_28_and_overdue_from_day_29() -> None:
    window = injection_window(date(2024, 3, 1))
    assert window.due_on == date(2024, 3, 29)
    assert window.overdue_from == date(2024, 3, 30)
    assert window.earliest_on is None  # no clinical early window exists; only a clinic setting sets one


def test_the_clinic_may_set_an_early_window() -> None:
    assert injection_window(date(2024, 3, 1), earliest_days_before_due=3).earliest_on == date(2024, 3, 26)


def test_the_targeted_countdown_defaults_to_an_hour_before_the_first_drink() -> None:
    # naltrack-policy:targeted-dosing: 60 minutes by default, adjustable by the prescriber.
    first_drink = datetime(2024, 5, 3, 19, 0, tzinfo=UTC)
    default = Order(RegimenName.TARGETED, MONDAY, indication=Indication.ALCOHOL, dose_mg=50.0)
    adjusted = Order(RegimenName.TARGETED, MONDAY, indication=Indication.ALCOHOL, dose_mg=50.0,
                     minutes_before_drink=120)
    assert targeted_dose_time(first_drink, default) == datetime(2024, 5, 3, 18, 0, tzinfo=UTC)
    assert targeted_dose_time(first_drink, adjusted) == datetime(2024, 5, 3, 17, 0, tzinfo=UTC)


def test_ldn_titrates_in_half_milligram_steps_to_the_ceiling() -> None:
    # Titration in 0.5 mg steps up to 4.5 mg a day (S155).
    assert ldn_titration_steps_mg(3.0) == [3.0, 3.5, 4.0, 4.5]
    assert ldn_titration_steps_mg(4.5) == [4.5]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)), st.integers(0, 400))
def test_a_daily_order_is_due_on_every_day_of_its_course(start: date, length_days: int) -> None:
    order = Order(RegimenName.ORAL_DAILY, start, indication=Indication.ALCOHOL, dose_mg=50.0)
    end = start + timedelta(days=length_days)
    assert len(scheduled_dates(order, start, end)) == length_days + 1


def test_a_daily_regimen_name_alone_schedules_every_day() -> None:
    assert scheduled_dates("low-dose", MONDAY, MONDAY + timedelta(days=2)) == [
        MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    ]


@pytest.mark.parametrize("name", ["oral-supervised", "xr-injection", "implant", "targeted"])
def test_other_regimens_need_the_full_order_to_schedule(name: str) -> None:
    with pytest.raises(InvalidOrder, match="full order"):
        scheduled_dates(name, MONDAY, MONDAY + timedelta(days=6))
