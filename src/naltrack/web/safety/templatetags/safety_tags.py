"""Template helpers of the safety pages: source titles and badge classes."""

from __future__ import annotations

from django import template

from naltrack.clinical.labs import CLINICIAN_FLAG_MULTIPLE, URGENT_FLAG_MULTIPLE
from naltrack.clinical.sources import SOURCES

register = template.Library()

_BADGES = {
    # verdicts
    "ready": "ok", "caution": "warn", "not_ready": "danger",
    # reason severities
    "block": "danger", "info": "",
    # urgencies
    "emergency": "danger", "urgent": "danger", "routine": "", "none": "",
    # liver flags
}

_WORDS = {
    "ready": "Ready", "caution": "Caution", "not_ready": "Not ready", "block": "Blocks", "info": "Info",
    "emergency": "Emergency", "urgent": "Urgent", "routine": "Routine", "none": "Nothing recognised",
    "do_not_combine": "Do not combine", "blocked": "Blocked by naltrexone",
}


@register.filter
def source_title(key: str) -> str:
    """The title of a registered source ('' for an unknown key)."""
    source = SOURCES.get(str(key))
    return source.title if source else ""


@register.filter
def badge(value: str) -> str:
    """The naltrack.css badge class for a verdict, severity, urgency or liver flag."""
    return _BADGES.get(str(value), "")


@register.filter
def words(value: str) -> str:
    """A verdict, severity, urgency or warning level in plain words."""
    text = str(value)
    return _WORDS.get(text, text.replace("_", " ").capitalize())


_LIVER = {"normal": ("Normal", "ok"), "above_uln": ("Above ULN", "warn"),
          "clinician": (f"Above {CLINICIAN_FLAG_MULTIPLE:g}x ULN", "warn"),
          "urgent": (f"Above {URGENT_FLAG_MULTIPLE:g}x ULN", "danger")}


@register.filter
def liver_words(flag: str) -> str:
    return _LIVER.get(str(flag), (str(flag), ""))[0]


@register.filter
def liver_badge(flag: str) -> str:
    return _LIVER.get(str(flag), ("", ""))[1]


@register.filter
def field(form: object, name: str) -> object:
    """The bound field ``name`` of ``form`` (to lay out a long form in fieldsets)."""
    return form[name]  # type: ignore[index]
