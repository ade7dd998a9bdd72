"""What every care service shares: the domain error, the patient's local 'today', and audit helpers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from naltrack.clinical.localtime import local_day
from naltrack.web.accounts.models import Patient, User
from naltrack.web.accounts.services import record_audit_event

if TYPE_CHECKING:
    from django.http import HttpRequest

# How far back a patient may fill in a dose or check-in they forgot (a product choice).
BACKFILL_DAYS = 7


class CareError(ValidationError):
    """A care action refused with a message the user can act on (the API answers it as 422)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return self.messages[0]


def now() -> dt.datetime:
    """The current instant (tests freeze it by patching django.utils.timezone.now)."""
    return timezone.now()


def patient_today(patient: Patient, at: dt.datetime | None = None) -> dt.date:
    """The patient's own calendar day at ``at`` (default: now), in their time zone."""
    return local_day(at or now(), patient.time_zone)


def check_recent_day(day: dt.date, today: dt.date, *, what: str = "a dose", staff: bool = False) -> None:
    """Refuse a day in the future; patients may also not go back more than BACKFILL_DAYS.

    Staff may record what happened earlier in the course (the order in force that day is checked by the
    caller), but not more than a year back.
    """
    if day > today:
        raise CareError(f"You cannot record {what} for a day that has not come yet.")
    if staff:
        if day < today - dt.timedelta(days=366):
            raise CareError(f"You cannot record {what} more than a year back.")
        return
    if day < today - dt.timedelta(days=BACKFILL_DAYS):
        raise CareError(f"You can fill in {what} for the last {BACKFILL_DAYS} days only.")


def audit(by: User | None, patient: Patient, action: str, target: str, *, detail: str = "",
          request: HttpRequest | None = None, via: str = "web") -> None:
    """Write the audit event of a staff write (patients acting on their own record are not audited)."""
    if by is None or (patient.user_id is not None and patient.user_id == by.id):
        return
    record_audit_event(actor=by, patient=patient, action=action, target=target, detail=detail,
                       request=request, via=via)
