"""PHQ-9: nine items about the past two weeks, each 0–3, total 0–27 (Kroenke et al. 2001).

Bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe (S131, S133).
Any answer above 0 on item 9 (thoughts of being better off dead or of self-harm) raises the
``self_harm_item`` flag whatever the total (S134); callers turn it into an urgent response through
the triage rules.
"""

from __future__ import annotations

from naltrack.clinical.drinking import Sex
from naltrack.clinical.instruments._model import Band, Instrument, Item, Option, band_for, scored_options
from naltrack.clinical.sources import cite

_SCALE = (cite("S130"), cite("S131"))
_TOPICS_SOURCE = (cite("S132"),)
_BANDS = (cite("S131"), cite("S133"))
_ITEM_9 = (cite("S134"),)

# The 0–3 frequency scale over the past two weeks, shared with GAD-7 (S130, S131).
FREQUENCY_OPTIONS: tuple[Option, ...] = scored_options(
    (0, "not at all"), (1, "on several days"), (2, "on more than half of the days"), (3, "almost every day"),
)

_TOPICS = (
    "Little interest or pleasure in doing things",
    "Feeling low, depressed or hopeless",
    "Sleep trouble: too little or too much",
    "Tiredness or low energy",
    "Appetite: too little or too much",
    "Feeling a failure or blaming oneself",
    "Trouble concentrating",
    "Moving or speaking slowly, or being unusually restless",
    "Thoughts of being better off dead or of self-harm",
)

ITEMS: tuple[Item, ...] = tuple(
    Item(number, topic, FREQUENCY_OPTIONS) for number, topic in enumerate(_TOPICS, start=1)
)

BANDS: tuple[Band, ...] = (
    Band("minimal", 0, 4, "Minimal depressive symptoms", _BANDS),
    Band("mild", 5, 9, "Mild depressive symptoms", _BANDS),
    Band("moderate", 10, 14, "Moderate depressive symptoms", _BANDS),
    Band("moderately_severe", 15, 19, "Moderately severe depressive symptoms", _BANDS),
    Band("severe", 20, 27, "Severe depressive symptoms", _BANDS),
)

SELF_HARM_ITEM = 9
SELF_HARM_FLAG = "self_harm_item"


def interpret_phq9(points: tuple[int, ...], total: int, sex: Sex | None) -> tuple[Band, tuple[str, ...]]:
    """Band from the total; any non-zero item 9 raises ``self_harm_item`` (S131, S133, S134)."""
    flags = (SELF_HARM_FLAG,) if points[SELF_HARM_ITEM - 1] > 0 else ()
    return band_for(BANDS, total), flags


PHQ_9 = Instrument("phq-9", "Patient Health Questionnaire (PHQ-9)", ITEMS, BANDS,
                   (*_SCALE, *_TOPICS_SOURCE, *_BANDS, *_ITEM_9), interpret_phq9)
