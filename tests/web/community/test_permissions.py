"""Who reaches what: members of the clinic's forum read and post; moderators moderate; another
clinic's staff and members get 404; patients get 403 on moderation; clinic admins and outsiders stay out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from naltrack.web.community import services
from naltrack.web.community.models import ModerationAction, Post, PostStatus, Report

from .conftest import NOW


@pytest.fixture
def foreign_moderator(other_clinic, make_staff):
    return make_staff(other_clinic, "moderator", title="Nurse")


def _member_pages(topic):
    post = topic.posts.get()
    return [
        reverse("community:forum-detail", args=[topic.clinic_id]),
        reverse("community:category-detail", args=[topic.clinic_id, topic.category.slug]),
        reverse("community:topic-create", args=[topic.clinic_id, topic.category.slug]),
        reverse("community:topic-detail", args=[topic.pk]),
        reverse("community:forum-search", args=[topic.clinic_id]) + "?q=evening",
        reverse("community:post-detail", args=[post.pk]),
        reverse("community:post-report", args=[post.pk]),
    ]


def _moderator_pages(topic, member):
    post = topic.posts.get()
    return [
        reverse("community:queue-list", args=[topic.clinic_id]),
        reverse("community:log-list", args=[topic.clinic_id]),
        reverse("community:post-hide", args=[post.pk]),
        reverse("community:post-edit", args=[post.pk]),
        reverse("community:member-suspend", args=[member.pk]),
    ]


@pytest.mark.parametrize("persona", ["other_patient", "moderator", "prescriber", "counsellor"])
def test_members_of_the_clinics_forum_read_its_pages(persona, request, as_user, topic):
    value = request.getfixturevalue(persona)
    client = as_user(getattr(value, "user", None) or value)
    for url in _member_pages(topic):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


@pytest.mark.parametrize("persona", ["foreign_prescriber", "foreign_moderator", "foreign_patient"])
def test_another_clinics_staff_and_members_get_404_everywhere(persona, request, as_user, topic, author):
    value = request.getfixturevalue(persona)
    client = as_user(getattr(value, "user", None) or value)
    for url in _member_pages(topic) + _moderator_pages(topic, author):
        assert client.get(url).status_code == 404, url
    post = topic.posts.get()
    posts_before = Post.objects.count()
    for url, data in [
        (reverse("community:reply-create", args=[topic.pk]), {"body": "hi"}),
        (reverse("community:topic-create", args=[topic.clinic_id, "alcohol"]), {"title": "hey", "body": "hi"}),
        (reverse("community:post-report", args=[post.pk]), {"reason": "spam"}),
        (reverse("community:post-approve", args=[post.pk]), {}),
        (reverse("community:post-hide", args=[post.pk]), {"reason": "x"}),
        (reverse("community:post-edit", args=[post.pk]), {"body": "x"}),
        (reverse("community:topic-lock", args=[topic.pk]), {"locked": "on"}),
        (reverse("community:member-suspend", args=[author.pk]), {"reason": "x"}),
        (reverse("community:member-lift", args=[author.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert Post.objects.count() == posts_before
    assert not Report.objects.exists() and not ModerationAction.objects.exists()
    post.refresh_from_db()
    assert post.body == "Any tips for *evenings*?" and post.status == PostStatus.PUBLISHED


@pytest.mark.parametrize("persona", ["other_patient", "prescriber"])
def test_members_who_are_not_moderators_get_403_on_moderation(persona, request, as_user, topic, author):
    value = request.getfixturevalue(persona)
    client = as_user(getattr(value, "user", None) or value)
    for url in _moderator_pages(topic, author):
        assert client.get(url).status_code == 403, url
    post = topic.posts.get()
    assert client.post(reverse("community:post-hide", args=[post.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("community:topic-lock", args=[topic.pk]), {"locked": "on"}).status_code == 403
    assert client.get(reverse("community:moderation-index")).status_code == 403
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_the_moderator_reaches_every_moderation_page(as_user, moderator, topic, author):
    client = as_user(moderator)
    for url in _moderator_pages(topic, author):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("community:moderation-index"))["Location"] == reverse(
        "community:queue-list", args=[topic.clinic_id])


@pytest.mark.parametrize("persona", ["clinic_admin", "outsider"])
def test_clinic_admins_and_outsiders_are_not_forum_members(persona, request, as_user, topic):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse("community:forum-index")).status_code == 404
    assert client.get(reverse("community:notification-list")).status_code == 403
    for url in _member_pages(topic):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_log_in(client, topic):
    for url in _member_pages(topic):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_held_posts_are_visible_to_their_author_and_moderators_only(as_user, author, category, patient,
                                                                     other_patient, moderator):
    post = services.start_topic(author, category, "Held one", "waiting", now=NOW).post
    for user, status in [(patient.user, 200), (moderator, 200), (other_patient.user, 404)]:
        assert as_user(user).get(reverse("community:topic-detail", args=[post.topic_id])).status_code == status
        assert as_user(user).get(reverse("community:post-detail", args=[post.pk])).status_code == status


def test_a_member_cannot_report_a_held_post_by_guessing_its_id(as_user, author, category, other_patient):
    post = services.start_topic(author, category, "Held one", "waiting", now=NOW).post
    response = as_user(other_patient.user).post(reverse("community:post-report", args=[post.pk]), {"reason": "spam"})
    assert response.status_code == 404 and not Report.objects.exists()


def test_a_staff_member_of_two_clinics_chooses_a_forum(as_user, make_staff, clinic, other_clinic):
    from naltrack.web.accounts.models import Membership

    nurse = make_staff(clinic, "nurse")
    Membership.objects.create(user=nurse, clinic=other_clinic, role="nurse")
    body = as_user(nurse).get(reverse("community:forum-index")).content.decode()
    assert reverse("community:forum-detail", args=[clinic.id]) in body
    assert reverse("community:forum-detail", args=[other_clinic.id]) in body


def test_staff_appear_under_first_name_and_title_with_a_badge(as_user, mod, topic, other_patient, make_staff,
                                                              clinic):
    services.post_reply(mod, topic, "Evenings: plan something for 6pm.", now=NOW)
    counsellor = make_staff(clinic, "counsellor", title="Addiction counsellor")
    counsellor.first_name = "Ines"
    counsellor.save()
    services.post_reply(services.member_for(counsellor, clinic.id), topic, "Agreed.", now=NOW)
    body = as_user(other_patient.user).get(reverse("community:topic-detail", args=[topic.pk])).content.decode()
    assert "Wren — Mental health nurse" in body and "Moderator · healthcare professional" in body
    assert "Ines — Addiction counsellor" in body and "Care team" in body
    assert mod.user.last_name not in body and counsellor.last_name not in body
