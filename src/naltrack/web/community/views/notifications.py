"""The member's forum notifications (replies, moderators' decisions, crisis alerts for moderators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import queries, services
from ..access import forum_ids

PER_PAGE = 30


def _forums(request: HttpRequest) -> list[int]:
    ids = forum_ids(request.user)  # type: ignore[arg-type]
    if not ids:
        raise PermissionDenied("The community is for the clinic's patients and staff.")
    return ids


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    ids = _forums(request)
    page = Paginator(queries.notifications_for(request.user, ids), PER_PAGE).get_page(  # type: ignore[arg-type]
        request.GET.get("page"))
    return render(request, "community/notifications.html", {
        "page": page, "unread": queries.unread_notification_count(request.user, ids),  # type: ignore[arg-type]
        "forum_id": ids[0] if len(ids) == 1 else None,
    })


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a notification read and go where it points."""
    _forums(request)
    notification = services.open_notification(request.user, notification_id)  # type: ignore[arg-type]
    if notification is None:
        raise Http404("No such notification.")
    if notification.post_id:
        return redirect("community:post-detail", post_id=notification.post_id)
    return redirect(reverse("community:notification-list"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    _forums(request)
    count = services.mark_all_notifications_read(request.user)  # type: ignore[arg-type]
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("community:notification-list")
