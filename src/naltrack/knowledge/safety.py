"""The safety layer that runs before any search: red-flag symptoms come first.

The Ask engine writes no symptom rules of its own. It hands every question to the clinical
triage (`naltrack.clinical.triage.triage_text`), and when that says the question is urgent,
the answer leads with triage's advice (what to do now, the emergency number) before any
guide sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SafetyCheck:
    """What the triage made of a question: is it urgent, what to do now, and its sources."""

    is_urgent: bool
    advice: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    is_crisis: bool = False


NOT_URGENT = SafetyCheck(is_urgent=False)

# A triage function: (question, country=str | None) -> an object shaped like clinical.triage.TextTriage.
Triage = Callable[..., Any]


def clinical_triage() -> Triage:
    """The clinical core's free-text triage (imported on first use, so a cold start stays light)."""
    from naltrack.clinical.triage import triage_text

    function: Triage = triage_text
    return function


def check_question(question: str, *, country: str | None, triage: Triage | None = None) -> SafetyCheck:
    """Run the triage on a question and keep what the answer needs (urgency, advice, sources).

    ``country`` picks the emergency numbers; None (the reader's country is unknown) gives "your local
    emergency number" with examples (naltrack.clinical.emergency.contacts_for).
    """
    result = (triage or clinical_triage())(question, country=country)
    return SafetyCheck(
        is_urgent=bool(result.is_urgent),
        advice=tuple(str(line) for line in result.advice),
        sources=tuple(str(key) for key in result.sources),
        codes=tuple(str(code) for code in result.codes),
        is_crisis=bool(result.is_crisis),
    )
