"""The community demo stage: a fictional forum with a queue, reproducible from the seed."""

from __future__ import annotations

import datetime as dt

import pytest

from naltrack.web.demo import DemoContext


def _build(seed):
    from naltrack.web.community import demo
    from naltrack.web.demo.stages import create_clinics, create_patients, create_staff

    context = DemoContext(seed=seed, today=dt.date(2026, 10, 5), patient_count=30)
    for stage in (create_clinics, create_staff, create_patients):
        stage(context)
    demo.build(context)
    return context


def _snapshot():
    from naltrack.web.community.models import Post

    return [(p.topic.title, p.author.display_name, p.body, p.status) for p in
            Post.objects.select_related("topic", "author").order_by("topic__title", "id")]


@pytest.mark.django_db
def test_the_demo_forum_has_topics_in_every_category_and_a_queue():
    from naltrack.web.community.models import Category, HoldReason, Post, PostStatus, Report, Topic
    from naltrack.web.community.queries import moderation_queue

    context = _build(2026)
    clinic = context.clinics[0]
    for category in Category.objects.all():
        assert Topic.objects.filter(clinic=clinic, category=category, is_published=True).exists(), category.slug
    queue = list(moderation_queue(clinic.id))
    assert {p.hold_reason for p in queue if p.status == PostStatus.HELD} == {HoldReason.FIRST_POST,
                                                                             HoldReason.SELLER_LINK}
    assert Report.objects.filter(post__in=[p for p in queue if p.status == PostStatus.PUBLISHED]).count() == 2
    assert Post.objects.filter(author__kind="moderator", status=PostStatus.PUBLISHED).count() >= 2
    for topic in Topic.objects.filter(is_published=True):
        assert topic.reply_count == topic.posts.filter(status="published", is_opening=False).count()


@pytest.mark.django_db
def test_the_demo_forum_is_reproducible():
    from django.db import transaction

    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            _build(7)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)  # the second build starts from an empty database again
    assert snapshots[0] and snapshots[0] == snapshots[1]
