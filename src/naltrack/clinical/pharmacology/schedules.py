"""Named regimens expanded into dose lists over a simulated window."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from naltrack.clinical.pharmacology.response import Dose, DoseKind
from naltrack.clinical.regimens import ORAL_DAILY_DOSE_MG, XR_DOSE_MG, XR_INTERVAL_DAYS
from naltrack.clinical.sources import cite

__all__ = ["REGIMENS", "RegimenPattern", "expand_regimen"]

_WEEK_H = 7 * 24


@dataclass(frozen=True, slots=True)
class RegimenPattern:
    """A repeating dose pattern: (hour within the cycle, mg) pairs, a cycle length and its sources."""

    kind: DoseKind
    cycle_h: float
    doses: tuple[tuple[float, float], ...]
    sources: tuple[str, ...]


REGIMENS: Mapping[str, RegimenPattern] = MappingProxyType({
    # 50 mg once a day (S7, S8).
    "oral-daily": RegimenPattern(DoseKind.ORAL, 24.0, ((0.0, ORAL_DAILY_DOSE_MG),), (cite("S7"), cite("S8"))),
    # Three times a week, 100 + 100 + 150 mg (S9). The days are ours: 150 mg goes before the 72-hour
    # gap because 150 mg blocks for about 72 h (S25); the clinic chooses real weekdays.
    "oral-supervised": RegimenPattern(
        DoseKind.ORAL, _WEEK_H, ((0.0, 100.0), (48.0, 100.0), (96.0, 150.0)), (cite("S9"), cite("S25"))
    ),
    # The label's supervised alternatives (S7).
    "oral-every-second-day": RegimenPattern(DoseKind.ORAL, 48.0, ((0.0, 100.0),), (cite("S7"),)),
    "oral-every-third-day": RegimenPattern(DoseKind.ORAL, 72.0, ((0.0, 150.0),), (cite("S7"),)),
    "oral-weekdays-saturday": RegimenPattern(
        DoseKind.ORAL, _WEEK_H, (*((24.0 * day, 50.0) for day in range(5)), (120.0, 100.0)), (cite("S7"),)
    ),
    # 380 mg deep IM every 4 weeks (S33).
    "xr-injection": RegimenPattern(
        DoseKind.XR, 24.0 * XR_INTERVAL_DAYS, ((0.0, XR_DOSE_MG),), (cite("S33"), cite("S35"))
    ),
})


def expand_regimen(name: str, hours: float) -> tuple[Dose, ...]:
    """Every dose of regimen ``name`` from hour 0 up to and including ``hours`` (sources: REGIMENS)."""
    pattern = REGIMENS.get(name)
    if pattern is None:
        raise ValueError(f"unknown regimen {name!r}: choose one of {', '.join(REGIMENS)}")
    doses: list[Dose] = []
    start = 0.0
    while start <= hours:
        doses.extend(Dose(pattern.kind, mg, start + offset) for offset, mg in pattern.doses if start + offset <= hours)
        start += pattern.cycle_h
    return tuple(doses)
