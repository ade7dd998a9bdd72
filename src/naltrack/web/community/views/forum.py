"""Reading and writing in a clinic's forum: categories, topics, replies, search, reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from naltrack.clinical.emergency import contacts_for
from naltrack.web.accounts.access import own_patient
from naltrack.web.accounts.models import Clinic

from .. import queries, services
from ..access import can_moderate, forum_ids, open_post, open_topic, require_forum
from ..forms import ReplyForm, ReportForm, SearchForm, TopicForm
from ..models import Category, Member, Post, PostStatus
from ..services import CommunityError, PostOutcome

TOPICS_PER_PAGE = 20
POSTS_PER_PAGE = 20


def _member(request: HttpRequest, forum_id: int) -> Member:
    require_forum(request.user, forum_id)  # type: ignore[arg-type]
    return services.member_for(request.user, forum_id)  # type: ignore[arg-type]


@login_required
def forum_index(request: HttpRequest) -> HttpResponse:
    """Straight to the user's forum; staff of several clinics choose one."""
    ids = forum_ids(request.user)  # type: ignore[arg-type]
    if not ids:
        raise Http404("You are not a member of a forum.")
    if len(ids) == 1:
        return redirect("community:forum-detail", forum_id=ids[0])
    forums = Clinic.objects.filter(id__in=ids).order_by("name")  # staff only: patients have one forum
    return render(request, "community/forum_choose.html", {"forums": forums})


@login_required
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The forum's categories and its latest topics."""
    member = _member(request, forum_id)
    recent = list(queries.topics_for(forum_id, member)[:10])
    return render(request, "community/forum.html", {
        "forum_id": forum_id, "member": member, "categories": queries.categories_with_counts(forum_id),
        "topics": [(topic, queries.is_unread(topic)) for topic in recent],
        "is_moderator": member.is_moderator, "search_form": SearchForm(),
    })


@login_required
def category_detail(request: HttpRequest, forum_id: int, category: str) -> HttpResponse:
    """One category's topics, newest activity first, with unread markers."""
    member = _member(request, forum_id)
    category_obj = get_object_or_404(Category, slug=category)
    page = Paginator(queries.topics_for(forum_id, member, category_obj), TOPICS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "community/category.html", {
        "forum_id": forum_id, "member": member, "category": category_obj, "page": page,
        "topics": [(topic, queries.is_unread(topic)) for topic in page],
    })


def _after_posting(request: HttpRequest, outcome: PostOutcome) -> HttpResponse:
    post = outcome.post
    if outcome.is_held or outcome.is_red_flag:
        return redirect("community:post-detail", post_id=post.pk)
    messages.success(request, "Your post is published.")
    return redirect(reverse("community:topic-detail", args=[post.topic_id]) + f"?page=last#post-{post.pk}")


@login_required
def topic_create(request: HttpRequest, forum_id: int, category: str) -> HttpResponse:
    """Start a topic in a category."""
    member = _member(request, forum_id)
    category_obj = get_object_or_404(Category, slug=category)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.start_topic(member, category_obj, form.cleaned_data["title"],
                                           form.cleaned_data["body"])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            return _after_posting(request, outcome)
    return render(request, "community/topic_create.html", {
        "forum_id": forum_id, "member": member, "category": category_obj, "form": form,
        "is_suspended": member.is_suspended(),
    }, status=400 if form.errors else 200)


def _topic_page(request: HttpRequest, topic_id: int, reply_form: ReplyForm | None = None,
                status: int = 200) -> HttpResponse:
    topic = open_topic(request.user, topic_id)  # type: ignore[arg-type]
    member = services.member_for(request.user, topic.clinic_id)  # type: ignore[arg-type]
    is_moderator = member.is_moderator
    posts = queries.posts_for(topic, request.user, is_moderator=is_moderator)  # type: ignore[arg-type]
    paginator = Paginator(posts, POSTS_PER_PAGE)
    page = paginator.get_page(paginator.num_pages if request.GET.get("page") == "last" else request.GET.get("page"))
    last_read = queries.last_read_post_id(member, topic)
    shown = list(page)
    newest_seen = max((p.pk for p in shown if p.status == PostStatus.PUBLISHED), default=0)
    if newest_seen > last_read:
        services.mark_topic_read(member, topic, newest_seen)
    return render(request, "community/topic.html", {
        "forum_id": topic.clinic_id, "member": member, "topic": topic, "page": page, "is_moderator": is_moderator,
        "posts": [(post, post.status == PostStatus.PUBLISHED and post.pk > last_read and post.author_id != member.pk)
                  for post in shown],
        "can_reply": (not topic.is_locked or is_moderator) and not member.is_suspended() and topic.is_published,
        "reply_form": reply_form or ReplyForm(),
    }, status=status)


@login_required
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    """A topic's posts; reading it moves the member's read marker."""
    return _topic_page(request, topic_id)


@login_required
@require_POST
def reply_create(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Reply to a topic."""
    topic = open_topic(request.user, topic_id)  # type: ignore[arg-type]
    member = services.member_for(request.user, topic.clinic_id)  # type: ignore[arg-type]
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            outcome = services.post_reply(member, topic, form.cleaned_data["body"])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            return _after_posting(request, outcome)
    return _topic_page(request, topic_id, reply_form=form, status=400)


@login_required
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    """One post and what happened to it: for its author, the status and any private safety notice."""
    post = open_post(request.user, post_id)  # type: ignore[arg-type]
    is_author = post.author.user_id == request.user.pk
    if not is_author and not can_moderate(request.user, post.clinic_id):  # type: ignore[arg-type]
        return redirect(reverse("community:topic-detail", args=[post.topic_id]) + f"#post-{post.pk}")
    patient = own_patient(request.user) if is_author else None  # type: ignore[arg-type]
    contacts = contacts_for(patient.country if patient else post.clinic.country)
    return render(request, "community/post_detail.html", {
        "forum_id": post.clinic_id, "post": post, "is_author": is_author, "contacts": contacts,
        "is_crisis": post.is_urgent and is_author and post.status == PostStatus.HELD,
        "is_moderator": can_moderate(request.user, post.clinic_id),  # type: ignore[arg-type]
    })


@login_required
def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    """Report a post to the moderators."""
    post = open_post(request.user, post_id)  # type: ignore[arg-type]
    member = services.member_for(request.user, post.clinic_id)  # type: ignore[arg-type]
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_post(member, post, form.cleaned_data["reason"], form.cleaned_data["detail"])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you. A moderator will look at this post.")
            return redirect("community:topic-detail", topic_id=post.topic_id)
    return render(request, "community/post_report.html", {
        "forum_id": post.clinic_id, "post": post, "form": form, "is_suspended": member.is_suspended(),
    }, status=400 if form.errors else 200)


@login_required
def forum_search(request: HttpRequest, forum_id: int) -> HttpResponse:
    """Search titles and posts of the forum."""
    member = _member(request, forum_id)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(queries.search_posts(forum_id, query), TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/search.html", {
        "forum_id": forum_id, "member": member, "form": form, "query": query, "page": page,
    })


def post_in_topic_url(post: Post) -> str:
    return reverse("community:topic-detail", args=[post.topic_id]) + f"#post-{post.pk}"
