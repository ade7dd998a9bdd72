"""The platform subcommands: createclinic, createuser, and the demo clinic builder."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from naltrack.cli import app
from naltrack.web.accounts.models import Clinic, Membership, Patient, User

runner = CliRunner()


def test_createclinic_creates_a_clinic(db):
    result = runner.invoke(app, ["createclinic", "Northside Clinic", "--slug", "northside", "--country", "gb",
                                 "--time-zone", "Europe/London", "--drink-unit", "uk"])
    assert result.exit_code == 0, result.output
    clinic = Clinic.objects.get(slug="northside")
    assert (clinic.country, clinic.drink_unit) == ("GB", "uk")


def test_createclinic_refuses_an_unknown_time_zone_and_creates_nothing(db):
    result = runner.invoke(app, ["createclinic", "X", "--slug", "x", "--time-zone", "Mars/Olympus"])
    assert result.exit_code == 2
    assert "time zone" in result.output
    assert not Clinic.objects.exists()


def test_createuser_creates_staff_with_roles(clinic):
    result = runner.invoke(app, ["createuser", "dr.new", "--clinic", clinic.slug, "--role", "prescriber",
                                 "--role", "moderator", "--password-stdin"], input="amber-falcon-river-93\n")
    assert result.exit_code == 0, result.output
    user = User.objects.get(username="dr.new")
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {"prescriber", "moderator"}
    assert user.check_password("amber-falcon-river-93")


def test_createuser_refuses_a_weak_password_and_an_unknown_role(clinic):
    weak = runner.invoke(app, ["createuser", "a", "--clinic", clinic.slug, "--role", "nurse", "--password-stdin"],
                         input="123\n")
    assert weak.exit_code == 2 and "password" in weak.output.lower()
    bad_role = runner.invoke(app, ["createuser", "b", "--clinic", clinic.slug, "--role", "wizard",
                                   "--password-stdin"], input="amber-falcon-river-93\n")
    assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
    assert not User.objects.filter(username__in=["a", "b"]).exists()


def test_createuser_refuses_an_unknown_clinic(db):
    result = runner.invoke(app, ["createuser", "c", "--clinic", "nowhere", "--role", "nurse", "--password-stdin"],
                           input="amber-falcon-river-93\n")
    assert result.exit_code == 2 and "no clinic" in result.output


def _snapshot():
    return list(Patient.objects.order_by("record_number").values_list(
        "record_number", "given_name", "family_name", "display_name", "sex", "enrolled_on"))


def test_the_demo_is_reproducible_from_its_seed(db):
    from naltrack.web.demo import build_demo

    context = build_demo(seed=7, patients=40, today=dt.date(2026, 11, 1))
    first = _snapshot()
    assert len(first) == 40 and len(context.staff) >= 5
    assert any(who.startswith("patient") for who, _u, _p in context.logins)
    Patient.objects.all().delete()
    User.objects.all().delete()
    Clinic.objects.all().delete()
    build_demo(seed=7, patients=40, today=dt.date(2026, 11, 1))
    assert _snapshot() == first


def test_demo_patients_have_plausible_registrations(db):
    from naltrack.web.demo import build_demo

    build_demo(seed=3, patients=60, today=dt.date(2026, 11, 1))
    for patient in Patient.objects.select_related("clinic"):
        assert patient.record_number.startswith("DEMO-")
        assert patient.enrolled_on <= dt.date(2026, 11, 1)
        assert patient.time_zone == patient.clinic.time_zone
        age = (dt.date(2026, 11, 1) - patient.date_of_birth).days / 365.25
        assert 18 <= age <= 75


def test_the_demo_records_no_dose_in_a_patients_future(db):
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from naltrack.web.care.models import Dose
    from naltrack.web.demo import build_demo

    build_demo(seed=5, patients=40)  # today: the server's date, which may be tomorrow for a patient
    now = timezone.now()
    doses = list(Dose.objects.select_related("patient"))
    assert doses
    for dose in doses:
        assert dose.taken_on <= now.astimezone(ZoneInfo(dose.patient.time_zone)).date()
        assert dose.time_taken is None or dose.time_taken <= now
