"""refresh_flags raises the caseload's flags; clinicians acknowledge them (audited)."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.urls import reverse

from naltrack.web.accounts.models import AuditEvent
from naltrack.web.care import services
from naltrack.web.care.models import AdherenceSnapshot, CheckIn, Dispense, Flag

from .conftest import TODAY

DAY = dt.timedelta(days=1)


def _days(first_ago: int, last_ago: int) -> list[dt.date]:
    return [TODAY - dt.timedelta(days=n) for n in range(first_ago, last_ago - 1, -1)]


def test_two_missed_doses_of_the_last_seven_raise_a_flag(start_course, patient, add_doses):
    episode = start_course(patient, start=TODAY - dt.timedelta(days=14))
    add_doses(episode, [d for d in _days(14, 1) if d not in (TODAY - 2 * DAY, TODAY - 5 * DAY)])
    services.refresh_flags(patient, TODAY)
    flag = Flag.objects.get(patient=patient, kind="missed_doses")
    assert flag.severity == "warning" and "2 of the last 7" in flag.title
    assert reverse("care:patient-chart", args=[patient.id]) in flag.link


def test_one_missed_dose_raises_nothing(start_course, patient, add_doses):
    episode = start_course(patient, start=TODAY - dt.timedelta(days=14))
    add_doses(episode, [d for d in _days(14, 1) if d != TODAY - 3 * DAY])
    services.refresh_flags(patient, TODAY)
    assert not Flag.objects.filter(kind="missed_doses").exists()
    assert AdherenceSnapshot.objects.get(patient=patient).missed_last_7 == 1


def test_an_overdue_injection_raises_an_urgent_flag(start_course, patient, nurse):
    start_course(patient, "xr-injection", indication="opioid", start=TODAY - dt.timedelta(days=40))
    services.record_injection(patient, by=nurse, day=TODAY - dt.timedelta(days=30), site="left gluteal",
                              lot="L1", expires_on=TODAY + dt.timedelta(days=90))
    services.refresh_flags(patient, TODAY)
    flag = Flag.objects.get(patient=patient, kind="injection_overdue")
    assert flag.severity == "urgent"
    assert AdherenceSnapshot.objects.get(patient=patient).is_injection_overdue


def test_no_check_in_for_several_days_raises_a_flag(start_course, patient):
    start_course(patient, start=TODAY - dt.timedelta(days=10))
    CheckIn.objects.create(patient=patient, day=TODAY - dt.timedelta(days=4))
    services.refresh_flags(patient, TODAY)
    assert Flag.objects.filter(patient=patient, kind="no_checkin").exists()


def test_a_recent_check_in_raises_no_check_in_flag(start_course, patient):
    start_course(patient, start=TODAY - dt.timedelta(days=10))
    CheckIn.objects.create(patient=patient, day=TODAY - dt.timedelta(days=3))
    services.refresh_flags(patient, TODAY)
    assert not Flag.objects.filter(patient=patient, kind="no_checkin").exists()


def test_supply_running_out_raises_a_refill_flag(start_course, patient, nurse, add_doses):
    episode = start_course(patient, start=TODAY - dt.timedelta(days=10))
    Dispense.objects.create(patient=patient, episode=episode, tablets=14, dispensed_on=TODAY - dt.timedelta(days=10),
                            dispensed_by=nurse)
    add_doses(episode, _days(10, 0))
    services.refresh_flags(patient, TODAY)
    flag = Flag.objects.get(patient=patient, kind="refill_due")
    assert "3 days" in flag.title
    assert AdherenceSnapshot.objects.get(patient=patient).days_of_supply_left == 3


def test_a_flag_is_acknowledged_on_the_chart_audited_and_not_raised_again(as_user, start_course, patient,
                                                                          counsellor, add_doses):
    episode = start_course(patient, start=TODAY - dt.timedelta(days=14))
    add_doses(episode, _days(14, 8))
    services.refresh_flags(patient, TODAY)
    flag = Flag.objects.get(kind="missed_doses")
    response = as_user(counsellor).post(reverse("care:flag-acknowledge", args=[patient.id, flag.id]),
                                        {"note": "Called; restarting tomorrow"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.acknowledged_by == counsellor and flag.acknowledgement_note == "Called; restarting tomorrow"
    assert AuditEvent.objects.filter(actor=counsellor, action="acknowledge", target=f"flag {flag.id}").exists()
    services.refresh_flags(patient, TODAY)
    assert Flag.objects.filter(kind="missed_doses").count() == 1


def test_flags_cannot_be_acknowledged_across_clinics_or_by_patients(as_user, start_course, patient,
                                                                    foreign_prescriber, add_doses):
    episode = start_course(patient, start=TODAY - dt.timedelta(days=14))
    add_doses(episode, _days(14, 8))
    services.refresh_flags(patient, TODAY)
    flag = Flag.objects.get(kind="missed_doses")
    url = reverse("care:flag-acknowledge", args=[patient.id, flag.id])
    assert as_user(foreign_prescriber).post(url).status_code == 404
    assert as_user(patient.user).post(url).status_code == 403
    flag.refresh_from_db()
    assert flag.is_open


def test_the_refresh_command_refreshes_every_patient(start_course, patient, other_patient, add_doses, capsys):
    start_course(patient, start=TODAY - dt.timedelta(days=14))
    call_command("refresh_flags", today=TODAY.isoformat())
    assert "refreshed 1 patients" in capsys.readouterr().out
    assert Flag.objects.filter(patient=patient, kind="missed_doses").exists()
    assert AdherenceSnapshot.objects.filter(patient=patient, computed_for=TODAY).exists()


def test_an_overdue_flag_closes_itself_once_the_next_injection_is_given(start_course, patient, nurse):
    start_course(patient, "xr-injection", indication="opioid", start=TODAY - dt.timedelta(days=40))
    services.record_injection(patient, by=nurse, day=TODAY - dt.timedelta(days=30), site="left gluteal",
                              lot="L1", expires_on=TODAY + dt.timedelta(days=90))
    services.refresh_flags(patient, TODAY)
    services.record_injection(patient, by=nurse, day=TODAY, site="right gluteal", lot="L2",
                              expires_on=TODAY + dt.timedelta(days=90))
    services.refresh_flags(patient, TODAY)
    flag = Flag.objects.get(kind="injection_overdue")
    assert not flag.is_open and flag.acknowledgement_note.startswith("Resolved automatically")
