"""Measures pages: the patient's drink picker and progress, questionnaires, the clinician's TLFB
calendar and patient measures, the cohort dashboard and the de-identified research export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from naltrack.clinical.drinking import HEAVY_DAY_ETHANOL_G
from naltrack.clinical.instruments import get_instrument
from naltrack.web.accounts.access import Capability, clinics_with, open_patient, own_patient, require
from naltrack.web.accounts.models import AuditAction, Patient

from . import charts, forms, services
from .models import DrinkEntry, QuestionnaireResult
from .presenters import outcome_context, questionnaire_charts, result_context, result_rows
from .services import questionnaires as questionnaire_services
from .services.outcomes import daily_rows, dose_days

PROGRESS_DAYS = 28
COHORT_DAYS = 84


def _own(request: HttpRequest) -> Patient:
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("This page is for patients.")
    return patient


def _window(request: HttpRequest, today: dt.date, days: int) -> tuple[forms.WindowForm, dt.date, dt.date]:
    default_start = today - dt.timedelta(days=days - 1)
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    form = forms.WindowForm(data, today=today, initial={"start": default_start, "end": today})
    if data is not None and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default_start, today


# --- Patient: drinks ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_drinks(request: HttpRequest) -> HttpResponse:
    """The quick drink picker: a day of the last week, then one tap on a common drink."""
    patient = _own(request)
    today = services.patient_today(patient)
    days = services.picker_days(today)
    form = forms.DrinkForm(request.POST or None, days=days, today=today,
                           initial={"day": request.GET.get("day", days[0].isoformat())})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.record_drink(patient, day=data["day"], today=today, beverage=data["beverage"],
                                          volume_ml=data["volume_ml"], abv_percent=data["abv_percent"],
                                          label=data["label"], by=request.user)  # type: ignore[arg-type]
        except services.MeasuresError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Added {entry.label or entry.get_beverage_display()} at "
                                      f"{entry.abv_percent:g} % ({entry.standard_drinks:.1f} standard drinks) "
                                      f"for {forms.day_label(entry.day, today).lower()}.")
            return redirect(f"{reverse('measures:drink-log')}?day={entry.day.isoformat()}")
    shown_day = _shown_day(form, days)
    entries = services.drinks_on(patient, shown_day)
    from .services.drinks import day_total

    return render(request, "measures/my_drinks.html", {
        "patient": patient, "form": form, "presets": services.presets_by_beverage(),
        "shown_day": shown_day, "shown_label": forms.day_label(shown_day, today), "entries": entries,
        "total": day_total(patient, entries, shown_day), "unit": charts.unit_words(services.clinic_unit(patient)),
        "picker_days": services.PICKER_DAYS,
    }, status=400 if form.errors else 200)


def _shown_day(form: forms.DrinkForm, days: list[dt.date]) -> dt.date:
    value = form.data.get("day") if form.is_bound else form.initial.get("day")
    allowed = {d.isoformat(): d for d in days}
    return allowed.get(str(value), days[0])


@login_required
@require_POST
def my_drink_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    patient = _own(request)
    entry = DrinkEntry.objects.filter(pk=entry_id, patient=patient).select_related("patient").first()
    if entry is None:
        raise Http404("No such drink.")
    today = services.patient_today(patient)
    try:
        services.delete_drink(entry, today=today, by=request.user)  # type: ignore[arg-type]
    except services.MeasuresError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Drink removed.")
    return redirect(f"{reverse('measures:drink-log')}?day={entry.day.isoformat()}")


# --- Patient: progress and questionnaires --------------------------------------------------------------


@login_required
def my_progress(request: HttpRequest) -> HttpResponse:
    """The patient's own progress: drinks, cravings and doses, questionnaires, what is due."""
    patient = _own(request)
    today = services.patient_today(patient)
    form, start, end = _window(request, today, PROGRESS_DAYS)
    outcomes = services.patient_outcomes(patient, start, end)
    days = daily_rows(outcomes)
    doses = dose_days(patient, start, end)
    context = outcome_context(outcomes, days, doses)
    return render(request, "measures/my_progress.html", {
        **context, "form": form, "patient": patient,
        "due": services.due_questionnaires(patient, today),
        "questionnaires": questionnaire_charts(patient),
        "instruments": [get_instrument(name) for name in questionnaire_services.PATIENT_INSTRUMENTS],
    })


def _questionnaire(request: HttpRequest, patient: Patient, instrument: str, *, staff: bool) -> HttpResponse:
    if instrument not in questionnaire_services.instruments_for(request.user, patient):  # type: ignore[arg-type]
        raise Http404("No such questionnaire.")
    spec = get_instrument(instrument)
    today = services.patient_today(patient)
    form = forms.QuestionnaireForm(request.POST or None, instrument=spec, with_date=staff, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.record_questionnaire(
                patient, instrument=instrument, answers=form.cleaned_data["answers"], by=request.user,  # type: ignore[arg-type]
                today=today, taken_on=form.cleaned_data.get("taken_on"), request=request)
        except services.MeasuresError as exc:
            form.add_error(None, str(exc))
        else:
            if staff:
                if recorded.crisis is not None:
                    messages.error(request, "PHQ-9 item 9 was answered above 0: an emergency flag is on the "
                                            "caseload. Assess suicide risk today.")
                messages.success(request, f"{spec.title} saved: {recorded.result.total} points.")
                return redirect("measures:patient-view", patient_id=patient.id)
            return redirect("measures:result-view", result_id=recorded.result.id)
    return render(request, "measures/questionnaire.html", {
        "patient": patient, "instrument": spec, "form": form, "staff": staff,
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def my_questionnaire(request: HttpRequest, instrument: str) -> HttpResponse:
    return _questionnaire(request, _own(request), instrument, staff=False)


@login_required
def my_result(request: HttpRequest, result_id: int) -> HttpResponse:
    """A questionnaire's result; after PHQ-9 item 9 above 0, the crisis numbers come first."""
    patient = _own(request)
    result = QuestionnaireResult.objects.filter(pk=result_id, patient=patient).first()
    if result is None:
        raise Http404("No such result.")
    return render(request, "measures/result.html", {"patient": patient, **result_context(result)})


# --- Staff: one patient -------------------------------------------------------------------------------


@login_required
def patient_measures(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A patient's outcome measures over a window, questionnaire history and links to record more."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART, target="measures")
    today = services.patient_today(patient)
    form, start, end = _window(request, today, PROGRESS_DAYS)
    outcomes = services.patient_outcomes(patient, start, end)
    days = daily_rows(outcomes)
    context = outcome_context(outcomes, days, dose_days(patient, start, end), for_staff=True)
    return render(request, "measures/patient_measures.html", {
        **context, "form": form, "patient": patient,
        "due": services.due_questionnaires(patient, today),
        "questionnaires": questionnaire_charts(patient),
        "instruments": [get_instrument(name) for name in questionnaire_services.STAFF_INSTRUMENTS],
        "results": result_rows(list(QuestionnaireResult.objects.filter(patient=patient)
                                    .order_by("-taken_on", "-id")[:20])),
    })


@login_required
@require_http_methods(["GET", "POST"])
def patient_questionnaire(request: HttpRequest, patient_id: int, instrument: str) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.WRITE_CHART, target=f"questionnaire {instrument}"[:80],
                           action=AuditAction.VIEW)
    return _questionnaire(request, patient, instrument, staff=True)


def _month(request: HttpRequest, today: dt.date) -> dt.date:
    text = request.GET.get("month", "")
    try:
        first = dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        return today.replace(day=1)
    oldest = (today - dt.timedelta(days=3 * 366)).replace(day=1)
    return first if oldest <= first <= today.replace(day=1) else today.replace(day=1)


@login_required
@require_http_methods(["GET", "POST"])
def timeline(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Timeline followback: a month grid where each day takes standard drinks, 'none' or stays empty."""
    need = Capability.WRITE_CHART if request.method == "POST" else Capability.VIEW_CHART
    patient = open_patient(request, patient_id, need=need, target="drinking calendar")
    today = services.patient_today(patient)
    month = _month(request, today)
    cells = services.timeline_month(patient, month.year, month.month, today)
    form = forms.TimelineForm(request.POST or None, cells=cells)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_timeline(patient, values=form.cleaned_data["values"], today=today,
                                           by=request.user, request=request)  # type: ignore[arg-type]
        except services.MeasuresError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Calendar saved: {saved.created} days added, {saved.changed} changed, "
                                      f"{saved.cleared} cleared.")
            return redirect(f"{reverse('measures:timeline-edit', args=[patient.id])}?month={month:%Y-%m}")
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return render(request, "measures/timeline.html", {
        "patient": patient, "form": form, "month": month, "weeks": _weeks(form, cells),
        "previous": previous, "next": following if following <= today else None,
        "unit": charts.unit_words(services.clinic_unit(patient)),
        "heavy_g": {sex.value: grams for sex, grams in HEAVY_DAY_ETHANOL_G.items()},
        "can_write": request.user.is_authenticated and Capability.WRITE_CHART in _caps(request, patient),
    }, status=400 if form.errors else 200)


def _caps(request: HttpRequest, patient: Patient) -> frozenset[Capability]:
    from naltrack.web.accounts.access import capabilities_by_clinic

    return capabilities_by_clinic(request.user).get(patient.clinic_id, frozenset())  # type: ignore[arg-type]


def _weeks(form: forms.TimelineForm, cells: list[Any]) -> list[list[dict[str, Any] | None]]:
    """Cells in Monday-first weeks, each with its bound field when the day is editable."""
    weeks: list[list[dict[str, Any] | None]] = [[None] * cells[0].day.weekday()]
    for cell in cells:
        if len(weeks[-1]) == 7:
            weeks.append([])
        field = form[cell.field_name] if cell.field_name in form.fields else None
        weeks[-1].append({"cell": cell, "field": field})
    weeks[-1] += [None] * (7 - len(weeks[-1]))
    return weeks


# --- Staff: cohort and export -------------------------------------------------------------------------


def _cohort_form(request: HttpRequest, form_class: type[forms.CohortForm], data: Any, today: dt.date,
                 days: int) -> tuple[forms.CohortForm, list[Any], dt.date, dt.date, str | None]:
    capability = Capability.PRESCRIBE if form_class is forms.ExportForm else Capability.VIEW_CHART
    clinics = list(clinics_with(request.user, capability))  # type: ignore[arg-type]
    default_start = today - dt.timedelta(days=days - 1)
    form = form_class(data, clinics=clinics, today=today,
                      initial={"start": default_start, "end": today, "format": "csv"})
    if data is None or not form.is_valid():
        return form, clinics, default_start, today, None
    chosen = form.cleaned_data.get("clinic")
    if chosen is not None:
        clinics = [c for c in clinics if c.id == chosen]
    return form, clinics, form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data.get("unit") or None


@login_required
def cohort(request: HttpRequest) -> HttpResponse:
    """The clinician's cohort dashboard, scoped to their clinics (a fixed number of queries)."""
    require(request.user, Capability.VIEW_CHART)  # type: ignore[arg-type]
    from django.utils import timezone

    today = timezone.localdate()
    data = request.GET if "start" in request.GET else None
    form, clinics, start, end, unit = _cohort_form(request, forms.CohortForm, data, today, COHORT_DAYS)
    result = services.cohort_outcomes(request.user, clinics, start, end, unit=unit, request=request)  # type: ignore[arg-type]
    from .presenters import cohort_context

    return render(request, "measures/cohort.html", {
        "form": form, **cohort_context(result),
        "can_export": bool(clinics_with(request.user, Capability.PRESCRIBE)),  # type: ignore[arg-type]
    })


@login_required
@require_http_methods(["GET", "POST"])
def cohort_export(request: HttpRequest) -> HttpResponse:
    """De-identified patient-days (CSV or Parquet) for prescribers of the clinics exported; audited."""
    require(request.user, Capability.PRESCRIBE)  # type: ignore[arg-type]
    from django.utils import timezone

    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form, clinics, start, end, unit = _cohort_form(request, forms.ExportForm, data, today, 365)
    if request.method == "POST" and form.is_valid():
        export = services.export_research(request.user, clinics, start, end, unit=unit, request=request)  # type: ignore[arg-type]
        kind = form.cleaned_data["format"]
        body = export.parquet_bytes() if kind == "parquet" else export.csv_bytes()
        content_type = "application/vnd.apache.parquet" if kind == "parquet" else "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (f'attachment; filename="naltrack-patient-days-{start:%Y%m%d}-'
                                           f'{end:%Y%m%d}.{kind}"')
        return response
    return render(request, "measures/export.html", {"form": form}, status=400 if form.errors else 200)
