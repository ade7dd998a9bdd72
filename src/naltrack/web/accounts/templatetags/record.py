"""``{% record_tabs patient %}``: one row of links across a patient's record, on every staff page of it.

Each capability app may give its part of the record in ``nav.record_items(patient)``; the tab whose
URL is the longest prefix of the current path is marked as the current one.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django import template

from naltrack.web.accounts.context import CAPABILITY_APPS, NavItem, current_key

register = template.Library()


def record_items(patient: Any) -> list[NavItem]:
    items: list[NavItem] = []
    for app in CAPABILITY_APPS:
        provider = getattr(import_module(f"naltrack.web.{app}.nav"), "record_items", None)
        if provider is not None:
            items += provider(patient)
    return items


@register.inclusion_tag("includes/record_tabs.html", takes_context=True)
def record_tabs(context: template.Context, patient: Any) -> dict[str, object]:
    items = record_items(patient)
    request = context.get("request")
    return {
        "patient": patient,
        "tabs": items,
        "current": current_key(items, request.path) if request is not None else None,
    }
