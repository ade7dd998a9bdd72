"""The fast path: exact superposition on a time grid in O(times + doses) per exponential mode.

Every output is a sum over modes k of S_k(t) = Σ_doses u_d e^(−λ_k (t − s_d)). On a grid of step
Δ each S_k obeys S_k(t_n) = S_k(t_(n−1)) e^(−λ_k Δ) + (inputs that arrived in (t_(n−1), t_n],
each already decayed by its exact offset). That recurrence is the closed form rewritten, not an
ODE step, so it agrees with :func:`superpose_directly` to rounding.

The recurrence runs one of two ways, which agree to rounding (tests/clinical/test_pharmacology.py):

- NumPy (:func:`_recur`): a loop over time steps, each step a handful of NumPy operations on arrays
  over patients. Nothing to compile or import, so it serves small grids, the single-patient
  ``simulate`` behind ``naltrack simulate`` and the protection pages (whose printed values it
  defines), and any machine without Numba.
- compiled (:mod:`.kernel`, Numba): one pass per patient over its hours with the nine mode sums in
  registers, patients in parallel. It serves large grids (whole populations), where NumPy's
  per-step call overhead and its repeated sweeps over memory dominate; docs/performance.md,
  "Blockade model", has the figures.
"""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from types import ModuleType

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
IntArray = npt.NDArray[np.int64]

# Which modes (compartment rates) can appear in each output; see response.py's structure.
_OUTPUT_MODES = ((0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4, 5, 6, 7), (0, 1, 2, 3, 4, 5, 6, 8))
_NEVER_EMPTY_MODES = frozenset({6, 7, 8})        # plasma, 6β-naltrexol and effect site
_ORAL_MODES = frozenset({0})                     # the gut
_XR_MODES = frozenset({1, 2, 3, 4, 5})           # the depot phases

# From this many patient-steps on, run_grid uses the compiled loop unless told otherwise. Below it
# the NumPy loop finishes before Numba would even be imported (about half a second in a fresh
# process), so the single-patient simulate (201 patients x 673 steps by default) stays on NumPy.
COMPILED_FROM_PATIENT_STEPS = 5_000_000
_MIN_PATIENTS_PER_THREAD = 64      # below this a thread costs more to start than it saves


def run_grid(
    doses: DoseTable,
    n_steps: int,
    step_h: float,
    model: ModelParameters = TYPICAL,
    patients: PatientParameters | None = None,
    ec50_ng_ml: FloatArray | None = None,
    compiled: bool | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Plasma naltrexone, 6β-naltrexol and effect-site concentration on t = 0, Δ, …, (n_steps − 1)Δ.

    Arrays are (times, patients) views. With ``ec50_ng_ml`` (one per patient) the third array is
    the occupancy Ce / (Ce + EC50) instead of Ce. Patients are run in groups by the inputs they use
    (tablets only, injections only, both), so nobody pays for exponential modes their doses never
    excite. ``compiled``: True for the compiled loop, False for the NumPy loop, None to choose by
    grid size (NumPy when Numba cannot be imported). Both agree to rounding.
    """
    patients = patients if patients is not None else PatientParameters.typical(model, doses.n_patients)
    kernel = _compiled_kernel(compiled, doses.n_patients * n_steps)
    modes = mode_coefficients(model, patients)
    if kernel is not None:
        return _run_compiled(kernel, model, modes, doses, n_steps, step_h, ec50_ng_ml)
    patient, channel, amount, hour = channel_inputs(model, doses)
    step = np.ceil(hour / step_h).astype(np.int64)        # first grid time at or after the input
    keep = step < n_steps
    if not keep.all():
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


def _compiled_kernel(compiled: bool | None, patient_steps: int) -> ModuleType | None:
    """The compiled kernel's module, or None for the NumPy loop."""
    if compiled is False or (compiled is None and patient_steps < COMPILED_FROM_PATIENT_STEPS):
        return None
    try:
        return importlib.import_module("naltrack.clinical.pharmacology.kernel")
    except (ImportError, RuntimeError):
        # No Numba, or nowhere to cache its machine code (Numba refuses at import): the NumPy loop
        # gives the same results, only slower.
        if compiled:
            raise
        return None


@dataclass(frozen=True, slots=True)
class _Inputs:
    patient: IntArray
    channel: IntArray
    amount: FloatArray
    step: IntArray
    offset_h: FloatArray


def _recur(
    outputs: FloatArray,
    columns: IntArray,
    rows: list[tuple[int, int]],
    modes: ModeTable,
    members: IntArray,
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


def _run_compiled(
    kernel: ModuleType,
    model: ModelParameters,
    modes: ModeTable,
    doses: DoseTable,
    n_steps: int,
    step_h: float,
    ec50_ng_ml: FloatArray | None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The three (times, patients) outputs by the compiled per-patient loop (kernel.fill_patients)."""
    patient, kind, mg, hour = doses.patient, doses.kind, doses.mg, doses.hour
    if not kernel.doses_in_order(patient, hour):
        order = np.lexsort((hour, patient))
        patient, kind, mg, hour = patient[order], kind[order], mg[order], hour[order]
    rates = np.ascontiguousarray(modes.rates_per_h.T)                             # (patients, modes)
    naltrexol_weight, effect_weight, input_weight = _modal_tables(modes)
    n_patients = doses.n_patients
    outputs = np.empty((3, n_patients, n_steps))      # patient-major: each series written front to back
    arguments = (
        float(step_h),
        rates,
        naltrexol_weight,
        effect_weight,
        input_weight,
        np.searchsorted(patient, np.arange(n_patients + 1)).astype(np.int64),
        kind,
        mg,
        hour,
        np.array([0, 1, 1, 1], dtype=np.int64),                 # response.CHANNELS: the gut, then the depot
        np.array([1.0, *model.xr_fractions]),
        np.array([0.0, *model.xr_lags_h]),
        _steps_between_flushes(float(rates.max(initial=0.0)) * step_h),
        _NEGLIGIBLE,
        np.ones(n_patients) if ec50_ng_ml is None else np.ascontiguousarray(ec50_ng_ml, dtype=np.float64),
        ec50_ng_ml is not None,
    )

    def fill(first_patient: int, stop_patient: int) -> None:
        kernel.fill_patients(outputs, first_patient, stop_patient, *arguments)

    # Patients are independent: blocks of them run on all cores at once (the loop releases the GIL).
    # Four blocks per thread, handed out as threads free up, even out blocks that hold more
    # injections than others.
    threads = min(kernel.thread_count(), n_patients // _MIN_PATIENTS_PER_THREAD)
    if threads <= 1:
        fill(0, n_patients)
    else:
        edges = np.linspace(0, n_patients, 4 * threads + 1).astype(np.int64).tolist()
        with ThreadPoolExecutor(threads) as pool:
            for done in [pool.submit(fill, lo, hi) for lo, hi in pairwise(edges)]:
                done.result()
    return outputs[0].T, outputs[1].T, outputs[2].T


def _modal_tables(modes: ModeTable) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Split the response coefficients into per-mode input weights and per-output mode weights.

    kernel.fill_patients keeps one sum per mode, y_k, in plasma units for modes 0–6, so that
    coefficient[o, c, k] = weight[o, k] x input_weight[c, k]. That holds because the modes up to 6
    reach 6β-naltrexol and the effect site only through plasma (or, for the gut's mode, in one fixed
    proportion to it); it is checked here, so a change to the model's structure fails loudly.
    Returns naltrexol and effect weights (patients, 7) and input weights (patients, channels, 9).
    """
    coefficient = modes.coefficients                                  # (outputs, channels, modes, patients)
    plasma, naltrexol, effect = coefficient[0, :, :7], coefficient[1, :, :7], coefficient[2, :, :7]
    strongest = np.abs(plasma).argmax(axis=0)[None]                   # the channel exciting each mode most
    base = np.take_along_axis(plasma, strongest, axis=0)[0]
    naltrexol_weight = np.take_along_axis(naltrexol, strongest, axis=0)[0] / base
    effect_weight = np.take_along_axis(effect, strongest, axis=0)[0] / base
    scale = np.abs(coefficient).max(axis=(1, 2))                      # (outputs, patients)
    mismatch = max(
        float((np.abs(naltrexol_weight * plasma - naltrexol) / scale[1]).max()),
        float((np.abs(effect_weight * plasma - effect) / scale[2]).max()),
        float(np.abs(coefficient[0, :, 7:]).max()),                   # plasma has no mode 7 or 8,
        float(np.abs(coefficient[1, :, 8]).max()),                    # 6β-naltrexol no mode 8,
        float(np.abs(coefficient[2, :, 7]).max()),                    # the effect site no mode 7
    )
    if not mismatch <= 1e-12:
        raise RuntimeError("the model's modes no longer factor into per-mode sums; update kernel.py")
    input_weight = np.concatenate([plasma, coefficient[1, :, 7:8], coefficient[2, :, 8:9]], axis=1)
    return (
        np.ascontiguousarray(naltrexol_weight.T),
        np.ascontiguousarray(effect_weight.T),
        np.ascontiguousarray(np.moveaxis(input_weight, -1, 0)),
    )


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
