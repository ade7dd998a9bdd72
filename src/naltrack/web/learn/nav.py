"""Menu entries this capability adds for the signed-in user (see accounts.context)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from naltrack.web.accounts.context import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    """The guide and Ask, for everyone signed in (the pages themselves are public)."""
    if not request.user.is_authenticated:
        return []
    return [
        NavItem("Learn", reverse("learn:index"), "learn"),
        NavItem("Ask", reverse("learn:ask"), "ask"),
    ]
