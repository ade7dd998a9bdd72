"""The de-identified research export: no names or free text, shifted dates, stable pseudonyms, audited."""

from __future__ import annotations

import datetime as dt
import io

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from naltrack.web.accounts.models import AuditEvent
from naltrack.web.measures.services import export as export_service

from .conftest import TODAY

URL = "/measures/cohort/export/"
FORM = {"start": "2026-09-01", "end": "2026-10-15", "format": "csv"}


@pytest.fixture
def records(patient, other_patient, make_checkin, make_timeline):
    make_checkin(patient, dt.date(2026, 10, 1), craving=6, opioid_use=True, drank=True,
                 note="SECRET-NOTE about my brother Jon", lapse_note="LAPSE-TEXT")
    make_timeline(patient, dt.date(2026, 10, 2), 3)
    make_timeline(other_patient, dt.date(2026, 10, 2), 0)
    return patient, other_patient


def test_the_csv_has_no_names_ids_or_free_text(as_user, prescriber, records, frozen_now):
    patient, other = records
    response = as_user(prescriber).post(URL, FORM)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    table = pacsv.read_csv(io.BytesIO(response.content))
    assert table.column_names == list(export_service.EXPORT_COLUMNS)
    for secret in ("SECRET-NOTE", "LAPSE-TEXT", patient.given_name + " ", patient.family_name,
                   patient.record_number, patient.display_name, patient.clinic.name):
        assert secret not in body
    assert set(table["pid"].to_pylist()) == {export_service.pseudonym(patient.id),
                                             export_service.pseudonym(other.id)}
    assert str(patient.id) not in table["pid"].to_pylist()


def test_dates_are_shifted_by_a_secret_per_patient_offset(as_user, prescriber, records, frozen_now):
    patient, _ = records
    table = pq.read_table(io.BytesIO(as_user(prescriber).post(URL, {**FORM, "format": "parquet"}).content))
    mine = [row for row in table.to_pylist() if row["pid"] == export_service.pseudonym(patient.id)]
    offset = export_service.date_offset_days(patient.id)
    assert offset != 0 and abs(offset) <= 182
    assert [row["date"] for row in mine] == [dt.date(2026, 10, 1) + dt.timedelta(days=offset),
                                             dt.date(2026, 10, 2) + dt.timedelta(days=offset)]
    assert (mine[1]["date"] - mine[0]["date"]).days == 1  # intervals within a patient survive
    assert mine[0]["standard_drinks"] is None and mine[0]["opioid_use"] == 1  # a missing drinking day stays missing
    assert mine[1]["standard_drinks"] == 3.0


def test_pseudonyms_are_stable_keyed_and_distinct(settings):
    first = [export_service.pseudonym(n) for n in range(1, 200)]
    assert first == [export_service.pseudonym(n) for n in range(1, 200)]
    assert len(set(first)) == len(first)
    settings.SECRET_KEY = "another-installation-" + "x" * 40
    assert export_service.pseudonym(1) != first[0]


def test_each_export_is_audited_per_clinic(as_user, prescriber, records, frozen_now):
    as_user(prescriber).post(URL, FORM)
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.clinic, event.patient) == (prescriber, prescriber.memberships.get().clinic, None)
    assert "3 patient-days" in event.detail


@pytest.mark.parametrize("persona, status", [("nurse", 403), ("counsellor", 403), ("clinic_admin", 403),
                                             ("outsider", 403)])
def test_only_prescribers_export(as_user, request, persona, status, records, frozen_now):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(URL).status_code == status
    assert client.post(URL, FORM).status_code == status
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_patient_cannot_export(as_user, patient, frozen_now):
    assert as_user(patient.user).post(URL, FORM).status_code == 403


def test_a_foreign_prescriber_exports_only_their_own_clinic(as_user, foreign_prescriber, records, frozen_now):
    response = as_user(foreign_prescriber).post(URL, FORM)
    assert pacsv.read_csv(io.BytesIO(response.content)).num_rows == 0


def test_bad_export_input_changes_nothing(as_user, prescriber, records, frozen_now):
    response = as_user(prescriber).post(URL, {**FORM, "format": "xlsx", "start": "2026-10-15", "end": "2026-01-01"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_management_command_writes_parquet_and_csv(tmp_path, prescriber, records, frozen_now):
    call_command("export_research", str(tmp_path / "out"), "--by", prescriber.username, "--start", "2026-09-01",
                 "--end", TODAY.isoformat())
    parquet = pq.read_table(tmp_path / "out" / "patient_days.parquet")
    csv = pacsv.read_csv(tmp_path / "out" / "patient_days.csv")
    assert parquet.num_rows == csv.num_rows == 3
    assert parquet["pid"].to_pylist() == csv["pid"].to_pylist()
    assert AuditEvent.objects.filter(action="export", via="cli", actor=prescriber).exists()


def test_the_management_command_refuses_non_prescribers_and_foreign_clinics(tmp_path, nurse, prescriber,
                                                                           other_clinic):
    with pytest.raises(CommandError, match="not a prescriber"):
        call_command("export_research", str(tmp_path), "--by", nurse.username)
    with pytest.raises(CommandError, match="cannot export clinic"):
        call_command("export_research", str(tmp_path), "--by", prescriber.username, "--clinic", other_clinic.slug)
    with pytest.raises(CommandError, match="not a date"):
        call_command("export_research", str(tmp_path), "--by", prescriber.username, "--start", "yesterday")
