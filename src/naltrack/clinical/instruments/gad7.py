"""GAD-7: seven items on the 0–3 frequency scale, total 0–21 (Spitzer et al. 2006).

Cut-points 5, 10 and 15 mark mild, moderate and severe anxiety; totals under 5 are minimal
(S131, S134, S135). Topics are in our own words; the reference verifies four of them (S135).
"""

from __future__ import annotations

from naltrack.clinical.instruments._model import Band, Instrument, Item
from naltrack.clinical.instruments.phq9 import FREQUENCY_OPTIONS
from naltrack.clinical.sources import cite

_BANDS = (cite("S131"), cite("S134"), cite("S135"))

_TOPICS = (
    "Feeling nervous, anxious or on edge",
    "Worry that cannot be stopped or controlled",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Restlessness that makes sitting still hard",
    "Becoming easily annoyed or irritable",
    "Fear that something awful might happen",
)

ITEMS: tuple[Item, ...] = tuple(
    Item(number, topic, FREQUENCY_OPTIONS) for number, topic in enumerate(_TOPICS, start=1)
)

BANDS: tuple[Band, ...] = (
    Band("minimal", 0, 4, "Below the mild cut-point (5)", _BANDS),
    Band("mild", 5, 9, "Mild anxiety", _BANDS),
    Band("moderate", 10, 14, "Moderate anxiety", _BANDS),
    Band("severe", 15, 21, "Severe anxiety", _BANDS),
)

GAD_7 = Instrument("gad-7", "Generalized Anxiety Disorder scale (GAD-7)", ITEMS, BANDS,
                   (cite("S130"), *_BANDS))
