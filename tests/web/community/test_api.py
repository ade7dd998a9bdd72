"""/api/v1/community/: the same rules, services and permission checks as the pages."""

from __future__ import annotations

import pytest

from naltrack.web.accounts.services import issue_api_token
from naltrack.web.community import services
from naltrack.web.community.models import Post, PostStatus, Report

BASE = "/api/v1/community"


@pytest.fixture
def api(client):
    """``api(user)``: a client sending that user's bearer token."""

    class Api:
        def __init__(self, user):
            _, plain = issue_api_token(user, "test")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}

        def get(self, url):
            return client.get(url, **self.headers)

        def post(self, url, data):
            return client.post(url, data, content_type="application/json", **self.headers)

    return Api


def test_the_community_endpoints_are_in_the_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/categories", "/topics", "/topics/{topic_id}/replies", "/posts/{post_id}/report"]:
        assert f"{BASE}{path}" in paths


def test_categories_list_the_six_with_counts(api, patient, topic):
    body = api(patient.user).get(f"{BASE}/categories").json()
    assert [c["slug"] for c in body] == ["alcohol", "opioids", "the-injection", "side-effects", "milestones",
                                         "family-and-friends"]
    assert {c["slug"]: c["topic_count"] for c in body}["alcohol"] == 1


def test_topics_list_and_create(api, patient, other_patient, topic):
    listing = api(other_patient.user).get(f"{BASE}/topics?category=alcohol").json()
    assert listing["count"] == 1 and listing["items"][0]["title"] == "Evenings are the hardest"
    response = api(other_patient.user).post(f"{BASE}/topics", {"category": "opioids", "title": "Hi all",
                                                                 "body": "First post"})
    assert response.status_code == 201
    body = response.json()
    assert body["held"] is True and body["post"]["status"] == "held"
    assert Post.objects.get(pk=body["post"]["id"]).status == PostStatus.HELD


def test_a_crisis_post_through_the_api_is_held_and_answers_with_resources(api, patient, topic):
    response = api(patient.user).post(f"{BASE}/topics/{topic.pk}/replies", {"body": "I want to kill myself"})
    body = response.json()
    assert response.status_code == 201 and body["crisis"] is True and body["held"] is True
    assert body["crisis_resources"]["emergency_number"] == "911"
    assert body["crisis_resources"]["crisis_line_number"] == "988"


def test_an_overdose_report_through_the_api_answers_with_what_to_do_now(api, patient, topic):
    response = api(patient.user).post(f"{BASE}/topics/{topic.pk}/replies",
                                      {"body": "I took some oxy and I'm nodding off"})
    body = response.json()
    assert response.status_code == 201 and body["red_flag"] is True and body["crisis"] is False
    assert body["advice"][0].startswith("This may be an opioid overdose: call 911 now.")


def test_replies_list_and_create(api, patient, other_patient, topic, mod):
    services.post_reply(mod, topic, "Welcome!")
    body = api(other_patient.user).get(f"{BASE}/topics/{topic.pk}/replies").json()
    assert [p["author"]["display_name"] for p in body["items"]] == [patient.display_name, mod.display_name]
    assert body["items"][1]["author"]["is_moderator"] is True
    response = api(patient.user).post(f"{BASE}/topics/{topic.pk}/replies", {"body": "Thanks *all*"})
    assert response.status_code == 201 and response.json()["post"]["body_html"] == "<p>Thanks <em>all</em></p>"


def test_report_through_the_api(api, other_patient, topic):
    post = topic.posts.get()
    response = api(other_patient.user).post(f"{BASE}/posts/{post.pk}/report", {"reason": "harmful"})
    assert response.status_code == 201
    assert Report.objects.get().reason == "harmful"
    again = api(other_patient.user).post(f"{BASE}/posts/{post.pk}/report", {"reason": "harmful"})
    assert again.status_code == 400 and "already reported" in again.json()["detail"]


@pytest.mark.parametrize("persona", ["foreign_prescriber", "foreign_patient"])
def test_another_clinics_users_get_404(api, persona, request, topic, clinic):
    value = request.getfixturevalue(persona)
    caller = api(getattr(value, "user", None) or value)
    post = topic.posts.get()
    assert caller.get(f"{BASE}/topics/{topic.pk}/replies").status_code == 404
    assert caller.get(f"{BASE}/categories?forum_id={clinic.id}").status_code == 404
    assert caller.get(f"{BASE}/topics?forum_id={clinic.id}").status_code == 404
    assert caller.post(f"{BASE}/topics/{topic.pk}/replies", {"body": "hi"}).status_code == 404
    assert caller.post(f"{BASE}/topics", {"forum_id": clinic.id, "category": "alcohol", "title": "Hey there",
                                          "body": "x"}).status_code == 404
    assert caller.post(f"{BASE}/posts/{post.pk}/report", {"reason": "spam"}).status_code == 404
    assert Post.objects.filter(topic=topic).count() == 1 and not Report.objects.exists()


def test_outsiders_get_404_and_anonymous_callers_401(api, outsider, client, topic):
    assert api(outsider).get(f"{BASE}/categories").status_code == 404
    assert client.get(f"{BASE}/categories").status_code == 401


def test_the_post_rate_limit_answers_429(api, author, patient, topic):
    for n in range(services.POST_LIMIT):
        Post.objects.create(clinic_id=topic.clinic_id, topic=topic, author=author, body=f"x{n}", body_html="x",
                            status=PostStatus.PUBLISHED)
    response = api(patient.user).post(f"{BASE}/topics/{topic.pk}/replies", {"body": "again"})
    assert response.status_code == 429 and "wait" in response.json()["detail"]


@pytest.mark.parametrize("payload", [
    {"category": "alcohol", "title": "ok title", "body": "x" * 5001},
    {"category": "alcohol", "title": "ab", "body": "x"},
    {"category": "alcohol", "title": 12, "body": ["x"]},
    {"category": "nope", "title": "ok title", "body": "x"},
    {"category": "alcohol", "title": "ok title", "body": "x", "forum_id": 10**12},
    {"category": "alcohol", "title": "ok title", "body": "x\x00"},
])
def test_bad_input_is_refused_and_changes_nothing(api, patient, topic, payload):
    before = Post.objects.count()
    response = api(patient.user).post(f"{BASE}/topics", payload)
    assert response.status_code in {400, 404, 422}
    assert Post.objects.count() == before


def test_a_hidden_reason_is_shown_to_the_author_only(api, patient, other_patient, moderator, mod, topic):
    post = services.post_reply(services.member_for(other_patient.user, topic.clinic_id), topic, "hi").post
    services.hide_post(mod, post, reason="Off topic")
    assert api(other_patient.user).get(f"{BASE}/topics/{topic.pk}/replies").json()["items"][1]["hidden_reason"] == \
        "Off topic"
    as_moderator = api(moderator).get(f"{BASE}/topics/{topic.pk}/replies").json()["items"]
    assert all(p["hidden_reason"] == "" for p in as_moderator)
