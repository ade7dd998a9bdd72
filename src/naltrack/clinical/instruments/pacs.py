"""PACS, the Penn Alcohol Craving Scale: five items about the past week, each 0–6, total 0–30.

Items and range from Flannery et al. 1999 and the PhenX protocol (S108, S109, S110 for topics only).
A total above 20 was proposed as the mark of craving being present; Hartwell et al. 2019 suggest
15 or more in people not seeking treatment (S111), which naltrack reports as a flag.
"""

from __future__ import annotations

from naltrack.clinical.drinking import Sex
from naltrack.clinical.instruments._model import Band, Instrument, Item, Option, band_for
from naltrack.clinical.sources import cite

_ITEMS = (cite("S108"), cite("S109"), cite("S110"))
_CUTOFFS = (cite("S111"),)


def _rating_options(lowest: str, highest: str) -> tuple[Option, ...]:
    middle = tuple(Option(points, points, f"{points} on the 0–6 scale") for points in range(1, 6))
    return (Option(0, 0, f"0: {lowest}"), *middle, Option(6, 6, f"6: {highest}"))


ITEMS: tuple[Item, ...] = (
    Item(1, "How often drinking came to mind in the past week",
         _rating_options("never", "more than 40 times in the week (more than 6 a day)")),
    Item(2, "How strong the craving was at its worst in the past week",
         _rating_options("none", "the strongest")),
    Item(3, "How much time went on thinking about drinking in the past week",
         _rating_options("none", "the most")),
    Item(4, "How hard it would have been not to drink with alcohol at home",
         _rating_options("not hard", "the hardest")),
    Item(5, "Craving overall, on average, in the past week",
         _rating_options("none", "the strongest")),
)

CRAVING_PRESENT_ABOVE = 20
NON_TREATMENT_SEEKER_CUTOFF = 15

BANDS: tuple[Band, ...] = (
    Band("below_craving_cutoff", 0, CRAVING_PRESENT_ABOVE, "Below the proposed craving cut-off (over 20)",
         _CUTOFFS),
    Band("craving_present", CRAVING_PRESENT_ABOVE + 1, 30, "Craving present (total over 20)", _CUTOFFS),
)


def interpret_pacs(points: tuple[int, ...], total: int, sex: Sex | None) -> tuple[Band, tuple[str, ...]]:
    """Band by the over-20 cut-off, plus a flag at the 15-or-more cut-off (S111)."""
    flags = ("at_or_above_non_treatment_seeker_cutoff",) if total >= NON_TREATMENT_SEEKER_CUTOFF else ()
    return band_for(BANDS, total), flags


PACS = Instrument("pacs", "Penn Alcohol Craving Scale (PACS)", ITEMS, BANDS, (*_ITEMS, *_CUTOFFS),
                  interpret_pacs)
