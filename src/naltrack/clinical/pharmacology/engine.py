"""The fast path: exact superposition on a time grid in O(times + doses) per exponential mode.

Every output is a sum over modes k of S_k(t) = Σ_doses u_d e^(−λ_k (t − s_d)). On a grid of step
Δ each S_k obeys S_k(t_n) = S_k(t_(n−1)) e^(−λ_k Δ) + (inputs that arrived in (t_(n−1), t_n],
each already decayed by its exact offset). That recurrence is the closed form rewritten, not an
ODE step, so it agrees with :func:`superpose_directly` to rounding. The loop runs over time
steps only; every step is a handful of NumPy operations on arrays over patients.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from naltrack.clinical.pharmacology.parameters import TYPICAL, ModelParameters, PatientParameters
from naltrack.clinical.pharmacology.response import (
    DoseTable,
    channel_inputs,
    mode_coefficients,
)

FloatArray = npt.NDArray[np.float64]

# Which modes (compartment rates) can appear in each output; see response.py's structure.
_OUTPUT_MODES = ((0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4, 5, 6, 7), (0, 1, 2, 3, 4, 5, 6, 8))


def run_grid(
    doses: DoseTable,
    n_steps: int,
    step_h: float,
    model: ModelParameters = TYPICAL,
    patients: PatientParameters | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Plasma naltrexone, 6β-naltrexol and effect-site concentration on t = 0, Δ, …, (n_steps − 1)Δ.

    Arrays are (times, patients), C-ordered so each time step is one contiguous row.
    """
    patients = patients if patients is not None else PatientParameters.typical(model, doses.n_patients)
    n_patients = doses.n_patients
    modes = mode_coefficients(model, patients)
    rows = [(o, k) for o, ks in enumerate(_OUTPUT_MODES) for k in ks]
    row_rate = np.stack([modes.rates_per_h[k] for _, k in rows])                 # (rows, patients)
    row_decay = np.exp(-row_rate * step_h)
    bounds = np.cumsum([0, *(len(ks) for ks in _OUTPUT_MODES)])

    patient, channel, amount, hour = channel_inputs(model, doses)
    step = np.ceil(hour / step_h).astype(np.int64)        # first grid time at or after the input
    keep = step < n_steps
    patient, channel, amount, hour, step = patient[keep], channel[keep], amount[keep], hour[keep], step[keep]
    offset_h = np.maximum(step * step_h - hour, 0.0)
    coefficient = np.stack([modes.coefficients[o, channel, k, patient] for o, k in rows])
    inputs = coefficient * amount * np.exp(-row_rate[:, patient] * offset_h)    # (rows, inputs)

    # One column per (step, patient): inputs of the same patient in the same step are summed.
    key = step * n_patients + patient
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else np.zeros(0, dtype=np.int64)
    summed = np.add.reduceat(inputs[:, order], starts, axis=1) if key.size else inputs
    first_key = key[starts] if key.size else key
    input_step = first_key // n_patients
    input_patient = first_key % n_patients
    step_bounds = np.searchsorted(input_step, np.arange(n_steps + 1))

    # Sums of each output's modes as one small matrix product per step (rows -> 3 outputs).
    summing = np.zeros((3, len(rows)))
    for o in range(3):
        summing[o, bounds[o]:bounds[o + 1]] = 1.0
    flush_every = _steps_between_flushes(float(row_rate.max()) * step_h)

    state = np.zeros((len(rows), n_patients))
    outputs = np.empty((n_steps, 3, n_patients))
    for n in range(n_steps):
        if n:
            state *= row_decay
            if n % flush_every == 0:
                state[np.abs(state) < _NEGLIGIBLE] = 0.0
        lo, hi = step_bounds[n], step_bounds[n + 1]
        if lo < hi:
            state[:, input_patient[lo:hi]] += summed[:, lo:hi]
        np.matmul(summing, state, out=outputs[n])
    # Exponentials that cancel (a dose's response is 0 at its own instant) can leave round-off a few
    # ulps below zero; concentrations are non-negative by construction, so those are set to zero.
    np.maximum(outputs, 0.0, out=outputs)
    return outputs[:, 0, :], outputs[:, 1, :], outputs[:, 2, :]


# Mode states below this are set to exactly zero before they decay into subnormal numbers, which
# the processor handles dozens of times more slowly. 1e-150 ng/mL is zero for every purpose here.
_NEGLIGIBLE = 1e-150
_SMALLEST_NORMAL = float(np.finfo(np.float64).tiny)


def _steps_between_flushes(fastest_decay: float) -> int:
    """How many steps a state just above the flush level needs to reach the subnormal range."""
    if fastest_decay <= 0:
        return 1_000_000
    headroom = np.log(_NEGLIGIBLE) - np.log(_SMALLEST_NORMAL)
    return max(1, int(headroom / fastest_decay) - 1)
