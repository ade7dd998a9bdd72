"""Two-factor sign-in (TOTP, RFC 6238): set-up, login with a code or a recovery code, replay, lockout,
the clinic requirement, switching off and the People page.

Codes are real: pyotp computes them from the secret the set-up page shows, at a frozen clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from naltrack.web.accounts import two_factor
from naltrack.web.accounts.models import AuditAction, AuditEvent, Clinic, RecoveryCode, TwoFactorDevice
from tests.clocks import FrozenClock

PASSWORD = "correct horse battery"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
START = dt.datetime(2026, 5, 4, 9, 0, 0, tzinfo=dt.UTC)  # the start of a 30-second step


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests log in with passwords many times; argon2 is tested in test_account_pages."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(monkeypatch):
    frozen = FrozenClock(START)
    monkeypatch.setattr(two_factor, "clock", frozen)
    return frozen


@pytest.fixture
def make_login(make_staff):
    def make(clinic, *roles, username):
        user = make_staff(clinic, *roles, username=username)
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def nurse_login(clinic, make_login):
    return make_login(clinic, "nurse", username="nurse.real")


def code_at(secret: str, when: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def shown_secret(body: str) -> str:
    return re.search(r'<code id="totp-secret"[^>]*>([A-Z2-7 ]+)</code>', body).group(1).replace(" ", "")


def shown_recovery_codes(body: str) -> list[str]:
    listing = body.split('<ol id="recovery-codes"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<code>([a-z0-9-]+)</code>", listing)


def enrol_through_the_account_page(client: Client, clock: FrozenClock) -> tuple[str, list[str]]:
    """Set up two-factor as the logged-in user of ``client``; returns the secret and recovery codes."""
    assert client.post(reverse("accounts:two-factor-start"))["Location"] == reverse("accounts:two-factor-setup")
    secret = shown_secret(client.get(reverse("accounts:two-factor-setup")).content.decode())
    response = client.post(reverse("accounts:two-factor-setup"), {"code": code_at(secret, clock())})
    assert response.status_code == 302
    codes = shown_recovery_codes(client.get(reverse("accounts:account")).content.decode())
    return secret, codes


def enrol(user, clock: FrozenClock) -> str:
    """Set up two-factor for ``user`` through the services; returns the secret."""
    device = two_factor.begin_enrolment(user)
    secret = two_factor.totp_secret(device)
    two_factor.confirm_enrolment(user, code_at(secret, clock()), None)
    return secret


def log_in_with_password(client: Client, username: str, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD}, **extra)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- set-up ----------------------------------------------------------------------------------------

def test_set_up_shows_a_qr_code_and_the_key_and_nothing_is_on_until_a_code_confirms_it(
        client, nurse_login, clock):
    client.force_login(nurse_login, backend=MODEL_BACKEND)
    client.post(reverse("accounts:two-factor-start"))
    page = client.get(reverse("accounts:two-factor-setup"))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<svg width="' in body
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", body))  # no inline script (CSP)
    assert len(shown_secret(body)) == 32
    assert not two_factor.has_two_factor(nurse_login)
    assert '<span class="badge">Off</span>' in client.get(reverse("accounts:account")).content.decode()


@pytest.mark.parametrize("bad", ["", "12345", "abcdef", "1234567", "000000"])
def test_a_wrong_or_malformed_code_does_not_switch_two_factor_on(client, nurse_login, clock, bad):
    client.force_login(nurse_login, backend=MODEL_BACKEND)
    client.post(reverse("accounts:two-factor-start"))
    secret = shown_secret(client.get(reverse("accounts:two-factor-setup")).content.decode())
    if bad == "000000" and code_at(secret, clock()) == "000000":
        pytest.skip("the one-in-a-million chance that 000000 is the right code")
    response = client.post(reverse("accounts:two-factor-setup"), {"code": bad})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not two_factor.has_two_factor(nurse_login)
    assert not RecoveryCode.objects.exists()


def test_a_confirmed_code_switches_it_on_and_shows_ten_recovery_codes_once(client, nurse_login, clock):
    client.force_login(nurse_login, backend=MODEL_BACKEND)
    _, codes = enrol_through_the_account_page(client, clock)
    assert two_factor.has_two_factor(nurse_login)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z0-9]{4}(-[a-z0-9]{4}){3}", code) for code in codes)
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert stored == {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}
    again = client.get(reverse("accounts:account")).content.decode()
    assert 'id="recovery-codes"' not in again and codes[0] not in again
    assert '<span class="badge ok">On</span>' in again
    assert AuditEvent.objects.filter(actor=nurse_login, action=AuditAction.TWO_FACTOR_ON).count() == 1


def test_the_totp_secret_is_not_readable_from_the_database_alone(nurse_login, clock, settings):
    secret = enrol(nurse_login, clock)
    device = TwoFactorDevice.objects.get(user=nurse_login)
    row = " ".join(str(value) for value in device.__dict__.values())
    assert secret not in row and secret.lower() not in row
    settings.SECRET_KEY = "a-different-server-key-" + "x" * 40
    assert two_factor.totp_secret(device) is None


def test_a_previous_server_key_kept_as_a_fallback_still_derives_the_secret(nurse_login, clock, settings):
    secret = enrol(nurse_login, clock)
    device = TwoFactorDevice.objects.get(user=nurse_login)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-server-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert two_factor.totp_secret(device) == secret


# --- login -----------------------------------------------------------------------------------------

def test_with_two_factor_on_the_password_alone_does_not_log_in(client, nurse_login, clock):
    secret = enrol(nurse_login, clock)
    clock.advance(30)
    response = log_in_with_password(client, "nurse.real")
    assert response["Location"] == reverse("accounts:login-code")
    assert not is_logged_in(client)
    assert client.get(reverse("care:caseload")).status_code == 302
    page = client.get(reverse("accounts:login-code")).content.decode()
    assert 'autocomplete="one-time-code"' in page
    response = client.post(reverse("accounts:login-code"), {"code": code_at(secret, clock())})
    assert response["Location"] == reverse("home")
    assert is_logged_in(client)
    assert client.get(reverse("care:caseload")).status_code == 200


def test_the_code_step_keeps_the_page_asked_for(client, nurse_login, clock):
    secret = enrol(nurse_login, clock)
    clock.advance(30)
    client.post(reverse("accounts:login") + "?next=/account/",
                {"username": "nurse.real", "password": PASSWORD, "next": "/account/"})
    response = client.post(reverse("accounts:login-code"), {"code": code_at(secret, clock())})
    assert response["Location"] == "/account/"


def test_a_code_from_the_app_may_be_one_step_early_or_late(client, nurse_login, clock):
    secret = enrol(nurse_login, clock)
    clock.advance(90)
    log_in_with_password(client, "nurse.real")
    client.post(reverse("accounts:login-code"), {"code": code_at(secret, clock() - dt.timedelta(seconds=30))})
    assert is_logged_in(client)


def test_a_code_two_steps_old_is_refused(client, nurse_login, clock):
    secret = enrol(nurse_login, clock)
    clock.advance(120)
    log_in_with_password(client, "nurse.real")
    stale = code_at(secret, clock() - dt.timedelta(seconds=60))
    response = client.post(reverse("accounts:login-code"), {"code": stale})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert not is_logged_in(client)


def test_a_code_cannot_be_used_twice(client, nurse_login, clock):
    secret = enrol(nurse_login, clock)
    clock.advance(30)
    code = code_at(secret, clock())
    log_in_with_password(client, "nurse.real")
    client.post(reverse("accounts:login-code"), {"code": code})
    assert is_logged_in(client)
    client.post(reverse("accounts:logout"))
    clock.advance(5)  # still the same 30-second window
    log_in_with_password(client, "nurse.real")
    response = client.post(reverse("accounts:login-code"), {"code": code})
    assert "already been used" in response.content.decode()
    assert not is_logged_in(client)


def test_the_code_that_confirmed_the_set_up_cannot_log_in(client, nurse_login, clock):
    secret = enrol(nurse_login, clock)
    log_in_with_password(client, "nurse.real")
    response = client.post(reverse("accounts:login-code"), {"code": code_at(secret, clock())})
    assert "already been used" in response.content.decode()
    assert not is_logged_in(client)


def test_a_recovery_code_logs_in_once_only(client, nurse_login, clock):
    client.force_login(nurse_login, backend=MODEL_BACKEND)
    _, codes = enrol_through_the_account_page(client, clock)
    client.post(reverse("accounts:logout"))
    log_in_with_password(client, "nurse.real")
    response = client.post(reverse("accounts:login-code"), {"code": codes[3].upper().replace("-", " ")},
                           follow=True)
    assert is_logged_in(client)
    assert "9 left" in response.content.decode()
    assert AuditEvent.objects.filter(actor=nurse_login, action=AuditAction.RECOVERY_CODE_USED).count() == 1
    client.post(reverse("accounts:logout"))
    log_in_with_password(client, "nurse.real")
    response = client.post(reverse("accounts:login-code"), {"code": codes[3]})
    assert "not right" in response.content.decode()
    assert not is_logged_in(client)


def test_a_wrong_code_is_recorded_in_the_audit_log(client, nurse_login, clock):
    enrol(nurse_login, clock)
    log_in_with_password(client, "nurse.real")
    client.post(reverse("accounts:login-code"), {"code": "000001"})
    event = AuditEvent.objects.get(action=AuditAction.SECOND_STEP_FAILED)
    assert event.actor == nurse_login and event.clinic == nurse_login.memberships.get().clinic
    assert "wrong code" in event.detail


def test_wrong_codes_count_towards_the_login_lock(client, nurse_login, clock, settings):
    enrol(nurse_login, clock)
    log_in_with_password(client, "nurse.real")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("accounts:login-code"), {"code": "000001"}).status_code == 200
    response = client.post(reverse("accounts:login-code"), {"code": "000001"})
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    # The password is locked too, for this username from this address.
    assert log_in_with_password(client, "nurse.real").status_code == 429
    assert not is_logged_in(client)


def test_wrong_codes_from_many_addresses_pause_code_checks_for_the_account(client, nurse_login, clock):
    secret = enrol(nurse_login, clock)
    for n in range(two_factor.ACCOUNT_FAILURE_LIMIT):
        address = f"10.0.0.{n + 1}"
        log_in_with_password(client, "nurse.real", REMOTE_ADDR=address)
        response = client.post(reverse("accounts:login-code"), {"code": "000001"}, REMOTE_ADDR=address)
    assert response.status_code == 429
    clock.advance(30)
    log_in_with_password(client, "nurse.real", REMOTE_ADDR="10.0.1.1")
    response = client.post(reverse("accounts:login-code"), {"code": code_at(secret, clock())},
                           REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429 and not is_logged_in(client)
    clock.advance(two_factor.LOCK_MINUTES * 60)
    log_in_with_password(client, "nurse.real", REMOTE_ADDR="10.0.1.2")
    client.post(reverse("accounts:login-code"), {"code": code_at(secret, clock())}, REMOTE_ADDR="10.0.1.2")
    assert is_logged_in(client)


def test_a_malformed_code_gets_a_clear_message_and_does_not_count(client, nurse_login, clock):
    enrol(nurse_login, clock)
    log_in_with_password(client, "nurse.real")
    response = client.post(reverse("accounts:login-code"), {"code": "12-ab"})
    assert response.status_code == 200 and "6-digit code" in response.content.decode()
    assert TwoFactorDevice.objects.get(user=nurse_login).failed_attempts == 0


def test_the_half_logged_state_expires_after_a_few_minutes(client, nurse_login, clock):
    secret = enrol(nurse_login, clock)
    log_in_with_password(client, "nurse.real")
    clock.advance(two_factor.PENDING_LOGIN_S + 1)
    response = client.post(reverse("accounts:login-code"), {"code": code_at(secret, clock())})
    assert response["Location"] == reverse("accounts:login")
    assert not is_logged_in(client)
    assert two_factor.PENDING_SESSION_KEY not in client.session


def test_the_code_page_without_a_password_first_sends_you_to_the_login(client, db):
    response = client.get(reverse("accounts:login-code"), follow=True)
    assert "log in again" in response.content.decode()
    assert client.get(reverse("accounts:login-two-factor-setup"))["Location"] == reverse("accounts:login")


def test_a_password_changed_during_the_second_step_voids_it(client, nurse_login, clock):
    secret = enrol(nurse_login, clock)
    clock.advance(30)
    log_in_with_password(client, "nurse.real")
    nurse_login.set_password("a-completely-new-password-9")
    nurse_login.save()
    client.post(reverse("accounts:login-code"), {"code": code_at(secret, clock())})
    assert not is_logged_in(client)


def test_a_reset_during_the_second_step_sends_you_back_to_the_password(client, nurse_login, clinic_admin,
                                                                       clock):
    enrol(nurse_login, clock)
    log_in_with_password(client, "nurse.real")
    two_factor.reset_two_factor(clinic_admin, nurse_login)
    response = client.post(reverse("accounts:login-code"), {"code": "123456"})
    assert response["Location"] == reverse("accounts:login")
    assert not is_logged_in(client)


def test_people_without_two_factor_log_in_with_the_password_alone(client, nurse_login):
    assert log_in_with_password(client, "nurse.real")["Location"] == reverse("home")
    assert is_logged_in(client)


def test_the_django_admin_login_goes_through_the_naltrack_login(client, db):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_api_tokens_are_separate_credentials_and_ask_for_no_code(client, nurse_login, clock):
    from naltrack.web.accounts.services import issue_api_token

    enrol(nurse_login, clock)
    _, plain = issue_api_token(nurse_login, "script")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200


# --- the clinic requirement ------------------------------------------------------------------------

@pytest.fixture
def requiring_clinic(clinic):
    Clinic.objects.filter(pk=clinic.pk).update(requires_two_factor=True)
    clinic.refresh_from_db()
    return clinic


def test_staff_of_a_clinic_that_requires_it_set_it_up_before_anything_else(client, requiring_clinic,
                                                                          nurse_login, clock):
    response = log_in_with_password(client, "nurse.real")
    assert response["Location"] == reverse("accounts:login-two-factor-setup")
    assert not is_logged_in(client)
    for path in (reverse("care:caseload"), reverse("accounts:account"), "/api/v1/me"):
        assert client.get(path).status_code in {302, 401}, path
    page = client.get(reverse("accounts:login-two-factor-setup")).content.decode()
    assert "Riverside requires two-factor sign-in" in page
    secret = shown_secret(page)
    response = client.post(reverse("accounts:login-two-factor-setup"), {"code": code_at(secret, clock())})
    assert response["Location"] == reverse("accounts:account") + "#two-factor"
    assert is_logged_in(client)
    assert len(shown_recovery_codes(client.get(reverse("accounts:account")).content.decode())) == 10
    assert client.get(reverse("care:caseload")).status_code == 200


def test_a_wrong_code_at_required_set_up_keeps_you_logged_out(client, requiring_clinic, nurse_login, clock):
    log_in_with_password(client, "nurse.real")
    response = client.post(reverse("accounts:login-two-factor-setup"), {"code": "12345x"})
    assert response.status_code == 200 and "6-digit code" in response.content.decode()
    assert not is_logged_in(client) and not two_factor.has_two_factor(nurse_login)


def test_staff_who_have_it_are_asked_for_a_code_in_a_clinic_that_requires_it(client, requiring_clinic,
                                                                             nurse_login, clock):
    enrol(nurse_login, clock)
    assert log_in_with_password(client, "nurse.real")["Location"] == reverse("accounts:login-code")


def test_patients_are_never_forced_to_use_two_factor(client, requiring_clinic, make_patient):
    patient = make_patient(requiring_clinic)
    patient.user.set_password(PASSWORD)
    patient.user.save()
    assert log_in_with_password(client, patient.user.username)["Location"] == reverse("home")
    assert is_logged_in(client)


def test_patients_may_choose_two_factor(client, patient, clock):
    client.force_login(patient.user, backend=MODEL_BACKEND)
    enrol_through_the_account_page(client, clock)
    assert two_factor.has_two_factor(patient.user)
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR_ON)
    assert event.clinic == patient.clinic and event.patient is None


def test_switching_the_requirement_on_signs_out_staff_without_two_factor(clinic, clinic_admin, prescriber,
                                                                        nurse, clock):
    enrol(clinic_admin, clock)
    enrol(prescriber, clock)
    sessions = {}
    for user in (clinic_admin, prescriber, nurse):
        sessions[user.pk] = Client()
        sessions[user.pk].force_login(user, backend=MODEL_BACKEND)
    admin = sessions[clinic_admin.pk]
    response = admin.post(reverse("accounts:clinic-two-factor", args=[clinic.id]), {"required": "on"}, follow=True)
    assert "1 open session of staff without it was ended" in response.content.decode()
    clinic.refresh_from_db()
    assert clinic.requires_two_factor
    assert sessions[nurse.pk].get(reverse("care:caseload")).status_code == 302
    assert sessions[prescriber.pk].get(reverse("care:caseload")).status_code == 200
    assert AuditEvent.objects.filter(actor=clinic_admin, clinic=clinic, target="two-factor requirement").exists()
    admin.post(reverse("accounts:clinic-two-factor", args=[clinic.id]), {})
    clinic.refresh_from_db()
    assert not clinic.requires_two_factor


def test_an_admin_must_have_two_factor_before_requiring_it(as_user, clinic, clinic_admin):
    response = as_user(clinic_admin).post(reverse("accounts:clinic-two-factor", args=[clinic.id]),
                                          {"required": "on"}, follow=True)
    assert "Switch on two-factor for your own account first" in response.content.decode()
    clinic.refresh_from_db()
    assert not clinic.requires_two_factor


@pytest.mark.parametrize(("persona", "status"), [("prescriber", 403), ("foreign_admin", 404)])
def test_only_the_clinics_own_admins_change_the_requirement(persona, status, request, as_user, clinic,
                                                           other_clinic, make_staff, clock):
    user = (make_staff(other_clinic, "clinic_admin") if persona == "foreign_admin"
            else request.getfixturevalue(persona))
    enrol(user, clock)
    response = as_user(user).post(reverse("accounts:clinic-two-factor", args=[clinic.id]), {"required": "on"})
    assert response.status_code == status
    clinic.refresh_from_db()
    assert not clinic.requires_two_factor


def test_the_people_page_shows_who_has_two_factor(as_user, clinic, clinic_admin, prescriber, nurse, clock):
    enrol(prescriber, clock)
    body = as_user(clinic_admin).get(reverse("accounts:people")).content.decode()
    rows = {row.split("</td>", 1)[0]: row for row in body.split("<tr><td>")[1:]}
    assert '<span class="badge ok">on</span>' in rows[prescriber.full_name]
    assert '<span class="badge">off</span>' in rows[nurse.full_name]
    assert "Require two-factor for staff" in body


def test_a_clinic_admin_can_reset_a_colleagues_two_factor(as_user, clinic, clinic_admin, prescriber,
                                                         foreign_prescriber, clock):
    enrol(prescriber, clock)
    enrol(foreign_prescriber, clock)
    client = as_user(clinic_admin)
    client.post(reverse("accounts:member-two-factor-reset", args=[prescriber.id]))
    assert not two_factor.has_two_factor(prescriber)
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR_OFF)
    assert event.actor == clinic_admin and prescriber.username in event.target
    audit = client.get(reverse("accounts:audit")).content.decode()
    assert f"Switched off two-factor for {prescriber.username}" in audit
    assert f"Switched on two-factor for {prescriber.username}" in audit
    assert foreign_prescriber.username not in audit
    assert client.post(reverse("accounts:member-two-factor-reset", args=[foreign_prescriber.id])).status_code == 404
    assert two_factor.has_two_factor(foreign_prescriber)


# --- the account page: new recovery codes, switching off ----------------------------------------------

def test_new_recovery_codes_replace_the_old_ones(client, nurse_login, clock):
    client.force_login(nurse_login, backend=MODEL_BACKEND)
    secret, old_codes = enrol_through_the_account_page(client, clock)
    clock.advance(30)
    client.post(reverse("accounts:two-factor-recovery-codes"), {"code": code_at(secret, clock())})
    new_codes = shown_recovery_codes(client.get(reverse("accounts:account")).content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert RecoveryCode.objects.filter(device__user=nurse_login).count() == 10
    client.post(reverse("accounts:logout"))
    log_in_with_password(client, "nurse.real")
    assert "not right" in client.post(reverse("accounts:login-code"), {"code": old_codes[0]}).content.decode()
    client.post(reverse("accounts:login-code"), {"code": new_codes[0]})
    assert is_logged_in(client)


def test_new_recovery_codes_need_a_current_code(client, nurse_login, clock):
    client.force_login(nurse_login, backend=MODEL_BACKEND)
    _, old_codes = enrol_through_the_account_page(client, clock)
    response = client.post(reverse("accounts:two-factor-recovery-codes"), {"code": "000001"})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert RecoveryCode.objects.filter(code_hash=hashlib.sha256(old_codes[0].replace("-", "").encode())
                                       .hexdigest()).exists()


def test_switching_off_needs_the_password_and_a_code(client, nurse_login, clock):
    client.force_login(nurse_login, backend=MODEL_BACKEND)
    secret, _ = enrol_through_the_account_page(client, clock)
    clock.advance(30)
    url = reverse("accounts:two-factor-disable")
    response = client.post(url, {"password": "not my password", "code": code_at(secret, clock())})
    assert "not your password" in response.content.decode()
    response = client.post(url, {"password": PASSWORD, "code": "000001"})
    assert "not right" in response.content.decode()
    response = client.post(url, {"password": PASSWORD, "code": ""})
    assert response.status_code == 200 and "6-digit code" in response.content.decode()
    assert two_factor.has_two_factor(nurse_login)
    client.post(url, {"password": PASSWORD, "code": code_at(secret, clock())})
    assert not two_factor.has_two_factor(nurse_login)
    assert not RecoveryCode.objects.exists()
    assert AuditEvent.objects.filter(actor=nurse_login, action=AuditAction.TWO_FACTOR_OFF).exists()
    assert is_logged_in(client)


def test_switching_off_where_the_clinic_requires_it_logs_out_and_set_up_comes_next(
        client, requiring_clinic, nurse_login, clock):
    client.force_login(nurse_login, backend=MODEL_BACKEND)
    secret, _ = enrol_through_the_account_page(client, clock)
    clock.advance(30)
    response = client.post(reverse("accounts:two-factor-disable"),
                           {"password": PASSWORD, "code": code_at(secret, clock())})
    assert response["Location"] == reverse("accounts:login")
    assert not is_logged_in(client)
    assert log_in_with_password(client, "nurse.real")["Location"] == reverse("accounts:login-two-factor-setup")


def test_set_up_cannot_start_twice_once_on(client, nurse_login, clock):
    client.force_login(nurse_login, backend=MODEL_BACKEND)
    enrol_through_the_account_page(client, clock)
    seed = TwoFactorDevice.objects.get(user=nurse_login).seed
    response = client.post(reverse("accounts:two-factor-start"), follow=True)
    assert "already on" in response.content.decode()
    assert TwoFactorDevice.objects.get(user=nurse_login).seed == seed
    assert client.get(reverse("accounts:two-factor-setup")).status_code == 302


def test_demo_logins_work_with_the_password_alone(client, db):
    """`make demo` prints logins that must keep working: no demo clinic requires two-factor."""
    from naltrack.web.accounts.models import User
    from naltrack.web.demo import DEMO_PASSWORD, build_demo

    context = build_demo(seed=7, patients=20, today=dt.date(2026, 11, 1))
    assert not Clinic.objects.filter(requires_two_factor=True).exists()
    for _, username, _ in context.logins:
        assert two_factor.second_step_for(User.objects.get(username=username)) is None
    username = context.logins[0][1]
    client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    assert is_logged_in(client)
