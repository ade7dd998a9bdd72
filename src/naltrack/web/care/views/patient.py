"""The patient's own pages: home with today's check-in, one-tap dose, back-fill, targeted session,
support person and reminder calendar. Each finds the record with own_patient (no id in the URL)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from naltrack.clinical.localtime import time_zone
from naltrack.clinical.regimens import RegimenName, get_regimen
from naltrack.web.accounts.access import own_patient
from naltrack.web.accounts.models import Patient

from .. import services
from ..forms import BackfillForm, CheckInForm, FirstDrinkForm, SupportPersonForm, today_input_bounds
from ..models import Dose, DoseKind, SupportPerson
from .staff import tolerance_sources

UPCOMING_SHOWN_DAYS = 7


def _me(request: HttpRequest) -> Patient:
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("This page is for patients.")
    return patient


def _checkin_initial(patient: Patient, today: dt.date) -> dict[str, object]:
    existing = services.today_checkin(patient, today)
    if existing is None:
        return {}
    return {"craving": existing.craving, "mood": existing.mood, "note": existing.note,
            "opioid_use": None if existing.opioid_use is None else ("yes" if existing.opioid_use else "no"),
            "breath_alcohol_mg_l": existing.breath_alcohol_mg_l, "is_lapse": existing.is_lapse,
            "lapse_note": existing.lapse_note}


def _home_context(request: HttpRequest, patient: Patient, **overrides: object) -> dict[str, object]:
    today = services.patient_today(patient)
    episode = services.latest_episode(patient)
    order = services.current_order(episode) if episode and episode.is_active else None
    regimen = get_regimen(order.regimen) if order else None
    today_dose = Dose.objects.filter(patient=patient, taken_on=today, kind=DoseKind.SELF_REPORTED).first()
    recent = set(Dose.objects.filter(patient=patient, taken_on__gte=today - dt.timedelta(days=services.BACKFILL_DAYS))
                 .values_list("taken_on", flat=True))
    upcoming = services.upcoming_events(patient, today)
    shown = [u for u in upcoming if u.kind != "dose" or u.day < today + dt.timedelta(days=UPCOMING_SHOWN_DAYS)]
    backfill = BackfillForm(initial={"day": today - dt.timedelta(days=1)})
    backfill.fields["day"].widget.attrs.update(today_input_bounds(today - dt.timedelta(days=1),
                                                                  services.BACKFILL_DAYS - 1))
    session = services.targeted_session(patient, today)
    context: dict[str, object] = {
        "patient": patient, "today": today, "episode": episode, "order": order, "regimen": regimen,
        "can_self_report": regimen is not None and regimen.name in (
            RegimenName.ORAL_DAILY, RegimenName.TARGETED, RegimenName.LOW_DOSE),
        "is_targeted": regimen is not None and regimen.name is RegimenName.TARGETED,
        "today_dose": today_dose, "checkin": services.today_checkin(patient, today),
        "form": CheckInForm(initial=_checkin_initial(patient, today)),
        "backfill_form": backfill,
        "missing_days": [today - dt.timedelta(days=n) for n in range(1, services.BACKFILL_DAYS + 1)
                         if today - dt.timedelta(days=n) not in recent
                         and episode is not None and today - dt.timedelta(days=n) >= episode.started_on],
        "session": session, "first_drink_form": FirstDrinkForm(),
        "countdown": {"takenAt": session["taken_at"].isoformat(), "minutes": session["minutes"]}
        if session and session["taken_at"] and not session["first_drink_at"] else None,
        "adherence": services.adherence_for(patient, today) if episode else None,
        "upcoming": shown, "supply": services.supply_status(patient, episode, order, today) if order else None,
        "show_tolerance_warning": episode is not None and not episode.is_active,
        "tolerance_sources": tolerance_sources(),
        "support_people": SupportPerson.objects.filter(patient=patient, revoked_at__isnull=True),
        "has_calendar": services.sharing.has_calendar_feed(patient),
    }
    context.update(overrides)
    return context


@login_required
def patient_home(request: HttpRequest) -> HttpResponse:
    """The patient's home: today's dose and check-in, countdown, upcoming, adherence, supply."""
    patient = _me(request)
    return render(request, "care/patient_home.html", _home_context(request, patient))


def _refused(request: HttpRequest, patient: Patient, exc: services.CareError) -> HttpResponse:
    if isinstance(exc, services.FirstDoseBlocked):
        messages.error(request, f"{exc} Please contact your clinic before your first dose.")
    else:
        messages.error(request, str(exc))
    return redirect("care:patient-home")


@login_required
@require_POST
def take_dose(request: HttpRequest) -> HttpResponse:
    """One tap: today's tablet taken (targeted: 'I took my tablet now', which starts the countdown)."""
    patient = _me(request)
    try:
        _, created = services.take_dose_now(patient)
    except services.CareError as exc:
        return _refused(request, patient, exc)
    messages.success(request, "Dose recorded for today. Well done." if created
                     else "Today's dose was already recorded.")
    return redirect(reverse("care:patient-home") + "#today")


@login_required
@require_POST
def backfill_dose(request: HttpRequest) -> HttpResponse:
    """A dose taken on one of the last 7 days that was not tapped at the time."""
    patient = _me(request)
    form = BackfillForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the day you took it (within the last 7 days).")
        return redirect("care:patient-home")
    try:
        _, created = services.backfill_dose(patient, day=form.cleaned_data["day"])
    except services.CareError as exc:
        return _refused(request, patient, exc)
    day = form.cleaned_data["day"]
    messages.success(request, f"Dose recorded for {day:%A %d %B}." if created
                     else f"A dose was already recorded for {day:%A %d %B}.")
    return redirect("care:patient-home")


@login_required
@require_POST
def checkin(request: HttpRequest) -> HttpResponse:
    """Save today's check-in (a second save the same day updates it)."""
    patient = _me(request)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.save_checkin(patient, **form.cleaned_data)
        except services.CareError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Check-in saved. Thank you.")
            return redirect(reverse("care:patient-home") + "#today")
    return render(request, "care/patient_home.html", _home_context(request, patient, form=form), status=422)


@login_required
@require_POST
def first_drink(request: HttpRequest) -> HttpResponse:
    """Targeted dosing: record the first drink (now, or a time earlier today) after the tablet."""
    patient = _me(request)
    form = FirstDrinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the time as hours and minutes, e.g. 19:30.")
        return redirect("care:patient-home")
    at = None
    if form.cleaned_data["time"] is not None:
        today = services.patient_today(patient)
        at = dt.datetime.combine(today, form.cleaned_data["time"], tzinfo=time_zone(patient.time_zone))
    try:
        session_checkin = services.record_first_drink(patient, at=at)
    except services.CareError as exc:
        return _refused(request, patient, exc)
    local = timezone.localtime(session_checkin.first_drink_at, time_zone(patient.time_zone))
    messages.success(request, f"First drink recorded at {local:%H:%M}.")
    return redirect(reverse("care:patient-home") + "#today")


@login_required
def support_people(request: HttpRequest) -> HttpResponse:
    """Name a support person (by consent) who gets a private link to missed-dose notices only."""
    patient = _me(request)
    form = SupportPersonForm(request.POST or None)
    created_link = None
    if request.method == "POST" and form.is_valid():
        try:
            person, token = services.add_support_person(patient, **form.cleaned_data)
        except services.CareError as exc:
            form.add_error(None, str(exc))
        else:
            created_link = {
                "person": person,
                "page": request.build_absolute_uri(reverse("care:support-notices", args=[token])),
                "feed": request.build_absolute_uri(reverse("care:support-feed", args=[token])),
            }
            form = SupportPersonForm()
    return render(request, "care/support_people.html", {
        "patient": patient, "form": form, "created_link": created_link,
        "people": SupportPerson.objects.filter(patient=patient),
    }, status=422 if request.method == "POST" and form.errors else 200)


@login_required
@require_POST
def support_person_revoke(request: HttpRequest, person_id: int) -> HttpResponse:
    patient = _me(request)
    if services.revoke_support_person(patient, person_id):
        messages.success(request, "Stopped sharing. Their link no longer works.")
    else:
        messages.error(request, "There is no such support person to stop sharing with.")
    return redirect("care:support-people")


@login_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Create (or replace, revoking the old address) or switch off the private reminder calendar."""
    patient = _me(request)
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_feed(patient)
            messages.success(request, "Reminder calendar switched off. The old address no longer works.")
            return redirect("care:calendar-feed")
        token = services.issue_calendar_feed(patient)
        feed_url = request.build_absolute_uri(reverse("care:feed-reminders", args=[token]))
    today = services.patient_today(patient)
    return render(request, "care/calendar.html", {
        "patient": patient, "feed_url": feed_url,
        "has_feed": services.sharing.has_calendar_feed(patient),
        "upcoming": services.upcoming_events(patient, today),
    })
