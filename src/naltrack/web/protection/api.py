"""API endpoints of the estimated-protection capability, mounted under /api/v1/protection/.

``/patients/{id}/timeline`` goes through ``open_patient``: staff of the patient's clinic (audited, API as
channel) and the patient themself; anyone else answers 404. ``/me/timeline`` is the caller's own record.
The answer is the core's estimate on an hourly grid with its band and the caveat that goes with it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from naltrack.web.accounts.access import open_patient, own_patient
from naltrack.web.accounts.models import Patient
from naltrack.web.api.api import via
from naltrack.web.api.schemas import Error

from . import services
from .services import Curve, TimedDose, Timeline

router = Router(tags=["protection"])

_DIGITS = 4


class WindowQuery(Schema):
    days: int = Field(services.PAST_DAYS, ge=1, le=services.MAX_PAST_DAYS,
                      description="Past days shown before today (today is always included).")
    ahead: int = Field(services.AHEAD_DAYS, ge=0, le=services.MAX_AHEAD_DAYS,
                       description="Days shown after today, assuming no more doses (and as prescribed).")


class DoseOut(Schema):
    at: dt.datetime
    hour: float = Field(description="Hours from the first point of the timeline.")
    kind: str = Field(description="oral or xr")
    mg: float
    origin: str = Field(description="recorded, or planned from the current order")
    time_recorded: bool


class ReadingOut(Schema):
    at: dt.datetime
    blockade: float
    blockade_low: float
    blockade_high: float
    band: str = Field(description="Display band of the model estimate (not a clinical cut-off).")


class TimelineOut(Schema):
    patient_id: int
    time_zone: str
    start: dt.datetime
    end: dt.datetime
    now: dt.datetime
    step_hours: float
    has_doses: bool
    hours: list[float]
    blockade: list[float] | None = Field(description="Estimated fraction of receptors occupied (0–1), typical "
                                                     "patient, from the recorded doses only.")
    blockade_low: list[float] | None = Field(description="5th percentile over the virtual population.")
    blockade_high: list[float] | None = Field(description="95th percentile over the virtual population.")
    as_prescribed: list[float] | None = Field(description="Typical patient if the current order is followed "
                                                          "from now; null when nothing is planned.")
    reading_now: ReadingOut | None
    doses: list[DoseOut]
    display_bands: str
    notes: list[str]
    caveat: str
    caveats: list[str]
    sources: list[str]


def _values(values: object) -> list[float]:
    return [round(float(v), _DIGITS) for v in values]  # type: ignore[attr-defined]


def _reading(timeline: Timeline, curve: Curve) -> ReadingOut:
    reading = timeline.reading_now(curve)
    return ReadingOut(at=timeline.local(reading.at), blockade=round(reading.blockade, _DIGITS),
                      blockade_low=round(reading.low, _DIGITS), blockade_high=round(reading.high, _DIGITS),
                      band=reading.band)


def _dose(timeline: Timeline, dose: TimedDose, start: dt.datetime) -> DoseOut:
    return DoseOut(at=timeline.local(dose.at), hour=round((dose.at - start) / services.HOUR, _DIGITS),
                   kind=dose.kind.value, mg=dose.mg, origin=dose.origin.value, time_recorded=dose.is_time_recorded)


def _timeline_out(patient: Patient, query: WindowQuery) -> TimelineOut:
    timeline = services.build_timeline(patient, past_days=query.days, ahead_days=query.ahead)
    start = timeline.times[0]
    recorded, planned = timeline.recorded_curve, timeline.planned_curve
    return TimelineOut(
        patient_id=patient.id, time_zone=timeline.zone.key, start=timeline.local(start),
        end=timeline.local(timeline.times[-1]), now=timeline.local(timeline.now), step_hours=services.STEP_H,
        has_doses=timeline.has_doses, hours=[float(k) for k in range(len(timeline.times))],
        blockade=_values(recorded.blockade) if recorded else None,
        blockade_low=_values(recorded.low) if recorded else None,
        blockade_high=_values(recorded.high) if recorded else None,
        as_prescribed=_values(planned.blockade) if planned else None,
        reading_now=_reading(timeline, recorded) if recorded else None,
        doses=[_dose(timeline, d, start) for d in timeline.shown(timeline.baseline_doses)],
        display_bands=services.DISPLAY_BANDS_NOTE, notes=list(timeline.notes), caveat=services.CAVEAT,
        caveats=list(services.CAVEATS), sources=[s.key for s in services.safety_sources()],
    )


@router.get("/me/timeline", response={200: TimelineOut, 403: Error, 422: Error})
def my_timeline(request: HttpRequest, query: Query[WindowQuery]) -> TimelineOut:
    """The caller's own estimated protection from their recorded doses (patients only)."""
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("This endpoint is for patients.")
    return _timeline_out(patient, query)


@router.get("/patients/{patient_id}/timeline", response={200: TimelineOut, 404: Error, 422: Error})
def patient_timeline(request: HttpRequest, patient_id: int, query: Query[WindowQuery]) -> TimelineOut:
    """A patient's estimated protection: their own clinic's staff (audited) or the patient themself."""
    patient = open_patient(request, patient_id, target="estimated protection", via=via(request))
    return _timeline_out(patient, query)
