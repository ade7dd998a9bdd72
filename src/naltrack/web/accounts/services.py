"""Actions on clinics, people, tokens and the audit trail. Views call these; they own transactions."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken, AuditEvent, Clinic, Membership, Patient, Role, User

if TYPE_CHECKING:
    from django.http import HttpRequest

TOKEN_PREFIX_BYTES = 6


def client_address(request: HttpRequest | None) -> str | None:
    """The address a request came from (REMOTE_ADDR; a trusted proxy sets it through the WSGI server)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_audit_event(
    *,
    actor: User,
    patient: Patient | None,
    action: str,
    target: str,
    detail: str = "",
    request: HttpRequest | None = None,
    clinic: Clinic | None = None,
    via: str = "web",
) -> AuditEvent:
    """Write one audit event: who did what to which record, when and from where."""
    from .access import role_labels

    return AuditEvent.objects.create(
        actor=actor,
        actor_label=role_labels(actor)[:160],
        clinic=clinic if clinic is not None else (patient.clinic if patient is not None else None),
        patient=patient,
        action=action,
        target=target[:80],
        detail=detail[:300],
        ip_address=client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:200],
        via=via,
    )


def search_audit_events(
    clinic_ids: set[int],
    *,
    actor: str = "",
    patient_record: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events of the given clinics, filtered the way the admin search form asks."""
    events = AuditEvent.objects.filter(clinic_id__in=clinic_ids).select_related("patient")
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if patient_record:
        events = events.filter(patient__record_number__iexact=patient_record)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


def record_openings(patient: Patient) -> QuerySet[AuditEvent]:
    """Who opened or changed ``patient``'s record, newest first (what the patient is shown)."""
    return AuditEvent.objects.filter(patient=patient).exclude(actor=patient.user).order_by("-at", "-id")


@transaction.atomic
def create_clinic(*, name: str, slug: str, country: str = "US", time_zone: str = "UTC",
                  drink_unit: str = "us") -> Clinic:
    clinic = Clinic(name=name, slug=slug, country=country, time_zone=time_zone, drink_unit=drink_unit)
    clinic.full_clean()
    clinic.save()
    return clinic


@transaction.atomic
def create_staff_user(*, username: str, password: str, first_name: str, last_name: str, email: str = "",
                      clinic: Clinic, roles: list[str], professional_title: str = "") -> User:
    """Create a staff login with one membership per role in ``clinic``."""
    for role in roles:
        if role not in Role.values:
            raise ValueError(f"unknown role {role!r}; choose from {', '.join(Role.values)}")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.password = make_password(password)
    user.full_clean()
    user.save()
    for role in roles:
        Membership.objects.create(user=user, clinic=clinic, role=role, professional_title=professional_title)
    if Role.CLINIC_ADMIN in roles:
        user.is_staff = True  # the Django admin, scoped to their clinics
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def register_patient(*, clinic: Clinic, given_name: str, family_name: str, display_name: str,
                     record_number: str, sex: str, enrolled_on: dt.date, country: str | None = None,
                     time_zone: str | None = None, date_of_birth: dt.date | None = None,
                     username: str = "", password: str = "") -> Patient:
    """Register a patient in ``clinic``, with a login when a username is given."""
    user = None
    if username:
        user = User(username=username, first_name=given_name, last_name=family_name)
        user.password = make_password(password) if password else make_password(None)
        user.full_clean()
        user.save()
    patient = Patient(
        clinic=clinic, user=user, given_name=given_name, family_name=family_name,
        display_name=display_name, record_number=record_number, sex=sex, enrolled_on=enrolled_on,
        country=country or clinic.country, time_zone=time_zone or clinic.time_zone,
        date_of_birth=date_of_birth,
    )
    patient.full_clean()
    patient.save()
    return patient


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its one-time plain value ``nlt_<prefix>_<secret>``."""
    prefix = secrets.token_hex(TOKEN_PREFIX_BYTES)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80] or "API token", prefix=prefix,
                                    secret_hash=_hash_secret(secret))
    return token, f"nlt_{prefix}_{secret}"


def authenticate_api_token(raw: str) -> User | None:
    """The active user a presented token belongs to, or None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != "nlt":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if token is None or not secrets.compare_digest(token.secret_hash, _hash_secret(parts[2])):
        return None
    if not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def revoke_api_token(user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; False when there is no such token."""
    return bool(ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True)
                .update(revoked_at=timezone.now()))
