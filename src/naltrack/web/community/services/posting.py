"""Starting topics, replying and reporting, with the safety rules and rate limits.

A member's post is checked before anyone else sees it:
- crisis or self-harm language (naltrack.clinical.triage) holds it, shows the author crisis resources
  at once and alerts every moderator of the forum (urgent in the queue);
- red-flag symptoms publish it, with a private notice to the author to contact their care team, and
  raise a flag for the patient's clinicians;
- an offer of prescription medicine without prescription, or a link to a pill seller, holds it;
- the first posts of a new member (no post approved yet) are held for review.
Staff (moderators and clinicians) post as professionals: their posts publish at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from naltrack.clinical.triage import Urgency, triage_text
from naltrack.web.accounts.access import own_patient
from naltrack.web.care.flags import raise_flag
from naltrack.web.care.models import FlagSeverity

from ..content import looks_like_seller, render_markup
from ..models import (
    Category,
    HoldReason,
    Member,
    Notification,
    NotificationKind,
    Post,
    PostStatus,
    Report,
    Topic,
)
from .errors import CommunityError, NotAllowed, RateLimited
from .members import moderators_of
from .topics import notify_reply, refresh_topic

POST_LIMIT = 5  # posts (topics and replies) per member ...
POST_WINDOW = dt.timedelta(minutes=10)  # ... in this window
REPORT_LIMIT = 10  # reports per member ...
REPORT_WINDOW = dt.timedelta(hours=1)  # ... in this window
REPORT_HOLD_THRESHOLD = 3  # open reports from different members hold a published post
TITLE_MIN, TITLE_MAX = 3, 140
BODY_MAX = 5000


@dataclass(frozen=True)
class PostOutcome:
    """What happened to a new post, for the page (or API) that answers its author."""

    post: Post
    is_held: bool
    is_crisis: bool
    is_red_flag: bool
    advice: tuple[str, ...]


def _check_can_post(member: Member, now: dt.datetime) -> None:
    if member.is_suspended(now):
        if member.suspended_indefinitely or member.suspended_until is None:
            raise NotAllowed("Your forum account is suspended, so you can read but not post or report.")
        last_day = member.suspended_through
        assert last_day is not None
        raise NotAllowed(f"Your forum account is suspended through {last_day.day} {last_day:%B %Y}, so you can "
                         "read but not post or report.")
    if member.is_staff_member:
        return
    recent = Post.objects.filter(author=member, created_at__gt=now - POST_WINDOW).count()
    if recent >= POST_LIMIT:
        raise RateLimited(f"You have posted {POST_LIMIT} times in the last {POST_WINDOW.seconds // 60} minutes. "
                          "Please wait a few minutes before posting again.")


def clean_body(body: str) -> str:
    if not isinstance(body, str) or not body.strip():
        raise CommunityError("Please write something before posting.")
    body = body.replace("\r\n", "\n").strip()
    if len(body) > BODY_MAX:
        raise CommunityError(f"Posts can be at most {BODY_MAX} characters long.")
    if "\x00" in body:
        raise CommunityError("The text contains characters that cannot be stored.")
    return body


def clean_title(title: str) -> str:
    title = " ".join(title.split()) if isinstance(title, str) else ""
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise CommunityError(f"A title needs {TITLE_MIN} to {TITLE_MAX} characters.")
    if "\x00" in title:
        raise CommunityError("The title contains characters that cannot be stored.")
    return title


def _lock_member(member: Member) -> Member:
    """The member re-read under a row lock: one member's posts are serialised, so the rate limit holds
    across processes and a suspension made a moment ago is seen."""
    return Member.objects.select_for_update().select_related("user").get(pk=member.pk)


def _new_post(member: Member, topic: Topic, body: str, *, is_opening: bool, text_for_checks: str,
              now: dt.datetime) -> PostOutcome:
    status, hold_reason, is_urgent = PostStatus.PUBLISHED, HoldReason.NONE, False
    advice: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    is_crisis = is_red_flag = False
    urgency = Urgency.NONE
    if not member.is_staff_member:
        patient = own_patient(member.user)
        triage = triage_text(text_for_checks, country=patient.country if patient else "US")
        codes, urgency = triage.codes, triage.urgency
        is_crisis = triage.is_crisis
        is_red_flag = triage.is_urgent and not is_crisis
        if is_crisis or is_red_flag:
            advice = triage.advice
        has_approved_post = Post.objects.filter(author=member, published_at__isnull=False).exists()
        if is_crisis:
            status, hold_reason, is_urgent = PostStatus.HELD, HoldReason.CRISIS, True
        elif looks_like_seller(text_for_checks):
            status, hold_reason = PostStatus.HELD, HoldReason.SELLER_LINK
        elif not has_approved_post:
            status, hold_reason = PostStatus.HELD, HoldReason.FIRST_POST
    post = Post.objects.create(
        clinic_id=member.clinic_id, topic=topic, author=member, is_opening=is_opening, body=body,
        body_html=render_markup(body), status=status, hold_reason=hold_reason, is_urgent=is_urgent,
        triage_codes=",".join(codes)[:200], safety_notice="\n".join(advice), created_at=now,
        published_at=now if status == PostStatus.PUBLISHED else None,
    )
    refresh_topic(topic)
    if status == PostStatus.PUBLISHED and not is_opening:
        notify_reply(post, now=now)
    if is_crisis:
        _alert_moderators(post, now=now)
    if is_crisis or is_red_flag:
        _flag_clinicians(member, codes, is_crisis=is_crisis, urgency=urgency)
    return PostOutcome(post=post, is_held=status == PostStatus.HELD, is_crisis=is_crisis,
                       is_red_flag=is_red_flag, advice=advice)


def _alert_moderators(post: Post, *, now: dt.datetime) -> None:
    Notification.objects.bulk_create([
        Notification(recipient=moderator, kind=NotificationKind.CRISIS, topic=post.topic, post=post,
                     is_urgent=True, created_at=now,
                     text=f"Urgent: a post by {post.author.display_name} in “{post.topic.title}” uses crisis "
                          "or self-harm language and is held for you.")
        for moderator in moderators_of(post.clinic_id) if moderator.pk != post.author_id
    ])


def _flag_clinicians(member: Member, codes: tuple[str, ...], *, is_crisis: bool, urgency: str) -> None:
    patient = own_patient(member.user)
    if patient is None:
        return
    if is_crisis:
        raise_flag(patient, kind="community_crisis", severity=FlagSeverity.EMERGENCY,
                   title="Crisis or self-harm language in a community post",
                   detail="The post is held for a forum moderator; the patient was shown crisis lines. "
                          f"Recognised: {', '.join(codes)}.",
                   source="S18", dedupe_key="community:crisis")
        return
    severity = FlagSeverity.EMERGENCY if urgency == Urgency.EMERGENCY else FlagSeverity.URGENT
    raise_flag(patient, kind="community_red_flag", severity=severity,
               title="Red-flag symptoms mentioned in a community post",
               detail=f"Recognised: {', '.join(codes)}. The patient was asked to contact the care team.",
               dedupe_key="community:red_flag")


def start_topic(member: Member, category: Category, title: str, body: str, *,
                now: dt.datetime | None = None) -> PostOutcome:
    """Open a topic with its first post in the member's forum."""
    now = now or timezone.now()
    title, body = clean_title(title), clean_body(body)
    with transaction.atomic():
        member = _lock_member(member)
        _check_can_post(member, now)
        topic = Topic.objects.create(clinic_id=member.clinic_id, category=category, author=member, title=title,
                                     created_at=now, last_activity_at=now)
        return _new_post(member, topic, body, is_opening=True, text_for_checks=f"{title}\n{body}", now=now)


def post_reply(member: Member, topic: Topic, body: str, *, now: dt.datetime | None = None) -> PostOutcome:
    """Reply to a topic of the member's forum (not to a locked one, unless a moderator)."""
    now = now or timezone.now()
    body = clean_body(body)
    if topic.clinic_id != member.clinic_id:
        raise NotAllowed("You can only reply in your own forum.")
    with transaction.atomic():
        member = _lock_member(member)
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if not topic.is_published and not member.is_moderator:
            raise NotAllowed("This topic is waiting for a moderator; replies open once it is approved.")
        if topic.is_locked and not member.is_moderator:
            raise NotAllowed("This topic is locked by a moderator: it can be read but not replied to.")
        _check_can_post(member, now)
        return _new_post(member, topic, body, is_opening=False, text_for_checks=body, now=now)


def report_post(member: Member, post: Post, reason: str, detail: str = "", *,
                now: dt.datetime | None = None) -> Report:
    """Report a post to the moderators; enough reports from different members hold it."""
    now = now or timezone.now()
    from ..models import ReportReason

    if reason not in ReportReason.values:
        raise CommunityError("Please choose a reason for the report.")
    if not isinstance(detail, str) or len(detail) > 500 or "\x00" in detail:
        raise CommunityError("The detail can be at most 500 characters.")
    if post.clinic_id != member.clinic_id:
        raise NotAllowed("You can only report posts in your own forum.")
    if post.author_id == member.pk:
        raise NotAllowed("You cannot report your own post.")
    if post.status != PostStatus.PUBLISHED:
        raise CommunityError("This post is already with the moderators.")
    with transaction.atomic():
        member = _lock_member(member)
        if member.is_suspended(now):
            raise NotAllowed("Your forum account is suspended, so you can read but not post or report.")
        recent = Report.objects.filter(reporter=member, created_at__gt=now - REPORT_WINDOW).count()
        if recent >= REPORT_LIMIT:
            raise RateLimited(f"You have sent {REPORT_LIMIT} reports in the last hour. Thank you — the "
                              "moderators will look at them; please wait before sending more.")
        try:
            with transaction.atomic():
                report = Report.objects.create(clinic_id=post.clinic_id, post=post, reporter=member,
                                               reason=reason, detail=detail.strip(), created_at=now)
        except IntegrityError:
            raise CommunityError("You have already reported this post; a moderator will look at it.") from None
        open_reports = Report.objects.filter(post=post, resolved_at__isnull=True).count()
        if open_reports >= REPORT_HOLD_THRESHOLD and not post.author.is_staff_member:
            Post.objects.filter(pk=post.pk).update(status=PostStatus.HELD, hold_reason=HoldReason.REPORTED)
            refresh_topic(post.topic)
    return report
