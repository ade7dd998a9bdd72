"""Read-only queries of the forum (what a page lists); actions live in services."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from naltrack.web.accounts.models import User

from .models import Category, Member, ModerationAction, Notification, Post, PostStatus, ReadMarker, Report, Topic

SEARCH_MAX = 80


def categories_with_counts(clinic_id: int) -> QuerySet[Category]:
    """Every category with its number of published topics in one clinic's forum."""
    return Category.objects.annotate(
        topic_count=Count("topics", filter=Q(topics__clinic_id=clinic_id, topics__is_published=True))
    ).order_by("position", "name")  # Meta.ordering does not apply to aggregating queries


def topics_for(clinic_id: int, member: Member, category: Category | None = None) -> QuerySet[Topic]:
    """Published topics (and the viewer's own held ones), newest activity first, with read markers."""
    topics = Topic.objects.filter(clinic_id=clinic_id).filter(Q(is_published=True) | Q(author=member))
    if category is not None:
        topics = topics.filter(category=category)
    marker = ReadMarker.objects.filter(member=member, topic=OuterRef("pk")).values("last_read_post_id")[:1]
    return (topics.select_related("author", "category")
            .annotate(last_read_post_id=Subquery(marker))
            .order_by("-last_activity_at", "-id"))


def is_unread(topic: Topic) -> bool:
    """Does the topic have a published post newer than the viewer's read marker?"""
    last_read = getattr(topic, "last_read_post_id", None)
    return topic.last_post_id is not None and (last_read is None or topic.last_post_id > last_read)


def posts_for(topic: Topic, user: User, *, is_moderator: bool) -> QuerySet[Post]:
    """A topic's posts the viewer may see: published ones, their own, and everything for moderators."""
    posts = Post.objects.filter(topic=topic)
    if not is_moderator:
        posts = posts.filter(Q(status=PostStatus.PUBLISHED) | Q(author__user=user))
    return posts.select_related("author", "edited_by").order_by("id")


def last_read_post_id(member: Member, topic: Topic) -> int:
    return (ReadMarker.objects.filter(member=member, topic=topic).values_list("last_read_post_id", flat=True)
            .first() or 0)


def search_posts(clinic_id: int, query: str) -> QuerySet[Post]:
    """Published posts of published topics whose text or topic title contains ``query`` (any database)."""
    query = query.strip()[:SEARCH_MAX]
    if not query:
        return Post.objects.none()
    return (Post.objects.filter(clinic_id=clinic_id, status=PostStatus.PUBLISHED, topic__is_published=True)
            .filter(Q(body__icontains=query) | Q(topic__title__icontains=query, is_opening=True))
            .select_related("topic", "author", "topic__category").order_by("-id"))


def _open_reports() -> QuerySet[Report]:
    return Report.objects.filter(resolved_at__isnull=True)


def moderation_queue(clinic_id: int) -> QuerySet[Post]:
    """Held posts and published posts with open reports; crisis posts first, then oldest first."""
    has_open_report = Exists(_open_reports().filter(post=OuterRef("pk")))
    return (Post.objects.filter(clinic_id=clinic_id)
            .filter(Q(status=PostStatus.HELD) | Q(status=PostStatus.PUBLISHED) & has_open_report)
            .select_related("topic", "author", "topic__category")
            .prefetch_related(Prefetch("reports", queryset=_open_reports().select_related("reporter"),
                                       to_attr="open_reports"))
            .order_by("-is_urgent", "created_at", "id"))


def queue_count(clinic_ids: list[int] | set[int]) -> int:
    """How many posts wait for the moderators of these forums."""
    if not clinic_ids:
        return 0
    has_open_report = Exists(_open_reports().filter(post=OuterRef("pk")))
    return (Post.objects.filter(clinic_id__in=clinic_ids)
            .filter(Q(status=PostStatus.HELD) | Q(status=PostStatus.PUBLISHED) & has_open_report).count())


def moderation_log(clinic_id: int) -> QuerySet[ModerationAction]:
    return (ModerationAction.objects.filter(clinic_id=clinic_id)
            .select_related("moderator", "post", "topic", "member").order_by("-at", "-id"))


def notifications_for(user: User, clinic_ids: list[int]) -> QuerySet[Notification]:
    return (Notification.objects.filter(recipient__user=user, recipient__clinic_id__in=clinic_ids)
            .select_related("topic").order_by("-created_at", "-id"))


def unread_notification_count(user: User, clinic_ids: list[int]) -> int:
    if not clinic_ids:
        return 0
    return Notification.objects.filter(recipient__user=user, recipient__clinic_id__in=clinic_ids,
                                       read_at__isnull=True).count()
