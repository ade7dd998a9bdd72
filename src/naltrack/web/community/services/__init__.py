"""Forum actions (verbs). Views and the API call these; they own transactions, logs and notifications."""

from .errors import CommunityError, RateLimited
from .members import display_name_for, member_for
from .moderation import approve_post, edit_post, hide_post, lift_suspension, set_topic_lock, suspend_member
from .posting import (
    POST_LIMIT,
    POST_WINDOW,
    REPORT_HOLD_THRESHOLD,
    REPORT_LIMIT,
    REPORT_WINDOW,
    PostOutcome,
    post_reply,
    report_post,
    start_topic,
)
from .reading import mark_all_notifications_read, mark_topic_read, open_notification

__all__ = [
    "POST_LIMIT", "POST_WINDOW", "REPORT_HOLD_THRESHOLD", "REPORT_LIMIT", "REPORT_WINDOW",
    "CommunityError", "PostOutcome", "RateLimited",
    "approve_post", "display_name_for", "edit_post", "hide_post", "lift_suspension",
    "mark_all_notifications_read", "mark_topic_read", "member_for", "open_notification", "post_reply",
    "report_post", "set_topic_lock", "start_topic", "suspend_member",
]
