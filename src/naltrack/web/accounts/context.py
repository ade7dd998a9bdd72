"""Navigation per role, computed once per request for the base layout."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.http import HttpRequest
from django.urls import reverse

from .access import Capability, clinic_ids_with, own_patient

# Apps whose nav.py adds menu entries, in menu order.
CAPABILITY_APPS = ("care", "safety", "measures", "protection", "learn", "community")


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


def navigation_for(request: HttpRequest) -> list[NavItem]:
    """The menu a user sees: patient home, clinician caseload, moderation, clinic administration."""
    user = request.user
    if not user.is_authenticated:
        return []
    items: list[NavItem] = []
    if own_patient(user) is not None:
        items += [
            NavItem("My home", reverse("care:patient-home"), "patient-home"),
            NavItem("Who opened my record", reverse("accounts:record-access"), "record-access"),
        ]
    if clinic_ids_with(user, Capability.VIEW_CHART):
        items.append(NavItem("Caseload", reverse("care:caseload"), "caseload"))
    if clinic_ids_with(user, Capability.ADMINISTER):
        items += [
            NavItem("People", reverse("accounts:people"), "people"),
            NavItem("Audit log", reverse("accounts:audit"), "audit"),
        ]
    for app in CAPABILITY_APPS:
        items += import_module(f"naltrack.web.{app}.nav").items(request)
    items.append(NavItem("Account", reverse("accounts:account"), "account"))
    return items


def current_key(items: list[NavItem], path: str) -> str | None:
    """The menu entry for this page: the entry whose URL is the longest prefix of the path.

    "/care/" must not light up on "/care/supply/" when "Clinic supply" is its own entry.
    """
    matches = [item for item in items if path.startswith(item.url)]
    return max(matches, key=lambda item: len(item.url)).key if matches else None


def navigation(request: HttpRequest) -> dict[str, object]:
    if not hasattr(request, "user"):
        return {}
    user = request.user
    items = navigation_for(request)
    return {
        "nav_items": items,
        "nav_current": current_key(items, request.path),
        "viewer_is_patient": user.is_authenticated and own_patient(user) is not None,
    }
