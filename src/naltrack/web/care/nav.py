"""Menu entries this capability adds for the signed-in user (see accounts.context)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from naltrack.web.accounts.access import Capability, clinic_ids_with
from naltrack.web.accounts.context import NavItem
from naltrack.web.accounts.models import Patient


def record_items(patient: Patient) -> list[NavItem]:
    """The chart (episode, orders, doses, supply, flags) as the first tab of a patient's record."""
    return [NavItem("Chart", reverse("care:patient-chart", args=[patient.id]), "record-chart")]


def items(request: HttpRequest) -> list[NavItem]:
    """'Clinic supply' for clinical staff (My home and Caseload come from the platform menu)."""
    if clinic_ids_with(request.user, Capability.VIEW_CHART):  # type: ignore[arg-type]
        return [NavItem("Clinic supply", reverse("care:supply-clinic"), "care-supply")]
    return []
