"""Estimated protection: naltrexone and 6β-naltrexol concentrations and mu-receptor blockade over time.

What the model is: a linear pharmacokinetic model (oral absorption with first-pass formation of
6β-naltrexol; a three-phase release depot for the monthly injection; one plasma compartment) and
an Emax receptor-occupancy model at a slowly equilibrating effect site. Its parameters come from
the label and literature anchors cited in :mod:`.parameters`; where the anchors leave freedom, the
values were fitted to them and are marked as fitted.

What it can claim: a population estimate, for a typical adult, of how concentrations and receptor
blockade rise and fall for a given dose history, with a band for between-patient differences.

What it cannot claim: it is not a measurement of any patient and has not been validated against
patient data or for clinical decisions. It must never be used to judge whether it is "safe" to use
opioids or to test the blockade: trying to overcome the blockade can be fatal, and after doses stop
or are missed tolerance is lower than before, so a previously tolerated opioid dose can kill (S2,
S46, S49). Liver disease, kidney function, weight, age and other drugs change real exposure (S16, S63).
After a first tablet the estimate rises over hours (the slow effect site), although plasma peaks
within about an hour (S24, S17): early protection is underestimated, never overstated. The
injection's concentrations are fitted to the shape of its published time course; no peak
concentration is sourced or claimed. docs/pharmacology.md lists every value and its anchor.

Public names: :func:`simulate`, :func:`simulate_population`, :func:`expand_regimen`,
:func:`superpose_directly` (the slow reference), :class:`Dose`, :class:`DoseKind`,
:class:`DoseTable`, :class:`Simulation`, :class:`PopulationSimulation`, :data:`TYPICAL`,
:func:`sample_patients`, :data:`REGIMENS`.
"""

from __future__ import annotations

from naltrack.clinical.pharmacology.parameters import (
    BAND_PATIENTS,
    BAND_PERCENTILES,
    BAND_SEED,
    TYPICAL,
    ModelParameters,
    PatientParameters,
    sample_patients,
)
from naltrack.clinical.pharmacology.response import (
    Dose,
    DoseKind,
    DoseTable,
    mode_coefficients,
    superpose_directly,
)
from naltrack.clinical.pharmacology.schedules import REGIMENS, RegimenPattern, expand_regimen
from naltrack.clinical.pharmacology.simulation import (
    MAX_HOURS,
    MAX_ORAL_DOSE_MG,
    MAX_XR_DOSE_MG,
    PopulationSimulation,
    Simulation,
    check_dose,
    drop_missed,
    occupancy,
    simulate,
    simulate_population,
)
from naltrack.clinical.sources import cite

SAFETY_SOURCES = (cite("S2"), cite("S46"), cite("S49"), cite("S16"), cite("S63"))

__all__ = [
    "BAND_PATIENTS",
    "BAND_PERCENTILES",
    "BAND_SEED",
    "MAX_HOURS",
    "MAX_ORAL_DOSE_MG",
    "MAX_XR_DOSE_MG",
    "REGIMENS",
    "SAFETY_SOURCES",
    "TYPICAL",
    "Dose",
    "DoseKind",
    "DoseTable",
    "ModelParameters",
    "PatientParameters",
    "PopulationSimulation",
    "RegimenPattern",
    "Simulation",
    "check_dose",
    "drop_missed",
    "expand_regimen",
    "mode_coefficients",
    "occupancy",
    "sample_patients",
    "simulate",
    "simulate_population",
    "superpose_directly",
]
