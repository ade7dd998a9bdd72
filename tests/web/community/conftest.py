"""Forum fixtures: members of one clinic's forum, a topic with replies, and a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest

NOW = dt.datetime(2026, 10, 5, 14, 0, tzinfo=dt.UTC)


def ensure_categories():
    """The categories the data migration creates (a transactional test elsewhere may have flushed them)."""
    import importlib

    from naltrack.web.community.models import Category

    migration = importlib.import_module("naltrack.web.community.migrations.0002_create_categories")
    for position, (slug, name, description) in enumerate(migration.CATEGORIES, start=1):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "description": description,
                                                            "position": position})


@pytest.fixture(autouse=True)
def categories(request):
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        ensure_categories()


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def category(db):
    from naltrack.web.community.models import Category

    return Category.objects.get(slug="alcohol")


@pytest.fixture
def member_of(db):
    """``member_of(user, clinic)``: the user's forum identity in the clinic's forum."""
    from naltrack.web.community.services import member_for

    def make(user, clinic):
        return member_for(user, clinic.id)

    return make


@pytest.fixture
def author(patient, member_of, clinic):
    return member_of(patient.user, clinic)


@pytest.fixture
def reader(other_patient, member_of, clinic):
    return member_of(other_patient.user, clinic)


@pytest.fixture
def mod(moderator, member_of, clinic):
    moderator.first_name = "Wren"
    moderator.save()
    return member_of(moderator, clinic)


@pytest.fixture
def approved(db):
    """``approved(member)`` gives a member an approved post, so they are no longer 'new'."""
    from naltrack.web.community.models import Post, PostStatus, Topic

    def make(member, category_slug="milestones"):
        from naltrack.web.community.models import Category

        topic = Topic.objects.create(clinic_id=member.clinic_id, category=Category.objects.get(slug=category_slug),
                                     author=member, title="Earlier topic", is_published=True,
                                     created_at=NOW - dt.timedelta(days=30),
                                     last_activity_at=NOW - dt.timedelta(days=30))
        Post.objects.create(clinic_id=member.clinic_id, topic=topic, author=member, is_opening=True,
                            body="Earlier post", body_html="<p>Earlier post</p>", status=PostStatus.PUBLISHED,
                            created_at=NOW - dt.timedelta(days=30), published_at=NOW - dt.timedelta(days=30))
        return member

    return make


@pytest.fixture
def topic(author, approved, category):
    """A published topic opened by ``author`` (an established member)."""
    from naltrack.web.community.services import start_topic

    approved(author)
    outcome = start_topic(author, category, "Evenings are the hardest", "Any tips for *evenings*?",
                          now=NOW - dt.timedelta(hours=2))
    assert not outcome.is_held
    return outcome.post.topic
