"""Care pages: the clinician's caseload and patient chart, and the patient's own home."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from naltrack.web.accounts import services as account_services
from naltrack.web.accounts.access import Capability, clinics_with, open_patient, own_patient, require

from . import services

CASELOAD_PAGE_SIZE = 100


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The clinician's caseload across their clinics."""
    require(request.user, Capability.VIEW_CHART)  # type: ignore[arg-type]
    query = request.GET.get("q", "").strip()[:80]
    clinics = list(clinics_with(request.user, Capability.VIEW_CHART))  # type: ignore[arg-type]
    clinic_id = None
    if request.GET.get("clinic", "").isdigit():
        clinic_id = int(request.GET["clinic"])
    patients = services.caseload(request.user, query=query, clinic_id=clinic_id)  # type: ignore[arg-type]
    page = Paginator(patients, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "care/caseload.html", {
        "page": page, "query": query, "clinics": clinics, "clinic_id": clinic_id,
    })


@login_required
def patient_chart(request: HttpRequest, patient_id: int) -> HttpResponse:
    """One patient's chart (staff of the patient's clinic only; the visit is audited)."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART)
    recent_access = account_services.record_openings(patient)[:10]
    return render(request, "care/patient_chart.html", {"patient": patient, "recent_access": recent_access})


@login_required
def patient_home(request: HttpRequest) -> HttpResponse:
    """The patient's own home page."""
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("This page is for patients.")
    return render(request, "care/patient_home.html", {"patient": patient})
