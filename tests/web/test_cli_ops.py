"""The operations commands: `naltrack export`, `naltrack backup` and `naltrack restore`.

In-process tests (Typer's runner) use the test database of this run, SQLite or PostgreSQL. The
refusal contract and the move between databases also run the real command in a subprocess against a
migrated SQLite file, so on the PostgreSQL run a backup travels PostgreSQL → SQLite → PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from naltrack.cli import app
from naltrack.commands import backup as backup_module
from naltrack.web.accounts.models import AuditEvent, Clinic, Patient, User

runner = CliRunner()

NOW = dt.datetime(2026, 10, 15, 16, 0, tzinfo=dt.UTC)  # noon in New York, the clinic fixture's zone
TODAY = dt.date(2026, 10, 15)
PASSWORD = "amber-falcon-river-93"


def invoke(*args: str):
    return runner.invoke(app, list(args))


def one_line_refusal(result, *fragments: str) -> None:
    """Exit code 2 and exactly one line, on stderr, that says why."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("naltrack: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.stdout == ""


@pytest.fixture
def frozen_now(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


# --- export -------------------------------------------------------------------------------------


@pytest.fixture
def days(patient, other_patient, foreign_patient):
    """Check-ins and timeline days in two clinics; the check-in carries free text that must not leave."""
    from naltrack.clinical.drinking import ethanol_g_from_standard_drinks
    from naltrack.web.care.models import CheckIn
    from naltrack.web.measures.models import TimelineDay

    CheckIn.objects.create(patient=patient, day=dt.date(2026, 10, 1), craving=6, opioid_use=True, drank=True,
                           note="SECRET-NOTE about my brother", lapse_note="LAPSE-TEXT")
    for who, day, drinks in [(patient, dt.date(2026, 10, 2), 3), (other_patient, dt.date(2026, 10, 2), 0),
                             (other_patient, dt.date(2026, 9, 20), 5), (foreign_patient, dt.date(2026, 10, 3), 2)]:
        unit = who.clinic.drink_unit
        TimelineDay.objects.create(patient=who, day=day, standard_drinks=drinks, unit=unit,
                                   ethanol_g=ethanol_g_from_standard_drinks(drinks, unit))
    return patient, other_patient


def export_args(clinic: Clinic, out: Path, file_format: str, *extra: str) -> list[str]:
    return ["export", "--clinic", clinic.slug, "--format", file_format, "--out", str(out),
            "--from", "2026-09-01", "--to", "2026-10-15", *extra]


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_export_writes_what_the_web_export_downloads(as_user, prescriber, clinic, days, frozen_now, tmp_path,
                                                     file_format):
    web = as_user(prescriber).post("/measures/cohort/export/", {
        "start": "2026-09-01", "end": "2026-10-15", "format": file_format, "clinic": clinic.id})
    assert web.status_code == 200

    result = invoke(*export_args(clinic, tmp_path / "out", file_format))
    assert result.exit_code == 0, result.output
    written = tmp_path / "out" / f"patient_days.{file_format}"
    if file_format == "csv":
        assert written.read_bytes() == web.content
        assert b"SECRET-NOTE" not in written.read_bytes() and b"LAPSE-TEXT" not in written.read_bytes()
    else:
        assert pq.read_table(written).equals(pq.read_table(io.BytesIO(web.content)))
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert "4 patient-days of 2 patients" in result.stdout


def test_export_prints_json_and_is_audited_as_the_command_line(clinic, days, frozen_now, tmp_path):
    result = invoke(*export_args(clinic, tmp_path / "out", "csv", "--json"))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["files"] == [str(tmp_path / "out" / "patient_days.csv")]
    assert (summary["rows"], summary["patients"], summary["clinic"], summary["unit"]) == (4, 2, clinic.slug, "us")
    table = pacsv.read_csv(tmp_path / "out" / "patient_days.csv")
    assert table.num_rows == 4 and all(len(pid) == 16 for pid in table["pid"].to_pylist())
    event = AuditEvent.objects.get(action="export")
    assert event.actor is None and event.actor_label.startswith("command line (")
    assert (event.clinic, event.patient, event.via, event.target) == (clinic, None, "cli", "research export")
    assert event.detail == "2026-09-01 to 2026-10-15, 4 patient-days"


def test_export_exports_only_the_clinic_named(clinic, other_clinic, days, frozen_now, tmp_path):
    result = invoke(*export_args(other_clinic, tmp_path / "out", "csv", "--json"))
    assert json.loads(result.stdout)["rows"] == 1
    assert AuditEvent.objects.get(action="export").clinic == other_clinic


@pytest.mark.parametrize("args, message", [
    (["--clinic", "nowhere"], "no clinic with slug 'nowhere'"),
    (["--from", "2026-02-30"], "--from is not a date"),
    (["--to", "yesterday"], "--to is not a date"),
    (["--from", "2026-10-15", "--to", "2026-09-01"], "starts after it ends"),
    (["--from", "1999-12-31", "--to", "2000-01-31"], "between 2000 and next year"),
    (["--from", "2020-01-01", "--to", "2026-01-01"], "at most three years"),
    (["--format", "xlsx"], "--format must be parquet or csv"),
    (["--unit", "pints"], "unknown --unit"),
])
def test_export_refuses_bad_input_in_one_line_and_writes_nothing(clinic, days, frozen_now, tmp_path, args, message):
    base = {"--clinic": clinic.slug, "--format": "csv", "--out": str(tmp_path / "out"), "--from": "2026-09-01",
            "--to": "2026-10-15"}
    extra = dict(zip(args[::2], args[1::2], strict=True))
    result = invoke("export", *[part for pair in {**base, **extra}.items() for part in pair])
    one_line_refusal(result, message)
    assert not (tmp_path / "out").exists()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_export_refuses_a_folder_that_is_not_empty_unless_forced(clinic, days, frozen_now, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    one_line_refusal(invoke(*export_args(clinic, out, "csv")), "is not empty", "--force")
    assert not AuditEvent.objects.filter(action="export").exists()
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]

    forced = invoke(*export_args(clinic, out, "csv", "--force"))
    assert forced.exit_code == 0, forced.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "patient_days.csv"]
    assert (out / "notes.txt").read_text() == "keep me"


# --- backup and restore: data -------------------------------------------------------------------


def add_awkward_values(patient: Patient, staff: User) -> SimpleNamespace:
    """The values a backup must keep exactly: a password hash, links, microseconds in other zones, JSON."""
    from django.contrib.auth.models import Group, Permission

    from naltrack.web.accounts.services import record_audit_event
    from naltrack.web.care.models import CheckIn
    from naltrack.web.safety.models import Screening

    staff.set_password(PASSWORD)
    staff.save()
    group = Group.objects.create(name="night shift")
    group.permissions.add(Permission.objects.get(codename="view_patient", content_type__app_label="accounts"))
    staff.groups.add(group)
    event = record_audit_event(actor=staff, patient=patient, action="view", target="chart ✓ «Ωmega»")
    AuditEvent.objects.filter(id=event.id).update(
        at=dt.datetime(2026, 7, 1, 9, 30, 0, 123456, tzinfo=ZoneInfo("Europe/London")))  # summer time: UTC+1
    Screening.objects.create(patient=patient, verdict="caution", recorded_by=staff,
                             inputs={"indication": "opioid", "alt": 61.5, "nested": {"z": [1, None, True], "a": "é"}},
                             reasons=[{"code": "alt_raised", "severity": "caution", "message": "ALT 1.5× ULN",
                                       "source": "S1"}],
                             recorded_at=dt.datetime(2026, 10, 1, 23, 59, 59, 999999,
                                                     tzinfo=ZoneInfo("Pacific/Auckland")))
    CheckIn.objects.update_or_create(patient=patient, day=dt.date(2026, 10, 14), defaults={
        "breath_alcohol_mg_l": Decimal("0.35"), "note": "line\nbreak \"quoted\""})
    return SimpleNamespace(patient=patient, staff=staff, event_id=event.id)


@pytest.fixture
def clinic_data(db):
    """A small demo clinic (nearly every kind of record) plus the awkward values."""
    from naltrack.web.demo import build_demo

    build_demo(seed=5, patients=8, today=TODAY)
    patient = Patient.objects.order_by("id").first()
    staff = User.objects.filter(memberships__isnull=False).order_by("id").first()
    assert patient is not None and staff is not None
    return add_awkward_values(patient, staff)


@pytest.fixture
def some_data(patient, prescriber):
    """Just enough for the refusals: a patient, a prescriber and the awkward values."""
    return add_awkward_values(patient, prescriber)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table the backup covers, by primary key."""
    return {backup_module.label(model): list(model._base_manager.order_by("pk").values())
            for model in backup_module.backup_models()}


def content_sha256(path: Path) -> str:
    with gzip.open(path, "rb") as stream:
        stream.readline()
        return hashlib.sha256(stream.read()).hexdigest()


def read_backup(path: Path) -> tuple[dict, list[bytes]]:
    with gzip.open(path, "rb") as stream:
        manifest = json.loads(stream.readline())
        return manifest, stream.read().splitlines(keepends=True)


def write_backup_file(path: Path, manifest: dict, lines: list[bytes], *, fix_checksum: bool = False) -> None:
    if fix_checksum:
        manifest = {**manifest, "sha256": hashlib.sha256(b"".join(lines)).hexdigest()}
    with gzip.open(path, "wb") as stream:
        stream.write(json.dumps(manifest).encode() + b"\n")
        stream.writelines(lines)


def backup_to(path: Path) -> Path:
    result = invoke("backup", str(path), "--json")
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def backup_file(clinic_data, tmp_path):
    return backup_to(tmp_path / "naltrack.jsonl.gz")


@pytest.fixture
def small_backup(some_data, tmp_path):
    return backup_to(tmp_path / "small.jsonl.gz")


# --- backup and restore: in-process -------------------------------------------------------------


def test_backup_writes_a_private_file_with_a_manifest(clinic_data, tmp_path):
    path = tmp_path / "b.jsonl.gz"
    result = invoke("backup", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # --json: no progress bar
    summary = json.loads(result.stdout)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    manifest, lines = read_backup(path)
    assert manifest["format"] == "naltrack-backup" and manifest["naltrack"]
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["migrations"] == backup_module.applied_migrations()
    assert "auth.0001_initial" in manifest["migrations"]
    assert manifest["counts"] == {name: len(rows) for name, rows in snapshot().items()}
    assert manifest["rows"] == len(lines) == summary["rows"]
    assert manifest["sha256"] == summary["sha256"] == content_sha256(path)
    assert all(PASSWORD.encode() not in line for line in lines) and PASSWORD not in result.output
    assert any(clinic_data.staff.password.encode() in line for line in lines)  # the hash travels, not the password


def test_backup_refuses_to_overwrite_unless_forced(some_data, tmp_path):
    path = tmp_path / "b.jsonl.gz"
    path.write_text("yesterday's backup")
    one_line_refusal(invoke("backup", str(path)), "exists", "--force")
    assert path.read_text() == "yesterday's backup"
    assert invoke("backup", str(path), "--force").exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_restore_replace_reproduces_every_row(clinic_data, backup_file):
    before = snapshot()
    assert sum(1 for rows in before.values() if rows) >= 25  # the demo fills nearly every table
    result = invoke("restore", str(backup_file), "--replace")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"restored {sum(map(len, before.values()))} rows")
    assert snapshot() == before

    staff = User.objects.get(id=clinic_data.staff.id)
    assert staff.check_password(PASSWORD)
    assert [g.name for g in staff.groups.all()] == ["night shift"]
    assert staff.groups.get().permissions.get().codename == "view_patient"
    event = AuditEvent.objects.get(id=clinic_data.event_id)
    assert event.at == dt.datetime(2026, 7, 1, 8, 30, 0, 123456, tzinfo=dt.UTC)
    assert event.target == "chart ✓ «Ωmega»"
    screening = clinic_data.patient.screenings.get(verdict="caution", recorded_by=staff)
    assert screening.inputs["nested"] == {"z": [1, None, True], "a": "é"}
    assert screening.recorded_at == dt.datetime(2026, 10, 1, 10, 59, 59, 999999, tzinfo=dt.UTC)
    checkin = clinic_data.patient.checkins.get(day=dt.date(2026, 10, 14))
    assert checkin.breath_alcohol_mg_l == Decimal("0.35") and checkin.note == "line\nbreak \"quoted\""


def test_restore_into_an_empty_database_and_new_rows_get_fresh_ids(clinic_data, backup_file):
    from django.db import transaction

    before = snapshot()
    with transaction.atomic():
        backup_module.flush_database(backup_module.backup_models())
    assert not Patient.objects.exists()
    result = invoke("restore", str(backup_file), "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["counts"]
    assert counts == {name: len(rows) for name, rows in before.items() if rows}
    assert snapshot() == before
    newest = max(AuditEvent.objects.values_list("id", flat=True))
    created = AuditEvent.objects.create(actor_label="after restore", action="view", target="x")
    assert created.id > newest  # sequences continue after the restored rows (PostgreSQL)


def test_a_freshly_migrated_database_counts_as_empty(db):
    assert backup_module.tables_with_data(backup_module.backup_models()) == {}


def test_restore_refuses_a_database_that_holds_data(small_backup):
    Clinic.objects.create(name="Since", slug="since", country="US", time_zone="UTC", drink_unit="us")
    before = snapshot()
    one_line_refusal(invoke("restore", str(small_backup)), "not empty", "--replace")
    assert snapshot() == before


def damaged(kind: str, good: Path, tmp_path: Path) -> Path:
    """A copy of the good backup, damaged in one way."""
    path = tmp_path / f"{kind}.jsonl.gz"
    manifest, lines = read_backup(good)
    if kind == "not gzip":
        path.write_bytes(b"SQLite format 3\x00" + os.urandom(200))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        data = good.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 3])
    elif kind == "flipped byte":
        data = bytearray(good.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif kind == "edited row":
        index = next(i for i, line in enumerate(lines) if b'"is_active":true' in line)
        lines[index] = lines[index].replace(b'"is_active":true', b'"is_active":false')
        write_backup_file(path, manifest, lines)
    elif kind == "tampered checksum":
        write_backup_file(path, {**manifest, "sha256": "0" * 64}, lines)
    elif kind == "missing rows":
        write_backup_file(path, manifest, lines[:-5], fix_checksum=True)
    elif kind == "no manifest":
        write_backup_file(path, {"hello": "world"}, lines)
    else:
        raise AssertionError(kind)
    return path


@pytest.mark.parametrize("kind, message", [
    ("not gzip", "not gzip-compressed"),
    ("empty", "the file is empty"),
    ("truncated", "truncated"),
    ("flipped byte", "damaged"),
    ("edited row", "checksum mismatch"),
    ("tampered checksum", "checksum mismatch"),
    ("missing rows", "row counts do not match"),
    ("no manifest", "not a naltrack backup"),
])
def test_restore_refuses_a_damaged_file_and_changes_nothing(small_backup, tmp_path, kind, message):
    before = snapshot()
    one_line_refusal(invoke("restore", str(damaged(kind, small_backup, tmp_path)), "--replace"), message)
    assert snapshot() == before


def test_restore_refuses_a_missing_file(db, tmp_path):
    one_line_refusal(invoke("restore", str(tmp_path / "nothing.jsonl.gz")), "no such file")


def test_restore_refuses_other_migrations_and_names_them(small_backup, tmp_path):
    manifest, lines = read_backup(small_backup)
    dropped = next(m for m in manifest["migrations"] if m.startswith("care.0001_"))
    migrations = [m for m in manifest["migrations"] if m != dropped] + ["care.9999_from_the_future"]
    path = tmp_path / "other.jsonl.gz"
    write_backup_file(path, {**manifest, "migrations": migrations}, lines)
    before = snapshot()
    one_line_refusal(invoke("restore", str(path), "--replace"), "migrations do not match",
                     f"the backup lacks {dropped}", "this code lacks care.9999_from_the_future")
    assert snapshot() == before


def test_restore_refuses_a_database_migrated_by_a_newer_naltrack(small_backup):
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder(connection).record_applied("care", "9999_from_the_future")
    before = snapshot()
    one_line_refusal(invoke("restore", str(small_backup), "--replace"), "the database has migrations this code "
                     "lacks (care.9999_from_the_future)")
    assert snapshot() == before


def test_a_failure_while_loading_rolls_everything_back(small_backup, tmp_path):
    """A row pointing at a patient that is not there passes the checksum but not the foreign-key check."""
    manifest, lines = read_backup(small_backup)
    index = next(i for i, line in enumerate(lines) if json.loads(line)["model"] == "care.checkin")
    row = json.loads(lines[index])
    row["fields"]["patient"] = 987654321
    lines[index] = json.dumps(row).encode() + b"\n"
    path = tmp_path / "dangling.jsonl.gz"
    write_backup_file(path, manifest, lines, fix_checksum=True)
    before = snapshot()
    one_line_refusal(invoke("restore", str(path), "--replace"), "restore failed, nothing changed")
    assert snapshot() == before


# --- the real command in a subprocess -----------------------------------------------------------


def run_cli(*args: str, database: Path, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NALTRACK_DATABASE_URL": f"sqlite:///{database}", "NALTRACK_VAR_DIR": str(var_dir),
           "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "naltrack.cli", *args], capture_output=True, text=True, env=env,
                          timeout=600, check=False)


def sqlite_dump(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    """A SQLite file migrated by `naltrack migrate` (once per module); tests get copies."""
    folder = tmp_path_factory.mktemp("cli-ops")
    path = folder / "template.sqlite3"
    done = run_cli("migrate", database=path, var_dir=folder)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def cli_db(migrated_sqlite, tmp_path):
    path = tmp_path / "cli.sqlite3"
    shutil.copyfile(migrated_sqlite, path)
    return SimpleNamespace(path=path, var=tmp_path,
                           run=lambda *args: run_cli(*args, database=path, var_dir=tmp_path))


def subprocess_refusal(done: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("naltrack: "), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.xdist_group("cli_ops_subprocess")
def test_the_command_line_refusal_contract(cli_db, tmp_path):
    created = cli_db.run("createclinic", "Harbour", "--slug", "harbour")
    assert created.returncode == 0, created.stderr
    good = tmp_path / "good.jsonl.gz"
    backed_up = cli_db.run("backup", str(good))
    assert backed_up.returncode == 0, backed_up.stderr
    assert backed_up.stdout.startswith("backed up ") and backed_up.stderr == ""
    assert stat.S_IMODE(good.stat().st_mode) == 0o600
    before = sqlite_dump(cli_db.path)

    subprocess_refusal(cli_db.run("restore", str(good)), "not empty", "--replace")
    for kind, message in [("truncated", "truncated"), ("tampered checksum", "checksum mismatch"),
                          ("not gzip", "not gzip-compressed")]:
        subprocess_refusal(cli_db.run("restore", str(damaged(kind, good, tmp_path)), "--replace"), message)
    subprocess_refusal(cli_db.run("export", "--clinic", "nowhere", "--format", "csv", "--out", str(tmp_path / "x")),
                       "no clinic with slug 'nowhere'")
    subprocess_refusal(cli_db.run("backup", str(good)), "exists")
    assert sqlite_dump(cli_db.path) == before

    blank = tmp_path / "blank.sqlite3"
    subprocess_refusal(run_cli("restore", str(good), database=blank, var_dir=tmp_path), "run `naltrack migrate` first")
    assert not (tmp_path / "x").exists()


@pytest.mark.xdist_group("cli_ops_subprocess")
def test_a_backup_moves_between_databases_unchanged(clinic_data, backup_file, cli_db, tmp_path):
    """This run's database → a SQLite file (another process) → back: the same bytes, the same rows."""
    before = snapshot()
    restored = cli_db.run("restore", str(backup_file), "--json")
    assert restored.returncode == 0, restored.stderr
    assert restored.stderr == ""
    assert json.loads(restored.stdout)["rows"] == sum(map(len, before.values()))

    again = tmp_path / "again.jsonl.gz"
    backed_up = cli_db.run("backup", str(again), "--json")
    assert backed_up.returncode == 0, backed_up.stderr
    assert content_sha256(again) == content_sha256(backup_file)
    assert read_backup(again)[0]["database"] == "sqlite"

    result = invoke("restore", str(again), "--replace")
    assert result.exit_code == 0, result.output
    assert snapshot() == before
