"""The one permission layer: may this user see or change this patient (or object)?

Every view and API endpoint asks here. The rules:
- a patient sees only their own record;
- staff see only the patients of clinics where they hold a clinical role;
- moderators see the forum, not charts; clinic admins manage people and the audit log;
- an object the user may not see answers 404 (its existence is not revealed); an object the user
  may see but not change in the way asked answers 403.
Reading or writing a patient's record as staff goes through ``open_patient``, which writes the
audit event, so no view can forget it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import AuditAction, Clinic, Membership, Patient, Role, User

if TYPE_CHECKING:
    from django.http import HttpRequest


class Capability(StrEnum):
    VIEW_CHART = "view_chart"            # open a patient's chart and caseload
    WRITE_CHART = "write_chart"          # notes, questionnaires, check-in review, flags
    GIVE_MEDICATION = "give_medication"  # record supervised doses, injections, labs, screenings
    PRESCRIBE = "prescribe"              # write orders, override a blocking screening, end an episode
    MODERATE = "moderate"                # work the forum moderation queue
    ADMINISTER = "administer"            # people, roles and the audit log of a clinic


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PRESCRIBER: frozenset(
        {Capability.VIEW_CHART, Capability.WRITE_CHART, Capability.GIVE_MEDICATION, Capability.PRESCRIBE}
    ),
    Role.NURSE: frozenset({Capability.VIEW_CHART, Capability.WRITE_CHART, Capability.GIVE_MEDICATION}),
    Role.COUNSELLOR: frozenset({Capability.VIEW_CHART, Capability.WRITE_CHART}),
    Role.MODERATOR: frozenset({Capability.MODERATE}),
    Role.CLINIC_ADMIN: frozenset({Capability.ADMINISTER}),
}

_CACHE_ATTR = "_naltrack_capabilities"


def capabilities_by_clinic(user: User) -> dict[int, frozenset[Capability]]:
    """Each clinic id where ``user`` holds an active role, with the capabilities it gives (cached)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached: dict[int, frozenset[Capability]] | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    result: dict[int, set[Capability]] = {}
    for clinic_id, role in Membership.objects.filter(user=user, is_active=True).values_list("clinic_id", "role"):
        result.setdefault(clinic_id, set()).update(ROLE_CAPABILITIES.get(role, frozenset()))
    frozen = {clinic_id: frozenset(caps) for clinic_id, caps in result.items()}
    setattr(user, _CACHE_ATTR, frozen)
    return frozen


def forget_capabilities(user: User) -> None:
    """Drop the cached capabilities (after memberships change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def clinic_ids_with(user: User, capability: Capability) -> set[int]:
    """Clinics in which ``user`` holds ``capability``."""
    return {clinic_id for clinic_id, caps in capabilities_by_clinic(user).items() if capability in caps}


def clinics_with(user: User, capability: Capability) -> QuerySet[Clinic]:
    return Clinic.objects.filter(id__in=clinic_ids_with(user, capability))


def has_capability(user: User, capability: Capability, clinic_id: int | None = None) -> bool:
    """Whether ``user`` holds ``capability`` in ``clinic_id`` (or in any clinic when None)."""
    ids = clinic_ids_with(user, capability)
    return bool(ids) if clinic_id is None else clinic_id in ids


def is_staff_member(user: User) -> bool:
    return bool(capabilities_by_clinic(user))


def own_patient(user: User) -> Patient | None:
    """The patient record that belongs to ``user``'s own login, if any."""
    if not user.is_authenticated:
        return None
    try:
        return user.patient
    except Patient.DoesNotExist:
        return None


def visible_patients(user: User) -> QuerySet[Patient]:
    """Every patient ``user`` may see: their own record, or their clinics' patients for clinical staff."""
    if not user.is_authenticated or not user.is_active:
        return Patient.objects.none()
    chart_clinics = clinic_ids_with(user, Capability.VIEW_CHART)
    if chart_clinics:
        return Patient.objects.filter(clinic_id__in=chart_clinics)
    return Patient.objects.filter(user=user)


def can_view_patient(user: User, patient: Patient) -> bool:
    """May ``user`` see ``patient``'s record?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if patient.user_id is not None and patient.user_id == user.id:
        return True
    return has_capability(user, Capability.VIEW_CHART, patient.clinic_id)


def can_act_on_patient(user: User, patient: Patient, capability: Capability) -> bool:
    """May ``user`` do what ``capability`` allows on ``patient``'s record (staff only)?"""
    return has_capability(user, capability, patient.clinic_id)


def is_self(user: User, patient: Patient) -> bool:
    return patient.user_id is not None and patient.user_id == user.id


def open_patient(
    request: HttpRequest,
    patient_id: int,
    *,
    need: Capability | None = None,
    action: str = AuditAction.VIEW,
    target: str = "chart",
    detail: str = "",
    via: str = "web",
) -> Patient:
    """Fetch a patient for ``request.user`` or raise; staff access writes an audit event.

    Not visible → Http404. Visible but ``need`` not held → PermissionDenied (403). A patient opening
    their own record needs no capability and leaves no audit event; patients never hold ``need``.
    """
    user = request.user
    patient = Patient.objects.select_related("clinic", "user").filter(pk=patient_id).first()
    if patient is None or not can_view_patient(user, patient):  # type: ignore[arg-type]
        raise Http404("No such patient.")
    if need is not None and not can_act_on_patient(user, patient, need):  # type: ignore[arg-type]
        raise PermissionDenied("Your role does not allow this.")
    if not is_self(user, patient):  # type: ignore[arg-type]
        from .services import record_audit_event

        record_audit_event(
            actor=user,  # type: ignore[arg-type]
            patient=patient,
            action=action,
            target=target,
            detail=detail,
            request=request,
            via=via,
        )
    return patient


def require(user: User, capability: Capability, clinic_id: int | None = None) -> None:
    """Raise PermissionDenied unless ``user`` holds ``capability`` (in ``clinic_id`` when given)."""
    if not has_capability(user, capability, clinic_id):
        raise PermissionDenied("Your role does not allow this.")


def role_labels(user: User) -> str:
    """'Dr A Example (prescriber, nurse)' for audit entries."""
    roles = sorted(
        {Role(role).label.lower() for role in Membership.objects.filter(user=user, is_active=True)
         .values_list("role", flat=True)}
    )
    name = user.full_name
    return f"{name} ({', '.join(roles)})" if roles else name
