"""``python -m naltrack.web.manage refresh_flags``: the daily job that refreshes adherence and flags.

Run it once a day (cron or a systemd timer), for example shortly after midnight in the clinic's zone:
it recomputes every active patient's adherence snapshot for their own local 'today' and raises the
missed-dose, overdue-injection, no-check-in and refill flags the caseload sorts by.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from naltrack.web.accounts.models import Patient
from naltrack.web.care.services import patient_today, refresh_flags


class Command(BaseCommand):
    help = "Refresh every active patient's adherence snapshot and care flags."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clinic", help="Only this clinic (its slug).")
        parser.add_argument("--today", help="Pretend today is YYYY-MM-DD (for back-runs and tests).")

    def handle(self, *args: Any, **options: Any) -> None:
        fixed_today = None
        if options["today"]:
            try:
                fixed_today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date written YYYY-MM-DD") from None
        patients = Patient.objects.filter(is_active=True, episodes__isnull=False).distinct().select_related("clinic")
        if options["clinic"]:
            patients = patients.filter(clinic__slug=options["clinic"])
        count = raised = 0
        for patient in patients.iterator():
            raised += len(refresh_flags(patient, fixed_today or patient_today(patient)))
            count += 1
        self.stdout.write(f"refreshed {count} patients, raised {raised} flags")
