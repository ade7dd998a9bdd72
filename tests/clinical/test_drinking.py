"""Drinks into grams of ethanol and standard drinks (S76–S85, naltrack policy)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naltrack.clinical.drinking import (
    DRINK_PRESETS,
    STANDARD_DRINK_UNITS,
    DrinkInputError,
    Sex,
    ethanol_g,
    ethanol_g_from_standard_drinks,
    heavy_drinking_threshold_g,
    is_heavy_drinking_day,
    parse_sex,
    standard_drink_unit,
    standard_drinks,
    standard_drinks_from_ethanol,
)
from naltrack.clinical.sources import SOURCES

US_FL_OZ_ML = 29.5735


@pytest.mark.parametrize(
    ("volume_ml", "abv_percent", "expected_g", "tolerance_g"),
    [
        (12 * US_FL_OZ_ML, 5, 14.0, 0.05),   # S76: 12 oz of 5 % beer is one US drink of 14 g
        (5 * US_FL_OZ_ML, 12, 14.0, 0.05),   # S76: 5 oz of 12 % wine
        (1.5 * US_FL_OZ_ML, 40, 14.0, 0.05),  # S76: 1.5 oz of 40 % spirits
        (10, 100, 7.89, 1e-9),               # S78/S79: a UK unit is 10 mL of ethanol, about 7.9 g
        (100, 0, 0.0, 0.0),                  # alcohol-free drink
        (0, 40, 0.0, 0.0),                   # nothing poured
    ],
)
def test_ethanol_grams_follow_the_density_of_ethanol(volume_ml, abv_percent, expected_g, tolerance_g):
    assert ethanol_g(volume_ml, abv_percent) == pytest.approx(expected_g, abs=tolerance_g)


def test_grams_are_millilitres_times_strength_times_0_789():
    # S83/S84 and the drinking-measures policy: 500 mL at 4 % is 20 mL of ethanol, 15.78 g.
    assert ethanol_g(500, 4) == pytest.approx(20 * 0.789)


@pytest.mark.parametrize(
    ("code", "grams"),
    [
        ("us", 14.0),      # S76, S77
        ("uk", 7.89),      # S78, S79: 10 mL of ethanol
        ("au", 10.0),      # S78, S79
        ("nz", 10.0),      # S78, S79
        ("ie", 10.0),      # S78, S79
        ("ca", 13.45),     # S80, S79, S78
        ("jp", 19.75),     # S79, S81
        ("who", 10.0),     # S80, S81: the AUDIT example form
        ("dk", 12.0),      # S78, S79, S82
        ("hu", 17.0),
        ("pt", 14.0),
        ("nl", 9.9),
        ("es", 10.0),
        ("pl", 10.0),
    ],
)
def test_each_standard_drink_has_the_size_the_reference_gives(code, grams):
    assert standard_drink_unit(code).ethanol_g == pytest.approx(grams)


def test_countries_given_as_ranges_are_left_out():
    # Finland, France, Italy, Iceland and Austria are given as ranges in section 5.
    assert not {"fi", "fr", "it", "is", "at"} & set(STANDARD_DRINK_UNITS)


def test_every_unit_cites_registered_sources():
    for unit in STANDARD_DRINK_UNITS.values():
        assert unit.sources and all(key in SOURCES for key in unit.sources)


def test_a_uk_unit_of_pure_ethanol_is_one_uk_unit_and_about_half_a_us_drink():
    assert standard_drinks(10, 100, "uk") == pytest.approx(1.0)
    assert standard_drinks(10, 100, "us") == pytest.approx(7.89 / 14)


def test_a_us_can_of_beer_is_about_one_and_a_half_australian_drinks():
    assert standard_drinks(355, 5, "au") == pytest.approx(1.40, abs=0.01)


@pytest.mark.parametrize(
    ("sex", "grams", "is_heavy"),
    [
        (Sex.MALE, 70.0, True),      # S85: 5 US drinks (70 g) or more for men
        (Sex.MALE, 69.99, False),
        (Sex.FEMALE, 56.0, True),    # S85: 4 US drinks (56 g) or more for women
        (Sex.FEMALE, 55.99, False),
        (Sex.MALE, 56.0, False),
    ],
)
def test_heavy_drinking_day_depends_on_sex(sex, grams, is_heavy):
    assert is_heavy_drinking_day(grams, sex) is is_heavy


def test_heavy_thresholds_are_five_and_four_us_drinks():
    assert heavy_drinking_threshold_g(Sex.MALE) == 5 * standard_drink_unit("us").ethanol_g
    assert heavy_drinking_threshold_g(Sex.FEMALE) == 4 * standard_drink_unit("us").ethanol_g


@pytest.mark.parametrize(
    ("volume_ml", "abv_percent", "message"),
    [
        (-1, 5, "negative"),
        (math.nan, 5, "finite"),
        (math.inf, 5, "finite"),
        (10_001, 5, "not a single drink"),
        (330, -0.1, "between 0 and 100"),
        (330, 100.5, "between 0 and 100"),
        (330, math.nan, "finite"),
        (True, 5, "number"),
        ("330", 5, "number"),
    ],
)
def test_impossible_drinks_are_refused_with_a_clear_message(volume_ml, abv_percent, message):
    with pytest.raises(DrinkInputError, match=message):
        ethanol_g(volume_ml, abv_percent)


def test_unknown_unit_and_sex_are_refused():
    with pytest.raises(DrinkInputError, match="unknown standard-drink unit 'xx'"):
        standard_drink_unit("xx")
    with pytest.raises(DrinkInputError, match="F or M"):
        parse_sex("X")
    with pytest.raises(DrinkInputError, match="negative"):
        ethanol_g_from_standard_drinks(-1)


def test_us_presets_are_about_one_us_drink_at_their_typical_strength():
    for preset in DRINK_PRESETS:
        assert preset.abv_is_typical_value
        assert preset.source in SOURCES
        if preset.code in {"beer-can-us", "wine-glass", "spirits-shot-us"}:
            assert standard_drinks(preset.volume_ml, preset.typical_abv_percent) == pytest.approx(1, abs=0.03)


def test_a_uk_spirits_measure_is_one_uk_unit_at_40_percent():
    preset = next(p for p in DRINK_PRESETS if p.code == "spirits-measure-uk")
    assert standard_drinks_from_ethanol(preset.ethanol_g, "uk") == pytest.approx(1.0)


@given(
    volume_ml=st.floats(0, 10_000),
    abv_percent=st.floats(0, 100),
    unit=st.sampled_from(sorted(STANDARD_DRINK_UNITS)),
)
def test_standard_drinks_and_grams_convert_back_and_forth(volume_ml, abv_percent, unit):
    grams = ethanol_g(volume_ml, abv_percent)
    drinks = standard_drinks(volume_ml, abv_percent, unit)
    assert grams >= 0
    assert ethanol_g_from_standard_drinks(drinks, unit) == pytest.approx(grams, rel=1e-12, abs=1e-12)


@given(volume_ml=st.floats(0, 5_000), abv_percent=st.floats(0, 100))
def test_doubling_the_volume_doubles_the_ethanol(volume_ml, abv_percent):
    assert ethanol_g(2 * volume_ml, abv_percent) == pytest.approx(2 * ethanol_g(volume_ml, abv_percent))
