"""The moderation workflow: hold → approve / hide with a reason the author sees → edit note → lock →
suspend, each action in the log that moderators (only) can read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from naltrack.web.accounts.models import AuditEvent
from naltrack.web.community import services
from naltrack.web.community.models import (
    Member,
    ModerationAction,
    Notification,
    NotificationKind,
    Post,
    PostStatus,
    Report,
    Topic,
)

from .conftest import NOW


@pytest.fixture
def held(author, category):
    """A new member's first topic, held for review."""
    return services.start_topic(author, category, "My first week", "Hello, first week here.", now=NOW).post


def test_the_queue_lists_held_posts_for_the_moderator(as_user, moderator, mod, held):
    response = as_user(moderator).get(reverse("community:queue-list", args=[held.clinic_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hello, first week here." in body and "First post of a new member" in body


def test_crisis_posts_come_first_in_the_queue_marked_urgent(as_user, moderator, mod, held, topic, author):
    crisis = services.post_reply(author, topic, "I want to end it all.", now=NOW + dt.timedelta(minutes=1)).post
    body = as_user(moderator).get(reverse("community:queue-list", args=[held.clinic_id])).content.decode()
    assert body.index("Urgent: crisis language") < body.index("Hello, first week here.")
    assert body.index("I want to end it all.") < body.index("Hello, first week here.")
    assert crisis.is_urgent


def test_approving_from_the_queue_publishes_and_tells_the_author(as_user, moderator, mod, held, other_patient):
    response = as_user(moderator).post(reverse("community:post-approve", args=[held.pk]), {"next": "queue"})
    assert response.status_code == 302 and response["Location"] == reverse("community:queue-list",
                                                                          args=[held.clinic_id])
    held.refresh_from_db()
    assert held.status == PostStatus.PUBLISHED and held.published_at is not None
    assert Topic.objects.get(pk=held.topic_id).is_published
    assert Notification.objects.filter(recipient=held.author, kind=NotificationKind.APPROVED).exists()
    action = ModerationAction.objects.get(kind="approve")
    assert action.moderator == mod and action.post == held
    assert AuditEvent.objects.filter(actor=moderator, target=f"forum post {held.pk}").exists()
    body = as_user(other_patient.user).get(reverse("community:topic-detail", args=[held.topic_id])).content.decode()
    assert "Hello, first week here." in body


def test_once_approved_a_member_is_no_longer_held(author, mod, held, category):
    services.approve_post(mod, held, now=NOW)
    assert not services.start_topic(author, category, "Second", "Next one", now=NOW).is_held


def test_hiding_needs_a_reason_which_the_author_sees(as_user, moderator, mod, topic, patient, other_patient):
    post = topic.posts.get()
    response = as_user(moderator).post(reverse("community:post-hide", args=[post.pk]), {"reason": ""})
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    as_user(moderator).post(reverse("community:post-hide", args=[post.pk]), {"reason": "Shares a phone number"})
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN and post.hidden_reason == "Shares a phone number"
    mine = as_user(patient.user).get(reverse("community:post-detail", args=[post.pk])).content.decode()
    assert "Shares a phone number" in mine
    assert Notification.objects.get(recipient__user=patient.user, kind=NotificationKind.HIDDEN).text.endswith(
        "Reason: Shares a phone number")
    assert as_user(other_patient.user).get(reverse("community:topic-detail", args=[topic.pk])).status_code == 404


def test_an_edited_post_says_a_moderator_edited_it(as_user, moderator, mod, topic, other_patient):
    post = topic.posts.get()
    response = as_user(moderator).post(reverse("community:post-edit", args=[post.pk]),
                                       {"body": "Any tips for evenings? [removed link]", "title": "Evenings",
                                        "reason": "Removed a link"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body.endswith("[removed link]") and post.edited_by == mod
    assert Topic.objects.get(pk=topic.pk).title == "Evenings"
    body = as_user(other_patient.user).get(reverse("community:topic-detail", args=[topic.pk])).content.decode()
    assert "Edited by a moderator" in body
    assert ModerationAction.objects.filter(kind="edit", reason="Removed a link").exists()


def test_locking_a_topic_stops_replies(as_user, moderator, mod, topic, other_patient, reader, approved):
    approved(reader)
    as_user(moderator).post(reverse("community:topic-lock", args=[topic.pk]), {"locked": "on", "reason": "Done"})
    assert Topic.objects.get(pk=topic.pk).is_locked
    client = as_user(other_patient.user)
    page = client.get(reverse("community:topic-detail", args=[topic.pk])).content.decode()
    assert "locked this topic" in page and 'id="reply"' not in page
    response = client.post(reverse("community:reply-create", args=[topic.pk]), {"body": "hello"})
    assert response.status_code == 400 and not Post.objects.filter(body="hello").exists()
    as_user(moderator).post(reverse("community:topic-lock", args=[topic.pk]), {})
    assert not Topic.objects.get(pk=topic.pk).is_locked
    assert list(ModerationAction.objects.order_by("at", "id").values_list("kind", flat=True)) == ["lock", "unlock"]


def test_suspending_a_member_with_an_end_date(as_user, moderator, mod, reader, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    url = reverse("community:member-suspend", args=[reader.pk])
    assert as_user(moderator).get(url).status_code == 200
    response = as_user(moderator).post(url, {"until": "2026-10-31", "reason": "Selling"})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.is_suspended() and reader.suspended_through == dt.date(2026, 10, 31)
    assert Notification.objects.filter(recipient=reader, kind=NotificationKind.SUSPENDED).exists()
    as_user(moderator).post(reverse("community:member-lift", args=[reader.pk]), {"reason": "Appeal"})
    reader.refresh_from_db()
    assert not reader.is_suspended()


def test_suspending_indefinitely_and_refusing_bad_dates(as_user, moderator, mod, reader, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    url = reverse("community:member-suspend", args=[reader.pk])
    for until in ["2026-10-04", "2001-01-01", "not-a-date", "2040-01-01", "9999-12-31"]:
        response = as_user(moderator).post(url, {"until": until, "reason": "x"})
        assert response.status_code == 400, until
    assert not Member.objects.get(pk=reader.pk).is_suspended()
    as_user(moderator).post(url, {"until": "", "reason": "Threats"})
    reader.refresh_from_db()
    assert reader.suspended_indefinitely and reader.is_suspended(NOW + dt.timedelta(days=10000))


def test_staff_cannot_be_suspended(mod, make_staff, clinic):
    colleague = services.member_for(make_staff(clinic, "nurse"), clinic.id)
    with pytest.raises(services.CommunityError):
        services.suspend_member(mod, colleague, until=None, reason="x", now=NOW)


def test_approving_a_reported_post_closes_its_reports(mod, reader, topic):
    post = topic.posts.get()
    services.report_post(reader, post, "harmful", "Sounds like medical advice", now=NOW)
    services.approve_post(mod, post, reason="Fine: personal experience", now=NOW)
    assert not Report.objects.filter(resolved_at__isnull=True).exists()


def test_the_log_shows_every_action_to_moderators_only(as_user, moderator, mod, topic, reader, patient):
    services.set_topic_lock(mod, topic, locked=True, reason="Heated", now=NOW)
    services.suspend_member(mod, reader, until=None, reason="Abuse", now=NOW)
    url = reverse("community:log-list", args=[topic.clinic_id])
    body = as_user(moderator).get(url).content.decode()
    assert "Heated" in body and "Abuse" in body and "Locked topic" in body and "Suspended member" in body
    assert as_user(patient.user).get(url).status_code == 403


def test_a_non_moderator_service_call_is_refused(reader, topic):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.hide_post(reader, topic.posts.get(), reason="no", now=NOW)
    assert topic.posts.get().status == PostStatus.PUBLISHED


def test_a_moderator_of_another_clinic_cannot_moderate_here(foreign_moderator_member, topic):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.hide_post(foreign_moderator_member, topic.posts.get(), reason="no", now=NOW)


@pytest.fixture
def foreign_moderator_member(other_clinic, make_staff):
    return services.member_for(make_staff(other_clinic, "moderator", title="Nurse"), other_clinic.id)


def test_clinic_admins_see_their_forums_moderation_log_read_only_in_the_admin(client, clinic_admin, mod, topic,
                                                                              other_clinic, make_staff):
    services.set_topic_lock(mod, topic, locked=True, reason="Heated thread", now=NOW)
    foreign_mod = services.member_for(make_staff(other_clinic, "moderator"), other_clinic.id)
    foreign_topic = services.start_topic(foreign_mod, topic.category, "Elsewhere", "x", now=NOW).post.topic
    services.set_topic_lock(foreign_mod, foreign_topic, locked=True, reason="Other clinic", now=NOW)
    client.force_login(clinic_admin, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get("/django-admin/community/moderationaction/").content.decode()
    assert "Heated thread" in body and "Other clinic" not in body
    action = ModerationAction.objects.get(reason="Heated thread")
    response = client.post(f"/django-admin/community/moderationaction/{action.pk}/change/", {"reason": "changed"})
    assert response.status_code == 403
    assert ModerationAction.objects.get(pk=action.pk).reason == "Heated thread"
