"""Menu entries this capability adds for the signed-in user (see accounts.context)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from naltrack.web.accounts.access import Capability, clinic_ids_with, own_patient
from naltrack.web.accounts.context import NavItem
from naltrack.web.accounts.models import Patient


def record_items(patient: Patient) -> list[NavItem]:
    """Drinking, cravings, questionnaires and outcome measures for one patient."""
    return [NavItem("Measures", reverse("measures:patient-view", args=[patient.id]), "record-measures")]


def items(request: HttpRequest) -> list[NavItem]:
    """Progress and Drinks for a patient; Cohort for staff who may view charts."""
    user = request.user
    if not user.is_authenticated:
        return []
    entries: list[NavItem] = []
    if own_patient(user) is not None:
        entries += [
            NavItem("Progress", reverse("measures:progress-view"), "progress"),
            NavItem("Drinks", reverse("measures:drink-log"), "drinks"),
        ]
    if clinic_ids_with(user, Capability.VIEW_CHART):
        entries.append(NavItem("Cohort", reverse("measures:cohort-view"), "cohort"))
    return entries
