"""Login, throttling, passwords, tokens, the audit log and the patient's record-access page."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher
from django.core import mail
from django.urls import reverse

from naltrack.web.accounts.models import ApiToken, AuditEvent, User
from naltrack.web.accounts.services import record_audit_event


@pytest.fixture
def staff_with_password(clinic, make_staff):
    user = make_staff(clinic, "nurse", username="nurse.real")
    user.set_password("correct horse battery")
    user.email = "nurse@example.org"
    user.save()
    return user


def test_login_page_has_labelled_fields(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<label for="id_username">' in body and '<label for="id_password">' in body
    assert '<main id="main"' in body and "Skip to main content" in body


def test_passwords_are_hashed_with_argon2(staff_with_password):
    assert identify_hasher(staff_with_password.password).algorithm == "argon2"


def test_a_correct_password_logs_in(client, staff_with_password):
    response = client.post(reverse("accounts:login"),
                           {"username": "nurse.real", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get(reverse("care:caseload")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, staff_with_password):
    response = client.post(reverse("accounts:login"), {"username": "nurse.real", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_login(client, staff_with_password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "nurse.real", "password": "wrong"})
    response = client.post(reverse("accounts:login"),
                           {"username": "nurse.real", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_logout_needs_a_post_and_ends_the_session(as_user, prescriber):
    client = as_user(prescriber)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("care:caseload")).status_code == 302


def test_password_change_rejects_a_weak_password_and_keeps_the_old_one(client, staff_with_password):
    client.force_login(staff_with_password, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("accounts:password-change"), {
        "old_password": "correct horse battery", "new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    staff_with_password.refresh_from_db()
    assert check_password("correct horse battery", staff_with_password.password)


def test_password_change_accepts_a_strong_password(client, staff_with_password):
    client.force_login(staff_with_password, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("accounts:password-change"), {
        "old_password": "correct horse battery", "new_password1": "tulip-granite-harbour-41",
        "new_password2": "tulip-granite-harbour-41"})
    staff_with_password.refresh_from_db()
    assert check_password("tulip-granite-harbour-41", staff_with_password.password)


def test_password_reset_sends_a_link_that_sets_a_new_password(client, staff_with_password, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(reverse("accounts:password-reset"), {"email": "nurse@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form_url = client.get(path)["Location"]
    client.post(form_url, {"new_password1": "orchid-lantern-copper-77", "new_password2": "orchid-lantern-copper-77"})
    staff_with_password.refresh_from_db()
    assert check_password("orchid-lantern-copper-77", staff_with_password.password)


def test_an_api_token_is_shown_once_and_only_its_hash_is_stored(as_user, prescriber):
    client = as_user(prescriber)
    client.post(reverse("accounts:token-create"), {"name": "reporting"})
    body = client.get(reverse("accounts:account")).content.decode()
    token = ApiToken.objects.get(user=prescriber)
    shown = body.split('<code id="new-token">', 1)[1].split("</code>", 1)[0]
    assert shown.startswith(f"nlt_{token.prefix}_")
    assert shown.split("_", 2)[2] not in token.secret_hash
    assert '<code id="new-token">' not in client.get(reverse("accounts:account")).content.decode()


def test_a_token_can_only_be_revoked_by_its_owner(as_user, prescriber, nurse):
    client = as_user(prescriber)
    client.post(reverse("accounts:token-create"), {"name": "mine"})
    token = ApiToken.objects.get(user=prescriber)
    as_user(nurse).post(reverse("accounts:token-revoke", args=[token.id]))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_patient_sees_who_opened_their_record(as_user, prescriber, patient, other_patient):
    record_audit_event(actor=prescriber, patient=patient, action="view", target="chart")
    record_audit_event(actor=prescriber, patient=other_patient, action="update", target="episode 4")
    body = as_user(patient.user).get(reverse("accounts:record-access")).content.decode()
    assert prescriber.full_name in body and "chart" in body
    assert "episode 4" not in body


def test_staff_have_no_record_access_page(as_user, prescriber):
    assert as_user(prescriber).get(reverse("accounts:record-access")).status_code == 403


def test_clinic_admins_search_the_audit_log_of_their_own_clinics_only(
        as_user, clinic_admin, prescriber, patient, foreign_prescriber, foreign_patient):
    record_audit_event(actor=prescriber, patient=patient, action="view", target="chart")
    record_audit_event(actor=foreign_prescriber, patient=foreign_patient, action="view", target="chart")
    client = as_user(clinic_admin)
    body = client.get(reverse("accounts:audit")).content.decode()
    assert patient.record_number in body and foreign_patient.record_number not in body
    filtered = client.get(reverse("accounts:audit"), {"patient_record": "nothing-like-this"}).content.decode()
    assert patient.record_number not in filtered


def test_the_audit_search_explains_an_inverted_date_range(as_user, clinic_admin):
    body = as_user(clinic_admin).get(reverse("accounts:audit"),
                                     {"since": "2026-05-02", "until": "2026-05-01"}).content.decode()
    assert "must be on or before" in body


@pytest.mark.parametrize("persona", ["prescriber", "moderator", "outsider"])
def test_the_audit_log_and_people_pages_are_for_clinic_admins(persona, request, as_user):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:audit")).status_code == 403
    assert client.get(reverse("accounts:people")).status_code == 403


def test_the_people_page_counts_the_admins_clinic(as_user, clinic_admin, patient, other_patient, foreign_patient):
    body = as_user(clinic_admin).get(reverse("accounts:people")).content.decode()
    assert ">2</span> patients" in body


def test_the_django_admin_is_scoped_to_the_admins_clinic_and_audited(
        as_user, clinic_admin, patient, foreign_patient):
    client = as_user(clinic_admin)
    listing = client.get("/django-admin/accounts/patient/").content.decode()
    assert patient.record_number in listing and foreign_patient.record_number not in listing
    assert client.get(f"/django-admin/accounts/patient/{patient.id}/change/").status_code == 200
    assert AuditEvent.objects.filter(patient=patient, actor=clinic_admin, target="registration").exists()
    assert client.get(f"/django-admin/accounts/patient/{foreign_patient.id}/change/").status_code == 302


def test_the_django_admin_refuses_clinicians(as_user, prescriber):
    assert as_user(prescriber).get("/django-admin/").status_code == 302


def test_unknown_pages_get_a_friendly_404(as_user, prescriber):
    response = as_user(prescriber).get("/no-such-page/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_every_page_carries_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy


def test_users_are_the_custom_user_model():
    assert User._meta.label == "accounts.User"


@pytest.mark.parametrize(("persona", "start"), [
    ("patient", "care:patient-home"),
    ("prescriber", "care:caseload"),
    ("moderator", "community:moderation-index"),
    ("outsider", "accounts:account"),
])
def test_home_sends_each_person_to_their_starting_page(persona, start, request, as_user):
    from django.urls import reverse

    person = request.getfixturevalue(persona)
    user = person.user if persona == "patient" else person
    response = as_user(user).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(start)


def test_the_menu_marks_only_the_most_specific_entry_as_current(as_user, prescriber):
    from django.urls import reverse

    page = as_user(prescriber).get(reverse("care:supply-clinic")).content.decode()
    current = [line for line in page.splitlines() if 'aria-current="page"' in line]
    assert len(current) == 1
    assert "Clinic supply" in current[0]
