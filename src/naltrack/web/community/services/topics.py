"""Keeping a topic's counters true and telling participants about new replies."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from ..models import Member, Notification, NotificationKind, Post, PostStatus, Topic


def refresh_topic(topic: Topic) -> None:
    """Recount a topic's published replies, newest post and visibility from its posts."""
    published = Post.objects.filter(topic=topic, status=PostStatus.PUBLISHED)
    opening_published = published.filter(is_opening=True).exists()
    newest = published.aggregate(last_id=Max("id"), last_at=Max("published_at"))
    Topic.objects.filter(pk=topic.pk).update(
        is_published=opening_published,
        reply_count=published.filter(is_opening=False).count(),
        last_post_id=newest["last_id"],
        last_activity_at=newest["last_at"] or topic.created_at,
    )
    topic.refresh_from_db(fields=["is_published", "reply_count", "last_post_id", "last_activity_at"])


def notify_reply(post: Post, *, now: dt.datetime) -> None:
    """Tell the topic's author and everyone who has a published post in it about a new published reply."""
    topic = post.topic
    participant_ids = set(Post.objects.filter(topic=topic, status=PostStatus.PUBLISHED)
                          .values_list("author_id", flat=True))
    participant_ids.add(topic.author_id)
    participant_ids.discard(post.author_id)
    recipients = Member.objects.filter(pk__in=participant_ids)
    Notification.objects.bulk_create([
        Notification(recipient=recipient, kind=NotificationKind.REPLY, topic=topic, post=post, created_at=now,
                     text=f"{post.author.display_name} replied in “{topic.title}”.")
        for recipient in recipients
    ])
