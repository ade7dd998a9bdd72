"""Cohort analytics at scale: the outcome measures of ``naltrack.clinical.outcomes`` computed by DuckDB.

Not part of the pure core: it reads Arrow tables and Parquet files. The per-patient aggregation
runs as one columnar SQL query (no per-patient Python loop); the final arithmetic (percentages,
rounding, WHO risk levels, cohort means) uses the same NumPy helpers as the pure functions, so both
paths give identical results.
"""

from __future__ import annotations

from naltrack.analytics.engine import (
    COLUMNS,
    CohortMeasures,
    cohort_measures_from_arrow,
    cohort_measures_from_parquet,
)

__all__ = ["COLUMNS", "CohortMeasures", "cohort_measures_from_arrow", "cohort_measures_from_parquet"]
