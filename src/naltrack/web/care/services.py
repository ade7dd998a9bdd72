"""Care services: reading the caseload and the chart for the views."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from naltrack.web.accounts.access import Capability, clinic_ids_with
from naltrack.web.accounts.models import Patient, User


def caseload(user: User, *, query: str = "", clinic_id: int | None = None) -> QuerySet[Patient]:
    """The patients of ``user``'s clinics (clinical roles only), optionally filtered by a search."""
    clinic_ids = clinic_ids_with(user, Capability.VIEW_CHART)
    if clinic_id is not None:
        clinic_ids &= {clinic_id}
    patients = Patient.objects.filter(clinic_id__in=clinic_ids, is_active=True).select_related("clinic")
    if query:
        patients = patients.filter(
            Q(family_name__icontains=query) | Q(given_name__icontains=query)
            | Q(record_number__iexact=query) | Q(display_name__icontains=query)
        )
    return patients.order_by("family_name", "given_name", "id")
