"""Read markers (per member, per topic) and notifications being read."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from naltrack.web.accounts.models import User

from ..models import Member, Notification, ReadMarker, Topic


def mark_topic_read(member: Member, topic: Topic, up_to_post_id: int, *, now: dt.datetime | None = None) -> None:
    """Remember that ``member`` has seen ``topic`` up to ``up_to_post_id`` (markers never move back)."""
    now = now or timezone.now()
    updated = ReadMarker.objects.filter(member=member, topic=topic, last_read_post_id__lt=up_to_post_id).update(
        last_read_post_id=up_to_post_id, read_at=now)
    if updated or ReadMarker.objects.filter(member=member, topic=topic).exists():
        return
    try:
        with transaction.atomic():
            ReadMarker.objects.create(member=member, topic=topic, last_read_post_id=up_to_post_id, read_at=now)
    except IntegrityError:  # another tab created it first
        ReadMarker.objects.filter(member=member, topic=topic, last_read_post_id__lt=up_to_post_id).update(
            last_read_post_id=up_to_post_id, read_at=now)


def open_notification(user: User, notification_id: int, *, now: dt.datetime | None = None) -> Notification | None:
    """Mark one of the user's notifications read and return it (None when it is not theirs)."""
    notification = (Notification.objects.select_related("topic").filter(pk=notification_id, recipient__user=user)
                    .first())
    if notification is not None and notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_notifications_read(user: User, *, now: dt.datetime | None = None) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient__user=user, read_at__isnull=True).update(
        read_at=now or timezone.now())
