"""Hypothesis strategies for drinks, questionnaire answers and patient-day cohorts."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from naltrack.clinical.drinking import Sex
from naltrack.clinical.instruments import INSTRUMENTS, Instrument
from naltrack.clinical.outcomes import DrinkingDay, PatientDay

FIRST_DAY = date(2024, 1, 1)

sexes = st.sampled_from(list(Sex))

# Quarter drinks from 0 to 30, often 0: sums of quarters are exact in any order, so the columnar
# engine and the pure functions must agree to the last digit.
standard_drinks = st.one_of(st.just(0.0), st.integers(1, 120).map(lambda quarters: quarters / 4))


def answers_for(instrument: Instrument) -> st.SearchStrategy[list[int | bool]]:
    """A valid answer list for ``instrument``: one allowed answer per item."""
    return st.tuples(*(st.sampled_from(item.allowed_answers) for item in instrument.items)).map(list)


instruments = st.sampled_from(list(INSTRUMENTS.values()))
instrument_answers = instruments.flatmap(lambda i: st.tuples(st.just(i), answers_for(i)))


@st.composite
def drinking_days(draw: st.DrawFn, min_size: int = 0, max_size: int = 40) -> list[DrinkingDay]:
    """Recorded days with distinct dates (gaps are missing days) and quarter-drink amounts."""
    offsets = draw(st.sets(st.integers(0, 90), min_size=min_size, max_size=max_size))
    return [
        DrinkingDay(FIRST_DAY + timedelta(days=offset), draw(standard_drinks)) for offset in sorted(offsets)
    ]


@st.composite
def cohort_rows(draw: st.DrawFn, max_patients: int = 8) -> list[PatientDay]:
    """Patient-day rows for a few patients, each with one sex and distinct dates."""
    rows: list[PatientDay] = []
    for number in range(draw(st.integers(1, max_patients))):
        sex = draw(sexes)
        for record in draw(drinking_days(min_size=1, max_size=30)):
            rows.append(PatientDay(f"patient-{number}", record.day, record.standard_drinks, sex))
    return draw(st.permutations(rows))
