"""DAST-10, the Drug Abuse Screening Test: ten yes/no items, one point per yes except item 3.

Item 3 (being able to stop) is reverse-keyed: "no" scores the point (S127, S128). Bands: 0 none,
1–2 low, 3–5 moderate, 6–8 substantial, 9–10 severe (S127, S129). The item topics are display
text only; the reference lists them from memory (its only verified item fact is item 3's keying),
so scoring never depends on them.
"""

from __future__ import annotations

from naltrack.clinical.instruments._model import AnswerKind, Band, Instrument, Item, yes_no_options
from naltrack.clinical.sources import cite

_SCORING = (cite("S127"), cite("S128"))
_BANDS = (cite("S127"), cite("S129"))

REVERSE_KEYED_ITEM = 3

_TOPICS = (
    "Drug use other than for medical reasons",
    "Using more than one drug at a time",
    "Always being able to stop using drugs when wanted",
    "Blackouts or flashbacks from drug use",
    "Feeling bad or guilty about drug use",
    "A partner or parent complaining about the drug use",
    "Neglecting family because of drug use",
    "Illegal activity to get drugs",
    "Withdrawal symptoms on stopping",
    "Medical problems from drug use",
)

ITEMS: tuple[Item, ...] = tuple(
    Item(number, topic,
         yes_no_options(yes_points=0, no_points=1) if number == REVERSE_KEYED_ITEM
         else yes_no_options(yes_points=1, no_points=0),
         AnswerKind.YES_NO)
    for number, topic in enumerate(_TOPICS, start=1)
)

BANDS: tuple[Band, ...] = (
    Band("none", 0, 0, "No problems reported", _BANDS),
    Band("low", 1, 2, "Low level; monitor and reassess", _BANDS),
    Band("moderate", 3, 5, "Moderate level; investigate further", _BANDS),
    Band("substantial", 6, 8, "Substantial level; intensive assessment", _BANDS),
    Band("severe", 9, 10, "Severe level; intensive assessment", _BANDS),
)

DAST_10 = Instrument("dast-10", "Drug Abuse Screening Test (DAST-10)", ITEMS, BANDS, (*_SCORING, *_BANDS))
