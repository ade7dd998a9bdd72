"""Menu entries this capability adds for the signed-in user (see accounts.context)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from naltrack.web.accounts.access import Capability, clinic_ids_with
from naltrack.web.accounts.context import NavItem

from .access import forum_ids
from .queries import queue_count, unread_notification_count


def items(request: HttpRequest) -> list[NavItem]:
    """"Community" (with unread notifications) for members; "Moderation" (with the queue) for moderators."""
    ids = forum_ids(request.user)  # type: ignore[arg-type]
    if not ids:
        return []
    entries = [NavItem("Community", reverse("community:forum-index"), "community")]
    unread = unread_notification_count(request.user, ids)  # type: ignore[arg-type]
    entries.append(NavItem(f"Notifications ({unread})" if unread else "Notifications",
                           reverse("community:notification-list"), "community-notifications"))
    moderated = clinic_ids_with(request.user, Capability.MODERATE)  # type: ignore[arg-type]
    if moderated:
        waiting = queue_count(moderated)
        entries.append(NavItem(f"Moderation ({waiting})" if waiting else "Moderation",
                               reverse("community:moderation-index"), "community-moderation"))
    return entries
