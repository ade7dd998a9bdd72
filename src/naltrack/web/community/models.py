"""The peer forum: categories, topics, posts, reports, moderation log, read markers and notifications.

There is one forum per clinic (``clinic`` on every row): members see and post in their own clinic's
forum and its moderators moderate it. Members appear only under a forum identity (``Member``): a
patient's pseudonymous display name, or a staff member's first name and professional title.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import models
from django.utils import timezone

from naltrack.web.accounts.models import Clinic, User


class Category(models.Model):
    """A subject area of every clinic's forum (created by a data migration)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class MemberKind(models.TextChoices):
    PATIENT = "patient", "Member"
    MODERATOR = "moderator", "Moderator"
    CARE_TEAM = "care_team", "Care team"


class Member(models.Model):
    """One person's identity in one clinic's forum: what others see instead of their name."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="forum_members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="forum_members")
    kind = models.CharField(max_length=10, choices=MemberKind.choices)
    display_name = models.CharField(max_length=120, help_text="Pseudonym, or 'First name — title' for staff.")
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspended_indefinitely = models.BooleanField(default=False)
    suspension_reason = models.CharField(max_length=300, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "user"], name="one_forum_identity_per_clinic")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_staff_member(self) -> bool:
        return self.kind != MemberKind.PATIENT

    @property
    def is_moderator(self) -> bool:
        return self.kind == MemberKind.MODERATOR

    @property
    def suspended_through(self) -> dt.date | None:
        """The last day of a dated suspension, in the clinic's time zone."""
        if self.suspended_until is None:
            return None
        local = self.suspended_until.astimezone(zoneinfo.ZoneInfo(self.clinic.time_zone))
        return (local - dt.timedelta(microseconds=1)).date()

    def is_suspended(self, now: dt.datetime | None = None) -> bool:
        if self.suspended_indefinitely:
            return True
        return self.suspended_until is not None and self.suspended_until > (now or timezone.now())


class Topic(models.Model):
    """A conversation in one category of one clinic's forum; its first post is its opening post."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="forum_topics")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=140)
    is_published = models.BooleanField(default=False, help_text="Its opening post is published.")
    is_locked = models.BooleanField(default=False)
    reply_count = models.PositiveIntegerField(default=0, help_text="Published replies.")
    last_post_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="Newest published post.")
    last_activity_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [models.Index(fields=["clinic", "category", "is_published", "-last_activity_at"])]

    def __str__(self) -> str:
        return self.title


class PostStatus(models.TextChoices):
    HELD = "held", "Waiting for a moderator"
    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden by a moderator"


class HoldReason(models.TextChoices):
    NONE = "", "—"
    FIRST_POST = "first_post", "First post of a new member"
    CRISIS = "crisis", "Crisis or self-harm language"
    SELLER_LINK = "seller_link", "Looks like an offer of medicine without prescription"
    REPORTED = "reported", "Reported by several members"


class Post(models.Model):
    """A topic's opening post or a reply. The source text is stored; ``body_html`` is its sanitised
    rendering (the small markup, passed through nh3), refreshed whenever the source changes."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="forum_posts")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="posts")
    is_opening = models.BooleanField(default=False)
    body = models.TextField(max_length=5000)
    body_html = models.TextField()
    status = models.CharField(max_length=10, choices=PostStatus.choices)
    hold_reason = models.CharField(max_length=12, choices=HoldReason.choices, blank=True)
    is_urgent = models.BooleanField(default=False, help_text="Crisis language: moderators look first.")
    triage_codes = models.CharField(max_length=200, blank=True)
    safety_notice = models.TextField(blank=True, help_text="Private advice shown only to the author.")
    hidden_reason = models.CharField(max_length=300, blank=True, help_text="Shown to the author.")
    edited_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="edited_posts")
    edited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["topic", "status", "id"]),
            models.Index(fields=["clinic", "status"]),
            models.Index(fields=["author", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.topic_id}"

    @property
    def triage_labels(self) -> str:
        """What triage recognised, in words (for moderators): 'self harm, dark urine'."""
        return ", ".join(code.replace("_", " ") for code in self.triage_codes.split(",") if code)

    @property
    def safety_lines(self) -> list[str]:
        return [line for line in self.safety_notice.splitlines() if line.strip()]


class ReportReason(models.TextChoices):
    HARMFUL = "harmful", "Harmful or unsafe advice"
    SELLING = "selling", "Selling or offering medicine or drugs"
    ABUSE = "abuse", "Abusive, hateful or harassing"
    PRIVACY = "privacy", "Shares someone's real name or private details"
    WORRIED = "worried", "I am worried about the person who wrote it"
    SPAM = "spam", "Spam or advertising"
    OTHER = "other", "Something else"


class Report(models.Model):
    """A member's report of a post, for a moderator to look at."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="forum_reports")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=10, choices=ReportReason.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_member_and_post")]

    def __str__(self) -> str:
        return f"Report of post {self.post_id}: {self.get_reason_display()}"


class ModerationKind(models.TextChoices):
    APPROVE = "approve", "Approved"
    HIDE = "hide", "Hid"
    EDIT = "edit", "Edited"
    LOCK = "lock", "Locked topic"
    UNLOCK = "unlock", "Unlocked topic"
    SUSPEND = "suspend", "Suspended member"
    LIFT = "lift", "Lifted suspension"


class ModerationAction(models.Model):
    """The moderation log: who did what, to which post, topic or member, why and when."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="forum_moderation")
    moderator = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="moderation_done")
    kind = models.CharField(max_length=8, choices=ModerationKind.choices)
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation")
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation")
    member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="moderation_received")
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.moderator} {self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"


class ReadMarker(models.Model):
    """The newest post of a topic a member has seen (everything after it is unread)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="read_markers")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_markers")
    last_read_post_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "topic"], name="one_read_marker_per_topic")]

    def __str__(self) -> str:
        return f"{self.member} read {self.topic_id} up to {self.last_read_post_id}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", "New reply"
    APPROVED = "approved", "Your post was approved"
    HIDDEN = "hidden", "Your post was hidden"
    EDITED = "edited", "Your post was edited by a moderator"
    SUSPENDED = "suspended", "You were suspended"
    CRISIS = "crisis", "Urgent: a post needs a moderator"
    HELD = "held", "A post is waiting for review"


class Notification(models.Model):
    """Something in the forum for one member to see (a reply, a moderator's decision, a crisis post)."""

    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    text = models.CharField(max_length=300, help_text="Plain text; pseudonyms only.")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    is_urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text
