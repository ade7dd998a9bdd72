"""The reminder calendar and the support person's link: content, privacy and revocation."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from icalendar import Calendar

from naltrack.web.care import services
from naltrack.web.care.models import CalendarFeed

from .conftest import TODAY


def _feed_path(body: str) -> str:
    return re.search(r"http://testserver(/care/feed/[^<\s]+/reminders\.ics)", body).group(1)


def test_the_reminder_feed_lists_the_next_60_days_of_doses(as_user, client, start_course, patient):
    start_course(patient, start=TODAY - dt.timedelta(days=3))
    body = as_user(patient.user).post(reverse("care:calendar-feed"), {"action": "issue"}).content.decode()
    client.logout()
    response = client.get(_feed_path(body))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    days = sorted(event.decoded("dtstart") for event in events)
    assert days[0] == TODAY and days[-1] == TODAY + dt.timedelta(days=59) and len(days) == 60
    assert all(str(event["summary"]) == "naltrack: naltrexone dose" for event in events)
    assert patient.family_name not in response.content.decode()


def test_the_reminder_feed_shows_injection_appointments_from_the_last_one_given(client, start_course, patient,
                                                                               nurse):
    start_course(patient, "xr-injection", indication="opioid", start=TODAY - dt.timedelta(days=10))
    services.record_injection(patient, by=nurse, day=TODAY - dt.timedelta(days=10), site="left gluteal", lot="A1",
                              expires_on=TODAY + dt.timedelta(days=200))
    token = services.issue_calendar_feed(patient)
    response = client.get(reverse("care:feed-reminders", args=[token]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [TODAY + dt.timedelta(days=18), TODAY + dt.timedelta(days=46)]
    assert "injection appointment" in str(events[0]["summary"])


def test_regenerating_the_feed_revokes_the_old_address(client, start_course, patient):
    start_course(patient)
    old = services.issue_calendar_feed(patient)
    new = services.issue_calendar_feed(patient)
    assert client.get(reverse("care:feed-reminders", args=[old])).status_code == 404
    assert client.get(reverse("care:feed-reminders", args=[new])).status_code == 200
    services.revoke_calendar_feed(patient)
    assert client.get(reverse("care:feed-reminders", args=[new])).status_code == 404
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 0
    assert client.get(reverse("care:feed-reminders", args=["x" * 500])).status_code == 404


def test_the_support_link_shows_only_missed_dose_notices_and_dies_when_revoked(as_user, client, start_course,
                                                                               patient, add_doses):
    episode = start_course(patient, start=TODAY - dt.timedelta(days=20))
    add_doses(episode, [TODAY - dt.timedelta(days=n) for n in range(1, 21) if n not in (3, 9)])
    patient_client = as_user(patient.user)
    body = patient_client.post(reverse("care:support-people"), {"name": "Alex", "relationship": "partner"}) \
        .content.decode()
    path = re.search(r"http://testserver(/care/support/[^<\s/]+/)", body).group(1)
    patient_client.logout()
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("Missed dose") == 2
    for private in (patient.given_name, patient.family_name, patient.record_number, "craving", "50 mg"):
        assert private not in text
    feed = Calendar.from_ical(client.get(path + "notices.ics").content)
    assert sorted(e.decoded("dtstart") for e in feed.walk("VEVENT")) == [TODAY - dt.timedelta(days=9),
                                                                         TODAY - dt.timedelta(days=3)]
    person = patient.support_people.get()
    as_user(patient.user).post(reverse("care:support-revoke", args=[person.id]))
    assert client.get(path).status_code == 404
    assert client.get(path + "notices.ics").status_code == 404


def test_a_patient_cannot_revoke_someone_elses_support_person(as_user, patient, other_patient):
    person, _ = services.add_support_person(patient, name="Sam", relationship="friend")
    as_user(other_patient.user).post(reverse("care:support-revoke", args=[person.id]))
    person.refresh_from_db()
    assert person.is_active


def test_an_empty_support_person_is_refused(as_user, patient):
    response = as_user(patient.user).post(reverse("care:support-people"), {"name": "", "relationship": ""})
    assert response.status_code == 422
    assert not patient.support_people.exists()
