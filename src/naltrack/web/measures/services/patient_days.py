"""One row per patient-day, built by ONE query of the database into an Arrow table.

The rule for a day's drinking (docs/measures-pages.md):
- drinks the patient logged (DrinkEntry) count first: their grams are summed;
- otherwise a timeline-followback entry gives the day's drinks (0 = abstinent);
- otherwise a check-in that does not report drinking makes the day abstinent;
- a day with none of these (or a check-in saying "I drank" with no amount) is MISSING: it has no
  drinking row and the outcome measures leave it out, never counting it as abstinent.
Check-in columns (opioid use, craving) ride along on the same rows for the other measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection

from naltrack.clinical.drinking import standard_drink_unit
from naltrack.web.accounts.models import Patient
from naltrack.web.care.models import CheckIn

from ..models import DrinkEntry, TimelineDay

# Columns of the patient-day table (the first four are naltrack.analytics' input columns).
SCHEMA = pa.schema([
    ("patient", pa.string()),
    ("date", pa.date32()),
    ("standard_drinks", pa.float64()),   # in the table's unit; null on a missing drinking day
    ("sex", pa.string()),
    ("ethanol_g", pa.float64()),         # null on a missing drinking day
    ("opioid_use", pa.int8()),           # 1 used, 0 did not, null not reported
    ("craving", pa.float64()),           # 0-10 from the check-in, null if none
    ("checked_in", pa.bool_()),
    ("clinic_id", pa.int64()),
])

_SQL = """
SELECT u.patient_id, u.day, p.sex, p.clinic_id,
       COUNT(u.drink_g) AS drink_rows, SUM(u.drink_g) AS drink_g, MAX(u.tlfb_g) AS tlfb_g,
       MAX(u.checkin) AS checkin, MAX(u.drank) AS drank, MAX(u.opioid) AS opioid, MAX(u.craving) AS craving
FROM (
    SELECT patient_id, day, ethanol_g AS drink_g, CAST(NULL AS DOUBLE PRECISION) AS tlfb_g, 0 AS checkin,
           0 AS drank, CAST(NULL AS INTEGER) AS opioid, CAST(NULL AS INTEGER) AS craving
    FROM {drinks} WHERE day >= %s AND day <= %s
    UNION ALL
    SELECT patient_id, day, CAST(NULL AS DOUBLE PRECISION), ethanol_g, 0, 0, CAST(NULL AS INTEGER),
           CAST(NULL AS INTEGER)
    FROM {timeline} WHERE day >= %s AND day <= %s
    UNION ALL
    SELECT patient_id, day, CAST(NULL AS DOUBLE PRECISION), CAST(NULL AS DOUBLE PRECISION), 1,
           CASE WHEN drank THEN 1 ELSE 0 END,
           CASE WHEN opioid_use IS NULL THEN NULL WHEN opioid_use THEN 1 ELSE 0 END, CAST(craving AS INTEGER)
    FROM {checkins} WHERE day >= %s AND day <= %s
) u
JOIN {patients} p ON p.id = u.patient_id
WHERE p.{scope} IN ({placeholders})
GROUP BY u.patient_id, u.day, p.sex, p.clinic_id
ORDER BY u.patient_id, u.day
"""


def _query(scope: str, ids: list[int], start: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
    quote = connection.ops.quote_name
    sql = _SQL.format(
        drinks=quote(DrinkEntry._meta.db_table), timeline=quote(TimelineDay._meta.db_table),
        checkins=quote(CheckIn._meta.db_table), patients=quote(Patient._meta.db_table),
        scope=scope, placeholders=", ".join(["%s"] * len(ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, start, end, start, end, *ids])
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def _as_dates(values: list[object]) -> pa.Array:
    # SQLite returns days as ISO text from a raw query, PostgreSQL as dates.
    if values and isinstance(values[0], str):
        return pa.array(values, pa.string()).cast(pa.date32())
    return pa.array(values, pa.date32())


def _column(rows: list[tuple[Any, ...]], index: int) -> list[object]:
    return [row[index] for row in rows]


def _float_or_nan(values: Iterable[object]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)  # type: ignore[arg-type]


def patient_day_table(*, unit: str, start: dt.date, end: dt.date, clinic_ids: Iterable[int] = (),
                      patient_ids: Iterable[int] = ()) -> pa.Table:
    """Patient-days of the given clinics (or patients) from ``start`` to ``end`` inclusive, in ``unit``.

    One SQL query; the merge of logged drinks, timeline days and check-ins is vectorised (no
    per-patient loop). Rows with a missing drinking day keep null drinks (see the module docstring).
    """
    unit_g = standard_drink_unit(unit).ethanol_g
    clinics, patients = sorted(set(clinic_ids)), sorted(set(patient_ids))
    if patients:
        rows = _query("id", patients, start, end)
    elif clinics:
        rows = _query("clinic_id", clinics, start, end)
    else:
        rows = []
    drink_rows = np.array(_column(rows, 4), dtype=np.int64)
    drink_g = _float_or_nan(_column(rows, 5))
    tlfb_g = _float_or_nan(_column(rows, 6))
    checkin = np.array([bool(v) for v in _column(rows, 7)], dtype=bool)
    drank = np.array([bool(v) for v in _column(rows, 8)], dtype=bool)
    grams = np.where(drink_rows > 0, drink_g,
                     np.where(~np.isnan(tlfb_g), tlfb_g, np.where(checkin & ~drank, 0.0, np.nan)))
    missing = np.isnan(grams)
    with np.errstate(invalid="ignore"):
        drinks = grams / unit_g
    return pa.table({
        "patient": pa.array([str(v) for v in _column(rows, 0)], pa.string()),
        "date": _as_dates(_column(rows, 1)),
        "standard_drinks": pa.array(drinks, pa.float64(), mask=missing),
        "sex": pa.array(_column(rows, 2), pa.string()),
        "ethanol_g": pa.array(grams, pa.float64(), mask=missing),
        "opioid_use": pa.array(_column(rows, 9), pa.int8()),
        "craving": pa.array(_float_or_nan(_column(rows, 10)), pa.float64(),
                            mask=np.array([v is None for v in _column(rows, 10)], dtype=bool)),
        "checked_in": pa.array(checkin, pa.bool_()),
        "clinic_id": pa.array(_column(rows, 3), pa.int64()),
    }, schema=SCHEMA)


def drinking_rows(table: pa.Table) -> pa.Table:
    """Only the recorded drinking days, with naltrack.analytics' four input columns."""
    recorded = table.filter(pc.is_valid(table["standard_drinks"]))
    return recorded.select(["patient", "date", "standard_drinks", "sex"])


def within(table: pa.Table, start: dt.date, end: dt.date) -> pa.Table:
    """Rows from ``start`` to ``end`` inclusive."""
    dates = table["date"]
    mask = pc.and_(pc.greater_equal(dates, pa.scalar(start, pa.date32())),
                   pc.less_equal(dates, pa.scalar(end, pa.date32())))
    return table.filter(mask)
