"""API endpoints of the care capability, mounted under /api/v1/care/.

Same permission layer (open_patient / own_patient) and the same services as the pages; explicit input
and output schemas. A refused action (CareError, a ValidationError) answers 422 with its message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from naltrack.clinical.regimens import get_regimen
from naltrack.web.accounts.access import Capability, can_act_on_patient, is_self, open_patient, own_patient
from naltrack.web.api.api import via

from . import flags as flag_actions
from . import services
from .models import Dose, Episode, Flag, MedicationOrder

router = Router(tags=["care"])


class Error(Schema):
    detail: str


class EpisodeOut(Schema):
    id: int
    indication: str
    goal: str
    started_on: dt.date
    planned_weeks: int | None
    status: str
    ended_on: dt.date | None
    end_reason: str


class EpisodeIn(Schema):
    indication: Literal["alcohol", "opioid", "other"]
    goal: Literal["abstinence", "reduced"] = "abstinence"
    started_on: dt.date
    planned_weeks: int | None = Field(None, ge=1, le=520)
    open_ended: bool = False

    model_config = {"extra": "forbid"}


class OrderOut(Schema):
    id: int
    episode_id: int
    regimen: str
    label_status: str
    is_off_label: bool
    dose_mg: float | None
    pattern: str
    weekly_doses: list[tuple[int, float]]
    implant_duration_days: int | None
    minutes_before_drink: int
    starts_on: dt.date
    ends_on: dt.date | None
    is_current: bool

    @staticmethod
    def resolve_label_status(obj: MedicationOrder) -> str:
        return get_regimen(obj.regimen).label_status.value


class OrderIn(Schema):
    regimen: Literal["oral-daily", "oral-supervised", "xr-injection", "targeted", "low-dose", "implant"]
    starts_on: dt.date
    dose_mg: float | None = Field(None, gt=0, le=2000)
    pattern: str = Field("", max_length=40)
    weekly_doses: list[tuple[int, float]] = Field(default_factory=list, max_length=7)
    implant_duration_days: int | None = Field(None, ge=1, le=730)
    minutes_before_drink: int | None = Field(None, ge=1, le=240)
    note: str = Field("", max_length=300)

    model_config = {"extra": "forbid"}


class DoseOut(Schema):
    id: int
    taken_on: dt.date
    time_taken: dt.datetime | None
    dose_mg: float
    kind: str
    site: str
    lot: str
    expires_on: dt.date | None
    reactions: str


class DoseIn(Schema):
    kind: Literal["self", "supervised", "injection"]
    day: dt.date | None = None
    dose_mg: float | None = Field(None, gt=0, le=1000)
    site: str = Field("", max_length=20)
    lot: str = Field("", max_length=40)
    expires_on: dt.date | None = None
    reactions: str = Field("", max_length=300)

    model_config = {"extra": "forbid"}


class AdherenceOut(Schema):
    regimen: str
    pdc_episode: float | None
    pdc_28: float | None
    days_covered: int
    days: int
    is_adherent: bool | None
    missed: list[dt.date]
    missed_last_7: int
    overdue: list[dt.date]
    targeted_coverage: float | None
    drinking_days: int
    last_injection_on: dt.date | None
    injection_due_on: dt.date | None
    is_injection_overdue: bool
    sources: list[str]


class FlagOut(Schema):
    id: int
    kind: str
    severity: str
    title: str
    detail: str
    source: str
    link: str
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None


class CheckInIn(Schema):
    craving: int | None = Field(None, ge=0, le=10)
    opioid_use: bool | None = None
    mood: int | None = Field(None, ge=1, le=5)
    breath_alcohol_mg_l: Decimal | None = Field(None, ge=0, le=Decimal("2.5"), max_digits=4, decimal_places=2)
    note: str = Field("", max_length=1000)
    is_lapse: bool = False
    lapse_note: str = Field("", max_length=500)
    drank: bool = False

    model_config = {"extra": "forbid"}


class CheckInOut(Schema):
    id: int
    day: dt.date
    craving: int | None
    opioid_use: bool | None
    mood: int | None
    breath_alcohol_mg_l: Decimal | None
    note: str
    is_lapse: bool
    lapse_note: str
    drank: bool


# --- Episodes -------------------------------------------------------------------------------------

@router.get("/patients/{patient_id}/episodes", response={200: list[EpisodeOut], 404: Error})
def list_episodes(request: HttpRequest, patient_id: int) -> QuerySet[Episode]:
    """A patient's episodes of care, newest first (staff reads are audited)."""
    patient = open_patient(request, patient_id, target="episodes", via=via(request))
    return Episode.objects.filter(patient=patient)


@router.post("/patients/{patient_id}/episodes", response={201: EpisodeOut, 403: Error, 404: Error, 422: Error})
def create_episode(request: HttpRequest, patient_id: int, payload: EpisodeIn) -> Status[object]:
    """Start an episode (prescribers)."""
    patient = open_patient(request, patient_id, need=Capability.PRESCRIBE, target="episodes", via=via(request))
    episode = services.start_episode(
        patient, by=request.user, indication=payload.indication, goal=payload.goal,  # type: ignore[arg-type]
        started_on=payload.started_on, today=services.patient_today(patient), planned_weeks=payload.planned_weeks,
        use_default_length=not payload.open_ended, request=request, via=via(request))
    return Status(201, episode)


# --- Orders ---------------------------------------------------------------------------------------

@router.get("/patients/{patient_id}/orders", response={200: list[OrderOut], 404: Error})
def list_orders(request: HttpRequest, patient_id: int) -> QuerySet[MedicationOrder]:
    """A patient's orders, newest first; off-label regimens say so."""
    patient = open_patient(request, patient_id, target="orders", via=via(request))
    return MedicationOrder.objects.filter(patient=patient)


@router.post("/patients/{patient_id}/orders", response={201: OrderOut, 403: Error, 404: Error, 422: Error})
def create_order(request: HttpRequest, patient_id: int, payload: OrderIn) -> Status[object]:
    """Write an order in the active episode (prescribers); the core's validate_order decides."""
    patient = open_patient(request, patient_id, need=Capability.PRESCRIBE, target="orders", via=via(request))
    episode = services.current_episode(patient)
    if episode is None:
        raise services.CareError("Start an episode before writing an order.")
    fields = {k: v for k, v in payload.dict().items() if v not in (None, "", [])}
    order = services.write_order(episode, by=request.user, today=services.patient_today(patient),  # type: ignore[arg-type]
                                 request=request, via=via(request), **fields)
    return Status(201, order)


# --- Doses ----------------------------------------------------------------------------------------

@router.get("/patients/{patient_id}/doses", response={200: list[DoseOut], 404: Error})
@paginate(LimitOffsetPagination)
def list_doses(request: HttpRequest, patient_id: int) -> QuerySet[Dose]:
    """Doses and injections, newest first."""
    patient = open_patient(request, patient_id, target="doses", via=via(request))
    return Dose.objects.filter(patient=patient).order_by("-taken_on", "-id")


@router.post("/patients/{patient_id}/doses", response={201: DoseOut, 200: DoseOut, 403: Error, 404: Error,
                                                        422: Error})
def create_dose(request: HttpRequest, patient_id: int, payload: DoseIn) -> Status[object]:
    """The patient reports their own tablet ('self'); staff record supervised doses and injections."""
    patient = open_patient(request, patient_id, target="doses", via=via(request))
    user = request.user
    if is_self(user, patient):  # type: ignore[arg-type]
        if payload.kind != "self":
            raise PermissionDenied("Patients report their own tablets only.")
        dose, created = services.backfill_dose(patient, day=payload.day) if payload.day else \
            services.take_dose_now(patient)
        return Status(201 if created else 200, dose)
    if not can_act_on_patient(user, patient, Capability.GIVE_MEDICATION):  # type: ignore[arg-type]
        raise PermissionDenied("Your role does not allow this.")
    today = services.patient_today(patient)
    day = payload.day or today
    if payload.kind == "supervised":
        dose = services.record_supervised_dose(patient, by=user, day=day, dose_mg=payload.dose_mg,  # type: ignore[arg-type]
                                               request=request, via=via(request))
    elif payload.kind == "injection":
        if payload.expires_on is None:
            raise services.CareError("Enter the lot's expiry date.")
        dose = services.record_injection(patient, by=user, day=day, site=payload.site,  # type: ignore[arg-type]
                                         lot=payload.lot, expires_on=payload.expires_on,
                                         reactions=payload.reactions, request=request, via=via(request))
    else:
        raise services.CareError("Staff record 'supervised' doses or 'injection's.")
    services.refresh_flags(patient, today)
    return Status(201, dose)


# --- Adherence and flags --------------------------------------------------------------------------

@router.get("/patients/{patient_id}/adherence", response={200: AdherenceOut, 404: Error})
def adherence(request: HttpRequest, patient_id: int) -> AdherenceOut:
    """PDC for the episode and the last 28 days, missed and overdue days (compute_adherence, as the CLI)."""
    patient = open_patient(request, patient_id, target="adherence", via=via(request))
    s = services.adherence_for(patient, services.patient_today(patient))
    return AdherenceOut(regimen=s.regimen, pdc_episode=s.pdc_episode, pdc_28=s.pdc_28, days_covered=s.days_covered,
                        days=s.days, is_adherent=s.is_adherent, missed=s.missed, missed_last_7=s.missed_last_7,
                        overdue=s.overdue, targeted_coverage=s.targeted_coverage, drinking_days=s.drinking_days,
                        last_injection_on=s.last_injection_on, injection_due_on=s.injection_due_on,
                        is_injection_overdue=s.is_injection_overdue, sources=list(s.sources))


@router.get("/patients/{patient_id}/flags", response={200: list[FlagOut], 403: Error, 404: Error})
def list_flags(request: HttpRequest, patient_id: int, open_only: bool = False) -> QuerySet[Flag]:
    """A patient's flags (staff with chart access)."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="flags", via=via(request))
    flags = Flag.objects.filter(patient=patient)
    return flags.filter(acknowledged_at__isnull=True) if open_only else flags


@router.post("/patients/{patient_id}/flags/{flag_id}/acknowledge", response={200: FlagOut, 403: Error, 404: Error})
def acknowledge(request: HttpRequest, patient_id: int, flag_id: int, note: str = "") -> Flag:
    """Acknowledge a flag (audited); acknowledging twice changes nothing."""
    patient = open_patient(request, patient_id, need=Capability.WRITE_CHART, target="flags", via=via(request))
    flag = Flag.objects.filter(pk=flag_id, patient=patient).first()
    if flag is None:
        raise Http404
    return flag_actions.acknowledge_flag(flag, by=request.user, note=note[:300], request=request)  # type: ignore[arg-type]


# --- The patient themself -------------------------------------------------------------------------

@router.post("/me/checkins", response={200: CheckInOut, 403: Error, 422: Error})
def create_checkin(request: HttpRequest, payload: CheckInIn) -> object:
    """Today's check-in for the patient calling (a second call the same day updates it)."""
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("Check-ins are for patients.")
    return services.save_checkin(patient, **payload.dict())
