"""Care pages for each persona, and the caseload's fixed query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from naltrack.web.care import services
from naltrack.web.care.models import Dose, Flag

from .conftest import TODAY


@pytest.mark.parametrize("name", ["care:patient-chart", "care:dose-supervised", "care:injection-create",
                                  "care:supply-dispense", "care:order-create"])
def test_staff_pages_for_three_personas(name, as_user, start_course, patient, prescriber, foreign_prescriber):
    start_course(patient)
    url = reverse(name, args=[patient.id])
    assert as_user(prescriber).get(url).status_code == 200
    assert as_user(foreign_prescriber).get(url).status_code == 404
    assert as_user(patient.user).get(url).status_code in {403}  # their own record, not a staff page


def test_the_chart_shows_course_adherence_and_flags(as_user, start_course, patient, prescriber, add_doses):
    episode = start_course(patient, start=TODAY - dt.timedelta(days=14))
    add_doses(episode, [TODAY - dt.timedelta(days=n) for n in range(8, 15)])
    services.refresh_flags(patient, TODAY)
    body = as_user(prescriber).get(reverse("care:patient-chart", args=[patient.id])).content.decode()
    assert "Daily tablet" in body and "Missed doses" in body and "Acknowledge" in body
    assert "% covered" in body


@pytest.mark.parametrize("name", ["care:patient-home", "care:support-people", "care:calendar-feed"])
def test_patient_pages_are_for_patients(name, as_user, patient, prescriber, outsider):
    url = reverse(name)
    assert as_user(patient.user).get(url).status_code == 200
    assert as_user(prescriber).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 403


def test_the_patient_home_is_alive_with_a_course(as_user, start_course, patient, add_doses):
    episode = start_course(patient, start=TODAY - dt.timedelta(days=10))
    add_doses(episode, [TODAY - dt.timedelta(days=n) for n in range(1, 11)])
    body = as_user(patient.user).get(reverse("care:patient-home")).content.decode()
    assert "I took today&#x27;s dose" in body or "I took today's dose" in body
    assert "Upcoming" in body and "How it is going" in body and "100%" in body


def test_the_clinic_supply_page_warns_of_low_stock(as_user, start_course, patient, nurse, clinic, counsellor):
    start_course(patient, "xr-injection", indication="opioid")
    response = as_user(nurse).post(reverse("care:supply-clinic"), {"clinic": clinic.id, "product": "tablets_50mg",
                                                                 "on_hand": "3"})
    assert response.status_code == 302
    start_course_other = services.current_order(services.current_episode(patient))
    assert start_course_other.regimen == "xr-injection"
    body = as_user(nurse).get(reverse("care:supply-clinic")).content.decode()
    assert "Naltrexone 50 mg tablets" in body
    # A counsellor sees the page but may not count stock.
    assert as_user(counsellor).post(reverse("care:supply-clinic"), {"clinic": clinic.id, "product": "injections",
                                                                    "on_hand": "1"}).status_code == 404


def test_clinic_supply_is_refused_to_patients(as_user, patient):
    assert as_user(patient.user).get(reverse("care:supply-clinic")).status_code == 403


def test_the_caseload_sorts_by_the_most_severe_open_flag(as_user, prescriber, clinic, make_patient):
    from naltrack.web.care.flags import raise_flag

    _calm, warned, urgent = (make_patient(clinic, family_name=name) for name in ("Aaron", "Baker", "Cole"))
    raise_flag(warned, kind="x", severity="warning", title="Warning one")
    raise_flag(warned, kind="y", severity="info", title="Info one", dedupe_key="y")
    raise_flag(urgent, kind="z", severity="urgent", title="Urgent one")
    body = as_user(prescriber).get(reverse("care:caseload")).content.decode()
    assert body.index("Cole") < body.index("Baker") < body.index("Aaron")
    assert "Urgent one" in body


def _caseload_queries(client, clinic, make_patient, count: int, prescriber) -> int:
    from naltrack.web.care.flags import raise_flag

    for n in range(count):
        p = make_patient(clinic, with_login=False)
        if n % 3 == 0:
            raise_flag(p, kind="missed_doses", severity="warning", title="Missed")
        services.refresh_flags(p, TODAY)
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("care:caseload")).status_code == 200
    return len(context.captured_queries)


def test_the_caseload_uses_the_same_number_of_queries_for_10_and_200_patients(
        as_user, prescriber, clinic, make_patient, django_assert_num_queries):
    client = as_user(prescriber)
    few = _caseload_queries(client, clinic, make_patient, 10, prescriber)
    _caseload_queries(client, clinic, make_patient, 190, prescriber)
    with django_assert_num_queries(few):
        client.get(reverse("care:caseload"))
    assert Flag.objects.count() >= 60


def test_dose_writes_are_audited_for_staff(start_course, patient, nurse):
    from naltrack.web.accounts.models import AuditEvent

    start_course(patient, "oral-supervised", indication="opioid", start=TODAY)
    dose = services.record_supervised_dose(patient, by=nurse, day=TODAY)
    assert AuditEvent.objects.filter(actor=nurse, action="create", target=f"dose {dose.id}").exists()
    assert Dose.objects.count() == 1


def test_every_staff_page_of_a_record_carries_the_record_tabs(as_user, prescriber, patient):
    client = as_user(prescriber)
    tabs = {"Chart": reverse("care:patient-chart", args=[patient.id]),
            "Safety": reverse("safety:overview", args=[patient.id]),
            "Measures": reverse("measures:patient-view", args=[patient.id])}
    for label, url in tabs.items():
        page = client.get(url).content.decode()
        for other in tabs.values():
            assert f'href="{other}"' in page
        tabs_html = page[page.index('class="record-tabs'):]
        tabs_html = tabs_html[:tabs_html.index("</nav>")]
        assert tabs_html.count('aria-current="page"') == 1
        assert f'href="{url}" aria-current="page">{label}<' in tabs_html


def test_the_chart_shows_the_latest_screening_and_whether_it_was_overridden(as_user, prescriber, patient):
    from naltrack.web.safety.models import Screening, ScreeningOverride, Verdict

    client = as_user(prescriber)
    chart = reverse("care:patient-chart", args=[patient.id])
    assert "none recorded" in client.get(chart).content.decode()
    screening = Screening.objects.create(patient=patient, inputs={}, verdict=Verdict.NOT_READY, reasons=[])
    page = client.get(chart).content.decode()
    assert "Not ready" in page and "overridden" not in page
    ScreeningOverride.objects.create(screening=screening, by=prescriber, by_label="Dr", reason="Supervised.")
    assert "(overridden by a prescriber)" in client.get(chart).content.decode()
