"""Account pages: login, password, API tokens, the audit log and a patient's record-access log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from . import services
from .access import Capability, clinic_ids_with, clinics_with, own_patient, require
from .forms import ApiTokenForm, AuditSearchForm, LoginForm
from .models import Membership, Patient


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their starting page: patient home, caseload, administration or moderation."""
    user = request.user
    if own_patient(user) is not None:  # type: ignore[arg-type]
        return redirect("care:patient-home")
    if clinic_ids_with(user, Capability.VIEW_CHART):  # type: ignore[arg-type]
        return redirect("care:caseload")
    if clinic_ids_with(user, Capability.ADMINISTER):  # type: ignore[arg-type]
        return redirect("accounts:people")
    if clinic_ids_with(user, Capability.MODERATE):  # type: ignore[arg-type]
        return redirect("community:moderation-index")
    return redirect("accounts:account")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own account: password and API tokens."""
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True)  # type: ignore[union-attr]
    memberships = Membership.objects.filter(
        user=request.user, is_active=True).select_related("clinic")  # type: ignore[misc]
    return render(request, "accounts/account.html", {
        "tokens": tokens, "token_form": ApiTokenForm(), "memberships": memberships,
        "new_token": request.session.pop("new_api_token", None),
    })


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name (up to 80 characters).")
        return redirect("accounts:account")
    _, plain = services.issue_api_token(request.user, form.cleaned_data["name"])  # type: ignore[arg-type]
    request.session["new_api_token"] = plain
    return redirect("accounts:account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if services.revoke_api_token(request.user, token_id):  # type: ignore[arg-type]
        messages.success(request, "The token was revoked.")
    else:
        messages.error(request, "No such token.")
    return redirect("accounts:account")


@login_required
def record_access(request: HttpRequest) -> HttpResponse:
    """A patient's view of who opened or changed their record."""
    patient = own_patient(request.user)  # type: ignore[arg-type]
    if patient is None:
        raise PermissionDenied("Only patients have a record-access log.")
    page = Paginator(services.record_openings(patient), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/record_access.html", {"patient": patient, "page": page})


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Clinic admins search the audit trail of their clinics."""
    require(request.user, Capability.ADMINISTER)  # type: ignore[arg-type]
    form = AuditSearchForm(request.GET or None)
    clinic_ids = clinic_ids_with(request.user, Capability.ADMINISTER)  # type: ignore[arg-type]
    filters = form.cleaned_data if form.is_valid() else {}
    events = services.search_audit_events(clinic_ids, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Clinic admins see their clinics' staff and how many patients each clinic has."""
    require(request.user, Capability.ADMINISTER)  # type: ignore[arg-type]
    clinics = clinics_with(request.user, Capability.ADMINISTER).annotate(  # type: ignore[arg-type]
        patient_count=Count("patients", distinct=True),
        with_login=Count("patients", filter=Q(patients__user__isnull=False), distinct=True),
    )
    members = (Membership.objects.filter(clinic__in=clinics).select_related("user", "clinic")
               .order_by("clinic__name", "user__last_name", "role"))
    return render(request, "accounts/people.html", {
        "clinics": clinics, "members": members,
        "patient_total": Patient.objects.filter(clinic__in=clinics).count(),
    })
