"""Safety pages: screening (and override), liver monitoring, symptom reports, medicines, emergency card.

Thin views: the access helper, a form, one service, then render or redirect.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from naltrack.clinical.emergency import contacts_for
from naltrack.clinical.sources import SOURCES
from naltrack.web.accounts.access import Capability, can_act_on_patient, open_patient, own_patient
from naltrack.web.accounts.models import AuditAction, Patient

from . import card, care_link, gate, services
from .forms import LiverResultForm, MedicationForm, OverrideForm, ScreeningForm, StopMedicationForm, SymptomReportForm
from .models import Medication, Screening, SymptomReport


def _today() -> dt.date:
    return timezone.localdate()


def _self_patient(request: HttpRequest) -> Patient:
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("This page is for patients.")
    return patient


def _source_titles() -> dict[str, str]:
    return {key: source.title for key, source in SOURCES.items()}


@login_required
def overview(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The safety summary of one patient: latest screening, gate, liver tests, reports, medicines."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="safety summary")
    today = _today()
    return render(request, "safety/overview.html", {
        "patient": patient,
        "screening": services.latest_screening(patient),
        "gate_block": gate.first_dose_block(patient),
        "due": services.check_liver_tests_due(patient, today=today),
        "reports": SymptomReport.objects.filter(patient=patient)[:5],
        "checks": [c for c in services.medication_checks(patient) if c.medication.is_current],
    })


@login_required
def screening(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Induction screening: the form (liver values prefilled), the verdict with reasons, the history."""
    if request.method == "POST":
        patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION, action=AuditAction.VIEW,
                               target="screening")
        form = ScreeningForm(request.POST)
        if form.is_valid():
            record = services.record_screening(patient, form.screening_input(), by=request.user,  # type: ignore[arg-type]
                                              request=request)
            messages.success(request, f"Screening recorded: {record.get_verdict_display().lower()}.")
            return redirect("safety:screening", patient_id=patient.id)
        messages.error(request, "The screening was not recorded: please correct the fields marked below.")
        status = 400
    else:
        patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="screening")
        form = ScreeningForm(initial=services.latest_liver_values(patient))
        status = 200
    history = list(Screening.objects.filter(patient=patient).select_related("override")[:20])
    return render(request, "safety/screening.html", {
        "patient": patient, "form": form, "latest": history[0] if history else None, "history": history,
        "gate_block": gate.first_dose_block(patient), "sources": _source_titles(),
        "can_screen": can_act_on_patient(request.user, patient, Capability.GIVE_MEDICATION),  # type: ignore[arg-type]
        "can_override": can_act_on_patient(request.user, patient, Capability.PRESCRIBE),  # type: ignore[arg-type]
        "override_form": OverrideForm(),
    }, status=status)


@login_required
@require_POST
def screening_override(request: HttpRequest, patient_id: int, screening_id: int) -> HttpResponse:
    """A prescriber overrides the latest not_ready screening with a written reason."""
    patient = open_patient(request, patient_id, need=Capability.PRESCRIBE, action=AuditAction.VIEW,
                           target=f"screening {screening_id}")
    record = get_object_or_404(Screening, pk=screening_id, patient=patient)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_screening(record, by=request.user, reason=form.cleaned_data["reason"],  # type: ignore[arg-type]
                                        request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Override recorded: the first dose is no longer blocked by this screening.")
    else:
        messages.error(request, "Override not recorded: " + " ".join(str(e) for e in form.errors.get("reason", [])))
    return redirect("safety:screening", patient_id=patient.id)


@login_required
def liver(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Liver monitoring: record a result, see multiples of ULN over time and the next tests due."""
    today = _today()
    if request.method == "POST":
        patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION, target="liver tests")
        form = LiverResultForm(request.POST, today=today, born_on=patient.date_of_birth)
        if form.is_valid():
            services.record_liver_result(patient, by=request.user, today=today, request=request,  # type: ignore[arg-type]
                                         **form.cleaned_data)
            messages.success(request, "Liver result recorded.")
            return redirect("safety:liver", patient_id=patient.id)
        messages.error(request, "The result was not recorded: please correct the fields marked below.")
        status = 400
    else:
        patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="liver tests")
        form = LiverResultForm(today=today, born_on=patient.date_of_birth, initial={"taken_on": today, "unit": "U/L"})
        status = 200
    return render(request, "safety/liver.html", {
        "patient": patient, "form": form, "overview": services.liver_overview(patient, today=today),
        "can_record": can_act_on_patient(request.user, patient, Capability.GIVE_MEDICATION),  # type: ignore[arg-type]
        "sources": _source_titles(),
    }, status=status)


@login_required
def symptoms(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A patient's symptom reports, for their clinicians."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="symptom reports")
    reports = list(SymptomReport.objects.filter(patient=patient)[:100])
    return render(request, "safety/symptoms.html", {
        "patient": patient, "reports": [(r, services.symptom_labels(r.codes)) for r in reports],
    })


@login_required
def medications(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Current and past medicines with the opioid-medicine check."""
    today = _today()
    if request.method == "POST":
        patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION, target="medications")
        form = MedicationForm(request.POST, today=today)
        if form.is_valid():
            services.record_medication(patient, by=request.user, today=today, request=request,  # type: ignore[arg-type]
                                       **form.cleaned_data)
            messages.success(request, "Medicine recorded.")
            return redirect("safety:medications", patient_id=patient.id)
        messages.error(request, "The medicine was not recorded: please correct the fields marked below.")
        status = 400
    else:
        patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="medications")
        form = MedicationForm(today=today)
        status = 200
    return render(request, "safety/medications.html", {
        "patient": patient, "form": form, "checks": services.medication_checks(patient), "today": today,
        "can_record": can_act_on_patient(request.user, patient, Capability.GIVE_MEDICATION),  # type: ignore[arg-type]
        "sources": _source_titles(),
    }, status=status)


@login_required
@require_POST
def medication_stop(request: HttpRequest, patient_id: int, medication_id: int) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION, target=f"medication {medication_id}")
    medication = get_object_or_404(Medication, pk=medication_id, patient=patient)
    today = _today()
    form = StopMedicationForm(request.POST, today=today)
    if form.is_valid():
        try:
            services.stop_medication(medication, stopped_on=form.cleaned_data["stopped_on"],
                                     by=request.user, today=today, request=request)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{medication.name} marked as stopped.")
    else:
        messages.error(request, "Not changed: enter the date it was stopped (not in the future).")
    return redirect("safety:medications", patient_id=patient.id)


@login_required
def card_for_staff(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="emergency card")
    return render(request, "safety/card.html", {
        "card": services.emergency_card(patient), "points": card.CARD_POINTS, "for_staff": True})


@login_required
def my_card(request: HttpRequest) -> HttpResponse:
    patient = _self_patient(request)
    return render(request, "safety/card.html", {
        "card": services.emergency_card(patient), "points": card.CARD_POINTS, "for_staff": False})


@login_required
def my_symptoms(request: HttpRequest) -> HttpResponse:
    """The patient's own side-effect report: checklist in plain words plus free text."""
    patient = _self_patient(request)
    formulation = care_link.current_formulation(patient)
    if request.method == "POST":
        form = SymptomReportForm(request.POST, formulation=formulation)
        if form.is_valid():
            report = services.report_symptoms(patient, symptoms=form.cleaned_data["symptoms"],
                                              free_text=form.cleaned_data["free_text"])
            return redirect("safety:my-symptom-report", report_id=report.id)
        status = 400
    else:
        form = SymptomReportForm(formulation=formulation)
        status = 200
    recent = list(SymptomReport.objects.filter(patient=patient)[:10])
    return render(request, "safety/my_symptoms.html", {
        "patient": patient, "form": form, "recent": recent, "contacts": contacts_for(patient.clinic.country),
    }, status=status)


@login_required
def my_symptom_report(request: HttpRequest, report_id: int) -> HttpResponse:
    """What to do now, for one of the patient's own reports."""
    patient = _self_patient(request)
    report = get_object_or_404(SymptomReport, pk=report_id, patient=patient)
    return render(request, "safety/my_symptom_report.html", {
        "patient": patient, "report": report, "labels": services.symptom_labels(report.codes),
        "contacts": contacts_for(patient.clinic.country),
    })


@login_required
def my_medicines(request: HttpRequest) -> HttpResponse:
    patient = _self_patient(request)
    return render(request, "safety/my_medicines.html", {
        "patient": patient, "checks": [c for c in services.medication_checks(patient) if c.medication.is_current]})
