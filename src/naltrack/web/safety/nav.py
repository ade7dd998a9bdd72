"""Menu entries this capability adds for the signed-in user (see accounts.context)."""

from __future__ import annotations

from django.http import HttpRequest

from naltrack.web.accounts.context import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    return []
