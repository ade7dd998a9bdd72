"""The shapes every questionnaire shares: items, answer options, bands and a score result."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from naltrack.clinical.drinking import Sex


class InstrumentError(ValueError):
    """Answers that do not fit an instrument; the message names the item and what it allows."""


class AnswerKind(enum.Enum):
    """How an item is answered: the score beside the chosen option, or yes/no as true/false."""

    POINTS = "points"
    YES_NO = "yes_no"


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option: what the caller sends, the points it scores and a label in our words."""

    answer: int | bool
    points: int
    label: str


@dataclass(frozen=True, slots=True)
class Item:
    """One question, described by its topic in our own words (never the licensed wording)."""

    number: int
    topic: str
    options: tuple[Option, ...]
    kind: AnswerKind = AnswerKind.POINTS

    @property
    def allowed_answers(self) -> tuple[int | bool, ...]:
        return tuple(option.answer for option in self.options)

    @property
    def max_points(self) -> int:
        return max(option.points for option in self.options)

    def points_for(self, answer: int | bool) -> int:
        """The points ``answer`` scores on this item (assumes it was validated)."""
        for option in self.options:
            if option.answer == answer and isinstance(option.answer, bool) == isinstance(answer, bool):
                return option.points
        raise InstrumentError(f"item {self.number} does not allow {answer!r}")


@dataclass(frozen=True, slots=True)
class Band:
    """A range of totals (inclusive at both ends) with its name, meaning and source."""

    name: str
    low: int
    high: int
    meaning: str
    sources: tuple[str, ...]

    def contains(self, total: int) -> bool:
        return self.low <= total <= self.high


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A scored questionnaire: its total, the band the total falls in and any flags raised."""

    instrument: str
    total: int
    band: str
    flags: tuple[str, ...] = ()


# A rule hook: given the per-item points, the total and the sex (if known), choose the band and the
# flags. Instruments without special rules use ``band_for`` alone.
Interpretation = Callable[[tuple[int, ...], int, "Sex | None"], tuple[Band, tuple[str, ...]]]


@dataclass(frozen=True, slots=True)
class Instrument:
    """A questionnaire as data: items, bands and the rule that reads a total."""

    name: str
    title: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    sources: tuple[str, ...]
    interpret: Interpretation | None = field(default=None, compare=False)

    @property
    def max_total(self) -> int:
        return sum(item.max_points for item in self.items)

    def band_named(self, name: str) -> Band:
        """The band called ``name`` (KeyError when there is none)."""
        for band in self.bands:
            if band.name == name:
                return band
        raise KeyError(name)


def band_for(bands: Sequence[Band], total: int) -> Band:
    """The band whose inclusive range holds ``total``."""
    for band in bands:
        if band.contains(total):
            return band
    raise InstrumentError(f"total {total} is outside every band")


def scored_options(*points_and_labels: tuple[int, str]) -> tuple[Option, ...]:
    """Options answered by their printed score."""
    return tuple(Option(points, points, label) for points, label in points_and_labels)


def graded_options(*points: int) -> tuple[Option, ...]:
    """Options for an observed sign graded from none to most marked, labelled in our own words."""
    grades = {
        3: ("none", "moderate", "most marked"),
        4: ("none", "slight", "moderate", "most marked"),
        5: ("none", "slight", "moderate", "strong", "most marked"),
    }[len(points)]
    return tuple(Option(p, p, f"{grade} ({p} points)") for p, grade in zip(points, grades, strict=True))


def yes_no_options(*, yes_points: int, no_points: int) -> tuple[Option, ...]:
    """Options for a yes/no item answered with true (yes) or false (no)."""
    return (Option(False, no_points, "no"), Option(True, yes_points, "yes"))
