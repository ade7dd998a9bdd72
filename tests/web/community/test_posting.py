"""Posting rules: new members held, crisis held with resources, red flags published with a notice and a
flag, seller links held, rate limits, locked topics and suspensions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from naltrack.web.care.models import Flag
from naltrack.web.community import services
from naltrack.web.community.models import HoldReason, Notification, NotificationKind, Post, PostStatus, Report

from .conftest import NOW


def test_a_new_members_first_post_is_held_for_review(author, category):
    outcome = services.start_topic(author, category, "Hello everyone", "First week on naltrexone.", now=NOW)
    post = Post.objects.get(pk=outcome.post.pk)
    assert outcome.is_held and post.status == PostStatus.HELD and post.hold_reason == HoldReason.FIRST_POST
    assert not post.topic.is_published


def test_an_established_members_post_is_published_at_once(author, approved, category):
    approved(author)
    outcome = services.start_topic(author, category, "Week two", "Feeling steadier.", now=NOW)
    assert not outcome.is_held
    assert Post.objects.get(pk=outcome.post.pk).status == PostStatus.PUBLISHED


def test_a_moderators_post_is_published_at_once(mod, category):
    outcome = services.start_topic(mod, category, "Welcome", "Welcome to the forum.", now=NOW)
    assert outcome.post.status == PostStatus.PUBLISHED and outcome.post.topic.is_published


def test_crisis_language_holds_the_post_alerts_moderators_and_flags_the_clinicians(author, approved, mod, topic,
                                                                                   patient, make_staff, clinic):
    second_mod = make_staff(clinic, "moderator", title="Counsellor")
    services.member_for(second_mod, clinic.id)
    outcome = services.post_reply(author, topic, "I can't do this anymore, I want to end my life.", now=NOW)
    post = Post.objects.get(pk=outcome.post.pk)
    assert outcome.is_crisis and outcome.is_held
    assert post.status == PostStatus.HELD and post.hold_reason == HoldReason.CRISIS and post.is_urgent
    assert "988" in " ".join(outcome.advice)
    alerts = Notification.objects.filter(kind=NotificationKind.CRISIS, post=post, is_urgent=True)
    assert {n.recipient.user for n in alerts} == {mod.user, second_mod}
    flag = Flag.objects.get(patient=patient, kind="community_crisis")
    assert flag.severity == "emergency"
    assert "want to end" not in flag.detail  # the chart gets the fact, not the words


def test_crisis_post_is_not_visible_to_other_members(as_user, author, topic, other_patient):
    services.post_reply(author, topic, "I keep thinking about killing myself.", now=NOW)
    body = as_user(other_patient.user).get(reverse("community:topic-detail", args=[topic.id])).content.decode()
    assert "killing myself" not in body


def test_the_author_of_a_crisis_post_sees_crisis_resources_at_once(as_user, patient, topic):
    response = as_user(patient.user).post(reverse("community:reply-create", args=[topic.id]),
                                          {"body": "Honestly I want to die tonight."}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "You don&#x27;t have to face this alone" in body or "You don't have to face this alone" in body
    assert "988" in body and "911" in body
    assert "does not replace, your care team" in body


def test_crisis_resources_follow_the_authors_country(as_user, make_patient, other_clinic, make_staff, approved,
                                                     category):
    british = make_patient(other_clinic, country="GB")
    member = approved(services.member_for(british.user, other_clinic.id))
    topic = services.start_topic(member, category, "Hard week", "Hard week.", now=NOW).post.topic
    outcome = services.post_reply(member, topic, "I want to kill myself", now=NOW)
    body = as_user(british.user).get(reverse("community:post-detail", args=[outcome.post.pk])).content.decode()
    assert "116 123" in body and "999" in body and "988" not in body


def test_red_flag_symptoms_publish_with_a_private_notice_and_a_flag(as_user, author, topic, patient, other_patient):
    outcome = services.post_reply(author, topic, "My eyes have gone yellow and my pee is dark since Monday.", now=NOW)
    post = Post.objects.get(pk=outcome.post.pk)
    assert post.status == PostStatus.PUBLISHED and outcome.is_red_flag and not outcome.is_crisis
    assert Flag.objects.filter(patient=patient, kind="community_red_flag", severity="urgent").exists()
    mine = as_user(patient.user).get(reverse("community:topic-detail", args=[topic.id])).content.decode()
    assert "Only you can see this note" in mine and "Contact your prescriber or clinic today" in mine
    theirs = as_user(other_patient.user).get(reverse("community:topic-detail", args=[topic.id])).content.decode()
    assert "eyes have gone yellow" in theirs and "Only you can see this note" not in theirs


def test_opioid_use_with_drowsiness_is_an_emergency_red_flag_like_any_other(as_user, author, topic, patient,
                                                                           other_patient, mod):
    """Possible opioid overdose (S46, S49): published with the private what-to-do-now note and an emergency flag
    for the clinicians, like the other emergencies; only crisis language holds a post and alerts moderators."""
    outcome = services.post_reply(author, topic, "I used heroin after my shot and feel very drowsy", now=NOW)
    post = Post.objects.get(pk=outcome.post.pk)
    assert outcome.is_red_flag and not outcome.is_crisis and post.status == PostStatus.PUBLISHED
    assert post.triage_codes == "opioid_overdose_signs" and not post.is_urgent
    assert outcome.advice[0] == post.safety_lines[0] == (
        "This may be an opioid overdose: call 911 now. If it is you, call now and do not stay alone; if it is "
        "someone else, stay with them until help arrives.")
    flag = Flag.objects.get(patient=patient, kind="community_red_flag")
    assert flag.severity == "emergency" and "opioid_overdose_signs" in flag.detail and "heroin" not in flag.detail
    assert not Notification.objects.filter(kind=NotificationKind.CRISIS).exists()
    mine = as_user(patient.user).get(reverse("community:post-detail", args=[post.pk])).content.decode()
    assert "This may be an opioid overdose: call 911 now." in mine and "Only you can see this note" in mine
    theirs = as_user(other_patient.user).get(reverse("community:topic-detail", args=[topic.id])).content.decode()
    assert "This may be an opioid overdose" not in theirs


def test_opioid_use_alone_is_an_urgent_red_flag(author, topic, patient):
    outcome = services.post_reply(author, topic, "I relapsed on fentanyl last night after missing my tablets",
                                  now=NOW)
    assert outcome.is_red_flag and not outcome.is_held
    assert outcome.advice[0].startswith("Contact your prescriber or clinic today.")
    assert Flag.objects.get(patient=patient, kind="community_red_flag").severity == "urgent"


@pytest.mark.parametrize("body", [
    "I used heroin for 10 years before starting the shot. Six months clean now!",
    "Has anyone used heroin on vivitrol? How long does the block last?",
    "I have not used any opioids since my first injection.",
])
def test_history_questions_and_negations_about_opioids_raise_no_flag(author, topic, body):
    outcome = services.post_reply(author, topic, body, now=NOW)
    assert not outcome.is_red_flag and not outcome.is_held
    assert not Flag.objects.exists()


def test_a_crisis_post_about_an_overdose_is_held_and_the_card_keeps_the_overdose_steps(as_user, author, topic,
                                                                                        patient, mod):
    outcome = services.post_reply(author, topic, "I want to end it all. I took a lot of heroin and I'm nodding off",
                                  now=NOW)
    post = Post.objects.get(pk=outcome.post.pk)
    assert outcome.is_crisis and post.status == PostStatus.HELD and post.hold_reason == HoldReason.CRISIS
    assert Notification.objects.filter(kind=NotificationKind.CRISIS, post=post, recipient=mod).exists()
    assert Flag.objects.get(patient=patient, kind="community_crisis").severity == "emergency"
    card = as_user(patient.user).get(reverse("community:post-detail", args=[post.pk])).content.decode()
    # The card shows the numbers, then the advice after its first line: the overdose steps must be among them.
    assert "988" in card and "911" in card
    assert "This may be an opioid overdose" in card and "Do not take any more opioids" in card


def test_a_staff_post_with_symptom_words_raises_no_flag(mod, topic):
    services.post_reply(mod, topic, "If your eyes turn yellow or your urine goes dark, call the clinic today.",
                        now=NOW)
    assert not Flag.objects.exists()


def test_a_seller_link_is_held_for_review(author, approved, topic):
    approved(author)
    outcome = services.post_reply(author, topic, "Buy naltrexone online cheap, no rx: https://rx-deals.example",
                                  now=NOW)
    post = Post.objects.get(pk=outcome.post.pk)
    assert post.status == PostStatus.HELD and post.hold_reason == HoldReason.SELLER_LINK


def test_posting_is_rate_limited_from_the_database(author, topic):
    for n in range(services.POST_LIMIT):
        services.post_reply(author, topic, f"Reply {n}", now=NOW + dt.timedelta(seconds=n))
    with pytest.raises(services.RateLimited, match="wait a few minutes"):
        services.post_reply(author, topic, "One too many", now=NOW + dt.timedelta(minutes=1))
    later = NOW + services.POST_WINDOW + dt.timedelta(seconds=30)
    assert services.post_reply(author, topic, "Later on", now=later).post.pk
    assert Post.objects.filter(author=author, body="One too many").count() == 0


def test_the_rate_limit_shows_a_clear_message_on_the_page(as_user, patient, author, topic):
    for n in range(services.POST_LIMIT):
        Post.objects.create(clinic_id=topic.clinic_id, topic=topic, author=author, body=f"x{n}", body_html="x",
                            status=PostStatus.PUBLISHED)
    response = as_user(patient.user).post(reverse("community:reply-create", args=[topic.id]), {"body": "more"})
    assert response.status_code == 400
    assert "Please wait a few minutes" in response.content.decode()
    assert not Post.objects.filter(body="more").exists()


def test_reports_are_rate_limited(reader, author, topic, now):
    posts = [Post.objects.create(clinic_id=topic.clinic_id, topic=topic, author=author, body=f"post {n}",
                                 body_html="x", status=PostStatus.PUBLISHED) for n in range(services.REPORT_LIMIT + 1)]
    for post in posts[:-1]:
        services.report_post(reader, Post.objects.get(pk=post.pk), "spam", now=now)
    with pytest.raises(services.RateLimited):
        services.report_post(reader, Post.objects.get(pk=posts[-1].pk), "spam", now=now)
    assert Report.objects.filter(reporter=reader).count() == services.REPORT_LIMIT


def test_enough_reports_hold_a_post(topic, make_patient, clinic, member_of):
    post = topic.posts.get()
    for _ in range(services.REPORT_HOLD_THRESHOLD):
        services.report_post(member_of(make_patient(clinic).user, clinic), post, "harmful", now=NOW)
    post.refresh_from_db()
    assert post.status == PostStatus.HELD and post.hold_reason == HoldReason.REPORTED


def test_a_member_cannot_report_their_own_post_or_twice(author, reader, topic):
    post = topic.posts.get()
    with pytest.raises(services.CommunityError, match="your own post"):
        services.report_post(author, post, "spam", now=NOW)
    services.report_post(reader, post, "spam", now=NOW)
    with pytest.raises(services.CommunityError, match="already reported"):
        services.report_post(reader, post, "abuse", now=NOW)
    assert Report.objects.count() == 1


def test_a_report_needs_a_known_reason(reader, topic):
    with pytest.raises(services.CommunityError):
        services.report_post(reader, topic.posts.get(), "<script>", now=NOW)


def test_nobody_but_a_moderator_replies_to_a_locked_topic(reader, approved, mod, topic):
    approved(reader)
    services.set_topic_lock(mod, topic, locked=True, now=NOW)
    with pytest.raises(services.CommunityError, match="locked"):
        services.post_reply(reader, topic, "Me too", now=NOW)
    assert services.post_reply(mod, topic, "Locking this now; see the new thread.", now=NOW).post.pk


def test_a_suspended_member_can_read_but_not_post_or_report(as_user, other_patient, reader, approved, mod, topic):
    approved(reader)
    services.suspend_member(mod, reader, until=None, reason="Repeated abuse", now=NOW)
    client = as_user(other_patient.user)
    assert client.get(reverse("community:topic-detail", args=[topic.id])).status_code == 200
    response = client.post(reverse("community:reply-create", args=[topic.id]), {"body": "hi"})
    assert response.status_code == 400 and "suspended" in response.content.decode()
    response = client.post(reverse("community:post-report", args=[topic.posts.get().pk]), {"reason": "spam"})
    assert response.status_code == 400 and "suspended" in response.content.decode()
    assert not Post.objects.filter(body="hi").exists() and not Report.objects.exists()


def test_a_suspension_ends_on_its_date(reader, approved, mod, topic):
    approved(reader)
    services.suspend_member(mod, reader, until=dt.date(2026, 10, 7), reason="Cooling off", now=NOW)
    with pytest.raises(services.CommunityError, match="through 7 October 2026"):
        services.post_reply(reader, topic, "still here", now=NOW + dt.timedelta(days=1))
    assert services.post_reply(reader, topic, "back", now=NOW + dt.timedelta(days=3)).post.pk


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001, "nul\x00byte"])
def test_bad_post_bodies_are_refused_and_change_nothing(author, topic, body):
    with pytest.raises(services.CommunityError):
        services.post_reply(author, topic, body, now=NOW)
    assert topic.posts.count() == 1


@pytest.mark.parametrize("title", ["", "ab", "t" * 141])
def test_bad_titles_are_refused(author, category, title):
    with pytest.raises(services.CommunityError):
        services.start_topic(author, category, title, "body", now=NOW)


def test_the_new_topic_form_refuses_bad_input_with_messages(as_user, patient, clinic):
    url = reverse("community:topic-create", args=[clinic.id, "alcohol"])
    response = as_user(patient.user).post(url, {"title": "ab", "body": "x" * 6000})
    assert response.status_code == 400
    body = response.content.decode()
    assert "errorlist" in body
    assert not Post.objects.exists()


def test_a_reply_to_a_topic_waiting_for_review_is_refused(reader, author, category):
    topic = services.start_topic(author, category, "Pending", "pending", now=NOW).post.topic
    with pytest.raises(services.CommunityError, match="waiting for a moderator"):
        services.post_reply(reader, topic, "hi", now=NOW)
