"""Menu entries this capability adds for the signed-in user (see accounts.context), and its record tab."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from naltrack.web.accounts.access import own_patient
from naltrack.web.accounts.context import NavItem
from naltrack.web.accounts.models import Patient


def record_items(patient: Patient) -> list[NavItem]:
    """The estimated-protection timeline and what-if, as a tab of a patient's record (staff pages)."""
    return [NavItem("Protection", reverse("protection:patient-view", args=[patient.id]), "record-protection")]


def items(request: HttpRequest) -> list[NavItem]:
    """Patients get "My protection"; staff reach a patient's estimate from the record tabs of the chart."""
    if own_patient(request.user) is None:  # type: ignore[arg-type]
        return []
    return [NavItem("My protection", reverse("protection:my-view"), "protection")]
