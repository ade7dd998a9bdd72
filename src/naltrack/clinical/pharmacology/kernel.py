"""The compiled grid recurrence (Numba): one pass per patient over its hours, all modes in registers.

The model has nine exponential modes (response.py). Each is kept as one running sum ``y_k`` per
patient, decayed by e^(−λ_k Δ) every step; the three outputs are fixed weighted sums of them:

    plasma    = y0 + y1 + … + y6
    naltrexol = w0 y0 + … + w6 y6 + y7        (weights ``naltrexol_weight``)
    effect    = v0 y0 + … + v6 y6 + y8        (weights ``effect_weight``)

That factorisation is exact for this model (engine._modal_tables derives and checks it): every
mode up to 6 reaches 6β-naltrexol and the effect site only through plasma, in a fixed proportion.

Doses are read straight from the dose table (sorted by patient, then hour): each input channel
(the gut; the injection's three depot phases, each after its lag) has a cursor, and a dose is added
at the first grid time at or after it enters its channel, already decayed by that offset. Between
two such times the loop only decays and writes, with no calls, so the nine sums, their decays and
the weights stay in registers: a step is a few multiplies and adds, one division and three
stores. A patient without injections runs a copy of that loop without the five depot modes.

NumPy's loop (engine._recur) computes the same sums per (output, mode) pair; the two agree to
rounding (tests/clinical/test_pharmacology.py). The loop releases the GIL, so engine runs blocks of
patients on all cores at once. Imported only when engine.run_grid chooses this loop, so a process
that never simulates a large population never loads Numba. ``cache=True`` keeps the machine code
on disk (next to this file, or in Numba's user cache when that is read-only), so only the first
run after an install compiles.
"""

from __future__ import annotations

import math

import numba
import numpy as np

N_CHANNELS = 4     # gut, injection burst, hydrating phase, eroding phase (response.CHANNELS)


def thread_count() -> int:
    """Threads for blocks of patients: Numba's setting (NUMBA_NUM_THREADS, numba.set_num_threads)."""
    return int(numba.get_num_threads())


@numba.njit(cache=True, nogil=True)
def doses_in_order(patient: np.ndarray, hour: np.ndarray) -> bool:
    """Whether a dose table's rows are sorted by patient and, within each patient, by hour."""
    for i in range(1, patient.size):
        if patient[i] < patient[i - 1] or (patient[i] == patient[i - 1] and hour[i] < hour[i - 1]):
            return False
    return True


@numba.njit(cache=True, nogil=True, error_model="numpy")
def fill_patients(
    out: np.ndarray,               # (3, patients, steps) float64: plasma, naltrexol, effect or occupancy
    first_patient: int,            # this call fills patients first_patient .. stop_patient - 1
    stop_patient: int,
    step_h: float,
    rates_per_h: np.ndarray,       # (patients, 9) float64: λ_k
    naltrexol_weight: np.ndarray,  # (patients, 7) float64
    effect_weight: np.ndarray,     # (patients, 7) float64
    input_weight: np.ndarray,      # (patients, 4 channels, 9) float64: y_k per mg entering channel c
    first_dose: np.ndarray,        # (patients + 1,) int64: patient p's doses are first_dose[p]:[p + 1]
    dose_kind: np.ndarray,         # (doses,) int64: 0 oral, 1 injection; sorted by patient, then hour
    dose_mg: np.ndarray,           # (doses,) float64
    dose_hour: np.ndarray,         # (doses,) float64
    channel_kind: np.ndarray,      # (4,) int64: the dose kind each channel takes
    channel_fraction: np.ndarray,  # (4,) float64: the share of such a dose the channel takes
    channel_lag_h: np.ndarray,     # (4,) float64: hours from the dose until it enters the channel
    flush_every: int,              # steps a sum may run before small values are set to zero
    negligible: float,
    ec50_ng_ml: np.ndarray,        # (patients,) float64; used when ``occupancy``
    occupancy: bool,
) -> None:
    for p in range(first_patient, stop_patient):
        has_depot = False
        for j in range(first_dose[p], first_dose[p + 1]):
            has_depot |= dose_kind[j] != 0
        # The third output is effect / (a effect + b): occupancy with (1, EC50), Ce itself with (0, 1),
        # so the loop needs no branch for it.
        a, b = (1.0, ec50_ng_ml[p]) if occupancy else (0.0, 1.0)
        # The same loop compiled twice (``depot`` is a constant in each): tablets only skip modes 1–5.
        if has_depot:
            _fill_patient(p, True, out, step_h, rates_per_h, naltrexol_weight, effect_weight, input_weight,
                          first_dose, dose_kind, dose_mg, dose_hour, channel_kind, channel_fraction, channel_lag_h,
                          flush_every, negligible, a, b)
        else:
            _fill_patient(p, False, out, step_h, rates_per_h, naltrexol_weight, effect_weight, input_weight,
                          first_dose, dose_kind, dose_mg, dose_hour, channel_kind, channel_fraction, channel_lag_h,
                          flush_every, negligible, a, b)


@numba.njit(inline="always", error_model="numpy")
def _fill_patient(
    p: int,
    depot: bool,
    out: np.ndarray,
    step_h: float,
    rates_per_h: np.ndarray,
    naltrexol_weight: np.ndarray,
    effect_weight: np.ndarray,
    input_weight: np.ndarray,
    first_dose: np.ndarray,
    dose_kind: np.ndarray,
    dose_mg: np.ndarray,
    dose_hour: np.ndarray,
    channel_kind: np.ndarray,
    channel_fraction: np.ndarray,
    channel_lag_h: np.ndarray,
    flush_every: int,
    negligible: float,
    a: float,
    b: float,
) -> None:
    n_steps = out.shape[2]
    rate = rates_per_h[p]
    d0, d1, d2, d3, d4, d5, d6, d7, d8 = np.exp(-rate * step_h)
    w0, w1, w2, w3, w4, w5, w6 = naltrexol_weight[p]
    v0, v1, v2, v3, v4, v5, v6 = effect_weight[p]
    plasma_out, naltrexol_out, effect_out = out[0, p], out[1, p], out[2, p]
    first, stop = first_dose[p], first_dose[p + 1]
    # One cursor per channel: the next dose of the channel's kind, and the step it is added at.
    cursor = np.empty(N_CHANNELS, dtype=np.int64)
    due = np.empty(N_CHANNELS, dtype=np.int64)
    for c in range(N_CHANNELS):
        cursor[c], due[c] = _next_dose(first, stop, c, dose_kind, dose_hour, channel_kind, channel_lag_h, step_h,
                                       n_steps)
    y0 = y1 = y2 = y3 = y4 = y5 = y6 = y7 = y8 = 0.0
    n = 0
    while n < n_steps:
        # At step n the sums are decayed to step n. Sums that have decayed to nothing become exactly
        # zero before they reach the subnormal range, where arithmetic is many times slower; a
        # segment is at most flush_every steps long (engine._NEGLIGIBLE).
        y0 = y0 if abs(y0) >= negligible else 0.0
        y1 = y1 if abs(y1) >= negligible else 0.0
        y2 = y2 if abs(y2) >= negligible else 0.0
        y3 = y3 if abs(y3) >= negligible else 0.0
        y4 = y4 if abs(y4) >= negligible else 0.0
        y5 = y5 if abs(y5) >= negligible else 0.0
        y6 = y6 if abs(y6) >= negligible else 0.0
        y7 = y7 if abs(y7) >= negligible else 0.0
        y8 = y8 if abs(y8) >= negligible else 0.0
        for c in range(N_CHANNELS):
            while due[c] == n:
                # The dose entered the channel offset_h before this grid time: add it already
                # decayed by that much. A channel excites four or five of the nine modes.
                j = cursor[c]
                offset_h = max(n * step_h - (dose_hour[j] + channel_lag_h[c]), 0.0)
                mg = dose_mg[j] * channel_fraction[c]
                weight = input_weight[p, c]
                if weight[0]:
                    y0 += weight[0] * _decayed(mg, rate[0], offset_h)
                if weight[1]:
                    y1 += weight[1] * _decayed(mg, rate[1], offset_h)
                if weight[2]:
                    y2 += weight[2] * _decayed(mg, rate[2], offset_h)
                if weight[3]:
                    y3 += weight[3] * _decayed(mg, rate[3], offset_h)
                if weight[4]:
                    y4 += weight[4] * _decayed(mg, rate[4], offset_h)
                if weight[5]:
                    y5 += weight[5] * _decayed(mg, rate[5], offset_h)
                y6 += weight[6] * _decayed(mg, rate[6], offset_h)
                y7 += weight[7] * _decayed(mg, rate[7], offset_h)
                y8 += weight[8] * _decayed(mg, rate[8], offset_h)
                cursor[c], due[c] = _next_dose(j + 1, stop, c, dose_kind, dose_hour, channel_kind, channel_lag_h,
                                               step_h, n_steps)
        # Steps n .. end - 1 take no new doses: write each, then decay to the next.
        end = min(due.min(), n + flush_every, n_steps)
        for m in range(n, end):
            plasma = y0 + y6
            naltrexol = w0 * y0 + w6 * y6 + y7
            effect = v0 * y0 + v6 * y6 + y8
            if depot:
                plasma += y1 + y2 + y3 + y4 + y5
                naltrexol += w1 * y1 + w2 * y2 + w3 * y3 + w4 * y4 + w5 * y5
                effect += v1 * y1 + v2 * y2 + v3 * y3 + v4 * y4 + v5 * y5
            # Exponentials that cancel (a response is 0 at its own instant) leave round-off a few
            # ulps below zero; concentrations are non-negative by construction.
            plasma_out[m] = max(plasma, 0.0)
            naltrexol_out[m] = max(naltrexol, 0.0)
            effect = max(effect, 0.0)
            effect_out[m] = effect / (a * effect + b)
            y0 *= d0
            y6 *= d6
            y7 *= d7
            y8 *= d8
            if depot:
                y1 *= d1
                y2 *= d2
                y3 *= d3
                y4 *= d4
                y5 *= d5
        n = end


@numba.njit(cache=True)
def _decayed(mg: float, rate_per_h: float, offset_h: float) -> float:
    """mg decayed at rate_per_h for offset_h hours; doses given on a grid time need no exp."""
    return mg if offset_h == 0.0 else mg * math.exp(-rate_per_h * offset_h)


@numba.njit(cache=True)
def _next_dose(
    j: int,
    stop: int,
    c: int,
    dose_kind: np.ndarray,
    dose_hour: np.ndarray,
    channel_kind: np.ndarray,
    channel_lag_h: np.ndarray,
    step_h: float,
    n_steps: int,
) -> tuple[int, int]:
    """From dose j on, the next dose channel c takes, and the first step at or after it enters (or n_steps)."""
    while j < stop and dose_kind[j] != channel_kind[c]:
        j += 1
    if j == stop:
        return j, n_steps
    return j, min(math.ceil((dose_hour[j] + channel_lag_h[c]) / step_h), n_steps)
