"""The protection pages through their real URLs: who may open them, what they say, audit, bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from naltrack.web.accounts.models import AuditEvent
from naltrack.web.care.models import Dose

from .conftest import TODAY

ME = "/protection/me/"


def _staff_url(patient, **query):
    from urllib.parse import urlencode

    base = f"/protection/patients/{patient.id}/"
    return f"{base}?{urlencode(query, doseq=True)}" if query else base


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


# --- The patient's own page ---------------------------------------------------------------------------


def test_a_patient_reads_their_estimate_with_its_warnings(as_user, patient, daily_tablets):
    daily_tablets(patient)
    response = as_user(patient.user).get(ME)
    assert response.status_code == 200
    text = _text(response)
    assert "Estimated blockade now: <strong" in text
    assert "an estimate for a typical person, not a measurement of you" in text
    assert "Never use it to test the blockade" in text
    assert "an amount you used to take can now cause an overdose that kills you" in text
    assert "naltrack supports, and does not replace, your care team" in text
    assert "not clinical cut-offs" in text
    for key in ("S2", "S46", "S49", "S16", "S63"):
        assert f"{key} (" in text
    assert "if your next doses are taken as prescribed" in text
    assert 'id="chart-protection" type="application/json"' in text
    assert len(response.context["rows"]) == 22  # 14 past days, today and 7 ahead


def test_the_patient_page_has_no_inline_script(as_user, patient, daily_tablets):
    """CSP script-src 'self': every executable script is a file; the figure travels as JSON data."""
    daily_tablets(patient)
    html = as_user(patient.user).get(ME).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "/static/plotly/plotly.min.js" in html and "/static/naltrack/charts.js" in html


def test_the_chart_shows_the_recorded_line_its_band_and_the_as_prescribed_line(as_user, patient, daily_tablets):
    daily_tablets(patient)
    chart = as_user(patient.user).get(ME).context["chart"]
    names = [trace.get("name") for trace in chart["data"]]
    assert "From the recorded doses (none after now)" in names
    assert "Range for most people" in names
    assert "If taken as prescribed from now" in names
    assert "Dose recorded" in names and "Dose planned" in names
    band = next(t for t in chart["data"] if t.get("fill") == "tonexty")
    assert max(band["y"]) <= 100


def test_a_patient_with_no_doses_gets_a_clear_empty_state(as_user, patient):
    response = as_user(patient.user).get(ME)
    assert response.status_code == 200
    text = _text(response)
    assert "No doses recorded yet" in text and "nothing to estimate" in text
    assert "chart" not in response.context and "plotly" not in text
    assert "Never use it to test the blockade" in text  # the warning stays


def test_staff_and_outsiders_have_no_own_protection_page(as_user, prescriber, outsider):
    assert as_user(prescriber).get(ME).status_code == 403
    assert as_user(outsider).get(ME).status_code == 403


def test_the_page_needs_a_login(client):
    assert client.get(ME).status_code == 302


def test_the_patient_page_uses_a_fixed_number_of_queries(as_user, patient, other_patient, course, dose,
                                                         daily_tablets):
    """Whatever the number of doses: the doses are one query."""
    daily_tablets(patient, days=2)
    episode = course(other_patient)
    for ago in range(1, 100):
        dose(episode, TODAY - dt.timedelta(days=ago))
    few_client = as_user(patient.user)
    few_client.get(ME)
    with CaptureQueriesContext(connection) as few:
        assert few_client.get(ME).status_code == 200
    many_client = as_user(other_patient.user)
    many_client.get(ME)
    with CaptureQueriesContext(connection) as many:
        assert many_client.get(ME).status_code == 200
    assert len(few) == len(many) <= 10  # 8 today: session, user, patient, menu, doses, episode, order


def test_reading_the_page_writes_nothing(as_user, patient, daily_tablets):
    daily_tablets(patient)
    before = Dose.objects.count(), AuditEvent.objects.count()
    as_user(patient.user).get(ME)
    assert (Dose.objects.count(), AuditEvent.objects.count()) == before


# --- The clinician's page ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status", [
    ("prescriber", 200), ("nurse", 200), ("counsellor", 200),
    ("moderator", 404), ("clinic_admin", 404), ("foreign_prescriber", 404), ("outsider", 404),
])
def test_who_may_open_a_patients_protection_page(request, as_user, patient, daily_tablets, persona, status):
    daily_tablets(patient)
    user = request.getfixturevalue(persona)
    assert as_user(user).get(_staff_url(patient)).status_code == status


def test_patients_cannot_open_the_clinician_page(as_user, patient, other_patient, daily_tablets):
    daily_tablets(patient)
    assert as_user(other_patient.user).get(_staff_url(patient)).status_code == 404
    assert as_user(patient.user).get(_staff_url(patient)).status_code == 403  # their own: use /protection/me/


def test_every_staff_read_writes_an_audit_event(as_user, patient, nurse, foreign_prescriber, daily_tablets):
    daily_tablets(patient)
    as_user(nurse).get(_staff_url(patient))
    as_user(nurse).get(_staff_url(patient, miss=["r1"]))  # even a refused what-if is a read of the record
    events = AuditEvent.objects.filter(actor=nurse, patient=patient, target="estimated protection")
    assert events.count() == 2 and {e.via for e in events} == {"web"}
    as_user(foreign_prescriber).get(_staff_url(patient))
    assert not AuditEvent.objects.filter(actor=foreign_prescriber).exists()


def test_the_chart_links_to_the_protection_page(as_user, patient, prescriber, daily_tablets):
    daily_tablets(patient)
    html = as_user(prescriber).get(f"/care/patients/{patient.id}/").content.decode()
    assert f'href="/protection/patients/{patient.id}/"' in html


def test_the_clinician_page_without_doses_says_so(as_user, patient, prescriber):
    response = as_user(prescriber).get(_staff_url(patient))
    assert response.status_code == 200
    assert "No doses recorded" in _text(response) and response.context["form"] is None


def test_a_what_if_missing_a_tablet_is_compared_on_one_chart_and_table(as_user, patient, prescriber, daily_tablets):
    daily_tablets(patient)
    tomorrow = f"p{TODAY + dt.timedelta(days=1):%Y%m%d}o"
    response = as_user(prescriber).get(_staff_url(patient, miss=[tomorrow]))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.changes[0].startswith("Left out: 50 mg tablet, Sat 21 Nov 09:00")
    names = [trace.get("name") for trace in response.context["chart"]["data"]]
    assert "Recorded, then as prescribed" in names and "What-if" in names
    rows = {row.day: row for row in response.context["rows"]}
    day_after = rows[TODAY + dt.timedelta(days=2)]
    assert day_after.other_lowest.blockade < day_after.lowest.blockade
    past = rows[TODAY - dt.timedelta(days=3)]
    assert past.other_lowest.blockade == past.lowest.blockade
    text = _text(response)
    assert "What-if compared with the record" in text and "The largest difference is at" in text


def test_a_what_if_adding_a_dose_at_a_local_time(as_user, patient, prescriber, daily_tablets):
    daily_tablets(patient, skip=(1, 2, 3))
    response = as_user(prescriber).get(_staff_url(patient, add_dose="oral:100", add_at="2026-11-18T20:30"))
    assert response.status_code == 200
    added = next(d for d in response.context["comparison"].doses if d.key == "added")
    assert added.mg == 100.0 and added.at == dt.datetime(2026, 11, 19, 1, 30, tzinfo=dt.UTC)  # 20:30 New York


def test_a_what_if_giving_an_injection_late(as_user, patient, prescriber, course, dose):
    dose(course(patient, "xr-injection"), TODAY - dt.timedelta(days=24), mg=380.0, formulation="injection")
    page = as_user(prescriber).get(_staff_url(patient))
    injection = page.context["timeline"].planned[0].key
    response = as_user(prescriber).get(_staff_url(patient, late=injection, late_days="5"))
    assert response.status_code == 200
    assert "5 days late" in response.context["comparison"].changes[0]


@pytest.mark.parametrize("query, message", [
    ({"miss": ["r999999"]}, "not in this window"),
    ({"late": "r999999", "late_days": "2"}, "not in this window"),
    ({"late_days": "3"}, "Choose an injection and say how many days late"),
    ({"late_days": "lots"}, "whole number"),
    ({"late_days": "99"}, "between 1 and 28"),
    ({"add_dose": "oral:73", "add_at": "2026-11-21T09:00"}, "Choose the added dose from the list"),
    ({"add_dose": "xr:380"}, "Choose the added dose and its date and time"),
    ({"add_dose": "oral:50", "add_at": "yesterday-ish"}, "Enter the date and time"),
    ({"add_dose": "oral:50", "add_at": "2027-06-01T09:00"}, "inside the window shown"),
    ({"add_dose": "oral:50", "add_at": "1999-01-01T09:00"}, "inside the window shown"),
    ({"add_dose": "", "add_at": ""}, "Choose at least one change"),
])
def test_bad_what_if_input_gets_a_clear_message_and_changes_nothing(as_user, patient, prescriber, daily_tablets,
                                                                    query, message):
    daily_tablets(patient)
    doses = Dose.objects.count()
    response = as_user(prescriber).get(_staff_url(patient, **query))
    assert response.status_code == 400
    assert message in _text(response)
    assert "The what-if was not compared." in _text(response)
    assert "comparison" not in response.context
    assert response.context["chart"]  # the record's own chart is still shown
    assert Dose.objects.count() == doses


def test_a_what_if_on_a_tablet_course_cannot_move_an_injection(as_user, patient, prescriber, daily_tablets):
    daily_tablets(patient)
    tablet = f"p{TODAY + dt.timedelta(days=1):%Y%m%d}o"
    response = as_user(prescriber).get(_staff_url(patient, late=tablet, late_days="2"))
    assert response.status_code == 400 and "not in this window" in _text(response)


def test_post_is_not_allowed(as_user, patient, prescriber, daily_tablets):
    daily_tablets(patient)
    assert as_user(prescriber).post(_staff_url(patient), {}).status_code == 405


# --- Menu ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona, shown", [
    ("patient", True), ("prescriber", False), ("nurse", False), ("moderator", False), ("clinic_admin", False),
])
def test_only_patients_get_my_protection_in_the_menu(rf, request, persona, shown):
    from naltrack.web.protection.nav import items

    user = request.getfixturevalue(persona)
    http = rf.get("/")
    http.user = user.user if persona == "patient" else user
    assert ("My protection" in [item.label for item in items(http)]) is shown
