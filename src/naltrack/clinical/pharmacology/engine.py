"""The fast path: exact superposition on a time grid in O(times + doses) per exponential mode.

Every output is a sum over modes k of S_k(t) = Σ_doses u_d e^(−λ_k (t − s_d)). On a grid of step
Δ each S_k obeys S_k(t_n) = S_k(t_(n−1)) e^(−λ_k Δ) + (inputs that arrived in (t_(n−1), t_n],
each already decayed by its exact offset). That recurrence is the closed form rewritten, not an
ODE step, so it agrees with :func:`superpose_directly` to rounding. The loop runs over time
steps only; every step is a handful of NumPy operations on arrays over patients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from naltrack.clinical.pharmacology.parameters import TYPICAL, ModelParameters, PatientParameters
from naltrack.clinical.pharmacology.response import (
    DoseTable,
    ModeTable,
    channel_inputs,
    mode_coefficients,
)

FloatArray = npt.NDArray[np.float64]

# Which modes (compartment rates) can appear in each output; see response.py's structure.
_OUTPUT_MODES = ((0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4, 5, 6, 7), (0, 1, 2, 3, 4, 5, 6, 8))
_NEVER_EMPTY_MODES = frozenset({6, 7, 8})        # plasma, 6β-naltrexol and effect site
_ORAL_MODES = frozenset({0})                     # the gut
_XR_MODES = frozenset({1, 2, 3, 4, 5})           # the depot phases


def run_grid(
    doses: DoseTable,
    n_steps: int,
    step_h: float,
    model: ModelParameters = TYPICAL,
    patients: PatientParameters | None = None,
    ec50_ng_ml: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Plasma naltrexone, 6β-naltrexol and effect-site concentration on t = 0, Δ, …, (n_steps − 1)Δ.

    Arrays are (times, patients). With ``ec50_ng_ml`` (one per patient) the third array is the
    occupancy Ce / (Ce + EC50) instead of Ce, computed while each step's row is still in cache.
    Patients are run in groups by the inputs they use (tablets only, injections only, both), so
    nobody pays for exponential modes their doses never excite.
    """
    patients = patients if patients is not None else PatientParameters.typical(model, doses.n_patients)
    modes = mode_coefficients(model, patients)
    patient, channel, amount, hour = channel_inputs(model, doses)
    step = np.ceil(hour / step_h).astype(np.int64)        # first grid time at or after the input
    keep = step < n_steps
    patient, channel, amount, hour, step = patient[keep], channel[keep], amount[keep], hour[keep], step[keep]
    offset_h = np.maximum(step * step_h - hour, 0.0)

    uses_oral = np.zeros(doses.n_patients, dtype=bool)
    uses_oral[patient[channel == 0]] = True
    uses_xr = np.zeros(doses.n_patients, dtype=bool)
    uses_xr[patient[channel > 0]] = True
    signature = uses_oral.astype(np.int64) + 2 * uses_xr.astype(np.int64)
    outputs = np.empty((n_steps, 3, doses.n_patients))
    groups = [np.flatnonzero(signature == code) for code in range(4)]
    groups = [g for g in groups if g.size]
    for members in groups:
        code = int(signature[members[0]])
        active = set(_NEVER_EMPTY_MODES)
        if code & 1:
            active |= _ORAL_MODES
        if code & 2:
            active |= _XR_MODES
        rows = [(o, k) for o, ks in enumerate(_OUTPUT_MODES) for k in ks if k in active]
        local = np.full(doses.n_patients, -1, dtype=np.int64)
        local[members] = np.arange(members.size)
        mine = local[patient] >= 0
        inputs = _Inputs(local[patient[mine]], channel[mine], amount[mine], step[mine], offset_h[mine])
        ec50 = None if ec50_ng_ml is None else ec50_ng_ml[members]
        # Where this group's values go in each step's flattened (3, patients) row of outputs.
        columns = (np.arange(3)[:, None] * doses.n_patients + members[None, :]).ravel()
        _recur(outputs, columns, rows, modes, members, inputs, step_h, ec50)
    return outputs[:, 0, :], outputs[:, 1, :], outputs[:, 2, :]


@dataclass(frozen=True, slots=True)
class _Inputs:
    patient: npt.NDArray[np.int64]
    channel: npt.NDArray[np.int64]
    amount: FloatArray
    step: npt.NDArray[np.int64]
    offset_h: FloatArray


def _recur(
    outputs: FloatArray,
    columns: npt.NDArray[np.int64],
    rows: list[tuple[int, int]],
    modes: ModeTable,
    members: npt.NDArray[np.int64],
    inputs: _Inputs,
    step_h: float,
    ec50_ng_ml: FloatArray | None,
) -> None:
    """Fill this group's ``columns`` of ``outputs`` (steps, 3, patients) by the per-mode recurrence."""
    n_steps = outputs.shape[0]
    n_patients = members.size
    row_rate = np.stack([modes.rates_per_h[k, members] for _, k in rows])      # (rows, patients)
    row_decay = np.exp(-row_rate * step_h)
    bounds = np.searchsorted([o for o, _ in rows], [0, 1, 2, 3])

    p = inputs.patient
    coefficient = np.stack([modes.coefficients[o, inputs.channel, k, members[p]] for o, k in rows])
    contribution = coefficient * inputs.amount * np.exp(-row_rate[:, p] * inputs.offset_h)

    # One column per (step, patient): inputs of the same patient in the same step are summed.
    key = inputs.step * n_patients + p
    order = np.argsort(key, kind="stable")
    key = key[order]
    if key.size:
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        summed = np.add.reduceat(contribution[:, order], starts, axis=1)
        key = key[starts]
    else:
        summed = contribution
    input_patient = key % n_patients
    step_bounds = np.searchsorted(key // n_patients, np.arange(n_steps + 1))

    flush_every = _steps_between_flushes(float(row_rate.max(initial=0.0)) * step_h)
    state = np.zeros((len(rows), n_patients))
    scratch = np.empty(n_patients)
    row = np.empty((3, n_patients))
    for n in range(n_steps):
        if n:
            state *= row_decay
            if n % flush_every == 0:
                state[np.abs(state) < _NEGLIGIBLE] = 0.0
        lo, hi = step_bounds[n], step_bounds[n + 1]
        if lo < hi:
            state[:, input_patient[lo:hi]] += summed[:, lo:hi]
        for o in range(3):
            np.add.reduce(state[bounds[o]:bounds[o + 1]], axis=0, out=row[o])
        # Exponentials that cancel (a dose's response is 0 at its own instant) can leave round-off a
        # few ulps below zero; concentrations are non-negative by construction, so those become zero.
        np.maximum(row, 0.0, out=row)
        if ec50_ng_ml is not None:
            np.add(row[2], ec50_ng_ml, out=scratch)
            np.divide(row[2], scratch, out=row[2])
        outputs[n].reshape(-1)[columns] = row.reshape(-1)


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
