"""The forum in a real browser: a member posts, a moderator approves it from the queue, another member
replies; a crisis post is held and its author sees crisis resources at once."""

from __future__ import annotations

import datetime as dt

import pytest

from naltrack.web.community.models import Post, PostStatus

from .conftest import DESKTOP, PHONE, log_in, menu_link

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "lantern-meadow-copper-73"


@pytest.fixture(autouse=True)
def categories(db):
    """Other browser tests flush the database; put back the categories the data migration made."""
    from tests.web.community.conftest import ensure_categories

    ensure_categories()


def _with_password(user, first_name=""):
    user.set_password(PASSWORD)
    if first_name:
        user.first_name = first_name
    user.save()
    return user


@pytest.fixture
def newcomer(clinic, make_patient):
    patient = make_patient(clinic, given_name="Imogen", family_name="Thistlewood", display_name="SilverFinch21")
    _with_password(patient.user)
    return patient


@pytest.fixture
def regular(clinic, make_patient):
    """A member with an approved post already (not 'new')."""
    from naltrack.web.community.models import Category, Topic
    from naltrack.web.community.services import member_for

    patient = make_patient(clinic, given_name="Bartholomew", family_name="Quince", display_name="MossyOak8")
    _with_password(patient.user)
    member = member_for(patient.user, clinic.id)
    earlier = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)
    topic = Topic.objects.create(clinic=clinic, category=Category.objects.get(slug="milestones"), author=member,
                                 title="Two weeks in", is_published=True, created_at=earlier,
                                 last_activity_at=earlier)
    Post.objects.create(clinic=clinic, topic=topic, author=member, is_opening=True, body="Two weeks today.",
                        body_html="<p>Two weeks today.</p>", status=PostStatus.PUBLISHED, created_at=earlier,
                        published_at=earlier)
    return patient


@pytest.fixture
def forum_moderator(clinic, make_staff):
    return _with_password(make_staff(clinic, "moderator", username="mod.browser", title="Mental health nurse"),
                          first_name="Wren")


def test_a_post_is_approved_from_the_queue_and_another_member_replies(page_for, screenshot, newcomer, regular,
                                                                      forum_moderator):
    # A new member starts a topic on a phone; it waits for a moderator.
    page = page_for(PHONE)
    log_in(page, newcomer.user.username, PASSWORD)
    menu_link(page, "Community").click()
    assert page.get_by_role("heading", name="Community", exact=True).is_visible()
    screenshot(page, "community-forum-phone")
    page.get_by_role("link", name="Alcohol", exact=True).click()
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill("Evenings are hard")
    page.get_by_label("Your post").fill("Week one on *naltrexone*. Evenings are hard — what helps you?")
    screenshot(page, "community-new-topic-phone")
    page.get_by_role("button", name="Post topic").click()
    assert page.get_by_text("Waiting for a moderator.").is_visible()
    assert page.get_by_text("Thank you for your first post!").is_visible()
    screenshot(page, "community-first-post-held-phone")
    post = Post.objects.get(topic__title="Evenings are hard")
    assert post.status == PostStatus.HELD

    # The moderator approves it from the queue.
    mod_page = page_for(DESKTOP)
    log_in(mod_page, "mod.browser", PASSWORD)
    mod_page.get_by_role("link", name="Moderation (1)").click()
    assert mod_page.get_by_role("heading", name="Moderation queue").is_visible()
    assert mod_page.get_by_text("First post of a new member").is_visible()
    screenshot(mod_page, "community-moderation-queue")
    mod_page.get_by_role("button", name="Approve the post by SilverFinch21").click()
    assert mod_page.get_by_text("Nothing is waiting. Thank you.").is_visible()
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED

    # Another member finds it (marked new) and replies.
    other = page_for(PHONE)
    log_in(other, regular.user.username, PASSWORD)
    menu_link(other, "Community").click()
    other.get_by_role("link", name="Evenings are hard").click()
    other.get_by_label("Your reply").fill("A walk after dinner helps me. You've got this.")
    other.get_by_role("button", name="Post reply").click()
    assert other.get_by_text("Your post is published.").is_visible()
    assert other.get_by_text("A walk after dinner helps me.").is_visible()
    screenshot(other, "community-topic-with-reply-phone")
    assert Post.objects.filter(topic=post.topic, status=PostStatus.PUBLISHED).count() == 2
    for name in ("Imogen", "Thistlewood", "Bartholomew", "Quince"):
        assert name not in other.locator("main").inner_text()

    # The first member is notified of the reply.
    page.goto("/community/notifications/")
    assert page.get_by_text("MossyOak8 replied in “Evenings are hard”.").is_visible()
    screenshot(page, "community-notifications-phone")


def test_a_crisis_post_is_held_and_the_author_sees_crisis_resources(page_for, screenshot, regular, forum_moderator):
    page = page_for(PHONE)
    log_in(page, regular.user.username, PASSWORD)
    page.goto("/community/")
    page.get_by_role("link", name="Two weeks in").click()
    page.get_by_label("Your reply").fill("I don't see the point any more. I want to end my life.")
    page.get_by_role("button", name="Post reply").click()
    assert page.get_by_role("heading", name="Thank you for telling us. You don't have to face this alone.").is_visible()
    assert page.get_by_text("988 Suspected").count() == 0
    assert page.get_by_text("988 Suicide & Crisis Lifeline: 988").is_visible()
    assert page.get_by_text("Emergency: 911").is_visible()
    screenshot(page, "community-crisis-resources-phone")
    post = Post.objects.get(body__contains="end my life")
    assert post.status == PostStatus.HELD and post.is_urgent

    mod_page = page_for(DESKTOP)
    log_in(mod_page, "mod.browser", PASSWORD)
    mod_page.goto("/community/moderation/")
    assert mod_page.get_by_text("Urgent: crisis language").is_visible()
    screenshot(mod_page, "community-queue-urgent")
