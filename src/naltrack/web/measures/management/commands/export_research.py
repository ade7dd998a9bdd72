"""Write the de-identified research export (patient_days.parquet and .csv) into a folder.

    python -m naltrack.web.manage export_research OUT_DIR --by USERNAME [--clinic SLUG ...]
        [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--unit us|uk|...]

``--by`` names the prescriber responsible for the export: it must hold the prescribe capability in
every clinic exported, and the export is audited under their name (channel ``cli``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from naltrack.clinical.drinking import STANDARD_DRINK_UNITS
from naltrack.web.accounts.access import Capability, clinics_with
from naltrack.web.accounts.models import User
from naltrack.web.measures.services import MeasuresError, export_research


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Write de-identified patient-days (Parquet and CSV) of a prescriber's clinics into a folder."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("out_dir", help="folder to write patient_days.parquet and patient_days.csv into")
        parser.add_argument("--by", required=True, help="username of the prescriber responsible for the export")
        parser.add_argument("--clinic", action="append", default=[], help="clinic slug (repeatable; default: all "
                                                                          "the prescriber's clinics)")
        parser.add_argument("--start", help="first day (default: 365 days before --end)")
        parser.add_argument("--end", help="last day (default: today)")
        parser.add_argument("--unit", choices=sorted(STANDARD_DRINK_UNITS), help="standard-drink unit")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["by"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['by']!r}")
        allowed = list(clinics_with(user, Capability.PRESCRIBE))
        if not allowed:
            raise CommandError(f"{user.username} is not a prescriber in any clinic")
        if options["clinic"]:
            by_slug = {clinic.slug: clinic for clinic in allowed}
            unknown = [slug for slug in options["clinic"] if slug not in by_slug]
            if unknown:
                raise CommandError(f"{user.username} cannot export clinic {unknown[0]!r}")
            clinics = [by_slug[slug] for slug in options["clinic"]]
        else:
            clinics = allowed
        end = _date(options["end"]) if options["end"] else timezone.localdate()
        start = _date(options["start"]) if options["start"] else end - dt.timedelta(days=364)
        try:
            export = export_research(user, clinics, start, end, unit=options["unit"], via="cli")
        except MeasuresError as exc:
            raise CommandError(str(exc)) from None
        parquet, csv = export.write(Path(options["out_dir"]))
        self.stdout.write(f"wrote {export.table.num_rows} patient-days to {parquet} and {csv}")
