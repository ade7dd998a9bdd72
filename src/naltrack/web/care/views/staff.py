"""Clinician pages: caseload, chart, and the forms that start, change and end a course of treatment.

Each view: open the patient through the permission layer, validate a form, call ONE service, redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from naltrack.clinical.localtime import local_day
from naltrack.clinical.regimens import get_regimen
from naltrack.clinical.sources import describe
from naltrack.web.accounts import services as account_services
from naltrack.web.accounts.access import Capability, clinics_with, has_capability, open_patient, require
from naltrack.web.accounts.models import Patient

from .. import flags as flag_actions
from .. import services
from ..forms import (
    AcknowledgeForm,
    DispenseForm,
    EpisodeEditForm,
    EpisodeEndForm,
    EpisodeStartForm,
    InjectionForm,
    OrderForm,
    StockForm,
    SupervisedDoseForm,
    regimen_choices,
)
from ..models import Dose, DoseKind, Episode, Flag, SupportPerson

CASELOAD_PAGE_SIZE = 100
TOLERANCE_SOURCES = ("S2", "S1", "S46")


def tolerance_sources() -> list[Any]:
    """The sources behind the loss-of-tolerance warning, from the core's registry."""
    return [describe(key) for key in TOLERANCE_SOURCES]


def screening_url(patient: Patient) -> str | None:
    """The safety app's screening page for ``patient``, if it has one (found by name, not guessed)."""
    try:
        resolver = get_resolver().namespace_dict["safety"][1]
    except KeyError:
        return None
    names = sorted((n for n in resolver.reverse_dict if isinstance(n, str) and "screen" in n), key=len)
    for name in names:
        if name:
            try:
                return reverse(f"safety:{name}", kwargs={"patient_id": patient.id})
            except NoReverseMatch:
                continue
    return None


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The clinician's caseload, most urgent first, with adherence at a glance (fixed query count)."""
    require(request.user, Capability.VIEW_CHART)  # type: ignore[arg-type]
    query = request.GET.get("q", "").strip()[:80]
    clinics = list(clinics_with(request.user, Capability.VIEW_CHART))  # type: ignore[arg-type]
    clinic_id = int(request.GET["clinic"]) if request.GET.get("clinic", "").isdigit() else None
    patients = services.caseload(request.user, query=query, clinic_id=clinic_id)  # type: ignore[arg-type]
    page = Paginator(patients, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "care/caseload.html", {
        "page": page, "query": query, "clinics": clinics, "clinic_id": clinic_id,
    })


@login_required
def patient_chart(request: HttpRequest, patient_id: int) -> HttpResponse:
    """One patient's chart: episode, orders, doses, injections, adherence, flags, supply (audited)."""
    patient = open_patient(request, patient_id, need=Capability.VIEW_CHART)
    today = services.patient_today(patient)
    episode = services.latest_episode(patient)
    order = services.current_order(episode)
    doses = list(Dose.objects.filter(patient=patient).select_related("order")[:60])
    user = request.user
    from naltrack.web.safety.gate import latest_screening  # the safety app owns screenings

    return render(request, "care/patient_chart.html", {
        "screening": latest_screening(patient),
        "patient": patient, "today": today, "episode": episode, "order": order,
        "regimen": get_regimen(order.regimen) if order else None,
        "episodes": Episode.objects.filter(patient=patient),
        "orders": episode.orders.all() if episode else [],
        "doses": [d for d in doses if d.kind not in (DoseKind.INJECTION, DoseKind.IMPLANT)][:30],
        "injections": [d for d in doses if d.kind in (DoseKind.INJECTION, DoseKind.IMPLANT)],
        "adherence": services.adherence_for(patient, today),
        "supply": services.supply_status(patient, episode, order, today) if episode and episode.is_active else None,
        "open_flags": Flag.objects.filter(patient=patient, acknowledged_at__isnull=True),
        "recent_flags": Flag.objects.filter(patient=patient, acknowledged_at__isnull=False)
        .select_related("acknowledged_by")[:5],
        "support_people": SupportPerson.objects.filter(patient=patient),
        "checkins": patient.checkins.all()[:14],
        "recent_access": account_services.record_openings(patient)[:10],
        "can_prescribe": has_capability(user, Capability.PRESCRIBE, patient.clinic_id),  # type: ignore[arg-type]
        "can_give": has_capability(user, Capability.GIVE_MEDICATION, patient.clinic_id),  # type: ignore[arg-type]
        "can_write": has_capability(user, Capability.WRITE_CHART, patient.clinic_id),  # type: ignore[arg-type]
        "suggested_site": services.suggested_site(patient),
        "ack_form": AcknowledgeForm(), "tolerance_sources": tolerance_sources(),
    })


def _form_view(request: HttpRequest, patient: Patient, *, form_class: type, title: str,
               act: Callable[[Any], object], success: str, initial: dict[str, Any] | None = None,
               extra: dict[str, Any] | None = None, template: str = "care/form_page.html") -> HttpResponse:
    """GET shows the form; POST validates it and calls ``act`` (one service); CareError re-renders the form."""
    form = form_class(request.POST or None, initial=initial)
    blocked_reason = None
    if request.method == "POST" and form.is_valid():
        try:
            act(form)
        except services.FirstDoseBlocked as exc:
            blocked_reason = exc.reason
            form.add_error(None, str(exc))
        except services.CareError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect("care:patient-chart", patient_id=patient.id)
    return render(request, template, {
        "patient": patient, "form": form, "title": title, "blocked_reason": blocked_reason,
        "screening_url": screening_url(patient) if blocked_reason else None, **(extra or {}),
    }, status=422 if request.method == "POST" else 200)


def _episode(patient: Patient, episode_id: int) -> Episode:
    return get_object_or_404(Episode, pk=episode_id, patient=patient)


@login_required
def episode_start(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.PRESCRIBE)
    today = services.patient_today(patient)

    def act(form: EpisodeStartForm) -> object:
        data = form.cleaned_data
        return services.start_episode(
            patient, by=request.user, indication=data["indication"], goal=data["goal"],  # type: ignore[arg-type]
            started_on=data["started_on"], today=today, planned_weeks=data["planned_weeks"],
            use_default_length=not data["open_ended"], request=request)

    return _form_view(request, patient, form_class=EpisodeStartForm, title="Start an episode", act=act,
                      success="Episode started.", initial={"started_on": today})


@login_required
def episode_edit(request: HttpRequest, patient_id: int, episode_id: int) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.PRESCRIBE)
    episode = _episode(patient, episode_id)
    today = services.patient_today(patient)

    def act(form: EpisodeEditForm) -> object:
        data = form.cleaned_data
        return services.update_episode(episode, by=request.user, goal=data["goal"],  # type: ignore[arg-type]
                                       started_on=data["started_on"], planned_weeks=data["planned_weeks"],
                                       today=today, request=request)

    return _form_view(request, patient, form_class=EpisodeEditForm, title="Change the episode", act=act,
                      success="Episode updated.", initial={"goal": episode.goal, "started_on": episode.started_on,
                                                           "planned_weeks": episode.planned_weeks})


@login_required
def episode_end(request: HttpRequest, patient_id: int, episode_id: int) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.PRESCRIBE)
    episode = _episode(patient, episode_id)
    today = services.patient_today(patient)

    def act(form: EpisodeEndForm) -> object:
        data = form.cleaned_data
        return services.end_episode(episode, by=request.user, ended_on=data["ended_on"],  # type: ignore[arg-type]
                                    reason=data["reason"], note=data["note"],
                                    overdose_risk_explained=data["overdose_risk_explained"], today=today,
                                    request=request)

    return _form_view(request, patient, form_class=EpisodeEndForm, title="End the episode", act=act,
                      success="Episode ended. The patient's home now shows the overdose-risk warning.",
                      initial={"ended_on": today}, template="care/episode_end.html",
                      extra={"episode": episode, "tolerance_sources": tolerance_sources()})


@login_required
def order_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.PRESCRIBE)
    today = services.patient_today(patient)
    episode = services.current_episode(patient)
    if episode is None:
        messages.warning(request, "Start an episode before writing an order.")
        return redirect("care:patient-chart", patient_id=patient.id)

    def act(form: OrderForm) -> object:
        return services.write_order(episode, by=request.user, today=today, request=request,  # type: ignore[arg-type]
                                    **form.order_kwargs())

    return _form_view(request, patient, form_class=OrderForm, title="Write an order", act=act,
                      success="Order written.", initial={"starts_on": today}, template="care/order_form.html",
                      extra={"regimens": [get_regimen(r) for r, _ in regimen_choices()]})


@login_required
def supervised_dose_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION)
    today = services.patient_today(patient)

    def act(form: SupervisedDoseForm) -> object:
        data = form.cleaned_data
        dose_mg = float(data["dose_mg"]) if data["dose_mg"] is not None else None
        dose = services.record_supervised_dose(patient, by=request.user, day=data["day"],  # type: ignore[arg-type]
                                               dose_mg=dose_mg, request=request)
        services.refresh_flags(patient, today)
        return dose

    return _form_view(request, patient, form_class=SupervisedDoseForm, title="Record a supervised dose",
                      act=act, success="Supervised dose recorded.", initial={"day": today})


@login_required
def injection_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION)
    today = services.patient_today(patient)

    def act(form: InjectionForm) -> object:
        data = form.cleaned_data
        dose = services.record_injection(patient, by=request.user, day=data["day"],  # type: ignore[arg-type]
                                         site=data["site"], lot=data["lot"], expires_on=data["expires_on"],
                                         reactions=data["reactions"], request=request)
        services.refresh_flags(patient, today)
        return dose

    return _form_view(request, patient, form_class=InjectionForm, title="Record an injection", act=act,
                      success="Injection recorded.",
                      initial={"day": today, "site": services.suggested_site(patient).value},
                      extra={"suggested_site": services.suggested_site(patient)})


@login_required
def dispense(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = open_patient(request, patient_id, need=Capability.GIVE_MEDICATION)
    today = services.patient_today(patient)

    def act(form: DispenseForm) -> object:
        data = form.cleaned_data
        row = services.dispense_tablets(patient, by=request.user, tablets=data["tablets"],  # type: ignore[arg-type]
                                        dispensed_on=data["dispensed_on"], request=request)
        services.refresh_flags(patient, today)
        return row

    return _form_view(request, patient, form_class=DispenseForm, title="Record tablets dispensed", act=act,
                      success="Dispense recorded.", initial={"dispensed_on": today})


@login_required
@require_POST
def acknowledge_flag(request: HttpRequest, patient_id: int, flag_id: int) -> HttpResponse:
    """Acknowledge one of the patient's flags (audited by care.flags.acknowledge_flag)."""
    patient = open_patient(request, patient_id, need=Capability.WRITE_CHART)
    flag = Flag.objects.filter(pk=flag_id, patient=patient).first()
    if flag is None:
        raise Http404("No such flag.")
    form = AcknowledgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    flag_actions.acknowledge_flag(flag, by=request.user, note=note, request=request)  # type: ignore[arg-type]
    messages.success(request, f"Flag acknowledged: {flag.title}")
    return redirect(reverse("care:patient-chart", args=[patient.id]) + "#flags")


@login_required
def clinic_supply(request: HttpRequest) -> HttpResponse:
    """Stock of each product against the expected weekly use of the clinic's current orders."""
    require(request.user, Capability.VIEW_CHART)  # type: ignore[arg-type]
    clinics = list(clinics_with(request.user, Capability.VIEW_CHART))  # type: ignore[arg-type]
    countable = {c.id for c in clinics_with(request.user, Capability.GIVE_MEDICATION)}  # type: ignore[arg-type]
    form = StockForm(request.POST or None)
    if request.method == "POST":
        clinic_id = request.POST.get("clinic", "")
        clinic = next((c for c in clinics if str(c.id) == clinic_id and c.id in countable), None)
        if clinic is None:
            raise Http404("No such clinic.")
        if form.is_valid():
            try:
                services.count_stock(clinic, by=request.user, product=form.cleaned_data["product"],  # type: ignore[arg-type]
                                     on_hand=form.cleaned_data["on_hand"],
                                     today=local_day(timezone.now(), clinic.time_zone))
            except services.CareError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Stock count saved.")
                return redirect("care:supply-clinic")
    return render(request, "care/clinic_supply.html", {
        "supplies": [services.clinic_supply(clinic) for clinic in clinics], "form": form,
        "countable": countable,
    }, status=422 if request.method == "POST" else 200)
