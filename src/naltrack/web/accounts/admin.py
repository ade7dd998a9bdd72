"""Django admin for clinic admins, scoped to the clinics they administer.

A clinic admin (the ``clinic_admin`` role) sees and edits only their own clinics' memberships and
patient registrations; opening a patient here is audited like any other staff access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .access import Capability, clinic_ids_with
from .models import AuditAction, AuditEvent, Clinic, Membership, Patient


def _admin_clinic_ids(request: HttpRequest) -> set[int]:
    return clinic_ids_with(request.user, Capability.ADMINISTER)  # type: ignore[arg-type]


class NaltrackAdminSite(admin.AdminSite):
    site_header = "naltrack administration"
    site_title = "naltrack admin"
    index_title = "Clinic administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or _admin_clinic_ids(request)))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Everyone logs in through naltrack's own login page, so the two-factor step cannot be skipped."""
        if request.user.is_authenticated:  # logged in but not an admin: no login form would help
            raise PermissionDenied("Only clinic admins use the administration.")
        next_url = request.GET.get("next") or reverse("naltrack-admin:index")
        return redirect_to_login(next_url, login_url=reverse("accounts:login"))


site = NaltrackAdminSite(name="naltrack-admin")


class ClinicScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows limited to the clinics the signed-in admin administers."""

    clinic_field = "clinic"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.clinic_field}__in": _admin_clinic_ids(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "clinic" and not request.user.is_superuser:
            kwargs["queryset"] = Clinic.objects.filter(id__in=_admin_clinic_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or _admin_clinic_ids(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Clinic, site=site)
class ClinicAdmin(ClinicScopedAdmin):
    clinic_field = "id"
    list_display = ["name", "country", "time_zone", "drink_unit", "requires_two_factor"]
    prepopulated_fields = {"slug": ["name"]}
    # Changed on the People page, which audits the change and signs out staff without two-factor.
    readonly_fields = ["requires_two_factor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Membership, site=site)
class MembershipAdmin(ClinicScopedAdmin):
    list_display = ["user", "clinic", "role", "professional_title", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__last_name"]


@admin.register(Patient, site=site)
class PatientAdmin(ClinicScopedAdmin):
    list_display = ["record_number", "family_name", "given_name", "display_name", "clinic", "is_active"]
    search_fields = ["record_number", "family_name", "display_name"]
    list_filter = ["is_active", "sex"]
    exclude = ["user"]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        patient = self.get_queryset(request).filter(pk=object_id).first()
        if patient is not None:
            from .services import record_audit_event

            record_audit_event(actor=request.user, patient=patient,  # type: ignore[arg-type]
                               action=AuditAction.UPDATE if request.method == "POST" else AuditAction.VIEW,
                               target="registration", detail="Django admin", request=request)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(ClinicScopedAdmin):
    list_display = ["at", "actor_label", "action", "target", "patient", "ip_address", "via"]
    list_filter = ["action", "via"]
    search_fields = ["actor_label", "patient__record_number", "target"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
