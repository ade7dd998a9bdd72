"""Estimated-protection pages: the patient's own timeline, and a clinician's what-if for one patient.

Thin views: the access helper, the timeline service (and the what-if form on the clinician's page), render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from naltrack.web.accounts.access import Capability, open_patient, own_patient

from . import presenters, services
from .forms import WhatIfForm, is_submitted


@login_required
@require_GET
def my_protection(request: HttpRequest) -> HttpResponse:
    """The signed-in patient's estimated protection from their own recorded doses (no id in the URL)."""
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("This page is for patients.")
    timeline = services.build_timeline(patient)
    return render(request, "protection/my_protection.html",
                  {"patient": patient, **presenters.patient_context(timeline)})


@login_required
@require_GET
def patient_protection(request: HttpRequest, patient_id: int) -> HttpResponse:
    """One patient's estimated protection with what-if changes from a GET form (audited as a chart read)."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="estimated protection")
    timeline = services.build_timeline(patient)
    form = None
    comparison = None
    if timeline.has_doses:
        submitted = is_submitted(request.GET)
        form = WhatIfForm(request.GET if submitted else None, timeline=timeline)
        if submitted and form.is_valid():
            try:
                comparison = services.compare(timeline, form.what_if())
            except services.ProtectionError as exc:
                form.add_error(None, str(exc))
    return render(request, "protection/patient_protection.html", {
        "patient": patient, "form": form, **presenters.clinician_context(timeline, comparison),
    }, status=400 if form is not None and form.errors else 200)
