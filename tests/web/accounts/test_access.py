"""The permission layer: every role against its own clinic's patients, another clinic's, and itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from naltrack.web.accounts.access import (
    Capability,
    can_act_on_patient,
    can_view_patient,
    open_patient,
    visible_patients,
)
from naltrack.web.accounts.models import AuditEvent

CLINICAL = ["prescriber", "nurse", "counsellor"]
NON_CLINICAL = ["moderator", "clinic_admin"]


@pytest.mark.parametrize("role", CLINICAL)
def test_clinical_staff_see_their_own_clinics_patients(role, clinic, make_staff, patient):
    user = make_staff(clinic, role)
    assert can_view_patient(user, patient)
    assert patient in visible_patients(user)


@pytest.mark.parametrize("role", CLINICAL + NON_CLINICAL)
def test_no_role_sees_another_clinics_patients(role, clinic, make_staff, foreign_patient):
    user = make_staff(clinic, role)
    assert not can_view_patient(user, foreign_patient)
    assert foreign_patient not in visible_patients(user)


@pytest.mark.parametrize("role", NON_CLINICAL)
def test_moderators_and_admins_do_not_see_charts(role, clinic, make_staff, patient):
    user = make_staff(clinic, role)
    assert not can_view_patient(user, patient)
    assert not visible_patients(user).exists()


def test_a_patient_sees_only_their_own_record(patient, other_patient, foreign_patient):
    assert can_view_patient(patient.user, patient)
    assert not can_view_patient(patient.user, other_patient)
    assert not can_view_patient(patient.user, foreign_patient)
    assert list(visible_patients(patient.user)) == [patient]


def test_a_user_without_role_or_record_sees_nothing(outsider, patient):
    assert not can_view_patient(outsider, patient)
    assert not visible_patients(outsider).exists()


@pytest.mark.parametrize(("role", "capability", "allowed"), [
    ("prescriber", Capability.PRESCRIBE, True),
    ("prescriber", Capability.GIVE_MEDICATION, True),
    ("nurse", Capability.GIVE_MEDICATION, True),
    ("nurse", Capability.PRESCRIBE, False),
    ("counsellor", Capability.WRITE_CHART, True),
    ("counsellor", Capability.GIVE_MEDICATION, False),
    ("counsellor", Capability.PRESCRIBE, False),
    ("moderator", Capability.WRITE_CHART, False),
    ("clinic_admin", Capability.VIEW_CHART, False),
])
def test_roles_carry_their_capabilities_only_in_their_clinic(
        role, capability, allowed, clinic, make_staff, patient, foreign_patient):
    user = make_staff(clinic, role)
    assert can_act_on_patient(user, patient, capability) is allowed
    assert can_act_on_patient(user, foreign_patient, capability) is False


def test_patients_never_hold_staff_capabilities(patient):
    for capability in Capability:
        assert not can_act_on_patient(patient.user, patient, capability)


def test_an_inactive_membership_grants_nothing(clinic, make_staff, patient):
    user = make_staff(clinic, "prescriber")
    user.memberships.update(is_active=False)
    assert not can_view_patient(user, patient)


def test_a_deactivated_user_sees_nothing(prescriber, patient):
    prescriber.is_active = False
    prescriber.save()
    assert not can_view_patient(prescriber, patient)


def _request(user):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="pytest")
    request.user = user
    return request


def test_open_patient_writes_an_audit_event_for_staff(prescriber, patient):
    opened = open_patient(_request(prescriber), patient.id, need=Capability.VIEW_CHART)
    assert opened == patient
    event = AuditEvent.objects.get(patient=patient)
    assert (event.actor, event.action, event.target, event.ip_address) == (prescriber, "view", "chart", "10.1.2.3")
    assert "prescriber" in event.actor_label


def test_open_patient_hides_foreign_records_as_not_found(foreign_prescriber, patient):
    with pytest.raises(Http404):
        open_patient(_request(foreign_prescriber), patient.id)
    assert not AuditEvent.objects.exists()


def test_open_patient_refuses_a_missing_capability_with_403(counsellor, patient):
    with pytest.raises(PermissionDenied):
        open_patient(_request(counsellor), patient.id, need=Capability.PRESCRIBE)
    assert not AuditEvent.objects.exists()


def test_a_patient_opening_their_own_record_leaves_no_audit_event(patient):
    assert open_patient(_request(patient.user), patient.id) == patient
    assert not AuditEvent.objects.exists()


def test_open_patient_answers_404_for_an_id_that_does_not_exist(prescriber):
    with pytest.raises(Http404):
        open_patient(_request(prescriber), 999_999)
