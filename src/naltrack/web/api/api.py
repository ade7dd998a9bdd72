"""/api/v1/: the API object, its error mapping, and the platform endpoints."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router
from ninja.pagination import LimitOffsetPagination, paginate

from naltrack.web.accounts import services as account_services
from naltrack.web.accounts.access import Capability, clinics_with, open_patient, own_patient, visible_patients
from naltrack.web.accounts.models import AuditAction, Membership, Patient

from .auth import AUTH
from .schemas import AccessEvent, Error, Me, PatientDetail, PatientSummary

api = NinjaAPI(
    title="naltrack API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=422)


def via(request: HttpRequest) -> str:
    return getattr(request, "naltrack_via", "api")


platform = Router(tags=["platform"])


@platform.get("/me", response=Me)
def me(request: HttpRequest) -> Me:
    """Who the caller is: their patient record, or their roles by clinic."""
    user = request.user
    patient = own_patient(user)  # type: ignore[arg-type]
    roles = [
        {"clinic_id": m.clinic_id, "clinic": m.clinic.name, "role": m.role}
        for m in Membership.objects.filter(user=user, is_active=True).select_related("clinic")  # type: ignore[misc]
    ]
    return Me(username=user.get_username(), name=user.full_name,  # type: ignore[union-attr]
              is_patient=patient is not None, patient_id=patient.id if patient else None,
              roles=roles)  # type: ignore[arg-type]


@platform.get("/patients", response=list[PatientSummary])
@paginate(LimitOffsetPagination)
def list_patients(request: HttpRequest) -> QuerySet[Patient]:
    """Patients the caller may see (their own record, or their clinics' patients)."""
    user = request.user
    for clinic in clinics_with(user, Capability.VIEW_CHART):  # type: ignore[arg-type]
        account_services.record_audit_event(actor=user, patient=None, clinic=clinic,  # type: ignore[arg-type]
                                            action=AuditAction.VIEW, target="patient list",
                                            request=request, via=via(request))
    return visible_patients(user).order_by("id")  # type: ignore[arg-type]


@platform.get("/patients/{patient_id}", response={200: PatientDetail, 404: Error, 403: Error})
def get_patient(request: HttpRequest, patient_id: int) -> PatientDetail:
    """One patient's registration details (audited for staff)."""
    return open_patient(request, patient_id, target="registration", via=via(request))  # type: ignore[return-value]


@platform.get("/patients/{patient_id}/access-log", response={200: list[AccessEvent], 404: Error})
def access_log(request: HttpRequest, patient_id: int) -> list[AccessEvent]:
    """Who opened a patient's record: for the patient themself."""
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None or patient.id != patient_id:
        raise Http404
    return [AccessEvent(at=e.at, who=e.actor_label, action=e.get_action_display(), target=e.target)
            for e in account_services.record_openings(patient)[:200]]


api.add_router("/", platform)
# Each capability mounts its own router (its app's api.py) under its name.
for _app in ("care", "safety", "measures", "protection", "learn", "community"):
    api.add_router(f"/{_app}/", f"naltrack.web.{_app}.api.router")
