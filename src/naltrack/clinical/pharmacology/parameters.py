"""Parameters of the estimated-protection model: each with its source, or the anchor it was fitted to.

Sourced values are used as published; "fitted" values were chosen (by least squares, see
docs/pharmacology.md) so that the model reproduces the sourced anchors named beside them. No
value here is a published population estimate for this exact model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from naltrack.clinical.sources import cite

__all__ = [
    "BAND_PATIENTS",
    "BAND_PERCENTILES",
    "BAND_SEED",
    "TYPICAL",
    "ModelParameters",
    "PatientParameters",
    "sample_patients",
]

FloatArray = npt.NDArray[np.float64]
LN2 = math.log(2.0)

# --- Oral naltrexone ------------------------------------------------------------------------------
NALTREXONE_HALF_LIFE_H = 4.0           # mean elimination half-life
NALTREXONE_HALF_LIFE_SOURCES = (cite("S24"), cite("S25"))
CLEARANCE_L_PER_H = 140.0              # naltrexone clearance (population PK of the injection)
CLEARANCE_SOURCE = cite("S63")
# One plasma compartment serves both routes, so its volume follows from clearance and half-life:
# V = CL x t½ / ln 2 = 140 x 4 / 0.693 ≈ 808 L (derived). Dunbar's 38,300 L is an apparent volume of
# a model whose slow decline is absorption-limited; it cannot produce the 2-hour peak of S33, so the
# long apparent half-life comes here from slow release out of the depot instead.
VOLUME_L = CLEARANCE_L_PER_H * NALTREXONE_HALF_LIFE_H / LN2
# Fitted: both naltrexone and 6β-naltrexol peak at about 1 h (S24, S17). S29's absorption half-life
# of ~1 h (0.72/h) would put the peaks at 2.6 h and 4 h in a one-compartment model, against two
# label sources, so the label peak times win: ka = 4.26/h (absorption half-life ~10 min).
ORAL_KA_PER_H = 4.26
ORAL_KA_SOURCES = (cite("S24"), cite("S17"), cite("S29"))
# Fitted: a 50 mg tablet peaks at 13.3 ng/mL (S17). Only F/V is identified by a peak; with V above,
# F = 0.246, inside the label's 5–40% (S24), though above the 5% systemic availability of S28/S17.
ORAL_BIOAVAILABILITY = 0.246
ORAL_BIOAVAILABILITY_SOURCES = (cite("S17"), cite("S24"), cite("S28"))

# --- 6β-naltrexol -----------------------------------------------------------------------------------
NALTREXOL_HALF_LIFE_H = 13.0           # mean elimination half-life
NALTREXOL_HALF_LIFE_SOURCES = (cite("S24"), cite("S25"), cite("S28"))
# Formation from circulating naltrexone, in concentration units: km x CL / CL_naltrexol(apparent),
# with the apparent 6β-naltrexol clearance of 65.1 L/h from the injection's population PK (S63).
NALTREXOL_APPARENT_CLEARANCE_L_PER_H = 65.1
NALTREXOL_FORMATION_PER_H = LN2 / NALTREXOL_HALF_LIFE_H * CLEARANCE_L_PER_H / NALTREXOL_APPARENT_CLEARANCE_L_PER_H
NALTREXOL_FORMATION_SOURCES = (cite("S63"), cite("S24"))
# Fitted: first-pass formation so that 50 mg gives a 6β-naltrexol peak of 108 ng/mL (S17): 2.26 ng/mL
# of 6β-naltrexol per mg swallowed. Most of an oral dose reaches the blood as 6β-naltrexol (S17, S31).
FIRST_PASS_NALTREXOL_NG_ML_PER_MG = 2.26
FIRST_PASS_NALTREXOL_SOURCES = (cite("S17"), cite("S31"))

# --- Extended-release injection -------------------------------------------------------------------
# Three release phases (after the three-phase sequential absorption of S63): a burst, a hydration
# phase (two steps) and an erosion phase (two steps). Fractions and rates are FITTED, not published,
# to the time course of S33/S36 (peak ~2 h, second peak 2–3 days, slow decline from ~day 14), the
# apparent half-life of 5–7 days (S55; 5–10 days S25, S53, S54), plasma > 1 ng/mL for about 4 weeks
# after 380–384 mg (S59), measurable beyond a month (S55). All of the dose is assumed released
# (an assumption). No peak concentration of the injection is sourced, and none is claimed.
XR_FRACTIONS = (0.016, 0.131, 0.853)
XR_BURST_RATE_PER_H = 1.095            # fitted: burst peak at 2 h given the 4 h plasma half-life
XR_HYDRATION_RATES_PER_H = (0.0507, 0.0204)   # fitted: second peak at 60 h
XR_EROSION_RATES_PER_H = (0.00788, LN2 / 144.0)  # fitted; the slower is the 6-day terminal phase (S55)
XR_SOURCES = (cite("S33"), cite("S36"), cite("S55"), cite("S59"), cite("S63"), cite("S25"))

# --- Receptor blockade ----------------------------------------------------------------------------
# Occupancy = Ce / (Ce + EC50) at an effect site that follows plasma naltrexone slowly (rate ke0),
# which stands for the slow receptor off-rate behind blockade outlasting plasma (S56).
# Fitted jointly (least squares, docs/pharmacology.md) to: blockade of 25 mg heroin ~24/48/72 h after
# 50/100/150 mg (S25); 94.9 ± 4.9% mu occupancy on 50 mg/day (S57); blockade half-time 72–108 h
# (S56, S17); 70–80% occupied 48 h after each dose of 50 mg every other day (S17); and the ~1 ng/mL
# plasma working threshold of the depot studies (S59, S61). Compromise: blockade is occupancy of
# 80% or more, reached at an effect-site level of 1.35 ng/mL, a little above the 1 ng/mL anchor.
EFFECT_KE0_PER_H = 0.0237              # fitted: effect-site half-life ~29 h
EC50_NG_ML = 0.339                     # fitted
BLOCKADE_THRESHOLD = 0.80              # fitted (rounded): occupancy counted as blockade
BLOCKADE_SOURCES = (cite("S25"), cite("S56"), cite("S57"), cite("S17"), cite("S59"), cite("S61"))

# --- Between-patient variability ------------------------------------------------------------------
# Log-normal, as SDs of log parameters. Our sources give no variance for naltrexone clearance or
# volume, so these two are ASSUMPTIONS, of the size of the covariate effects S63 reports (clearance
# 23–35% higher in dependent subjects, weight and age effects). The EC50 spread is FITTED so that
# steady-state occupancy on 50 mg/day varies between patients with S57's SD of 4.9 points.
OMEGA_CLEARANCE = 0.3
OMEGA_VOLUME = 0.2
OMEGA_EC50 = 0.56
VARIABILITY_SOURCES = (cite("S63"), cite("S57"))
TRUNCATE_SD = 2.0                      # draws beyond ±2 SD are redrawn, keeping model rates apart
BAND_PATIENTS = 200                    # virtual patients behind the prediction band
BAND_SEED = 20_070_862                 # fixed: the same input always gives the same band
BAND_PERCENTILES = (5.0, 95.0)


@dataclass(frozen=True, slots=True)
class ModelParameters:
    """Typical-patient parameters of the linear model (rates per hour, concentrations in ng/mL)."""

    oral_ka_per_h: float
    oral_bioavailability: float
    clearance_l_per_h: float
    volume_l: float
    naltrexol_ke_per_h: float
    naltrexol_formation_per_h: float
    first_pass_naltrexol_ng_ml_per_mg: float
    xr_fractions: tuple[float, float, float]
    xr_rates_per_h: tuple[float, float, float, float, float]
    xr_lags_h: tuple[float, float, float]
    effect_ke0_per_h: float
    ec50_ng_ml: float
    blockade_threshold: float
    omega_clearance: float
    omega_volume: float
    omega_ec50: float

    @property
    def blockade_level_ng_ml(self) -> float:
        """Effect-site concentration at which occupancy reaches the blockade threshold."""
        return self.ec50_ng_ml * self.blockade_threshold / (1.0 - self.blockade_threshold)


TYPICAL = ModelParameters(
    oral_ka_per_h=ORAL_KA_PER_H,
    oral_bioavailability=ORAL_BIOAVAILABILITY,
    clearance_l_per_h=CLEARANCE_L_PER_H,
    volume_l=VOLUME_L,
    naltrexol_ke_per_h=LN2 / NALTREXOL_HALF_LIFE_H,
    naltrexol_formation_per_h=NALTREXOL_FORMATION_PER_H,
    first_pass_naltrexol_ng_ml_per_mg=FIRST_PASS_NALTREXOL_NG_ML_PER_MG,
    xr_fractions=XR_FRACTIONS,
    xr_rates_per_h=(XR_BURST_RATE_PER_H, *XR_HYDRATION_RATES_PER_H, *XR_EROSION_RATES_PER_H),
    xr_lags_h=(0.0, 0.0, 0.0),
    effect_ke0_per_h=EFFECT_KE0_PER_H,
    ec50_ng_ml=EC50_NG_ML,
    blockade_threshold=BLOCKADE_THRESHOLD,
    omega_clearance=OMEGA_CLEARANCE,
    omega_volume=OMEGA_VOLUME,
    omega_ec50=OMEGA_EC50,
)


@dataclass(frozen=True, slots=True, eq=False)
class PatientParameters:
    """Individual clearance, volume and EC50 of each virtual patient (arrays of equal length)."""

    clearance_l_per_h: FloatArray
    volume_l: FloatArray
    ec50_ng_ml: FloatArray

    def __post_init__(self) -> None:
        arrays = (self.clearance_l_per_h, self.volume_l, self.ec50_ng_ml)
        if len({a.shape for a in arrays}) != 1 or self.clearance_l_per_h.ndim != 1:
            raise ValueError("patient parameters must be one-dimensional arrays of equal length")
        if not all(np.isfinite(a).all() and (a > 0).all() for a in arrays):
            raise ValueError("patient parameters must be positive numbers")

    @property
    def n_patients(self) -> int:
        return int(self.clearance_l_per_h.size)

    @classmethod
    def typical(cls, model: ModelParameters = TYPICAL, n_patients: int = 1) -> PatientParameters:
        """``n_patients`` copies of the typical patient."""
        return cls(
            clearance_l_per_h=np.full(n_patients, model.clearance_l_per_h),
            volume_l=np.full(n_patients, model.volume_l),
            ec50_ng_ml=np.full(n_patients, model.ec50_ng_ml),
        )


def _truncated_normal(rng: np.random.Generator, n: int) -> FloatArray:
    draws = rng.standard_normal(n)
    outside = np.abs(draws) > TRUNCATE_SD
    while outside.any():
        draws[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(draws) > TRUNCATE_SD
    return draws


def sample_patients(n_patients: int, seed: int, model: ModelParameters = TYPICAL) -> PatientParameters:
    """A reproducible virtual population: log-normal clearance, volume and EC50 (see VARIABILITY_SOURCES)."""
    rng = np.random.default_rng(seed)
    return PatientParameters(
        clearance_l_per_h=model.clearance_l_per_h * np.exp(model.omega_clearance * _truncated_normal(rng, n_patients)),
        volume_l=model.volume_l * np.exp(model.omega_volume * _truncated_normal(rng, n_patients)),
        ec50_ng_ml=model.ec50_ng_ml * np.exp(model.omega_ec50 * _truncated_normal(rng, n_patients)),
    )
