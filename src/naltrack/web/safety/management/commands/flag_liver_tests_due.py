"""Daily job: raise a "Liver tests due" flag for every active patient whose liver tests are overdue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from naltrack.web.accounts.models import Patient
from naltrack.web.safety.services import check_liver_tests_due


class Command(BaseCommand):
    help = "Raise 'Liver tests due' flags for active patients whose liver tests are overdue (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        overdue = 0
        for patient in Patient.objects.filter(is_active=True).select_related("clinic").iterator(chunk_size=500):
            if check_liver_tests_due(patient, today=today).is_overdue:
                overdue += 1
        self.stdout.write(f"{overdue} patient(s) with overdue liver tests flagged.")
