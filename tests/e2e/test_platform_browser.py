"""A clinician and a patient log in with a real browser; screenshots land in test-artifacts/."""

from __future__ import annotations

import pytest

from naltrack.web.accounts.models import AuditEvent

from .conftest import PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "marble-orchard-signal-58"


@pytest.fixture
def clinician(clinic, make_staff):
    user = make_staff(clinic, "prescriber", username="dr.browser")
    user.first_name, user.last_name = "Dana", "Whitlock"
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def patient_with_login(clinic, make_patient):
    patient = make_patient(clinic, given_name="Robin", family_name="Ashdown", display_name="CedarLark7")
    patient.user.set_password(PASSWORD)
    patient.user.save()
    return patient


def test_a_clinician_logs_in_sees_the_caseload_and_opens_a_chart(page_for, screenshot, clinician,
                                                                 patient_with_login, make_patient, clinic,
                                                                 foreign_patient):
    for n in range(5):
        make_patient(clinic, given_name=f"Sam{n}", family_name="Underhill")
    page = page_for()
    page.goto("/")
    screenshot(page, "login")
    log_in(page, "dr.browser", PASSWORD)
    assert page.get_by_role("heading", name="Caseload").is_visible()
    assert page.get_by_role("link", name="Ashdown, Robin").is_visible()
    assert page.get_by_text(foreign_patient.record_number).count() == 0
    screenshot(page, "clinician-caseload")
    page.get_by_role("link", name="Ashdown, Robin").click()
    assert page.get_by_role("heading", name="Robin Ashdown").is_visible()
    screenshot(page, "clinician-chart")
    assert AuditEvent.objects.filter(actor=clinician, patient=patient_with_login).exists()


def test_a_patient_logs_in_on_a_phone_and_sees_who_opened_their_record(page_for, screenshot, clinician,
                                                                       patient_with_login):
    from naltrack.web.accounts.services import record_audit_event

    record_audit_event(actor=clinician, patient=patient_with_login, action="view", target="chart")
    page = page_for(PHONE)
    log_in(page, patient_with_login.user.username, PASSWORD)
    assert page.get_by_role("heading", name="Hello, Robin").is_visible()
    assert page.get_by_text("does not replace your care team").first.is_visible()
    screenshot(page, "patient-home-phone")
    page.get_by_role("link", name="See who opened your record").click()
    assert page.get_by_text("Dana Whitlock").is_visible()
    screenshot(page, "patient-record-access-phone")
    # Keyboard users reach the main content first.
    page.goto("/care/me/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"


def test_on_a_phone_the_menu_folds_behind_a_button_and_opens_with_every_entry(page_for, screenshot,
                                                                             patient_with_login):
    page = page_for(PHONE)
    log_in(page, patient_with_login.user.username, PASSWORD)
    menu = page.get_by_role("button", name="Menu")
    symptom_link = page.get_by_role("link", name="Report a symptom")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not symptom_link.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and symptom_link.is_visible()
    screenshot(page, "patient-menu-open-phone")
    page.keyboard.press("Escape")
    assert not symptom_link.is_visible()
    menu.click()
    symptom_link.click()
    assert page.get_by_role("heading", name="Report a symptom").first.is_visible()


def test_on_a_desktop_every_menu_entry_shows_without_a_button(page_for, patient_with_login):
    page = page_for()
    log_in(page, patient_with_login.user.username, PASSWORD)
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("link", name="Report a symptom").is_visible()


def test_a_wrong_password_shows_a_message_in_the_browser(page_for, screenshot, clinician):
    page = page_for()
    log_in(page, "dr.browser", "not-the-password")
    assert page.get_by_role("alert").first.is_visible()
    screenshot(page, "login-refused")
