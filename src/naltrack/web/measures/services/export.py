"""The de-identified research export: patient-days with keyed-hash pseudonyms and shifted dates.

- ``pid`` is an HMAC-SHA256 of the patient's database id under a key derived from SECRET_KEY: stable
  across exports from one installation, not reversible without the key, never the database id.
- Every date of a patient is shifted by the same secret offset (±1 to ±182 days, derived from
  SECRET_KEY and the patient id), so intervals within a patient survive and calendar dates do not.
- No names, record numbers, clinic names, notes or any free text: only the columns in EXPORT_COLUMNS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.conf import settings

from naltrack.web.accounts.models import AuditAction, Clinic, User
from naltrack.web.accounts.services import record_audit_event

from .outcomes import check_window, cohort_unit
from .patient_days import patient_day_table

if TYPE_CHECKING:
    from django.http import HttpRequest

EXPORT_COLUMNS = ("pid", "date", "sex", "standard_drinks", "unit", "ethanol_g", "opioid_use", "craving")
MAX_SHIFT_DAYS = 182
EXPORT_AUDIT_TARGET = "research export"
_PURPOSE = b"naltrack.measures.research-export.v1"


def _key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), _PURPOSE, hashlib.sha256).digest()


def pseudonym(patient_id: int, key: bytes | None = None) -> str:
    """The patient's research id: 16 hex characters of a keyed hash (stable, not the database id)."""
    digest = hmac.new(key or _key(), f"pid:{int(patient_id)}".encode(), hashlib.sha256).hexdigest()
    return digest[:16]


def date_offset_days(patient_id: int, key: bytes | None = None) -> int:
    """The patient's secret date shift: a non-zero number of days in ±1..±182."""
    digest = hmac.new(key or _key(), f"shift:{int(patient_id)}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    magnitude = 1 + number % MAX_SHIFT_DAYS
    return magnitude if (number >> 40) & 1 else -magnitude


@dataclass(frozen=True)
class ResearchExport:
    table: pa.Table
    unit: str
    start: dt.date
    end: dt.date

    @property
    def audit_detail(self) -> str:
        """What the audit event of this export says: the window and the number of patient-days."""
        return f"{self.start.isoformat()} to {self.end.isoformat()}, {self.table.num_rows} patient-days"

    def csv_bytes(self) -> bytes:
        sink = io.BytesIO()
        pacsv.write_csv(self.table, sink)
        return sink.getvalue()

    def parquet_bytes(self) -> bytes:
        sink = io.BytesIO()
        pq.write_table(self.table, sink)
        return sink.getvalue()

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Write patient_days.parquet and patient_days.csv into ``folder`` (created if needed)."""
        folder.mkdir(parents=True, exist_ok=True)
        parquet, csv = folder / "patient_days.parquet", folder / "patient_days.csv"
        pq.write_table(self.table, parquet)
        pacsv.write_csv(self.table, csv)
        return parquet, csv


def deidentify(rows: pa.Table, unit: str) -> pa.Table:
    """Pseudonymous ids and per-patient shifted dates for a patient-day table (vectorised per row)."""
    key = _key()
    ids = [int(v) for v in rows["patient"].to_pylist()]
    unique = sorted(set(ids))
    pids = {pid: pseudonym(pid, key) for pid in unique}
    offsets = {pid: date_offset_days(pid, key) for pid in unique}
    shift = np.array([offsets[i] for i in ids], dtype=np.int64)
    days = rows["date"].cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64) + shift
    table = pa.table({
        "pid": pa.array([pids[i] for i in ids], pa.string()),
        "date": pa.array(days.astype(np.int32), pa.int32()).cast(pa.date32()),
        "sex": rows["sex"],
        "standard_drinks": rows["standard_drinks"],
        "unit": pa.array([unit] * rows.num_rows, pa.string()),
        "ethanol_g": rows["ethanol_g"],
        "opioid_use": rows["opioid_use"],
        "craving": rows["craving"],
    })
    return table.sort_by([("pid", "ascending"), ("date", "ascending")])


def build_research_export(clinics: list[Clinic], start: dt.date, end: dt.date, *,
                          unit: str | None = None) -> ResearchExport:
    """The de-identified patient-days of ``clinics`` (already checked), not audited: the caller audits it."""
    check_window(start, end)
    unit = unit or cohort_unit(clinics)
    rows = patient_day_table(unit=unit, start=start, end=end, clinic_ids=[c.id for c in clinics])
    return ResearchExport(deidentify(rows, unit), unit, start, end)


def export_research(user: User, clinics: list[Clinic], start: dt.date, end: dt.date, *,
                    unit: str | None = None, request: HttpRequest | None = None, via: str = "web") -> ResearchExport:
    """The de-identified patient-days of ``clinics`` (already checked), audited per clinic as an export."""
    export = build_research_export(clinics, start, end, unit=unit)
    for clinic in clinics:
        record_audit_event(actor=user, patient=None, clinic=clinic, action=AuditAction.EXPORT,
                           target=EXPORT_AUDIT_TARGET, detail=export.audit_detail, request=request, via=via)
    return export


def as_arrow_for_measures(export: ResearchExport) -> pa.Table:
    """The export's drinking rows under naltrack.analytics' column names (pid as patient)."""
    recorded = export.table.filter(pc.is_valid(export.table["standard_drinks"]))
    return pa.table({"patient": recorded["pid"], "date": recorded["date"],
                     "standard_drinks": recorded["standard_drinks"], "sex": recorded["sex"]})
