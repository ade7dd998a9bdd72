"""Safety in a real browser: a blocking screening stops the first dose; a phone symptom report flags the caseload."""

from __future__ import annotations

import pytest

from naltrack.web.care.models import Dose, Flag

from .conftest import PHONE, log_in, menu_link

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "copper-lantern-violet-93"


@pytest.fixture
def clinician(clinic, make_staff):
    user = make_staff(clinic, "prescriber", username="dr.safety")
    user.first_name, user.last_name = "Imani", "Castell"
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def patient_with_login(clinic, make_patient):
    patient = make_patient(clinic, given_name="Jordan", family_name="Mercer", display_name="FernHollow3")
    patient.user.set_password(PASSWORD)
    patient.user.save()
    return patient


@pytest.fixture
def supervised_course(patient_with_login, clinician):
    """An active episode with a supervised oral order and no dose yet (built through the care services)."""
    from naltrack.web.care import services

    today = services.patient_today(patient_with_login)
    episode = services.start_episode(patient_with_login, by=clinician, indication="opioid", goal="abstinence",
                                     started_on=today, today=today)
    services.write_order(episode, by=clinician, regimen="oral-supervised", starts_on=today, today=today,
                         pattern="every-second-day-100")
    return today


def test_a_blocking_screening_explains_itself_and_stops_the_first_dose(page_for, screenshot, clinician,
                                                                        patient_with_login, supervised_course):
    patient = patient_with_login
    page = page_for()
    log_in(page, "dr.safety", PASSWORD)
    page.goto(f"/safety/patients/{patient.id}/screening/")
    assert page.get_by_role("heading", name="Induction screening").is_visible()
    page.get_by_label("Indication").select_option("opioid")
    page.get_by_label("Formulation").select_option("injection")
    page.get_by_label("Currently taking any opioid?").select_option("yes")
    page.get_by_label("Urine opioid screen").select_option("positive")
    page.get_by_label("ALT (U/L)").fill("35")
    page.get_by_label("ALT upper limit of normal (U/L)").fill("40")
    page.get_by_role("button", name="Screen and record").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".verdict-label").inner_text().strip().endswith("Not ready")
    assert page.get_by_text("Currently taking opioids: naltrexone would block them").first.is_visible()
    assert page.locator(".gate-banner").is_visible()
    assert page.get_by_text("Source S46").first.is_visible()
    screenshot(page, "safety-screening-blocked")

    page.goto(f"/care/patients/{patient.id}/doses/supervised/")
    page.get_by_label("Day given").fill(supervised_course.isoformat())
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("First dose blocked by the safety screening").is_visible()
    assert page.get_by_text("says not ready").first.is_visible()
    screenshot(page, "safety-first-dose-refused")
    assert not Dose.objects.filter(patient=patient).exists()


def test_a_patient_reports_dark_urine_on_a_phone_and_the_caseload_shows_the_flag(page_for, screenshot, clinician,
                                                                                   patient_with_login):
    patient = patient_with_login
    page = page_for(PHONE)
    log_in(page, patient.user.username, PASSWORD)
    menu_link(page, "Report a symptom").click()
    assert page.get_by_role("heading", name="Report a symptom").is_visible()
    screenshot(page, "safety-symptom-form-phone")
    page.get_by_label("Dark urine (pee the colour of tea or cola)").check()
    page.get_by_label("Anything else, in your own words").fill("Since yesterday, and I feel washed out.")
    page.get_by_role("button", name="Send to my care team").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Contact your clinic today").is_visible()
    assert page.get_by_text("Contact your prescriber or clinic today").is_visible()
    assert page.locator(".advice").get_by_text("naltrack supports, and does not replace, your care team").is_visible()
    screenshot(page, "safety-symptom-urgent-phone")
    assert Flag.objects.get(patient=patient).severity == "urgent"

    staff = page_for()
    log_in(staff, "dr.safety", PASSWORD)
    staff.goto("/care/caseload/")
    flag_badge = staff.locator(".flag-badge").filter(has_text="Urgent symptom report")
    assert flag_badge.first.is_visible()
    screenshot(staff, "safety-caseload-flag")
    staff.goto(f"/safety/patients/{patient.id}/symptoms/")
    assert staff.get_by_text("Dark urine (pee the colour of tea or cola)").first.is_visible()
    screenshot(staff, "safety-symptom-reports-chart")


def test_liver_trend_chart_and_the_printable_emergency_card(page_for, screenshot, clinician, patient_with_login):
    import datetime as dt

    from django.utils import timezone

    from naltrack.web.safety import services

    patient = patient_with_login
    today = timezone.localdate()
    for days_ago, alt, ast in ((120, 32, 30), (90, 75, 52), (60, 140, 95), (20, 90, 60)):
        for test, value in (("alt", alt), ("ast", ast)):
            services.record_liver_result(patient, test=test, value=value, unit="U/L", uln=40,
                                         taken_on=today - dt.timedelta(days=days_ago), by=clinician, today=today)
    services.record_medication(patient, name="Co-codamol 30/500", by=clinician, today=today)
    page = page_for()
    log_in(page, "dr.safety", PASSWORD)
    page.goto(f"/safety/patients/{patient.id}/liver/")
    page.wait_for_selector("#liver-chart .main-svg")
    assert page.get_by_role("table").is_visible()
    screenshot(page, "safety-liver-trend")
    page.goto(f"/safety/patients/{patient.id}/medications/")
    assert page.get_by_text("Co-codamol 30/500").first.is_visible()
    screenshot(page, "safety-medications")
    page.goto(f"/safety/patients/{patient.id}/")
    assert page.get_by_role("heading", name="Safety summary").is_visible()
    screenshot(page, "safety-summary")

    phone = page_for(PHONE)
    log_in(phone, patient.user.username, PASSWORD)
    phone.goto("/safety/me/medicines/")
    assert phone.get_by_text("Co-codamol").first.is_visible()
    screenshot(phone, "safety-my-medicines-phone")
    phone.goto("/safety/me/card/")
    assert phone.get_by_role("heading", name="I take naltrexone — an opioid blocker").is_visible()
    screenshot(phone, "safety-card-phone")
    phone.emulate_media(media="print")
    assert not phone.locator(".site-header").is_visible()
    screenshot(phone, "safety-card-print")
    pdf_like = page_for({"width": 794, "height": 1123})  # A4 at 96 dpi: the card must fit one page
    log_in(pdf_like, patient.user.username, PASSWORD)
    pdf_like.goto("/safety/me/card/")
    pdf_like.emulate_media(media="print")
    height = pdf_like.evaluate("document.documentElement.scrollHeight")
    screenshot(pdf_like, "safety-card-print-a4")
    assert height <= 1123 + 40, f"the printed card runs to {height}px, more than one A4 page"
