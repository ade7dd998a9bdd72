"""Questionnaires as data, and the one function that scores them.

Each instrument (AUDIT, AUDIT-C, PACS, COWS, DAST-10, PHQ-9, GAD-7) is an ``Instrument``: its items
(topics in our own words, answer options with the points they carry) and its bands, every one with
its source. ``score`` validates a list of answers against the items and reads the total.

Answers are the score printed beside the chosen option for scored items, and true (yes) / false
(no) for yes/no items (DAST-10). Anything else is refused with a message naming the item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from naltrack.clinical.drinking import Sex
from naltrack.clinical.instruments._model import (
    AnswerKind,
    Band,
    Instrument,
    InstrumentError,
    Item,
    Option,
    ScoreResult,
    band_for,
)
from naltrack.clinical.instruments.audit import AUDIT, AUDIT_C
from naltrack.clinical.instruments.cows import COWS
from naltrack.clinical.instruments.dast10 import DAST_10
from naltrack.clinical.instruments.gad7 import GAD_7
from naltrack.clinical.instruments.pacs import PACS
from naltrack.clinical.instruments.phq9 import PHQ_9

__all__ = [
    "INSTRUMENTS",
    "AnswerKind",
    "Band",
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "ScoreResult",
    "get_instrument",
    "score",
]

INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType(
    {instrument.name: instrument for instrument in (AUDIT, AUDIT_C, PACS, COWS, DAST_10, PHQ_9, GAD_7)}
)


def get_instrument(name: str) -> Instrument:
    """The instrument registered as ``name`` (audit, audit-c, pacs, cows, dast-10, phq-9, gad-7)."""
    try:
        return INSTRUMENTS[name]
    except KeyError:
        known = ", ".join(INSTRUMENTS)
        raise InstrumentError(f"unknown instrument {name!r}; known instruments: {known}") from None


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _points_for_answer(instrument: Instrument, item: Item, answer: object) -> int:
    where = f"{instrument.name} item {item.number} ({item.topic})"
    allowed = ", ".join(_show(a) for a in item.allowed_answers)
    if item.kind is AnswerKind.YES_NO:
        if not isinstance(answer, bool):
            raise InstrumentError(f"{where} is answered true (yes) or false (no), not {_show(answer)}")
    elif isinstance(answer, bool) or not isinstance(answer, int):
        raise InstrumentError(f"{where} needs the score of a listed option ({allowed}), not {_show(answer)}")
    elif answer not in item.allowed_answers:
        raise InstrumentError(f"{where} does not allow {answer}; allowed scores: {allowed}")
    return item.points_for(answer)


def score(instrument_name: str, answers: Sequence[object], *, sex: Sex | None = None) -> ScoreResult:
    """Score one questionnaire: validate each answer, add the points, read band and flags.

    Sources: each instrument's module (S98–S135). ``sex`` matters only for AUDIT-C, whose positive
    screen differs for men and women (S105, S106); without it both cut-offs are reported.
    """
    instrument = get_instrument(instrument_name)
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise InstrumentError(f"{instrument.name} answers must be a list, one entry per item")
    if len(answers) != len(instrument.items):
        raise InstrumentError(
            f"{instrument.name} expects {len(instrument.items)} answers, one per item; got {len(answers)}"
        )
    points = tuple(
        _points_for_answer(instrument, item, answer)
        for item, answer in zip(instrument.items, answers, strict=True)
    )
    total = sum(points)
    flags: tuple[str, ...] = ()
    if instrument.interpret is None:
        band = band_for(instrument.bands, total)
    else:
        band, flags = instrument.interpret(points, total, sex)
    return ScoreResult(instrument.name, total, band.name, flags)
