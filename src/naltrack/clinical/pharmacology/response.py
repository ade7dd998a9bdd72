"""The linear compartment model behind the estimate, and its exact unit-dose responses.

Nine compartments, in an order where every flow runs from a lower index to a higher one:

    0 gut (mg, oral doses)             --ka-->  5 plasma naltrexone (ng/mL)
    1 injection burst (mg)             --k1-->  5
    2 injection phase 2, hydrating (mg)--k2a--> 3 phase 2, releasing (mg) --k2b--> 5
    4 injection phase 3, eroding (mg)  --k3a--> 5 phase 3, releasing (mg) --k3b--> 6
    6 plasma naltrexone                --ke-->  eliminated; also forms 7 and feeds 8
    7 plasma 6β-naltrexol (ng/mL)      formed first-pass from 0 and from 6, eliminated at km
    8 effect site (ng/mL)              follows 6 with rate ke0 (the slow receptor off-rate)

Because the system is linear and its matrix triangular with distinct diagonal rates, the
response of any compartment to a 1 mg bolus in any input compartment is an exact sum of
exponentials (generalised Bateman functions). :func:`mode_coefficients` computes those sums
once per patient; :func:`superpose_directly` adds them dose by dose, which is the slow,
obviously correct reference that the fast recurrence in ``engine`` is checked against.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from naltrack.clinical.pharmacology.parameters import TYPICAL, ModelParameters, PatientParameters

__all__ = [
    "CHANNELS",
    "OUTPUTS",
    "Dose",
    "DoseKind",
    "DoseTable",
    "ModeTable",
    "mode_coefficients",
    "superpose_directly",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

GUT, BURST, HYDRATING, RELEASING, ERODING, LATE_RELEASING, PLASMA, NALTREXOL, EFFECT = range(9)
N_COMPARTMENTS = 9
CHANNELS = (GUT, BURST, HYDRATING, ERODING)      # compartments a dose enters
OUTPUTS = (PLASMA, NALTREXOL, EFFECT)            # compartments the model reports
UG_PER_MG = 1000.0                               # mg into ng/mL: mg x 1000 / L = µg/L = ng/mL
SMALLEST_RATE_GAP = 1e-3                         # relative; closer rates lose digits in the sums


class DoseKind(enum.StrEnum):
    """How a dose was given: a tablet by mouth or the monthly extended-release injection."""

    ORAL = "oral"
    XR = "xr"


_KIND_CODES = {DoseKind.ORAL: 0, DoseKind.XR: 1}


@dataclass(frozen=True, slots=True)
class Dose:
    """One dose: its kind, its amount in mg and the hour it was given (0 = start of the simulation)."""

    kind: DoseKind
    mg: float
    hour: float

    def __post_init__(self) -> None:
        if not isinstance(self.kind, DoseKind):
            raise ValueError(f"unknown dose kind {self.kind!r}: use oral or xr")
        if not (math.isfinite(self.mg) and self.mg > 0):
            raise ValueError(f"dose must be a positive number of mg, got {self.mg!r}")
        if not (math.isfinite(self.hour) and self.hour >= 0):
            raise ValueError(f"dose hour must be zero or more, got {self.hour!r}")


@dataclass(frozen=True, slots=True, eq=False)
class DoseTable:
    """Dose histories of many patients in columns: patient index, kind code (0 oral, 1 xr), mg, hour."""

    n_patients: int
    patient: IntArray
    kind: IntArray
    mg: FloatArray
    hour: FloatArray

    def __post_init__(self) -> None:
        sizes = {self.patient.shape, self.kind.shape, self.mg.shape, self.hour.shape}
        if len(sizes) != 1 or self.patient.ndim != 1:
            raise ValueError("dose columns must be one-dimensional and of equal length")
        if self.n_patients < 1:
            raise ValueError("a dose table needs at least one patient")
        if self.patient.size and (self.patient.min() < 0 or self.patient.max() >= self.n_patients):
            raise ValueError("dose patient index out of range")
        if not np.isin(self.kind, (0, 1)).all():
            raise ValueError("dose kind code must be 0 (oral) or 1 (xr)")
        if not (np.isfinite(self.mg).all() and (self.mg > 0).all()):
            raise ValueError("every dose must be a positive number of mg")
        if not (np.isfinite(self.hour).all() and (self.hour >= 0).all()):
            raise ValueError("every dose hour must be zero or more")

    @classmethod
    def from_histories(cls, histories: Sequence[Iterable[Dose]]) -> DoseTable:
        """Columns from one sequence of doses per patient."""
        rows = [(index, _KIND_CODES[d.kind], d.mg, d.hour) for index, doses in enumerate(histories) for d in doses]
        columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
        return cls(
            n_patients=len(histories),
            patient=np.asarray(columns[0], dtype=np.int64),
            kind=np.asarray(columns[1], dtype=np.int64),
            mg=np.asarray(columns[2], dtype=np.float64),
            hour=np.asarray(columns[3], dtype=np.float64),
        )

    @classmethod
    def shared(cls, doses: Iterable[Dose], n_patients: int) -> DoseTable:
        """The same dose history for every one of ``n_patients`` patients."""
        one = cls.from_histories([tuple(doses)])
        n = one.mg.size
        return cls(
            n_patients=n_patients,
            patient=np.repeat(np.arange(n_patients, dtype=np.int64), n),
            kind=np.tile(one.kind, n_patients),
            mg=np.tile(one.mg, n_patients),
            hour=np.tile(one.hour, n_patients),
        )


@dataclass(frozen=True, slots=True, eq=False)
class ModeTable:
    """Per patient: the rate of each compartment (the modes) and the unit-dose response coefficients.

    ``rates_per_h[k, p]`` is mode k's rate for patient p; ``coefficients[o, c, k, p]`` is how much
    of mode k output o (plasma, naltrexol, effect site, in ng/mL) shows per mg entering channel c.
    """

    rates_per_h: FloatArray
    coefficients: FloatArray


def _compartment_rates(model: ModelParameters, patients: PatientParameters) -> list[FloatArray]:
    """The rate at which each compartment empties, per patient."""
    n = patients.n_patients
    ke = patients.clearance_l_per_h / patients.volume_l
    k1, k2a, k2b, k3a, k3b = model.xr_rates_per_h
    constant = [model.oral_ka_per_h, k1, k2a, k2b, k3a, k3b]
    rates = [np.full(n, value) for value in constant]
    rates += [ke, np.full(n, model.naltrexol_ke_per_h), np.full(n, model.effect_ke0_per_h)]
    return rates


def _flows(model: ModelParameters, patients: PatientParameters) -> dict[tuple[int, int], FloatArray]:
    """Flow (to, from) -> rate, in the units of the receiving compartment per unit of the source."""
    scale = UG_PER_MG / patients.volume_l
    n = patients.n_patients
    k1, k2a, k2b, k3a, k3b = model.xr_rates_per_h
    return {
        (PLASMA, GUT): model.oral_ka_per_h * model.oral_bioavailability * scale,
        (NALTREXOL, GUT): np.full(n, model.oral_ka_per_h * model.first_pass_naltrexol_ng_ml_per_mg),
        (PLASMA, BURST): k1 * scale,
        (RELEASING, HYDRATING): np.full(n, k2a),
        (PLASMA, RELEASING): k2b * scale,
        (LATE_RELEASING, ERODING): np.full(n, k3a),
        (PLASMA, LATE_RELEASING): k3b * scale,
        (NALTREXOL, PLASMA): np.full(n, model.naltrexol_formation_per_h),
        (EFFECT, PLASMA): np.full(n, model.effect_ke0_per_h),
    }


def mode_coefficients(model: ModelParameters = TYPICAL, patients: PatientParameters | None = None) -> ModeTable:
    """Exact sum-of-exponentials responses to a 1 mg bolus in each input channel, per patient.

    For compartment i fed by upstream compartments u, dx_i/dt = Σ r_iu x_u − λ_i x_i; if each
    x_u = Σ_k c_uk e^(−λ_k t), then c_ik = Σ_u r_iu c_uk / (λ_i − λ_k) for k ≠ i, and c_ii makes
    x_i(0) right. Implements the structure documented in the module docstring (sources: parameters).
    """
    patients = patients if patients is not None else PatientParameters.typical(model)
    rates = _compartment_rates(model, patients)
    _check_rates_apart(rates)
    flows = _flows(model, patients)
    n = patients.n_patients
    stacked = np.stack(rates)
    # gaps[i, k] = λ_i − λ_k, shared by all channels; infinite for k = i, so that term adds zero
    # (c_ii is set afterwards from the initial condition).
    gaps = stacked[:, None, :] - stacked[None, :, :]
    gaps[np.arange(N_COMPARTMENTS), np.arange(N_COMPARTMENTS)] = np.inf
    coefficients = np.zeros((len(OUTPUTS), len(CHANNELS), N_COMPARTMENTS, n))
    for c_index, channel in enumerate(CHANNELS):
        c = np.zeros((N_COMPARTMENTS, N_COMPARTMENTS, n))
        for i in range(N_COMPARTMENTS):
            initial = 1.0 if i == channel else 0.0
            for (to, source), rate in flows.items():
                if to == i:
                    c[i] += rate * c[source] / gaps[i]
            c[i, i] = initial - (c[i].sum(axis=0) - c[i, i])
        for o_index, output in enumerate(OUTPUTS):
            coefficients[o_index, c_index] = c[output]
    return ModeTable(rates_per_h=stacked, coefficients=coefficients)


def _check_rates_apart(rates: Sequence[FloatArray]) -> None:
    """Refuse patients whose compartment rates nearly coincide (the sums would lose precision)."""
    stacked = np.stack(rates)
    for i in range(len(rates)):
        for k in range(i + 1, len(rates)):
            gap = np.abs(stacked[i] - stacked[k]) / np.maximum(stacked[i], stacked[k])
            if (gap < SMALLEST_RATE_GAP).any():
                raise ValueError("patient parameters put two model rates too close together")


def channel_inputs(model: ModelParameters, doses: DoseTable) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Turn doses into inputs: (patient, channel index, mg, hour the mg enters its compartment).

    An oral dose enters the gut whole; an injection is split over the three depot phases, each
    released from its own lag after the injection (``model.xr_fractions``, ``model.xr_lags_h``).
    """
    oral = np.flatnonzero(doses.kind == 0)
    xr = np.flatnonzero(doses.kind != 0)
    if not xr.size:
        return doses.patient, np.zeros(oral.size, dtype=np.int64), doses.mg, doses.hour
    # Rows: every oral dose, then every injection once per depot phase (one gather per column).
    rows = np.concatenate([oral, xr, xr, xr])
    counts = [oral.size, xr.size, xr.size, xr.size]
    channel = np.repeat(np.arange(4, dtype=np.int64), counts)
    fraction = np.repeat(np.array([1.0, *model.xr_fractions]), counts)
    lag_h = np.repeat(np.array([0.0, *model.xr_lags_h]), counts)
    return doses.patient[rows], channel, doses.mg[rows] * fraction, doses.hour[rows] + lag_h


def superpose_directly(
    doses: DoseTable,
    t_hours: FloatArray,
    model: ModelParameters = TYPICAL,
    patients: PatientParameters | None = None,
) -> FloatArray:
    """Plasma, naltrexol and effect-site concentrations by adding every dose's response at every time.

    The slow reference (O(times x doses)); returns shape (3 outputs, patients, times) in ng/mL.
    """
    patients = patients if patients is not None else PatientParameters.typical(model, doses.n_patients)
    modes = mode_coefficients(model, patients)
    patient, channel, amount, hour = channel_inputs(model, doses)
    result = np.zeros((len(OUTPUTS), doses.n_patients, t_hours.size))
    for p, c, mg, s in zip(patient, channel, amount, hour, strict=True):
        tau = t_hours - s
        started = tau >= 0
        decay = np.exp(-modes.rates_per_h[:, p, None] * tau[None, started])      # (modes, times)
        result[:, p, started] += mg * np.einsum("ok,kt->ot", modes.coefficients[:, c, :, p], decay)
    return result
