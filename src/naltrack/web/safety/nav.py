"""Menu entries this capability adds for the signed-in user (see accounts.context)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from naltrack.web.accounts.access import own_patient
from naltrack.web.accounts.context import NavItem
from naltrack.web.accounts.models import Patient


def record_items(patient: Patient) -> list[NavItem]:
    """Screening, liver tests, symptom reports, medicines and the emergency card, behind one tab."""
    return [NavItem("Safety", reverse("safety:overview", args=[patient.id]), "record-safety")]


def items(request: HttpRequest) -> list[NavItem]:
    """Patients get "Report a symptom", "My medicines" and "Emergency card"; staff reach safety from a chart."""
    if own_patient(request.user) is None:  # type: ignore[arg-type]
        return []
    return [
        NavItem("Report a symptom", reverse("safety:my-symptoms"), "safety-symptoms"),
        NavItem("My medicines", reverse("safety:my-medicines"), "safety-medicines"),
        NavItem("Emergency card", reverse("safety:my-card"), "safety-card"),
    ]
