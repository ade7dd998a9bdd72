"""API endpoints of the community capability, mounted under /api/v1/community/.

Same rules as the pages: the same access checks (404 outside one's forum), the same services (safety
checks, holds, rate limits), and explicit schemas that carry pseudonyms only — never a real name, a
user id or a clinic's name.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from naltrack.clinical.emergency import contacts_for
from naltrack.web.accounts.access import own_patient
from naltrack.web.api.schemas import Error

from . import queries, services
from .access import can_moderate, forum_ids, open_post, open_topic
from .models import Category, Member, Post, Topic
from .services import CommunityError, PostOutcome

router = Router(tags=["community"])

ERRORS: dict[int, Any] = {400: Error, 403: Error, 404: Error, 429: Error}


class AuthorOut(Schema):
    display_name: str
    kind: str = Field(description="patient, moderator (a healthcare professional) or care_team")
    is_moderator: bool

    @staticmethod
    def resolve_is_moderator(obj: Member) -> bool:
        return obj.is_moderator


class CategoryOut(Schema):
    slug: str
    name: str
    description: str
    topic_count: int


class TopicOut(Schema):
    id: int
    category: str
    title: str
    author: AuthorOut
    reply_count: int
    is_locked: bool
    is_published: bool
    last_activity_at: dt.datetime

    @staticmethod
    def resolve_category(obj: Topic) -> str:
        return obj.category.slug


class PostOut(Schema):
    id: int
    topic_id: int
    is_opening: bool
    author: AuthorOut
    body: str = Field(description="The source text (the small Markdown subset).")
    body_html: str = Field(description="Sanitised HTML rendering of the body.")
    status: str
    edited_by_moderator: bool
    created_at: dt.datetime
    hidden_reason: str = Field(description="Why a moderator hid it; only its author sees this.")

    @staticmethod
    def resolve_edited_by_moderator(obj: Post) -> bool:
        return obj.edited_by_id is not None

    @staticmethod
    def resolve_hidden_reason(obj: Post, context: dict[str, Any]) -> str:
        return obj.hidden_reason if obj.author.user_id == context["request"].user.id else ""


class CrisisResources(Schema):
    emergency_number: str
    crisis_line_name: str
    crisis_line_number: str
    how: str


class PostResult(Schema):
    post: PostOut
    held: bool
    crisis: bool
    red_flag: bool
    advice: list[str] = Field(description="Private next steps for the author (red flags, crisis).")
    crisis_resources: CrisisResources | None
    message: str


class TopicIn(Schema):
    forum_id: int | None = Field(None, ge=1, le=2**31 - 1, description="Needed only for staff of several clinics.")
    category: str = Field(max_length=40)
    title: str = Field(min_length=3, max_length=140)
    body: str = Field(min_length=1, max_length=5000)


class ReplyIn(Schema):
    body: str = Field(min_length=1, max_length=5000)


class ReportIn(Schema):
    reason: str = Field(max_length=10, description="harmful, selling, abuse, privacy, worried, spam or other")
    detail: str = Field("", max_length=500)


class ReportOut(Schema):
    id: int
    post_id: int
    reason: str
    message: str


def _refusals(view: Callable[..., Any]) -> Callable[..., Any]:
    """Map the forum's one domain error to its HTTP status with the message."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except CommunityError as error:
            return Status(error.status_code, {"detail": error.message})

    return wrapper


def _forum(request: HttpRequest, forum_id: int | None) -> int:
    ids = forum_ids(request.user)  # type: ignore[arg-type]
    if forum_id is None:
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise Http404("No forum.")
        raise CommunityError("You belong to several forums: pass forum_id.")
    if forum_id not in ids:
        raise Http404("No such forum.")
    return forum_id


def _result(request: HttpRequest, outcome: PostOutcome) -> Status[dict[str, Any]]:
    resources = None
    if outcome.is_crisis:
        patient = own_patient(request.user)  # type: ignore[arg-type]
        contacts = contacts_for(patient.country if patient else None)
        resources = CrisisResources(emergency_number=contacts.emergency_number,
                                    crisis_line_name=contacts.crisis_line_name,
                                    crisis_line_number=contacts.crisis_line_number, how=contacts.crisis_phrase())
    if outcome.is_crisis:
        message = ("Thank you for telling us. Your post is safe with the moderators, who will read it soon. "
                   "Please reach out now: the crisis line and emergency number are in crisis_resources.")
    elif outcome.is_held:
        message = "Your post is waiting for a moderator."
    else:
        message = "Your post is published."
    # ninja validates this against PostResult with the request in its context (for PostOut's resolvers).
    return Status(201, {"post": outcome.post, "held": outcome.is_held, "crisis": outcome.is_crisis,
                 "red_flag": outcome.is_red_flag, "advice": list(outcome.advice), "crisis_resources": resources,
                 "message": message})


@router.get("/categories", response={200: list[CategoryOut], **ERRORS})
@_refusals
def list_categories(request: HttpRequest, forum_id: int | None = None) -> Any:
    """The forum's categories with their numbers of published topics."""
    return list(queries.categories_with_counts(_forum(request, forum_id)))


@router.get("/topics", response=list[TopicOut])
@paginate(LimitOffsetPagination)
def list_topics(request: HttpRequest, forum_id: int | None = None, category: str | None = None) -> QuerySet[Topic]:
    """Published topics (and the caller's own held ones), newest activity first."""
    try:
        clinic_id = _forum(request, forum_id)
    except CommunityError as error:
        raise Http404(error.message) from None
    category_obj = get_object_or_404(Category, slug=category) if category else None
    member = services.member_for(request.user, clinic_id)  # type: ignore[arg-type]
    return queries.topics_for(clinic_id, member, category_obj)


@router.post("/topics", response={201: PostResult, **ERRORS})
@_refusals
def create_topic(request: HttpRequest, payload: TopicIn) -> Any:
    """Start a topic; the answer says whether it is published or held, with any private advice."""
    clinic_id = _forum(request, payload.forum_id)
    category = get_object_or_404(Category, slug=payload.category)
    member = services.member_for(request.user, clinic_id)  # type: ignore[arg-type]
    return _result(request, services.start_topic(member, category, payload.title, payload.body))


@router.get("/topics/{topic_id}/replies", response=list[PostOut])
@paginate(LimitOffsetPagination)
def list_replies(request: HttpRequest, topic_id: int) -> QuerySet[Post]:
    """A topic's posts the caller may see (its opening post first)."""
    topic = open_topic(request.user, topic_id)  # type: ignore[arg-type]
    return queries.posts_for(topic, request.user, is_moderator=can_moderate(request.user, topic.clinic_id))  # type: ignore[arg-type]


@router.post("/topics/{topic_id}/replies", response={201: PostResult, **ERRORS})
@_refusals
def create_reply(request: HttpRequest, topic_id: int, payload: ReplyIn) -> Any:
    """Reply to a topic."""
    topic = open_topic(request.user, topic_id)  # type: ignore[arg-type]
    member = services.member_for(request.user, topic.clinic_id)  # type: ignore[arg-type]
    return _result(request, services.post_reply(member, topic, payload.body))


@router.post("/posts/{post_id}/report", response={201: ReportOut, **ERRORS})
@_refusals
def report(request: HttpRequest, post_id: int, payload: ReportIn) -> Any:
    """Report a post to the forum's moderators."""
    post = open_post(request.user, post_id)  # type: ignore[arg-type]
    member = services.member_for(request.user, post.clinic_id)  # type: ignore[arg-type]
    created = services.report_post(member, post, payload.reason, payload.detail)
    return Status(201, ReportOut(id=created.pk, post_id=post.pk, reason=created.reason,
                                 message="Thank you. A moderator will look at this post."))
