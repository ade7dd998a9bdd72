"""Community in the Django admin: the moderation log, read-only, for the clinic's admins.

Moderation itself happens on the forum's own pages (where every action is logged); the admin only
lets a clinic admin oversee what their forum's moderators did. Posts are not listed here: clinic
admins do not read the forum.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from naltrack.web.accounts.admin import ClinicScopedAdmin, site

from .models import ModerationAction


@admin.register(ModerationAction, site=site)
class ModerationActionAdmin(ClinicScopedAdmin):
    list_display = ["at", "moderator", "kind", "post_id", "topic_id", "member", "reason"]
    list_filter = ["kind"]
    search_fields = ["reason", "moderator__display_name", "member__display_name"]
    readonly_fields = ["clinic", "moderator", "kind", "post", "topic", "member", "reason", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
