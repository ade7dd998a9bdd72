"""COWS, the Clinical Opiate Withdrawal Scale: 11 signs rated by a clinician (Wesson & Ling 2003).

Each sign allows only the scores the scale prints for it (S118, S119, S120); the total runs 0–48.
Severity: under 5 no meaningful withdrawal, 5–12 mild, 13–24 moderate, 25–36 moderately severe,
over 36 severe (S121). Option labels are graded descriptions in our own words; rate from the form.
"""

from __future__ import annotations

from naltrack.clinical.instruments._model import Band, Instrument, Item, graded_options, scored_options
from naltrack.clinical.sources import cite

_ITEMS = (cite("S117"), cite("S118"), cite("S119"), cite("S120"))
_SEVERITY = (cite("S121"),)

ITEMS: tuple[Item, ...] = (
    Item(1, "Resting pulse rate", scored_options(
        (0, "80 beats per minute or lower"), (1, "81 to 100"), (2, "101 to 120"), (4, "over 120"))),
    Item(2, "Sweating not explained by room temperature or activity", graded_options(0, 1, 2, 3, 4)),
    Item(3, "Restlessness while being observed", graded_options(0, 1, 3, 5)),
    Item(4, "Pupil size", graded_options(0, 1, 2, 5)),
    Item(5, "Aching bones or joints", graded_options(0, 1, 2, 4)),
    Item(6, "Runny nose or watering eyes", graded_options(0, 1, 2, 4)),
    Item(7, "Stomach or bowel upset", graded_options(0, 1, 2, 3, 5)),
    Item(8, "Tremor of the outstretched hands", graded_options(0, 1, 2, 4)),
    Item(9, "Yawning", graded_options(0, 1, 2, 4)),
    Item(10, "Anxiety or irritability", graded_options(0, 1, 2, 4)),
    Item(11, "Gooseflesh", graded_options(0, 3, 5)),
)

BANDS: tuple[Band, ...] = (
    Band("none", 0, 4, "No meaningful withdrawal (under 5)", _SEVERITY),
    Band("mild", 5, 12, "Mild withdrawal", _SEVERITY),
    Band("moderate", 13, 24, "Moderate withdrawal", _SEVERITY),
    Band("moderately_severe", 25, 36, "Moderately severe withdrawal", _SEVERITY),
    Band("severe", 37, 48, "Severe withdrawal (over 36)", _SEVERITY),
)

COWS = Instrument("cows", "Clinical Opiate Withdrawal Scale (COWS)", ITEMS, BANDS, (*_ITEMS, *_SEVERITY))
