"""The first-dose gate: may a first naltrexone dose be recorded for this patient now?

The care app's dose service asks ``first_dose_block(patient)`` before recording a first dose. The
rule (naltrack-policy:screening): the patient's latest screening says not_ready and no prescriber has
overridden it → blocked, with a short reason. No screening at all is not a block here (the screening
page and the care app say that a screening is advised).
"""

from __future__ import annotations

from naltrack.web.accounts.models import Patient

from .models import Screening, ScreeningOverride, Verdict


def latest_screening(patient: Patient) -> dict[str, object] | None:
    """The latest screening in brief, for the chart: verdict, its label, when, and whether it was overridden."""
    latest = (Screening.objects.filter(patient=patient).order_by("-recorded_at", "-id")
              .values("id", "verdict", "recorded_at").first())
    if latest is None:
        return None
    return {
        "verdict": latest["verdict"],
        "label": Verdict(latest["verdict"]).label,
        "recorded_at": latest["recorded_at"],
        "overridden": ScreeningOverride.objects.filter(screening_id=latest["id"]).exists(),
    }


def first_dose_block(patient: Patient) -> str | None:
    """None when a first dose may be recorded; otherwise a short reason why it is blocked."""
    latest = (Screening.objects.filter(patient=patient).order_by("-recorded_at", "-id")
              .values("id", "verdict", "reasons", "recorded_at").first())
    if latest is None or latest["verdict"] != Verdict.NOT_READY:
        return None
    if ScreeningOverride.objects.filter(screening_id=latest["id"]).exists():
        return None
    blocks = [r.get("message", "") for r in latest["reasons"] or [] if r.get("severity") == "block"]
    first = blocks[0] if blocks else ""
    extra = len(blocks) - 1
    more = f" {extra} more blocking reason{'s' if extra != 1 else ''}." if extra > 0 else ""
    return (f"the latest screening ({latest['recorded_at']:%Y-%m-%d}) says not ready. {first}{more} "
            "A prescriber can override it with a written reason.").replace("  ", " ")
