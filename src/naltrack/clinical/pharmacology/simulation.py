"""Simulating a dose history: the typical patient, a prediction band, and whole virtual populations."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from naltrack.clinical.pharmacology.engine import run_grid
from naltrack.clinical.pharmacology.parameters import (
    BAND_PATIENTS,
    BAND_PERCENTILES,
    BAND_SEED,
    TYPICAL,
    ModelParameters,
    PatientParameters,
    sample_patients,
)
from naltrack.clinical.pharmacology.response import Dose, DoseKind, DoseTable
from naltrack.clinical.sources import cite

__all__ = [
    "MAX_HOURS",
    "MAX_ORAL_DOSE_MG",
    "MAX_XR_DOSE_MG",
    "PopulationSimulation",
    "Simulation",
    "occupancy",
    "simulate",
    "simulate_population",
]

FloatArray = npt.NDArray[np.float64]

# Input sanity bounds, not dosing advice. Oral: the largest daily dose studied for liver safety was
# 300 mg (S14); anything past 1000 mg in one dose is a typing error. XR: one strength, 380 mg (S32),
# and dose-proportional exposure was shown for 190 and 380 mg (S55), so smaller XR doses scale
# linearly and larger ones are outside what the model may claim.
MAX_ORAL_DOSE_MG = 1000.0
MAX_ORAL_DOSE_SOURCES = (cite("S14"),)
MAX_XR_DOSE_MG = 380.0
MAX_XR_DOSE_SOURCES = (cite("S32"), cite("S55"))
MAX_HOURS = 24 * 365 * 2          # two years at hourly steps: a product bound on output size
MAX_STEPS = 4 * MAX_HOURS + 1     # finer steps are allowed as long as the grid stays this small
_SIGNIFICANT_DIGITS = 4
# A dose's response is exactly zero at its own instant; the exponentials that cancel there leave
# round-off near 1e-14. Printed values below this are shown as 0 (far below any assay, S62's levels).
_PRINTED_AS_ZERO = 1e-9


@dataclass(frozen=True, slots=True, eq=False)
class Simulation:
    """One dose history simulated for the typical patient, with a between-patient band on blockade.

    ``blockade`` is the estimated fraction of mu-opioid receptors occupied (0–1) for the typical
    patient; ``blockade_low``/``blockade_high`` are the 5th and 95th percentiles over a fixed-seed
    virtual population. A population estimate from published anchors, not a measurement.
    """

    t_hours: FloatArray
    naltrexone_ng_ml: FloatArray
    naltrexol_ng_ml: FloatArray
    blockade: FloatArray
    blockade_low: FloatArray
    blockade_high: FloatArray

    def to_json(self) -> dict[str, list[float]]:
        """The command's JSON contract, floats rounded to 4 significant digits."""
        return {
            "t_hours": [_round(t) for t in self.t_hours.tolist()],
            "naltrexone_ng_ml": [_round(v) for v in self.naltrexone_ng_ml.tolist()],
            "naltrexol_ng_ml": [_round(v) for v in self.naltrexol_ng_ml.tolist()],
            "blockade": [_round(v) for v in self.blockade.tolist()],
            "blockade_low": [_round(v) for v in self.blockade_low.tolist()],
            "blockade_high": [_round(v) for v in self.blockade_high.tolist()],
        }


@dataclass(frozen=True, slots=True, eq=False)
class PopulationSimulation:
    """Many patients on a shared time grid; concentration and blockade arrays are (patients, times)."""

    t_hours: FloatArray
    naltrexone_ng_ml: FloatArray
    naltrexol_ng_ml: FloatArray
    blockade: FloatArray


def _round(value: float) -> Any:
    if abs(value) < _PRINTED_AS_ZERO:
        return 0
    if value == int(value) and abs(value) < 1e15:
        return int(value)
    return float(f"{value:.{_SIGNIFICANT_DIGITS}g}")


def occupancy(effect_ng_ml: FloatArray, ec50_ng_ml: FloatArray | float) -> FloatArray:
    """Fraction of mu receptors occupied: C / (C + EC50) at the effect site (Emax model; S56, S57)."""
    return np.asarray(effect_ng_ml / (effect_ng_ml + ec50_ng_ml), dtype=np.float64)


def _grid(hours: float, step_h: float) -> int:
    """Number of grid points for 0..hours at step_h, refusing a grid that is absurd or misaligned."""
    if not (math.isfinite(step_h) and step_h > 0):
        raise ValueError(f"step must be a positive number of hours, got {step_h!r}")
    if not (math.isfinite(hours) and 0 < hours <= MAX_HOURS):
        raise ValueError(f"hours must be more than 0 and at most {MAX_HOURS} (two years), got {hours!r}")
    steps = round(hours / step_h)
    if abs(steps * step_h - hours) > 1e-9 * max(hours, 1.0):
        raise ValueError(f"hours ({hours}) must be a whole number of steps of {step_h} h")
    if steps + 1 > MAX_STEPS:
        raise ValueError(f"the time grid would have more than {MAX_STEPS} points; use a larger step")
    return int(steps) + 1


def check_dose(dose: Dose, hours: float) -> None:
    """Refuse a dose the model cannot speak for: too large for its kind, or after the simulated window."""
    if dose.kind is DoseKind.ORAL and dose.mg > MAX_ORAL_DOSE_MG:
        raise ValueError(f"an oral dose of {dose.mg:g} mg is not plausible (at most {MAX_ORAL_DOSE_MG:g} mg)")
    if dose.kind is DoseKind.XR and dose.mg > MAX_XR_DOSE_MG:
        raise ValueError(
            f"an xr dose of {dose.mg:g} mg is outside the studied range (the injection is {MAX_XR_DOSE_MG:g} mg)"
        )
    if dose.hour > hours:
        raise ValueError(f"a dose at hour {dose.hour:g} is after the end of the simulation (hour {hours:g})")


def drop_missed(doses: Sequence[Dose], missed: Collection[float]) -> tuple[Dose, ...]:
    """The doses left after removing every dose given at one of the ``missed`` hours.

    Each missed hour must match a dose, so a typo is refused rather than silently ignored.
    """
    for hour in missed:
        if not any(abs(d.hour - hour) < 1e-9 for d in doses):
            raise ValueError(f"no dose at hour {hour:g} to mark as missed")
    return tuple(d for d in doses if not any(abs(d.hour - hour) < 1e-9 for hour in missed))


def simulate_population(
    doses: DoseTable,
    hours: float,
    step_h: float = 1.0,
    patients: PatientParameters | None = None,
    model: ModelParameters = TYPICAL,
    compiled: bool | None = None,
) -> PopulationSimulation:
    """Concentrations and estimated blockade for many patients, each with their own dose history.

    Exact closed-form superposition computed by a per-mode recurrence (engine.run_grid); the
    parameters and their sources are in ``parameters``. Arrays are (patients, times) views.
    ``compiled`` picks the loop (see engine.run_grid): None chooses by size, and both agree to rounding.
    """
    n_steps = _grid(hours, step_h)
    if patients is None:
        patients = PatientParameters.typical(model, doses.n_patients)
    if patients.n_patients != doses.n_patients:
        raise ValueError("dose table and patient parameters disagree on the number of patients")
    plasma, naltrexol, blockade = run_grid(doses, n_steps, step_h, model, patients, patients.ec50_ng_ml, compiled)
    return PopulationSimulation(
        t_hours=np.arange(n_steps, dtype=np.float64) * np.float64(step_h),
        naltrexone_ng_ml=plasma.T,
        naltrexol_ng_ml=naltrexol.T,
        blockade=blockade.T,
    )


def simulate(
    doses: Sequence[Dose],
    hours: float,
    step_h: float = 1.0,
    missed: Collection[float] = (),
    model: ModelParameters = TYPICAL,
) -> Simulation:
    """Simulate a dose history for the typical patient, with a 5th–95th percentile blockade band.

    Concentrations follow the label and literature anchors listed in ``parameters`` (S17, S24,
    S25, S33, S55–S59, S63); blockade is an Emax occupancy at a slow effect site. An estimate for a
    typical patient, not this patient's measurement, and never a reason to test the blockade.
    """
    n_steps = _grid(hours, step_h)
    for dose in doses:
        check_dose(dose, hours)
    kept = drop_missed(doses, missed)
    band = sample_patients(BAND_PATIENTS, BAND_SEED, model)
    patients = PatientParameters(
        clearance_l_per_h=np.r_[model.clearance_l_per_h, band.clearance_l_per_h],
        volume_l=np.r_[model.volume_l, band.volume_l],
        ec50_ng_ml=np.r_[model.ec50_ng_ml, band.ec50_ng_ml],
    )
    table = DoseTable.shared(kept, patients.n_patients)
    # Always the NumPy loop: it defines the printed output of `naltrack simulate`, which must not
    # change with the grid's size, and it is fast at this size (201 patients).
    plasma, naltrexol, blockade = run_grid(table, n_steps, step_h, model, patients, patients.ec50_ng_ml, False)
    low, high = np.percentile(blockade[:, 1:], BAND_PERCENTILES, axis=1)
    return Simulation(
        t_hours=np.arange(n_steps, dtype=np.float64) * np.float64(step_h),
        naltrexone_ng_ml=np.ascontiguousarray(plasma[:, 0]),
        naltrexol_ng_ml=np.ascontiguousarray(naltrexol[:, 0]),
        blockade=np.ascontiguousarray(blockade[:, 0]),
        blockade_low=low,
        blockade_high=high,
    )
