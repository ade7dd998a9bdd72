"""Two-factor sign-in in a real browser: set it up from the Account page, then log in with a code;
a clinic admin requires it and a nurse sets it up at login on a phone. Screenshots land in test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from naltrack.web.accounts import two_factor
from naltrack.web.accounts.models import AuditAction, AuditEvent, Clinic
from tests.clocks import FrozenClock

from .conftest import PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "copper-meadow-signal-63"
START = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch):
    frozen = FrozenClock(START)
    monkeypatch.setattr(two_factor, "clock", frozen)
    return frozen


@pytest.fixture
def make_login(make_staff):
    def make(clinic, role, username, first, last):
        user = make_staff(clinic, role, username=username)
        user.first_name, user.last_name = first, last
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


def code_at(secret: str, when: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def enter_code(page, code: str, button: str = "Log in") -> None:
    page.get_by_label("Code from your app", exact=False).fill(code)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("networkidle")


def test_a_prescriber_sets_up_two_factor_and_logs_in_with_a_code(page_for, screenshot, clinic, make_login,
                                                                 clock):
    user = make_login(clinic, "prescriber", "dr.twofactor", "Mira", "Solberg")
    page = page_for()
    log_in(page, "dr.twofactor", PASSWORD)
    page.get_by_role("link", name="Account").click()
    assert page.get_by_role("heading", name="Two-factor sign-in").is_visible()
    screenshot(page, "two-factor-account-off")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    assert page.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
    assert page.locator(".two-factor-qr svg").is_visible()
    screenshot(page, "two-factor-setup")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")

    enter_code(page, "000000" if code_at(secret, clock()) != "000000" else "000001", "Switch on two-factor")
    assert page.get_by_role("alert").first.is_visible()
    assert not two_factor.has_two_factor(user)
    enter_code(page, code_at(secret, clock()), "Switch on two-factor")
    assert page.get_by_text("Save these recovery codes now").is_visible()
    assert page.locator("#recovery-codes li").count() == 10
    recovery_code = page.locator("#recovery-codes li").first.inner_text()
    screenshot(page, "two-factor-recovery-codes")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("networkidle")
    clock.advance(30)
    log_in(page, "dr.twofactor", PASSWORD)
    assert page.get_by_role("heading", name="Enter your sign-in code").is_visible()
    enter_code(page, "123 45x")
    assert page.get_by_text("Enter the 6-digit code from your app").is_visible()
    screenshot(page, "two-factor-login-code-refused")
    enter_code(page, code_at(secret, clock()))
    assert page.get_by_role("heading", name="Caseload").is_visible()
    screenshot(page, "two-factor-logged-in")

    page.get_by_role("button", name="Log out").click()
    log_in(page, "dr.twofactor", PASSWORD)
    enter_code(page, recovery_code)
    assert page.get_by_text("You logged in with a recovery code").is_visible()
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.RECOVERY_CODE_USED).exists()


def test_an_admin_requires_two_factor_and_a_nurse_sets_it_up_at_login_on_a_phone(page_for, screenshot, clinic,
                                                                                  make_login, clock):
    admin = make_login(clinic, "clinic_admin", "admin.twofactor", "Ada", "Brennan")
    nurse = make_login(clinic, "nurse", "nurse.twofactor", "Noor", "Haddad")
    device = two_factor.begin_enrolment(admin)
    admin_secret = two_factor.totp_secret(device)
    two_factor.confirm_enrolment(admin, code_at(admin_secret, clock()))
    clock.advance(30)

    page = page_for()
    log_in(page, "admin.twofactor", PASSWORD)
    enter_code(page, code_at(admin_secret, clock()))
    page.get_by_role("link", name="People").click()
    page.get_by_label("Require two-factor for staff").check()
    page.get_by_role("button", name="Save two-factor setting for Riverside").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("now requires two-factor sign-in for staff").is_visible()
    assert Clinic.objects.get(pk=clinic.pk).requires_two_factor
    screenshot(page, "two-factor-people-required")

    phone = page_for(PHONE)
    log_in(phone, "nurse.twofactor", PASSWORD)
    assert phone.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
    assert phone.get_by_text("Riverside requires two-factor sign-in for staff").is_visible()
    screenshot(phone, "two-factor-required-setup-phone")
    phone.goto("/account/")  # nothing else is reachable: not logged in yet
    assert phone.get_by_role("heading", name="Log in to naltrack").is_visible()
    phone.go_back()
    phone.wait_for_load_state("networkidle")
    secret = phone.locator("#totp-secret").inner_text().replace(" ", "")
    enter_code(phone, code_at(secret, clock()), "Switch on two-factor")
    assert phone.get_by_text("Save these recovery codes now").is_visible()
    screenshot(phone, "two-factor-required-recovery-codes-phone")
    assert two_factor.has_two_factor(nurse)

    page.reload()
    row = page.get_by_role("row").filter(has_text="Noor Haddad")
    assert row.get_by_text("on", exact=True).is_visible()
    row.locator("summary").click()
    assert row.get_by_role("button", name="Reset two-factor for Noor Haddad").is_visible()
    screenshot(page, "two-factor-people-after")
