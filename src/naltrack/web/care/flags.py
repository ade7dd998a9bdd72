"""Raising and acknowledging flags: the one way any capability asks for a clinician's attention."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from naltrack.web.accounts.models import AuditAction, Patient, User
from naltrack.web.accounts.services import record_audit_event

from .models import Flag, FlagSeverity

if TYPE_CHECKING:
    from django.http import HttpRequest


def raise_flag(patient: Patient, *, kind: str, severity: str, title: str, detail: str = "", source: str = "",
               link: str = "", dedupe_key: str | None = None) -> Flag:
    """Open a flag on ``patient`` unless an open flag with the same key exists (then return that one)."""
    key = dedupe_key or kind
    existing = Flag.objects.filter(patient=patient, dedupe_key=key, acknowledged_at__isnull=True).first()
    if existing is not None:
        return existing
    flag = Flag(patient=patient, kind=kind, severity=FlagSeverity(severity), title=title[:140],
                detail=detail[:500], source=source[:80], link=link[:200], dedupe_key=key[:120])
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:  # raised concurrently by another request: keep the first
        return Flag.objects.get(patient=patient, dedupe_key=key, acknowledged_at__isnull=True)
    return flag


@transaction.atomic
def acknowledge_flag(flag: Flag, *, by: User, note: str = "", request: HttpRequest | None = None) -> Flag:
    """Mark ``flag`` seen and handled by ``by`` (audited). Acknowledging twice changes nothing."""
    if flag.acknowledged_at is not None:
        return flag
    flag.acknowledged_at = timezone.now()
    flag.acknowledged_by = by
    flag.acknowledgement_note = note[:300]
    flag.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    record_audit_event(actor=by, patient=flag.patient, action=AuditAction.ACKNOWLEDGE,
                       target=f"flag {flag.id}", detail=flag.title, request=request)
    return flag
