"""Drinks into grams of ethanol and standard drinks: the one place naltrack does this arithmetic.

A drink is a volume (mL) at a strength (ABV, percent by volume). Its ethanol in grams is
mL × ABV/100 × 0.789, the density of ethanol at 20 °C (S83, S84; naltrack policy). Standard drinks
differ by country (S76–S82); each unit below carries the source of its size. A heavy drinking day
is 70 g of ethanol or more for men and 56 g or more for women, i.e. at least five or four US
standard drinks (S85; naltrack policy).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from naltrack.clinical.sources import cite

ETHANOL_DENSITY_G_PER_ML = 0.789
ETHANOL_DENSITY_SOURCES = (cite("S83"), cite("S84"), cite("naltrack-policy:drinking-measures"))

# A data-entry guard, not a clinical limit: no single drink record is larger than ten litres
# (a keg or a party bowl is recorded as the servings actually drunk).
MAX_DRINK_VOLUME_ML = 10_000.0


class DrinkInputError(ValueError):
    """A drink, a unit code or a sex that naltrack refuses; the message says which and why."""


class Sex(enum.Enum):
    """Sex as the drinking thresholds use it (F or M, as in the outcomes CSV)."""

    FEMALE = "F"
    MALE = "M"


def parse_sex(code: str) -> Sex:
    """Turn 'F' or 'M' into a Sex; anything else is refused (naltrack-policy:drinking-measures)."""
    try:
        return Sex(code)
    except ValueError:
        raise DrinkInputError(f"sex must be F or M, not {code!r}") from None


@dataclass(frozen=True, slots=True)
class StandardDrinkUnit:
    """One country's (or WHO's) standard drink: its code, name and grams of ethanol."""

    code: str
    name: str
    ethanol_g: float
    sources: tuple[str, ...]


def _unit_from_ethanol_ml(code: str, name: str, ethanol_ml: float, *sources: str) -> StandardDrinkUnit:
    # The UK unit is defined by volume (10 mL of ethanol); its grams follow from the density.
    return StandardDrinkUnit(code, name, ethanol_ml * ETHANOL_DENSITY_G_PER_ML,
                             (*sources, *ETHANOL_DENSITY_SOURCES))


_UNITS: tuple[StandardDrinkUnit, ...] = (
    StandardDrinkUnit("us", "US standard drink", 14.0, (cite("S76"), cite("S77"))),
    _unit_from_ethanol_ml("uk", "UK unit", 10.0, cite("S78"), cite("S79")),
    StandardDrinkUnit("au", "Australian standard drink", 10.0, (cite("S78"), cite("S79"))),
    StandardDrinkUnit("nz", "New Zealand standard drink", 10.0, (cite("S78"), cite("S79"))),
    StandardDrinkUnit("ie", "Irish standard drink", 10.0, (cite("S78"), cite("S79"))),
    StandardDrinkUnit("ca", "Canadian standard drink", 13.45, (cite("S80"), cite("S79"), cite("S78"))),
    StandardDrinkUnit("jp", "Japanese standard drink", 19.75, (cite("S79"), cite("S81"))),
    StandardDrinkUnit("who", "WHO standard drink (AUDIT example)", 10.0, (cite("S80"), cite("S81"))),
    # Countries where the reference gives a single value (those it gives as ranges are left out).
    StandardDrinkUnit("dk", "Danish standard drink", 12.0, (cite("S78"), cite("S79"), cite("S82"))),
    StandardDrinkUnit("hu", "Hungarian standard drink", 17.0, (cite("S78"), cite("S79"), cite("S82"))),
    StandardDrinkUnit("pt", "Portuguese standard drink", 14.0, (cite("S78"), cite("S79"), cite("S82"))),
    StandardDrinkUnit("nl", "Dutch standard drink", 9.9, (cite("S78"), cite("S79"), cite("S82"))),
    StandardDrinkUnit("es", "Spanish standard drink", 10.0, (cite("S78"), cite("S79"), cite("S82"))),
    StandardDrinkUnit("pl", "Polish standard drink", 10.0, (cite("S78"), cite("S79"), cite("S82"))),
)

STANDARD_DRINK_UNITS: Mapping[str, StandardDrinkUnit] = MappingProxyType({u.code: u for u in _UNITS})

# The units `naltrack outcomes --unit` offers (DESIGN.md); the others are for the drink picker.
OUTCOME_UNIT_CODES = ("us", "uk", "au", "ca", "who")

# Heavy drinking day: at least 5 (men) or 4 (women) US standard drinks of 14 g.
HEAVY_DAY_US_DRINKS: Mapping[Sex, int] = MappingProxyType({Sex.MALE: 5, Sex.FEMALE: 4})
HEAVY_DAY_ETHANOL_G: Mapping[Sex, float] = MappingProxyType(
    {sex: drinks * STANDARD_DRINK_UNITS["us"].ethanol_g for sex, drinks in HEAVY_DAY_US_DRINKS.items()}
)
HEAVY_DAY_SOURCES = (cite("S85"), cite("S86"), cite("naltrack-policy:drinking-measures"))


def standard_drink_unit(code: str) -> StandardDrinkUnit:
    """The standard drink named by ``code`` (us, uk, au, nz, ie, ca, jp, who, …; S76–S82)."""
    try:
        return STANDARD_DRINK_UNITS[code]
    except KeyError:
        known = ", ".join(STANDARD_DRINK_UNITS)
        raise DrinkInputError(f"unknown standard-drink unit {code!r}; known units: {known}") from None


def _require_finite_number(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DrinkInputError(f"{what} must be a number, not {value!r}")
    if not math.isfinite(value):
        raise DrinkInputError(f"{what} must be a finite number, not {value!r}")
    return float(value)


def validate_drink(volume_ml: float, abv_percent: float) -> None:
    """Refuse a volume outside 0–10,000 mL or a strength outside 0–100 % ABV (input guard)."""
    volume = _require_finite_number(volume_ml, "volume_ml")
    abv = _require_finite_number(abv_percent, "abv_percent")
    if volume < 0:
        raise DrinkInputError(f"volume_ml cannot be negative ({volume:g} mL)")
    if volume > MAX_DRINK_VOLUME_ML:
        raise DrinkInputError(
            f"volume_ml of {volume:g} mL is not a single drink (at most {MAX_DRINK_VOLUME_ML:g} mL)"
        )
    if not 0 <= abv <= 100:
        raise DrinkInputError(f"abv_percent must be between 0 and 100, not {abv:g}")


def ethanol_g(volume_ml: float, abv_percent: float) -> float:
    """Grams of ethanol in a drink: mL × ABV/100 × 0.789 (S83, S84, naltrack-policy:drinking-measures)."""
    validate_drink(volume_ml, abv_percent)
    return float(volume_ml) * float(abv_percent) / 100.0 * ETHANOL_DENSITY_G_PER_ML


def standard_drinks_from_ethanol(grams: float, unit: str = "us") -> float:
    """How many standard drinks of ``unit`` a number of grams of ethanol makes (S76–S82)."""
    grams = _require_finite_number(grams, "ethanol grams")
    if grams < 0:
        raise DrinkInputError(f"ethanol grams cannot be negative ({grams:g})")
    return grams / standard_drink_unit(unit).ethanol_g


def standard_drinks(volume_ml: float, abv_percent: float, unit: str = "us") -> float:
    """Standard drinks of ``unit`` in a drink of ``volume_ml`` at ``abv_percent`` (S76–S84)."""
    return standard_drinks_from_ethanol(ethanol_g(volume_ml, abv_percent), unit)


def ethanol_g_from_standard_drinks(drinks: float, unit: str = "us") -> float:
    """Grams of ethanol in ``drinks`` standard drinks of ``unit`` (S76–S82)."""
    drinks = _require_finite_number(drinks, "standard drinks")
    if drinks < 0:
        raise DrinkInputError(f"standard drinks cannot be negative ({drinks:g})")
    return drinks * standard_drink_unit(unit).ethanol_g


def heavy_drinking_threshold_g(sex: Sex) -> float:
    """Grams of ethanol that make a day heavy: 70 g men, 56 g women (S85, naltrack-policy)."""
    return HEAVY_DAY_ETHANOL_G[sex]


def is_heavy_drinking_day(grams: float, sex: Sex) -> bool:
    """Whether a day's ethanol reaches the heavy-drinking threshold for ``sex`` (S85, naltrack-policy)."""
    return grams >= HEAVY_DAY_ETHANOL_G[sex]


@dataclass(frozen=True, slots=True)
class DrinkPreset:
    """A common serving for the quick picker; the ABV is a typical value the user can edit."""

    code: str
    label: str
    beverage: str
    volume_ml: float
    typical_abv_percent: float
    source: str
    abv_is_typical_value: bool = True

    @property
    def ethanol_g(self) -> float:
        """Grams of ethanol at the typical strength (one conversion: ``ethanol_g``)."""
        return ethanol_g(self.volume_ml, self.typical_abv_percent)


_US_SERVINGS = cite("S76")  # 12 fl oz beer at 5 %, 5 fl oz wine at 12 %, 1.5 fl oz spirits at 40 %
_SERVING_SIZES = cite("wikipedia:alcohol-measurements")  # pint, schooner, UK spirits measure

# Typical strengths below are editable defaults for the picker, not clinical facts; the US ones
# are the strengths the US standard-drink definition uses (S76).
DRINK_PRESETS: tuple[DrinkPreset, ...] = (
    DrinkPreset("beer-can-us", "Beer, 12 fl oz can or bottle", "beer", 355.0, 5.0, _US_SERVINGS),
    DrinkPreset("beer-pint-uk", "Beer, imperial pint", "beer", 568.0, 4.0, _SERVING_SIZES),
    DrinkPreset("beer-schooner-au", "Beer, schooner (Australia)", "beer", 425.0, 4.8, _SERVING_SIZES),
    DrinkPreset("wine-glass", "Wine, 150 mL glass (about 5 fl oz)", "wine", 150.0, 12.0, _US_SERVINGS),
    DrinkPreset("spirits-shot-us", "Spirits, 1.5 fl oz shot", "spirits", 44.0, 40.0, _US_SERVINGS),
    DrinkPreset("spirits-measure-uk", "Spirits, 25 mL UK measure", "spirits", 25.0, 40.0, _SERVING_SIZES),
)
