"""Shared fixtures: clinics, staff in every role, patients — and their counterparts in another clinic.

Fixtures build on each other (clinic → staff → patient). Users are created without a password hash
(tests log in with ``force_login``) so the suite stays fast; the login tests hash real passwords.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest

_counter = itertools.count(1)

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# "inside" one unless told it is safe (it is: the loop only waits on the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def make_clinic(db):
    from naltrack.web.accounts.models import Clinic

    def make(**fields):
        n = next(_counter)
        defaults = {"name": f"Clinic {n}", "slug": f"clinic-{n}", "country": "US",
                    "time_zone": "America/New_York", "drink_unit": "us"}
        return Clinic.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def clinic(make_clinic):
    return make_clinic(name="Riverside", slug="riverside")


@pytest.fixture
def other_clinic(make_clinic):
    return make_clinic(name="Elsewhere", slug="elsewhere", country="GB", time_zone="Europe/London",
                       drink_unit="uk")


@pytest.fixture
def make_staff(db):
    from naltrack.web.accounts.models import Membership, Role, User

    def make(clinic, *roles, username=None, title=""):
        n = next(_counter)
        user = User.objects.create(username=username or f"staff{n}", first_name="Staff", last_name=f"Member{n}",
                                   is_staff=Role.CLINIC_ADMIN in roles)
        user.set_unusable_password()
        user.save()
        for role in roles:
            Membership.objects.create(user=user, clinic=clinic, role=role, professional_title=title)
        return user

    return make


@pytest.fixture
def make_patient(db):
    from naltrack.web.accounts.models import Patient, User

    def make(clinic, *, with_login=True, **fields):
        n = next(_counter)
        user = None
        if with_login:
            user = User.objects.create(username=f"patient{n}", first_name="Pat", last_name=f"Ient{n}")
        defaults = {"given_name": "Pat", "family_name": f"Ient{n}", "display_name": f"Member{n}",
                    "record_number": f"R{n:05d}", "sex": "F", "enrolled_on": dt.date(2026, 9, 1),
                    "country": clinic.country, "time_zone": clinic.time_zone}
        return Patient.objects.create(clinic=clinic, user=user, **{**defaults, **fields})

    return make


@pytest.fixture
def prescriber(clinic, make_staff):
    return make_staff(clinic, "prescriber")


@pytest.fixture
def nurse(clinic, make_staff):
    return make_staff(clinic, "nurse")


@pytest.fixture
def counsellor(clinic, make_staff):
    return make_staff(clinic, "counsellor")


@pytest.fixture
def moderator(clinic, make_staff):
    return make_staff(clinic, "moderator", title="Mental health nurse")


@pytest.fixture
def clinic_admin(clinic, make_staff):
    return make_staff(clinic, "clinic_admin")


@pytest.fixture
def foreign_prescriber(other_clinic, make_staff):
    """A prescriber of another clinic: must never reach this clinic's records."""
    return make_staff(other_clinic, "prescriber")


@pytest.fixture
def patient(clinic, make_patient):
    return make_patient(clinic)


@pytest.fixture
def other_patient(clinic, make_patient):
    """Another patient of the same clinic."""
    return make_patient(clinic)


@pytest.fixture
def foreign_patient(other_clinic, make_patient):
    return make_patient(other_clinic)


@pytest.fixture
def outsider(db):
    """A logged-in user with no role and no patient record."""
    from naltrack.web.accounts.models import User

    return User.objects.create(username="outsider")


@pytest.fixture
def as_user(client):
    """``as_user(user)`` returns the test client logged in as ``user``."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
