"""Moderation by the forum's healthcare professionals: the queue, decisions on posts, locks,
suspensions, and the log of every action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from naltrack.web.accounts.access import Capability, clinic_ids_with

from .. import queries, services
from ..access import open_member, open_post, open_topic, require_moderator
from ..forms import ApproveForm, EditPostForm, HideForm, LiftForm, LockForm, SuspendForm
from ..models import Member, Post
from ..services import CommunityError

QUEUE_PER_PAGE = 20
LOG_PER_PAGE = 50


def _moderator(request: HttpRequest, clinic_id: int) -> Member:
    require_moderator(request.user, clinic_id)  # type: ignore[arg-type]
    return services.member_for(request.user, clinic_id)  # type: ignore[arg-type]


def _back(request: HttpRequest, post: Post) -> HttpResponse:
    if request.POST.get("next") == "queue":
        return redirect("community:queue-list", forum_id=post.clinic_id)
    return redirect("community:topic-detail", topic_id=post.topic_id)


@login_required
def moderation_index(request: HttpRequest) -> HttpResponse:
    """Straight to the moderator's queue (the first of their forums with posts waiting)."""
    ids = sorted(clinic_ids_with(request.user, Capability.MODERATE))  # type: ignore[arg-type]
    if not ids:
        raise PermissionDenied("Only moderators can open the moderation queue.")
    waiting = [clinic_id for clinic_id in ids if queries.queue_count([clinic_id])]
    return redirect("community:queue-list", forum_id=(waiting or ids)[0])


@login_required
def queue_list(request: HttpRequest, forum_id: int) -> HttpResponse:
    """Held and reported posts, crisis posts first."""
    member = _moderator(request, forum_id)
    page = Paginator(queries.moderation_queue(forum_id), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/queue.html", {
        "forum_id": forum_id, "member": member, "page": page, "hide_form": HideForm(), "approve_form": ApproveForm(),
    })


@login_required
def log_list(request: HttpRequest, forum_id: int) -> HttpResponse:
    """Every moderation action of the forum, newest first."""
    member = _moderator(request, forum_id)
    page = Paginator(queries.moderation_log(forum_id), LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/log.html", {"forum_id": forum_id, "member": member, "page": page})


@login_required
@require_POST
def post_approve(request: HttpRequest, post_id: int) -> HttpResponse:
    post = open_post(request.user, post_id)  # type: ignore[arg-type]
    moderator = _moderator(request, post.clinic_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note can be at most 300 characters.")
        return _back(request, post)
    services.approve_post(moderator, post, reason=form.cleaned_data["reason"])
    messages.success(request, "Post approved: it is visible to the forum.")
    return _back(request, post)


@login_required
def post_hide(request: HttpRequest, post_id: int) -> HttpResponse:
    post = open_post(request.user, post_id)  # type: ignore[arg-type]
    moderator = _moderator(request, post.clinic_id)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_post(moderator, post, reason=form.cleaned_data["reason"])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Post hidden; its author can see why.")
            return _back(request, post)
    return render(request, "community/post_hide.html", {"forum_id": post.clinic_id, "post": post, "form": form},
                  status=400 if form.errors else 200)


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = open_post(request.user, post_id)  # type: ignore[arg-type]
    moderator = _moderator(request, post.clinic_id)
    initial = {"body": post.body, "title": post.topic.title if post.is_opening else ""}
    form = EditPostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(moderator, post, body=form.cleaned_data["body"],
                               title=form.cleaned_data["title"] or None, reason=form.cleaned_data["reason"])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Post edited; it now says it was edited by a moderator.")
            return redirect("community:topic-detail", topic_id=post.topic_id)
    return render(request, "community/post_edit.html", {"forum_id": post.clinic_id, "post": post, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def topic_lock(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = open_topic(request.user, topic_id)  # type: ignore[arg-type]
    moderator = _moderator(request, topic.clinic_id)
    form = LockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note can be at most 300 characters.")
    else:
        services.set_topic_lock(moderator, topic, locked=form.cleaned_data["locked"],
                                reason=form.cleaned_data["reason"])
        messages.success(request, "Topic locked: members can read it but not reply." if topic.is_locked
                         else "Topic unlocked: members can reply again.")
    return redirect("community:topic-detail", topic_id=topic.pk)


@login_required
def member_suspend(request: HttpRequest, member_id: int) -> HttpResponse:
    target = open_member(request.user, member_id)  # type: ignore[arg-type]
    moderator = _moderator(request, target.clinic_id)
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspend_member(moderator, target, until=form.cleaned_data["until"],
                                    reason=form.cleaned_data["reason"])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{target.display_name} is suspended: they can read but not post or report.")
            return redirect("community:log-list", forum_id=target.clinic_id)
    recent = target.posts.select_related("topic").order_by("-id")[:10]
    return render(request, "community/member_suspend.html", {
        "forum_id": target.clinic_id, "target": target, "form": form, "lift_form": LiftForm(), "recent": recent,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def member_lift(request: HttpRequest, member_id: int) -> HttpResponse:
    target = open_member(request.user, member_id)  # type: ignore[arg-type]
    moderator = _moderator(request, target.clinic_id)
    form = LiftForm(request.POST)
    if form.is_valid():
        services.lift_suspension(moderator, target, reason=form.cleaned_data["reason"])
        messages.success(request, f"{target.display_name} can post again.")
    else:
        messages.error(request, "The note can be at most 300 characters.")
    return redirect("community:member-suspend", member_id=target.pk)
