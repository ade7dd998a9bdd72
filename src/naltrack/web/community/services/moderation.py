"""What moderators (healthcare professionals) do: approve, hide, edit, lock, suspend — each one logged.

Every action writes a ModerationAction (who, what, which post/topic/member, why, when), visible to the
forum's moderators, and an audit event for the clinic's audit log. The author hears about decisions on
their posts through a notification; a hidden post's reason is shown to its author.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from naltrack.web.accounts.models import AuditAction
from naltrack.web.accounts.services import record_audit_event

from ..content import render_markup
from ..models import (
    Member,
    ModerationAction,
    ModerationKind,
    Notification,
    NotificationKind,
    Post,
    PostStatus,
    Report,
    Topic,
)
from .errors import CommunityError
from .posting import clean_body, clean_title
from .topics import notify_reply, refresh_topic

REASON_MAX = 300
LONGEST_SUSPENSION = dt.timedelta(days=3650)


def _check_moderator(moderator: Member, clinic_id: int) -> None:
    if not moderator.is_moderator or moderator.clinic_id != clinic_id:
        raise PermissionDenied("Only the forum's moderators can do this.")


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = " ".join(reason.split()) if isinstance(reason, str) else ""
    if required and not reason:
        raise CommunityError("Please give a reason; the member will see it.")
    if len(reason) > REASON_MAX or "\x00" in reason:
        raise CommunityError(f"The reason can be at most {REASON_MAX} characters.")
    return reason


def _log(moderator: Member, kind: str, *, reason: str, now: dt.datetime, post: Post | None = None,
         topic: Topic | None = None, member: Member | None = None) -> ModerationAction:
    action = ModerationAction.objects.create(clinic_id=moderator.clinic_id, moderator=moderator, kind=kind,
                                             post=post, topic=topic, member=member, reason=reason, at=now)
    target = f"forum post {post.pk}" if post else f"forum topic {topic.pk}" if topic else f"forum member {member.pk}"  # type: ignore[union-attr]
    record_audit_event(actor=moderator.user, patient=None, clinic=moderator.clinic,
                       action=AuditAction.UPDATE, target=target,
                       detail=f"community {kind}" + (f": {reason}" if reason else ""))
    return action


def _notify(member: Member, kind: str, text: str, *, post: Post | None, now: dt.datetime) -> None:
    Notification.objects.create(recipient=member, kind=kind, text=text[:300], post=post,
                                topic=post.topic if post else None, created_at=now)


def _resolve_reports(post: Post, now: dt.datetime) -> None:
    Report.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now)


@transaction.atomic
def approve_post(moderator: Member, post: Post, *, reason: str = "", now: dt.datetime | None = None) -> Post:
    """Publish a held post (or keep a reported one), closing its reports."""
    now = now or timezone.now()
    _check_moderator(moderator, post.clinic_id)
    reason = _clean_reason(reason, required=False)
    post = Post.objects.select_for_update().select_related("topic", "author").get(pk=post.pk)
    was_held = post.status != PostStatus.PUBLISHED
    was_never_published = post.published_at is None
    post.status = PostStatus.PUBLISHED
    post.published_at = post.published_at or now
    post.hidden_reason = ""
    post.save(update_fields=["status", "published_at", "hidden_reason"])
    _resolve_reports(post, now)
    refresh_topic(post.topic)
    _log(moderator, ModerationKind.APPROVE, reason=reason, now=now, post=post, topic=post.topic)
    if was_held:
        _notify(post.author, NotificationKind.APPROVED,
                f"A moderator approved your post in “{post.topic.title}”; it is now visible to the forum.",
                post=post, now=now)
    if was_never_published and not post.is_opening:
        notify_reply(post, now=now)
    return post


@transaction.atomic
def hide_post(moderator: Member, post: Post, *, reason: str, now: dt.datetime | None = None) -> Post:
    """Hide a post from the forum; its author sees the reason."""
    now = now or timezone.now()
    _check_moderator(moderator, post.clinic_id)
    reason = _clean_reason(reason, required=True)
    post = Post.objects.select_for_update().select_related("topic", "author").get(pk=post.pk)
    post.status = PostStatus.HIDDEN
    post.hidden_reason = reason
    post.save(update_fields=["status", "hidden_reason"])
    _resolve_reports(post, now)
    refresh_topic(post.topic)
    _log(moderator, ModerationKind.HIDE, reason=reason, now=now, post=post, topic=post.topic)
    _notify(post.author, NotificationKind.HIDDEN,
            f"A moderator hid your post in “{post.topic.title}”. Reason: {reason}", post=post, now=now)
    return post


@transaction.atomic
def edit_post(moderator: Member, post: Post, *, body: str, title: str | None = None, reason: str = "",
              now: dt.datetime | None = None) -> Post:
    """Change a post's text (and its topic's title for an opening post); the post shows the edit."""
    now = now or timezone.now()
    _check_moderator(moderator, post.clinic_id)
    body = clean_body(body)
    reason = _clean_reason(reason, required=False)
    post = Post.objects.select_for_update().select_related("topic", "author").get(pk=post.pk)
    post.body, post.body_html = body, render_markup(body)
    post.edited_by, post.edited_at = moderator, now
    post.save(update_fields=["body", "body_html", "edited_by", "edited_at"])
    if title is not None and post.is_opening:
        post.topic.title = clean_title(title)
        post.topic.save(update_fields=["title"])
    _log(moderator, ModerationKind.EDIT, reason=reason, now=now, post=post, topic=post.topic)
    if post.author_id != moderator.pk:
        _notify(post.author, NotificationKind.EDITED,
                f"A moderator edited your post in “{post.topic.title}”." + (f" Reason: {reason}" if reason else ""),
                post=post, now=now)
    return post


@transaction.atomic
def set_topic_lock(moderator: Member, topic: Topic, *, locked: bool, reason: str = "",
                   now: dt.datetime | None = None) -> Topic:
    """Lock a topic (readable, no new replies) or unlock it."""
    now = now or timezone.now()
    _check_moderator(moderator, topic.clinic_id)
    reason = _clean_reason(reason, required=False)
    Topic.objects.filter(pk=topic.pk).update(is_locked=locked)
    topic.is_locked = locked
    _log(moderator, ModerationKind.LOCK if locked else ModerationKind.UNLOCK, reason=reason, now=now, topic=topic)
    return topic


def _end_of_day(day: dt.date, time_zone: str) -> dt.datetime:
    """The first instant after ``day`` in the clinic's time zone (the suspension runs through ``day``)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zoneinfo.ZoneInfo(time_zone))


@transaction.atomic
def suspend_member(moderator: Member, member: Member, *, until: dt.date | None, reason: str,
                   now: dt.datetime | None = None) -> Member:
    """Suspend a member through ``until`` (inclusive), or indefinitely when None: they can still read."""
    now = now or timezone.now()
    _check_moderator(moderator, member.clinic_id)
    reason = _clean_reason(reason, required=True)
    if member.is_staff_member:
        raise CommunityError("Staff cannot be suspended from the forum; ask a clinic admin about their role.")
    ends_at = None
    if until is not None:
        ends_at = _end_of_day(until, member.clinic.time_zone)
        if ends_at <= now:
            raise CommunityError("The end date must be in the future.")
        if ends_at - now > LONGEST_SUSPENSION:
            raise CommunityError("A suspension can last at most ten years; leave the date empty for an "
                                 "indefinite one.")
    member = Member.objects.select_for_update().get(pk=member.pk)
    member.suspended_until = ends_at
    member.suspended_indefinitely = ends_at is None
    member.suspension_reason = reason
    member.save(update_fields=["suspended_until", "suspended_indefinitely", "suspension_reason"])
    _log(moderator, ModerationKind.SUSPEND, reason=reason, now=now, member=member)
    how_long = f"through {until.day} {until:%B %Y}" if until else "until a moderator lifts it"
    _notify(member, NotificationKind.SUSPENDED,
            f"A moderator suspended your forum account {how_long}: you can still read. Reason: {reason}",
            post=None, now=now)
    return member


@transaction.atomic
def lift_suspension(moderator: Member, member: Member, *, reason: str = "",
                    now: dt.datetime | None = None) -> Member:
    """End a member's suspension now."""
    now = now or timezone.now()
    _check_moderator(moderator, member.clinic_id)
    reason = _clean_reason(reason, required=False)
    Member.objects.filter(pk=member.pk).update(suspended_until=None, suspended_indefinitely=False,
                                               suspension_reason="")
    member.refresh_from_db()
    _log(moderator, ModerationKind.LIFT, reason=reason, now=now, member=member)
    return member
