"""Unread markers per member and topic, reply notifications, and the counts in the menu."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from naltrack.web.community import services
from naltrack.web.community.models import Notification, NotificationKind, ReadMarker

from .conftest import NOW


def _category_page(client, topic):
    url = reverse("community:category-detail", args=[topic.clinic_id, topic.category.slug])
    return client.get(url).content.decode()


def test_a_topic_is_unread_until_opened_and_again_after_a_new_reply(as_user, other_patient, reader, author, topic):
    client = as_user(other_patient.user)
    assert "New<span class=\"sr-only\"> posts since your last visit" in _category_page(client, topic)
    client.get(reverse("community:topic-detail", args=[topic.pk]))
    marker = ReadMarker.objects.get(member=reader, topic=topic)
    assert marker.last_read_post_id == topic.posts.get().pk
    assert "posts since your last visit" not in _category_page(client, topic)
    reply = services.post_reply(author, topic, "Update: better week.", now=NOW).post
    assert "posts since your last visit" in _category_page(client, topic)
    page = client.get(reverse("community:topic-detail", args=[topic.pk])).content.decode()
    assert page.count('<span class="badge warn">New</span>') == 1  # only the new reply is marked
    assert ReadMarker.objects.get(member=reader, topic=topic).last_read_post_id == reply.pk


def test_read_markers_are_per_member(as_user, other_patient, reader, make_patient, clinic, topic):
    as_user(other_patient.user).get(reverse("community:topic-detail", args=[topic.pk]))
    third = make_patient(clinic)
    assert "posts since your last visit" in _category_page(as_user(third.user), topic)


def test_a_read_marker_never_moves_back(reader, topic):
    services.mark_topic_read(reader, topic, 50, now=NOW)
    services.mark_topic_read(reader, topic, 10, now=NOW)
    assert ReadMarker.objects.get(member=reader, topic=topic).last_read_post_id == 50


def test_a_reply_notifies_the_topic_author_and_participants_but_not_the_replier(author, reader, approved, topic,
                                                                               mod):
    approved(reader)
    services.post_reply(reader, topic, "Me too.", now=NOW)
    services.post_reply(mod, topic, "Here is what helps many people.", now=NOW + dt.timedelta(minutes=1))
    to_author = Notification.objects.filter(recipient=author, kind=NotificationKind.REPLY)
    assert to_author.count() == 2
    assert Notification.objects.filter(recipient=reader, kind=NotificationKind.REPLY).count() == 1
    assert not Notification.objects.filter(recipient=mod).exists()


def test_a_held_reply_notifies_nobody_until_approved(author, reader, mod, topic):
    post = services.post_reply(reader, topic, "First time posting.", now=NOW).post
    assert not Notification.objects.filter(recipient=author).exists()
    services.approve_post(mod, post, now=NOW)
    assert Notification.objects.filter(recipient=author, kind=NotificationKind.REPLY).count() == 1


def test_the_menu_counts_unread_notifications_and_opening_one_reads_it(as_user, patient, author, reader, approved,
                                                                      topic):
    approved(reader)
    services.post_reply(reader, topic, "Hang in there.", now=NOW)
    client = as_user(patient.user)
    page = client.get(reverse("community:notification-list")).content.decode()
    assert "Notifications (1)" in page and "replied in “Evenings are the hardest”" in page
    notification = Notification.objects.get(recipient=author)
    response = client.get(reverse("community:notification-open", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "Notifications (1)" not in client.get(reverse("community:notification-list")).content.decode()


def test_mark_all_read(as_user, patient, author, reader, approved, topic):
    approved(reader)
    services.post_reply(reader, topic, "One", now=NOW)
    services.post_reply(reader, topic, "Two", now=NOW)
    as_user(patient.user).post(reverse("community:notification-read-all"))
    assert not Notification.objects.filter(recipient=author, read_at__isnull=True).exists()


def test_nobody_opens_another_members_notification(as_user, other_patient, author, reader, approved, topic):
    approved(reader)
    services.post_reply(reader, topic, "One", now=NOW)
    notification = Notification.objects.get(recipient=author)
    assert as_user(other_patient.user).get(
        reverse("community:notification-open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_menu_shows_community_to_members_and_moderation_with_its_count(as_user, patient, moderator, author,
                                                                           category, clinic_admin):
    services.start_topic(author, category, "Hello", "first post", now=NOW)
    patient_page = as_user(patient.user).get(reverse("community:forum-detail", args=[author.clinic_id]))
    assert ">Community<" in patient_page.content.decode() and "Moderation" not in patient_page.content.decode()
    mod_page = as_user(moderator).get(reverse("community:forum-detail", args=[author.clinic_id])).content.decode()
    assert "Moderation (1)" in mod_page
    admin_page = as_user(clinic_admin).get(reverse("accounts:account")).content.decode()
    assert ">Community<" not in admin_page


def test_the_topic_list_uses_a_constant_number_of_queries(as_user, other_patient, author, topic, category, mod,
                                                         django_assert_max_num_queries):
    client = as_user(other_patient.user)
    url = reverse("community:category-detail", args=[topic.clinic_id, category.slug])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(15):
        services.start_topic(mod, category, f"Topic number {n}", "text", now=NOW + dt.timedelta(minutes=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
