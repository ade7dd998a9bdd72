"""The caseload: one query for the page's patients with their adherence snapshot and open-flag summary."""

from __future__ import annotations

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from naltrack.web.accounts.access import Capability, clinic_ids_with
from naltrack.web.accounts.models import Patient, User

from ..models import Flag

_OPEN = Q(flags__acknowledged_at__isnull=True)


def caseload(user: User, *, query: str = "", clinic_id: int | None = None) -> QuerySet[Patient]:
    """The patients of ``user``'s clinics, most severe open flag first, then most open flags.

    The snapshot comes in the same query (select_related) and the open flags of a page in one more
    (prefetch), so the page costs a fixed number of queries whatever the caseload size.
    """
    clinic_ids = clinic_ids_with(user, Capability.VIEW_CHART)
    if clinic_id is not None:
        clinic_ids &= {clinic_id}
    patients = Patient.objects.filter(clinic_id__in=clinic_ids, is_active=True).select_related(
        "clinic", "adherence_snapshot")
    if query:
        patients = patients.filter(
            Q(family_name__icontains=query) | Q(given_name__icontains=query)
            | Q(record_number__iexact=query) | Q(display_name__icontains=query)
        )
    patients = patients.annotate(
        open_flags=Count("flags", filter=_OPEN),
        top_severity=Max("flags__severity_rank", filter=_OPEN),
    ).prefetch_related(
        Prefetch("flags", queryset=Flag.objects.filter(acknowledged_at__isnull=True).order_by(
            "-severity_rank", "-raised_at"), to_attr="open_flag_list"),
    )
    return patients.order_by(F("top_severity").desc(nulls_last=True), "-open_flags", "family_name",
                             "given_name", "id")
