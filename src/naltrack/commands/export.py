"""`naltrack export`: the de-identified research export of one clinic, written to a folder.

The same export the web page `/measures/cohort/export/` produces (``build_research_export`` of the measures
app: keyed-hash pseudonyms, per-patient shifted dates, no free text). The web page is for prescribers; the
command line is for whoever runs the server, so the audit event names the command line (operating-system
user and host) instead of a naltrack user.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from naltrack.web.accounts.models import Clinic
    from naltrack.web.measures.services.export import ResearchExport

FORMATS = ("parquet", "csv")
DEFAULT_DAYS = 365  # the web export's default window


def command_line_actor() -> str:
    """'command line (alice@host)': who an audit event written by a naltrack command is attributed to."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        user = "unknown user"
    return f"command line ({user}@{socket.gethostname()})"[:160]


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only (0600), replacing it in one step."""
    import tempfile

    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _parse_date(text: str, option: str) -> dt.date:
    from naltrack.commands._common import fail

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{option} is not a date (YYYY-MM-DD): {text!r}")


def _check_out_dir(out: Path, force: bool) -> None:
    from naltrack.commands._common import fail

    if out.exists() and not out.is_dir():
        fail(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        fail(f"{out} is not empty: choose a new folder, or pass --force to write into it")
    if not out.exists() and not out.parent.is_dir():
        fail(f"no such folder: {out.parent}")


def _audit(export: ResearchExport, clinic: Clinic) -> None:
    # record_audit_event needs a naltrack user; a command-line run has none, and AuditEvent keeps the actor
    # nullable with the name in actor_label for exactly this.
    from naltrack.web.accounts.models import AuditAction, AuditEvent
    from naltrack.web.measures.services.export import EXPORT_AUDIT_TARGET

    AuditEvent.objects.create(actor=None, actor_label=command_line_actor(), clinic=clinic, patient=None,
                              action=AuditAction.EXPORT, target=EXPORT_AUDIT_TARGET, detail=export.audit_detail,
                              via="cli")


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export_command(
        clinic: str = typer.Option(..., "--clinic", help="Slug of the clinic to export."),
        file_format: str = typer.Option(..., "--format", help="parquet or csv."),
        out: Path = typer.Option(..., "--out", help="Folder to write patient_days.parquet or .csv into."),
        start: str = typer.Option("", "--from", help="First day, YYYY-MM-DD (default: 364 days before --to)."),
        end: str = typer.Option("", "--to", help="Last day, YYYY-MM-DD (default: today)."),
        unit: str = typer.Option("", "--unit", help="Standard-drink unit (default: the clinic's)."),
        force: bool = typer.Option(False, "--force", help="Write into a folder that is not empty."),
        as_json: bool = typer.Option(False, "--json", help="Print {files, rows, patients, ...} as JSON."),
    ) -> None:
        """De-identified patient-days of one clinic (pseudonymous ids, shifted dates, no free text); audited."""
        from naltrack.commands._common import fail, print_json

        file_format = file_format.lower()
        if file_format not in FORMATS:
            fail(f"--format must be parquet or csv, not {file_format!r}")
        last = _parse_date(end, "--to") if end else None
        first = _parse_date(start, "--from") if start else None
        _check_out_dir(out, force)

        from naltrack.commands._django import pending_migrations, setup_django

        setup_django()
        from django.db import transaction
        from django.utils import timezone

        from naltrack.clinical.drinking import STANDARD_DRINK_UNITS
        from naltrack.web.accounts.models import Clinic
        from naltrack.web.measures.forms import EARLIEST_DAY
        from naltrack.web.measures.services import MeasuresError, build_research_export

        if unit and unit.lower() not in STANDARD_DRINK_UNITS:
            fail(f"unknown --unit {unit!r} (one of {', '.join(sorted(STANDARD_DRINK_UNITS))})")
        if pending_migrations():
            fail("the database needs migrations: run `naltrack migrate` first")
        target = Clinic.objects.filter(slug=clinic).first()
        if target is None:
            fail(f"no clinic with slug {clinic!r}")
        today = timezone.localdate()
        last = last or today
        first = first or last - dt.timedelta(days=DEFAULT_DAYS - 1)
        if first < EARLIEST_DAY or last > today + dt.timedelta(days=366):
            fail("choose dates between 2000 and next year")  # the web export's bounds
        try:
            export = build_research_export([target], first, last, unit=unit.lower() or None)
        except MeasuresError as exc:
            fail(str(exc))

        out.mkdir(mode=0o700, exist_ok=True)
        path = out / f"patient_days.{file_format}"
        # The file is written before the audit event and removed if the event cannot be written: no
        # export leaves without its audit entry.
        write_private_file(path, export.parquet_bytes() if file_format == "parquet" else export.csv_bytes())
        try:
            with transaction.atomic():
                _audit(export, target)
        except BaseException:
            path.unlink(missing_ok=True)
            raise

        summary: dict[str, Any] = {
            "files": [str(path)], "rows": export.table.num_rows, "patients": _patients(export),
            "clinic": target.slug, "from": first.isoformat(), "to": last.isoformat(), "unit": export.unit,
            "format": file_format,
        }
        if as_json:
            print_json(summary)
        else:
            typer.echo(f"wrote {summary['rows']} patient-days of {summary['patients']} patients "
                       f"({target.slug}, {first} to {last}, unit {export.unit}) to {path}")


def _patients(export: ResearchExport) -> int:
    import pyarrow.compute as pc

    return int(pc.count_distinct(export.table["pid"]).as_py())
