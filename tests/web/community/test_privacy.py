"""Members post under pseudonyms only: real names and clinic names never show in forum HTML or API output."""

from __future__ import annotations

import pytest
from django.urls import reverse

from naltrack.web.community import services

from .conftest import NOW


@pytest.fixture
def named_author(clinic, make_patient, member_of, approved):
    patient = make_patient(clinic, given_name="Rosalind", family_name="Featherstonehaugh",
                           display_name="QuietHeron12")
    patient.user.first_name, patient.user.last_name = "Rosalind", "Featherstonehaugh"
    patient.user.save()
    return approved(member_of(patient.user, clinic))


def test_no_real_name_or_clinic_name_in_any_forum_page_or_api_answer(as_user, named_author, category, clinic,
                                                                     other_patient, moderator, reader):
    clinic.name = "Zebrawood Recovery Centre"
    clinic.save()
    outcome = services.start_topic(named_author, category, "Evenings", "Walking helps me.", now=NOW)
    topic = outcome.post.topic
    services.post_reply(named_author, topic, "Still going.", now=NOW)
    services.report_post(reader, outcome.post, "other", now=NOW)
    services.member_for(moderator, clinic.id)
    services.set_topic_lock(services.member_for(moderator, clinic.id), topic, locked=True, now=NOW)
    pages = [
        reverse("community:forum-detail", args=[clinic.id]),
        reverse("community:category-detail", args=[clinic.id, category.slug]),
        reverse("community:topic-detail", args=[topic.pk]),
        reverse("community:forum-search", args=[clinic.id]) + "?q=walking",
        reverse("community:post-detail", args=[outcome.post.pk]),
        reverse("community:notification-list"),
    ]
    api = [
        "/api/v1/community/categories", f"/api/v1/community/topics?category={category.slug}",
        f"/api/v1/community/topics/{topic.pk}/replies",
    ]
    moderator_pages = [
        reverse("community:queue-list", args=[clinic.id]), reverse("community:log-list", args=[clinic.id]),
        reverse("community:member-suspend", args=[named_author.pk]),
    ]
    seen = []
    for user, urls in [(other_patient.user, pages + api), (moderator, pages + api + moderator_pages)]:
        client = as_user(user)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            seen.append(response.content.decode())
    assert seen and all("QuietHeron12" in body for body in seen[:3])
    for body in seen:
        for secret in ("Rosalind", "Featherstonehaugh", "Zebrawood", clinic.slug, named_author.user.username):
            assert secret not in body


def test_api_output_carries_no_user_ids_or_usernames(as_user, named_author, category, other_patient):
    topic = services.start_topic(named_author, category, "Evenings", "Walking helps me.", now=NOW).post.topic
    body = as_user(other_patient.user).get(f"/api/v1/community/topics/{topic.pk}/replies").json()
    author = body["items"][0]["author"]
    assert author == {"display_name": "QuietHeron12", "kind": "patient", "is_moderator": False}
