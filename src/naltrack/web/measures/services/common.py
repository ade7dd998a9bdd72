"""What every measures service shares: the domain error, the patient's local day and the audit helper."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from naltrack.clinical.localtime import local_day
from naltrack.web.accounts.access import is_self
from naltrack.web.accounts.models import Patient, User
from naltrack.web.accounts.services import record_audit_event

if TYPE_CHECKING:
    from django.http import HttpRequest

# The furthest back a questionnaire or a timeline-followback day may be dated (a data-entry guard).
OLDEST_RECORD_DAYS = 3 * 366


class MeasuresError(ValidationError):
    """A measures action refused with a message the user can act on (the API answers it as 422)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return self.messages[0]


def patient_today(patient: Patient, at: dt.datetime | None = None) -> dt.date:
    """The patient's own calendar day at ``at`` (default: now), in their time zone."""
    return local_day(at or timezone.now(), patient.time_zone)


def audit_staff_write(by: User | None, patient: Patient, action: str, target: str, *, detail: str = "",
                      request: HttpRequest | None = None, via: str = "web") -> None:
    """Record a staff write on ``patient``; a patient changing their own record is not audited."""
    if by is None or is_self(by, patient):
        return
    record_audit_event(actor=by, patient=patient, action=action, target=target, detail=detail,
                       request=request, via=via)


def check_not_future(day: dt.date, today: dt.date, what: str) -> None:
    if day > today:
        raise MeasuresError(f"{what} cannot be on a day that has not come yet.")


def check_not_too_old(day: dt.date, today: dt.date, what: str) -> None:
    if day < today - dt.timedelta(days=OLDEST_RECORD_DAYS):
        raise MeasuresError(f"{what} cannot be more than three years ago.")
