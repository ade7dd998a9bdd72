"""Benchmark: cohort outcome measures for 100,000 patients x 365 days, against two contenders.

- naltrack: ``naltrack.analytics.cohort_measures_from_parquet`` (DuckDB + NumPy), with its input
  checks (the default) and without them (``check_input=False``, for already validated rows);
- hand-written DuckDB SQL computing the same measures in one query (the limit, no input checks);
- a per-patient pandas loop (``groupby().apply``), the peer a data analyst would write. It is too
  slow for the whole cohort, so it runs on a random sample of patients and its time is scaled
  linearly to the full cohort (reading the whole file is timed, not scaled).

The synthetic cohort comes from NumPy with a fixed seed: per-patient drinking frequency and
amounts, heavier weekends, improvement over the year for some patients, random missing days and
drop-outs. Amounts are whole or half drinks, so every sum is exact whatever the order.

Each contender runs in its own subprocess; peak memory is that process's ``ru_maxrss`` (resident
set high-water mark, Linux KiB), reported with the baseline after imports. Besides wall time, each
timed call reports the CPU time of its process (all threads), which other work on a shared machine
disturbs less. Results are compared patient by patient. Output: JSON on stdout and in
bench/results/cohort.json, with the load averages before and after.

Usage: python bench/bench_cohort.py [--patients N] [--days D] [--sample S]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

SEED = 20240601
UNIT = "us"
US_DRINK_G = 14.0  # read back from naltrack.clinical.drinking in the SQL and pandas contenders
RESULTS = Path(__file__).resolve().parent / "results" / "cohort.json"
REPEATS = 5  # interleaved runs of naltrack and the SQL limit, each in a fresh process


# --- synthetic cohort --------------------------------------------------------------------------


def generate_cohort(path: Path, patients: int, days: int) -> dict[str, Any]:
    """Write a reproducible synthetic cohort of patient-days to ``path`` (Parquet)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(SEED)
    is_female = rng.random(patients) < 0.4
    drink_probability = rng.beta(1.2, 2.2, patients)            # some rarely drink, some daily
    mean_drinks = rng.gamma(2.0, 2.2, patients) + 0.5           # drinks on a drinking day
    improvement = np.where(rng.random(patients) < 0.5, rng.uniform(0.2, 0.8, patients), 0.0)
    missing_rate = rng.beta(1.0, 12.0, patients)                # about 8 % of days missing
    dropout_day = np.where(rng.random(patients) < 0.2, rng.integers(30, days, patients), days)

    day_index = np.arange(days)
    weekend = np.isin(day_index % 7, (4, 5))                    # Friday and Saturday
    progress = day_index / max(days - 1, 1)
    p_day = drink_probability[:, None] * (1 - improvement[:, None] * progress[None, :])
    p_day = np.clip(p_day * np.where(weekend, 1.3, 0.9)[None, :], 0, 1)
    drinks_today = rng.random((patients, days)) < p_day
    amount = np.maximum(np.round(rng.gamma(3.0, mean_drinks[:, None] / 3.0, (patients, days)) * 2) / 2, 0.5)
    amount *= np.where(weekend, 1.3, 1.0)[None, :]
    amount = np.round(amount * 2) / 2
    drinks = np.where(drinks_today, amount, 0.0)
    recorded = rng.random((patients, days)) >= missing_rate[:, None]
    recorded &= day_index[None, :] < dropout_day[:, None]
    recorded[:, 0] = True                                       # everyone records their first day

    patient_index = np.broadcast_to(np.arange(patients, dtype=np.int32)[:, None], (patients, days))[recorded]
    start = np.datetime64("2024-01-01", "D").astype(np.int32)
    dates = (np.broadcast_to(day_index.astype(np.int32)[None, :], (patients, days))[recorded] + start)
    ids = pa.array([f"P{i:06d}" for i in range(patients)])
    table = pa.table({
        "patient": pa.DictionaryArray.from_arrays(pa.array(patient_index), ids),
        "date": pa.array(dates, type=pa.date32()),
        "standard_drinks": pa.array(drinks[recorded]),
        "sex": pa.DictionaryArray.from_arrays(pa.array(is_female[patient_index].astype(np.int8)),
                                              pa.array(["M", "F"])),
    })
    pq.write_table(table, path)
    return {"rows": table.num_rows, "recorded_fraction": round(table.num_rows / (patients * days), 4),
            "parquet_mb": round(path.stat().st_size / 2**20, 1)}


# --- contenders (each runs in its own process) ----------------------------------------------------

HANDWRITTEN_SQL = """
WITH per_patient AS (
    SELECT
        CAST(patient AS VARCHAR) AS patient,
        any_value(CAST(sex AS VARCHAR)) AS sex,
        count(*) AS days,
        count(*) FILTER (WHERE standard_drinks = 0) AS abstinent_days,
        count(*) FILTER (WHERE standard_drinks * $unit_g
                               >= CASE WHEN sex = 'F' THEN $female_g ELSE $male_g END) AS heavy_days,
        sum(standard_drinks) AS total_drinks,
        min(date) AS first_day,
        min(date) FILTER (WHERE standard_drinks * $unit_g
                                >= CASE WHEN sex = 'F' THEN $female_g ELSE $male_g END) AS first_heavy_day
    FROM read_parquet($path)
    GROUP BY ALL
), measures AS (
    SELECT
        patient, sex, days,
        round(100.0::DOUBLE * abstinent_days / days, 6) AS percent_days_abstinent,
        round(100.0::DOUBLE * heavy_days / days, 6) AS percent_heavy_drinking_days,
        round(total_drinks / nullif(days - abstinent_days, 0), 6) AS drinks_per_drinking_day,
        CAST(first_heavy_day - first_day + 1 AS BIGINT) AS days_to_first_heavy_drinking_day,
        round(total_drinks * $unit_g / days, 6) AS grams_per_day
    FROM per_patient
)
SELECT
    patient, days, percent_days_abstinent, percent_heavy_drinking_days, drinks_per_drinking_day,
    days_to_first_heavy_drinking_day, grams_per_day,
    CASE
        WHEN grams_per_day = 0 THEN 'abstinent'
        WHEN grams_per_day <= CASE WHEN sex = 'F' THEN 20 ELSE 40 END THEN 'low'
        WHEN grams_per_day <= CASE WHEN sex = 'F' THEN 40 ELSE 60 END THEN 'medium'
        WHEN grams_per_day <= CASE WHEN sex = 'F' THEN 60 ELSE 100 END THEN 'high'
        ELSE 'very_high'
    END AS who_risk_level
FROM measures
ORDER BY patient
"""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_naltrack(parquet: Path, check_input: bool) -> tuple[Any, dict[str, Any]]:
    from naltrack.analytics import cohort_measures_from_parquet

    baseline = _peak_rss_mb()
    cpu, started = _cpu_seconds(), time.perf_counter()
    result = cohort_measures_from_parquet(parquet, UNIT, check_input=check_input)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return result.patients, {"seconds": seconds, "cpu_seconds": cpu, "baseline_rss_mb": baseline,
                             "cohort": result.cohort.as_json()}


def run_sql(parquet: Path) -> tuple[Any, dict[str, Any]]:
    import duckdb

    from naltrack.clinical.drinking import HEAVY_DAY_ETHANOL_G, Sex, standard_drink_unit

    params = {"path": str(parquet), "unit_g": standard_drink_unit(UNIT).ethanol_g,
              "female_g": HEAVY_DAY_ETHANOL_G[Sex.FEMALE], "male_g": HEAVY_DAY_ETHANOL_G[Sex.MALE]}
    baseline = _peak_rss_mb()
    cpu, started = _cpu_seconds(), time.perf_counter()
    connection = duckdb.connect()
    table = connection.sql(HANDWRITTEN_SQL, params=params).to_arrow_table()
    connection.close()
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return table, {"seconds": seconds, "cpu_seconds": cpu, "baseline_rss_mb": baseline}


def pandas_patient_measures(group: Any, unit_g: float, female_g: float, male_g: float) -> Any:
    """The measures for one patient, as an analyst would write them with pandas."""
    import pandas as pd

    from naltrack.clinical.outcomes import round_measure as round6  # SQL-style rounding, as the others

    group = group.sort_values("date")
    drinks = group["standard_drinks"]
    female = group["sex"].iloc[0] == "F"
    days = len(group)
    heavy = drinks * unit_g >= (female_g if female else male_g)
    drinking = drinks > 0
    grams = round6(float(drinks.sum()) * unit_g / days)
    limits = (20, 40, 60) if female else (40, 60, 100)
    if grams == 0:
        level = "abstinent"
    elif grams <= limits[0]:
        level = "low"
    elif grams <= limits[1]:
        level = "medium"
    elif grams <= limits[2]:
        level = "high"
    else:
        level = "very_high"
    first_heavy = group.loc[heavy, "date"]
    return pd.Series({
        "days": days,
        "percent_days_abstinent": round6(100.0 * int((~drinking).sum()) / days),
        "percent_heavy_drinking_days": round6(100.0 * int(heavy.sum()) / days),
        "drinks_per_drinking_day": round6(float(drinks[drinking].sum()) / int(drinking.sum()))
        if drinking.any() else None,
        "days_to_first_heavy_drinking_day": (first_heavy.iloc[0] - group["date"].iloc[0]).days + 1
        if len(first_heavy) else None,
        "grams_per_day": grams,
        "who_risk_level": level,
    })


def run_pandas(parquet: Path, sample: int) -> tuple[Any, dict[str, Any]]:
    import pandas as pd

    from naltrack.clinical.drinking import HEAVY_DAY_ETHANOL_G, Sex, standard_drink_unit

    baseline = _peak_rss_mb()
    started = time.perf_counter()
    frame = pd.read_parquet(parquet)
    read_seconds = time.perf_counter() - started
    everyone = np.sort(np.asarray(frame["patient"].unique(), dtype=object))
    chosen = np.random.default_rng(SEED + 1).choice(everyone, size=min(sample, everyone.size), replace=False)
    subset = frame[frame["patient"].isin(set(chosen))]
    args = (standard_drink_unit(UNIT).ethanol_g,
            HEAVY_DAY_ETHANOL_G[Sex.FEMALE], HEAVY_DAY_ETHANOL_G[Sex.MALE])
    started = time.perf_counter()
    result = subset.groupby("patient", sort=True, observed=True).apply(pandas_patient_measures, *args)
    loop_seconds = time.perf_counter() - started
    return result.reset_index(), {
        "read_seconds": read_seconds, "sample_patients": int(chosen.size), "all_patients": int(everyone.size),
        "sample_loop_seconds": loop_seconds, "baseline_rss_mb": baseline,
    }


def contender_main(name: str, parquet: Path, out: Path, sample: int) -> None:
    """Run one contender, save its per-patient results, print its figures as JSON."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if name == "generate":
        patients, days = divmod(sample, 1_000)
        started = time.perf_counter()
        figures = generate_cohort(parquet, patients, days)
        figures["generate_seconds"] = round(time.perf_counter() - started, 2)
        print(json.dumps(figures))
        return
    if name in ("naltrack", "naltrack_unchecked"):
        table, figures = run_naltrack(parquet, check_input=name == "naltrack")
    elif name == "sql":
        table, figures = run_sql(parquet)
    else:
        frame, figures = run_pandas(parquet, sample)
        table = pa.Table.from_pandas(frame, preserve_index=False)
    figures["peak_rss_mb"] = _peak_rss_mb()
    pq.write_table(table, out)
    print(json.dumps(figures))


# --- orchestration -------------------------------------------------------------------------------


def _run_contender(name: str, parquet: Path, out: Path, sample: int = 0) -> dict[str, Any]:
    command = [sys.executable, __file__, "--contender", name, "--parquet", str(parquet), "--out", str(out),
               "--sample", str(sample)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.exit(f"bench_cohort: contender {name} failed:\n{completed.stderr}")
    figures: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


MEASURES = ("days", "percent_days_abstinent", "percent_heavy_drinking_days", "drinks_per_drinking_day",
            "days_to_first_heavy_drinking_day", "grams_per_day", "who_risk_level")


ROUNDING_QUANTUM = 1e-6  # every measure is rounded to 6 decimals by each contender (round6)


def compare(left: Path, right: Path, only_right_patients: bool = False) -> dict[str, Any]:
    """Compare two per-patient result files measure by measure (nulls must match too).

    Values are identical when equal, or when they differ by at most one unit of the 6th decimal that
    every contender rounds to: a sum of floating-point drinks added in a different order (DuckDB adds in
    parallel, in no fixed order) can land on the other side of a rounding boundary. Such last-digit
    differences are counted separately in ``last_digit_rounding``, never hidden.
    """
    import numpy as np
    import pyarrow.parquet as pq

    a = pq.read_table(left).to_pandas().set_index("patient").sort_index()
    b = pq.read_table(right).to_pandas().set_index("patient").sort_index()
    if only_right_patients:
        a = a.loc[b.index]
    if not a.index.equals(b.index):
        return {"identical": False, "reason": "different patients"}
    differing: dict[str, int] = {}
    last_digit: dict[str, int] = {}
    for column in MEASURES:
        x, y = a[column].astype(object), b[column].astype(object)
        x_null, y_null = x.isna(), y.isna()
        both = ~x_null & ~y_null
        equal = (x_null == y_null) & (x_null | (x.where(~x_null, 0) == y.where(~y_null, 0)))
        if both.any() and x[both].map(lambda v: isinstance(v, float)).any():
            gap = np.abs(x[both].astype(float).to_numpy() - y[both].astype(float).to_numpy())
            near = pd_series_like(both, gap <= ROUNDING_QUANTUM * (1 + 1e-9))
        else:
            near = both & False
        rounding = ~equal & near
        if rounding.any():
            last_digit[column] = int(rounding.sum())
        wrong = ~equal & ~near
        if wrong.any():
            differing[column] = int(wrong.sum())
    return {"identical": not differing, "patients_compared": len(a), "differing_values": differing,
            "last_digit_rounding": last_digit}


def pd_series_like(mask: Any, values: Any) -> Any:
    """A boolean Series on ``mask``'s index: ``values`` where the mask is true, False elsewhere."""
    out = mask.copy() & False
    out[mask] = values
    return out


def orchestrate(patients: int, days: int, sample: int) -> dict[str, Any]:
    import duckdb
    import pandas as pd

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="naltrack-bench-") as folder:
        work = Path(folder)
        parquet = work / "cohort.parquet"
        # Generated in a subprocess too: Linux carries a parent's peak RSS into its children.
        cohort = _run_contender("generate", parquet, parquet, patients * 1_000 + days)
        runs: dict[str, list[dict[str, Any]]] = {"naltrack": [], "naltrack_unchecked": [], "sql": []}
        for _ in range(REPEATS):  # interleaved, so load from elsewhere hits both alike
            for name in runs:
                runs[name].append(_run_contender(name, parquet, work / f"{name}.parquet"))
        figures = {name: {"seconds": [run["seconds"] for run in found],
                          "cpu_seconds": [run["cpu_seconds"] for run in found],
                          "peak_rss_mb": max(run["peak_rss_mb"] for run in found),
                          "baseline_rss_mb": min(run["baseline_rss_mb"] for run in found),
                          "cohort": found[-1].get("cohort")}
                   for name, found in runs.items()}
        figures["pandas"] = _run_contender("pandas", parquet, work / "pandas.parquet", sample)
        identical = {
            "naltrack_vs_handwritten_sql": compare(work / "naltrack.parquet", work / "sql.parquet"),
            "naltrack_vs_naltrack_unchecked": compare(work / "naltrack.parquet",
                                                      work / "naltrack_unchecked.parquet"),
            "naltrack_vs_pandas_sample": compare(work / "naltrack.parquet", work / "pandas.parquet", True),
        }

    load_after = os.getloadavg()
    # Best of the interleaved runs: the machine is shared, and interference only ever adds time.
    naltrack_s = float(np.min(figures["naltrack"]["seconds"]))
    sql_s = float(np.min(figures["sql"]["seconds"]))
    unchecked_s = float(np.min(figures["naltrack_unchecked"]["seconds"]))
    cpu_s = {name: float(np.min(figures[name]["cpu_seconds"])) for name in ("naltrack", "naltrack_unchecked", "sql")}
    p = figures["pandas"]
    pandas_loop_s = p["sample_loop_seconds"] * p["all_patients"] / p["sample_patients"]
    pandas_total_s = p["read_seconds"] + pandas_loop_s
    cohort_summary = figures["naltrack"].pop("cohort")

    def runs(name: str) -> dict[str, Any]:
        return {"seconds_runs": [round(s, 3) for s in figures[name]["seconds"]],
                "cpu_seconds_best": round(cpu_s[name], 3),
                "cpu_seconds_runs": [round(s, 3) for s in figures[name]["cpu_seconds"]]}

    def memory(name: str) -> dict[str, float]:
        f = figures[name]
        return {"peak_rss_mb": round(f["peak_rss_mb"], 1), "baseline_rss_mb": round(f["baseline_rss_mb"], 1),
                "working_mb": round(f["peak_rss_mb"] - f["baseline_rss_mb"], 1)}

    return {
        "benchmark": "cohort_outcome_measures",
        "cohort": {"patients": patients, "days_per_patient": days, **cohort, "seed": SEED, "unit": UNIT},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "duckdb": duckdb.__version__,
                    "pandas": pd.__version__, "numpy": np.__version__},
        "memory_method": "each contender runs in its own subprocess; peak_rss_mb is its ru_maxrss "
                         "(resident high-water mark), baseline_rss_mb the same after imports, "
                         "working_mb the difference",
        "timing": f"best of {REPEATS} interleaved runs, each in a fresh process (shared 2-core machine); "
                  "cpu_seconds is the process's user + system time over the same call, all threads",
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "naltrack": {"seconds_best": round(naltrack_s, 3), **runs("naltrack"),
                     "includes": "Parquet scan, input checks (repeated or missing dates, sexes, missing, "
                                 "negative or non-finite drinks) in the same aggregation as the measures, "
                                 "WHO levels, cohort summary", **memory("naltrack")},
        "naltrack_unchecked": {"seconds_best": round(unchecked_s, 3), **runs("naltrack_unchecked"),
                               "includes": "as naltrack with check_input=False (for rows from a source "
                                           "that already enforces the checks)", **memory("naltrack_unchecked")},
        "handwritten_sql": {"seconds_best": round(sql_s, 3), **runs("sql"),
                            "includes": "Parquet scan and measures in one DuckDB query; no input checks",
                            **memory("sql")},
        "pandas_per_patient_loop": {
            "read_seconds": round(p["read_seconds"], 3),
            "sample_patients": p["sample_patients"],
            "sample_loop_seconds": round(p["sample_loop_seconds"], 3),
            "estimated_loop_seconds_all_patients": round(pandas_loop_s, 1),
            "estimated_total_seconds": round(pandas_total_s, 1),
            "scaling": f"groupby().apply timed on a random sample of {p['sample_patients']} patients and "
                       f"scaled linearly to {p['all_patients']}; the full-file read is measured, not scaled",
            **memory("pandas"),
        },
        "ratios": {
            "pandas_over_naltrack": round(pandas_total_s / naltrack_s, 1),
            "naltrack_over_handwritten_sql": round(naltrack_s / sql_s, 2),
            "naltrack_unchecked_over_handwritten_sql": round(unchecked_s / sql_s, 2),
            "naltrack_over_handwritten_sql_cpu": round(cpu_s["naltrack"] / cpu_s["sql"], 2),
        },
        "goals": {
            "at_least_50x_faster_than_pandas": pandas_total_s / naltrack_s >= 50,
            "within_1_5x_of_handwritten_sql": naltrack_s / sql_s <= 1.5,
            "within_1_5x_of_handwritten_sql_without_input_checks": unchecked_s / sql_s <= 1.5,
        },
        "identical_results": identical,
        "cohort_summary": cohort_summary,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--sample", type=int, default=2_000, help="patients timed in the pandas loop")
    parser.add_argument("--contender", choices=("generate", "naltrack", "naltrack_unchecked", "sql", "pandas"))
    parser.add_argument("--parquet", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.contender:
        contender_main(args.contender, args.parquet, args.out, args.sample)
        return
    report = orchestrate(args.patients, args.days, args.sample)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
