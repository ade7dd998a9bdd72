"""Who may read, post in and moderate which clinic's forum (the community's permission layer).

The forum is per clinic. Its members are the clinic's patients who have a login, its moderators
(Capability.MODERATE) and its clinical staff (Capability.VIEW_CHART). Clinic admins manage people,
not the forum. Someone outside a forum gets 404 for anything in it (its existence is not revealed);
a member who lacks a right (a patient opening the moderation queue) gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from naltrack.web.accounts.access import Capability, clinic_ids_with, own_patient
from naltrack.web.accounts.models import User

from .models import Member, MemberKind, Post, PostStatus, Topic


def forum_ids(user: User) -> list[int]:
    """The clinic ids whose forum ``user`` belongs to, in a stable order."""
    if not user.is_authenticated or not user.is_active:
        return []
    ids = clinic_ids_with(user, Capability.MODERATE) | clinic_ids_with(user, Capability.VIEW_CHART)
    patient = own_patient(user)
    if patient is not None and patient.is_active:
        ids.add(patient.clinic_id)
    return sorted(ids)


def member_kind(user: User, clinic_id: int) -> str | None:
    """How ``user`` takes part in ``clinic_id``'s forum, or None when they do not."""
    if not user.is_authenticated or not user.is_active:
        return None
    if clinic_id in clinic_ids_with(user, Capability.MODERATE):
        return MemberKind.MODERATOR
    patient = own_patient(user)
    if patient is not None and patient.is_active and patient.clinic_id == clinic_id:
        return MemberKind.PATIENT
    if clinic_id in clinic_ids_with(user, Capability.VIEW_CHART):
        return MemberKind.CARE_TEAM
    return None


def is_forum_member(user: User, clinic_id: int) -> bool:
    return member_kind(user, clinic_id) is not None


def can_moderate(user: User, clinic_id: int) -> bool:
    return member_kind(user, clinic_id) == MemberKind.MODERATOR


def require_forum(user: User, clinic_id: int) -> str:
    """The user's kind in this forum, or 404 when they are not one of its members."""
    kind = member_kind(user, clinic_id)
    if kind is None:
        raise Http404("No such forum.")
    return kind


def require_moderator(user: User, clinic_id: int) -> None:
    """404 outside the forum; 403 for a member who is not one of its moderators."""
    if require_forum(user, clinic_id) != MemberKind.MODERATOR:
        raise PermissionDenied("Only the forum's moderators can do this.")


def can_see_post(user: User, post: Post) -> bool:
    """Published posts are for every member; held and hidden ones for their author and moderators."""
    if post.status == PostStatus.PUBLISHED:
        return True
    return post.author.user_id == user.id or can_moderate(user, post.clinic_id)


def open_topic(user: User, topic_id: int) -> Topic:
    """A topic the user may read, or 404 (another clinic's forum, or an unpublished topic of another)."""
    topic = Topic.objects.select_related("category", "author").filter(pk=topic_id).first()
    if topic is None or not is_forum_member(user, topic.clinic_id):
        raise Http404("No such topic.")
    if not topic.is_published and topic.author.user_id != user.id and not can_moderate(user, topic.clinic_id):
        raise Http404("No such topic.")
    return topic


def open_post(user: User, post_id: int) -> Post:
    """A post the user may see, or 404."""
    post = Post.objects.select_related("topic", "author", "topic__category").filter(pk=post_id).first()
    if post is None or not is_forum_member(user, post.clinic_id) or not can_see_post(user, post):
        raise Http404("No such post.")
    return post


def open_member(user: User, member_id: int) -> Member:
    """A forum member for a moderator of their forum (404 outside it, 403 for non-moderators)."""
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member.")
    require_moderator(user, member.clinic_id)
    return member
