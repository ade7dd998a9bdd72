"""Hypothesis strategies for dose histories of the pharmacology model."""

from __future__ import annotations

from hypothesis import strategies as st

from naltrack.clinical.pharmacology import Dose, DoseKind

WINDOW_H = 240  # ten days: long enough for a depot's second peak, short enough to stay fast

# Dose hours on quarter hours and at arbitrary fractions, so inputs fall both on and between grid points.
dose_hours = st.one_of(
    st.integers(min_value=0, max_value=4 * WINDOW_H).map(lambda q: q / 4),
    st.floats(min_value=0, max_value=WINDOW_H, allow_nan=False, allow_infinity=False),
)
oral_doses = st.builds(
    Dose, st.just(DoseKind.ORAL), st.sampled_from([25.0, 50.0, 100.0, 150.0]) | st.floats(1.0, 300.0), dose_hours
)
xr_doses = st.builds(Dose, st.just(DoseKind.XR), st.sampled_from([190.0, 380.0]) | st.floats(1.0, 380.0), dose_hours)
doses = st.one_of(oral_doses, xr_doses)
dose_histories = st.lists(doses, min_size=0, max_size=8)
