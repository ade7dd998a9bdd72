"""Account pages: login (with the two-factor step), password, two-factor, API tokens, people and audit logs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import services, two_factor
from .access import Capability, clinic_ids_with, clinics_with, own_patient, require
from .forms import (
    ApiTokenForm,
    AuditSearchForm,
    AuthenticatorCodeForm,
    ClinicTwoFactorForm,
    DisableTwoFactorForm,
    LoginForm,
    SecondStepForm,
)
from .models import Membership, Patient, TwoFactorDevice, User
from .two_factor import CHECK_MESSAGES, CodeCheck, Pending, TwoFactorError

NEW_RECOVERY_CODES_KEY = "new_recovery_codes"


class LoginView(auth_views.LoginView):
    """The password step. With two-factor on (or required and not yet set up) nobody is logged in
    here: the session only remembers, for a few minutes, who gave the right password."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        user = form.get_user()
        step = two_factor.second_step_for(user)
        if step is None:
            return super().form_valid(form)
        two_factor.start_pending_login(self.request, user, step, backend=user.backend,
                                       next_url=self.get_success_url())
        if step is Pending.ENROL:
            two_factor.begin_enrolment(user)
            return redirect("accounts:login-two-factor-setup")
        return redirect("accounts:login-code")


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


def _render_account(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    tokens = user.api_tokens.filter(revoked_at__isnull=True)
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("clinic")
    device = TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    return render(request, "accounts/account.html", {
        "tokens": tokens, "token_form": ApiTokenForm(), "memberships": memberships,
        "new_token": request.session.pop("new_api_token", None),
        "two_factor": device,
        "recovery_codes_left": two_factor.remaining_recovery_codes(user) if device else 0,
        "two_factor_required_by": two_factor.clinics_requiring_two_factor(user),
        "new_recovery_codes": request.session.pop(NEW_RECOVERY_CODES_KEY, None),
        "codes_form": forms.get("codes_form") or SecondStepForm(autofocus=False, auto_id="id_codes_%s"),
        "disable_form": forms.get("disable_form") or DisableTwoFactorForm(auto_id="id_off_%s"),
    }, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own account: password, two-factor sign-in and API tokens."""
    return _render_account(request)


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
               .annotate(has_two_factor=Exists(TwoFactorDevice.objects.filter(
                   user=OuterRef("user"), confirmed_at__isnull=False)))
               .order_by("clinic__name", "user__last_name", "role"))
    return render(request, "accounts/people.html", {
        "clinics": clinics, "members": members,
        "patient_total": Patient.objects.filter(clinic__in=clinics).count(),
        "requirement_form": ClinicTwoFactorForm(),
    })


# --- two-factor: the second login step --------------------------------------------------------------

def _start_again(request: HttpRequest) -> HttpResponse:
    two_factor.cancel_pending_login(request)
    messages.error(request, "Your sign-in took too long or was interrupted. Please log in again.")
    return redirect("accounts:login")


def _locked_out(request: HttpRequest) -> HttpResponse:
    two_factor.cancel_pending_login(request)
    return render(request, "accounts/locked_out.html", status=429)


def _finish_login(request: HttpRequest, user: User, state: dict[str, str]) -> None:
    """The only place a two-factor sign-in becomes a session: Django's login(), after the second step."""
    two_factor.cancel_pending_login(request)
    login(request, user, backend=state["backend"])


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Second login step: a code from the authenticator app, or a recovery code."""
    pending = two_factor.pending_login(request, Pending.CODE)
    if pending is None:
        return _start_again(request)
    user, state = pending
    if not two_factor.has_two_factor(user):  # reset by an admin meanwhile: the password step decides again
        return _start_again(request)
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return _locked_out(request)
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = two_factor.check_code(user, form.cleaned_data["code"], purpose="login", request=request)
        if result in {CodeCheck.ACCEPTED, CodeCheck.RECOVERY_ACCEPTED}:
            _finish_login(request, user, state)
            if result is CodeCheck.RECOVERY_ACCEPTED:
                messages.warning(request, "You logged in with a recovery code; it cannot be used again. "
                                          f"{two_factor.remaining_recovery_codes(user)} left. "
                                          "Make new ones on your Account page if you are running low.")
            return redirect(state["next"])
        if result is not CodeCheck.KEY_MISSING:  # a wrong guess counts as a failed login for django-axes too
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if result is CodeCheck.LOCKED or getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        form.add_error("code", CHECK_MESSAGES[result])
    return render(request, "accounts/login_code.html", {"form": form, "pending_user": user})


def _enrolment_page(request: HttpRequest, user: User, form: AuthenticatorCodeForm, *, action: str,
                    required_by: list[Any]) -> HttpResponse:
    device = two_factor.pending_device(user)
    if device is None or two_factor.totp_secret(device) is None:
        device = two_factor.begin_enrolment(user)
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "enrolment": two_factor.enrolment_for(device), "action": action,
        "required_by": required_by, "setup_user": user,
    })


@require_http_methods(["GET", "POST"])
def login_two_factor_setup(request: HttpRequest) -> HttpResponse:
    """A clinic requires two-factor and this person has none: set it up before being logged in."""
    pending = two_factor.pending_login(request, Pending.ENROL)
    if pending is None:
        return _start_again(request)
    user, state = pending
    if two_factor.has_two_factor(user):  # finished in another tab: ask for a code like any login
        return _start_again(request)
    return _confirm_enrolment(request, user, action="accounts:login-two-factor-setup",
                              on_confirmed=lambda: _finish_login(request, user, state))


# --- two-factor on the Account page --------------------------------------------------------------------

@login_required
@require_POST
def two_factor_start(request: HttpRequest) -> HttpResponse:
    try:
        two_factor.begin_enrolment(request.user)  # type: ignore[arg-type]
    except TwoFactorError as error:
        messages.error(request, str(error))
        return redirect("accounts:account")
    return redirect("accounts:two-factor-setup")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key), then confirm with a code before two-factor is switched on."""
    user: User = request.user  # type: ignore[assignment]
    if two_factor.pending_device(user) is None:
        messages.info(request, "Two-factor sign-in is already on." if two_factor.has_two_factor(user)
                      else "Start setting up two-factor sign-in from here.")
        return redirect(reverse("accounts:account") + "#two-factor")
    return _confirm_enrolment(request, user, action="accounts:two-factor-setup")


def _confirm_enrolment(request: HttpRequest, user: User, *, action: str,
                       on_confirmed: Callable[[], None] | None = None) -> HttpResponse:
    """The enrolment page's form: a current code switches two-factor on and shows the recovery codes once.

    ``on_confirmed`` runs first when the code is right (at a required first set-up: finish the login).
    """
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_enrolment(user, form.cleaned_data["code"], request)
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            if on_confirmed is not None:
                on_confirmed()
            request.session[NEW_RECOVERY_CODES_KEY] = codes
            messages.success(request, "Two-factor sign-in is on. Save your recovery codes now.")
            return redirect(reverse("accounts:account") + "#two-factor")
    return _enrolment_page(request, user, form, action=reverse(action),
                           required_by=two_factor.clinics_requiring_two_factor(user))


@login_required
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), after a current code."""
    form = SecondStepForm(request.POST, autofocus=False, auto_id="id_codes_%s")
    if form.is_valid():
        try:
            codes = two_factor.regenerate_recovery_codes(
                request.user, form.cleaned_data["code"], request)  # type: ignore[arg-type]
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            request.session[NEW_RECOVERY_CODES_KEY] = codes
            messages.success(request, "New recovery codes made; the old ones no longer work.")
            return redirect(reverse("accounts:account") + "#two-factor")
    return _render_account(request, codes_form=form)


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Switch two-factor off with the password and a current code."""
    user: User = request.user  # type: ignore[assignment]
    form = DisableTwoFactorForm(request.POST, auto_id="id_off_%s")
    if form.is_valid():
        # authenticate() rather than check_password(): a wrong password counts for django-axes.
        checked = authenticate(request, username=user.get_username(), password=form.cleaned_data["password"])
        if checked is None or checked.pk != user.pk:
            form.add_error("password", "That is not your password.")
        else:
            try:
                two_factor.disable_two_factor(user, form.cleaned_data["code"], request)
            except TwoFactorError as error:
                form.add_error("code", str(error))
            else:
                if two_factor.clinics_requiring_two_factor(user):
                    logout(request)
                    messages.warning(request, "Two-factor sign-in is off. Your clinic requires it, so log in "
                                              "again and set it up with your new authenticator app.")
                    return redirect("accounts:login")
                messages.success(request, "Two-factor sign-in is off.")
                return redirect(reverse("accounts:account") + "#two-factor")
    return _render_account(request, disable_form=form)


# --- two-factor on the People page (clinic admins) ------------------------------------------------------

def _administered_clinic(request: HttpRequest, clinic_id: int) -> Any:
    require(request.user, Capability.ADMINISTER)  # type: ignore[arg-type]
    clinic = clinics_with(request.user, Capability.ADMINISTER).filter(pk=clinic_id).first()  # type: ignore[arg-type]
    if clinic is None:
        raise Http404("No such clinic.")
    return clinic


@login_required
@require_POST
def clinic_two_factor(request: HttpRequest, clinic_id: int) -> HttpResponse:
    """A clinic admin requires two-factor for the clinic's staff, or makes it optional again."""
    clinic = _administered_clinic(request, clinic_id)
    form = ClinicTwoFactorForm(request.POST)
    form.is_valid()  # a checkbox: absent means off
    required = bool(form.cleaned_data.get("required"))
    try:
        ended = two_factor.set_clinic_requirement(clinic, required, actor=request.user,  # type: ignore[arg-type]
                                                  request=request)
    except TwoFactorError as error:
        messages.error(request, str(error))
    else:
        if required:
            signed_out = (f" {ended} open session{'s' if ended != 1 else ''} of staff without it "
                          f"{'were' if ended != 1 else 'was'} ended." if ended else "")
            messages.success(request, f"{clinic.name} now requires two-factor sign-in for staff. Staff without it "
                                      f"set it up at their next login.{signed_out}")
        else:
            messages.success(request, f"Two-factor sign-in is optional again for {clinic.name}'s staff.")
    return redirect("accounts:people")


@login_required
@require_POST
def member_two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """A clinic admin switches off a staff member's two-factor (lost phone and recovery codes)."""
    require(request.user, Capability.ADMINISTER)  # type: ignore[arg-type]
    clinic_ids = clinic_ids_with(request.user, Capability.ADMINISTER)  # type: ignore[arg-type]
    member = User.objects.filter(pk=user_id, memberships__clinic_id__in=clinic_ids).distinct().first()
    if member is None:
        raise Http404("No such staff member.")
    try:
        two_factor.reset_two_factor(request.user, member, request)  # type: ignore[arg-type]
    except TwoFactorError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Two-factor sign-in is off for {member.full_name}. They log in with their "
                                  "password next time, and set it up again if their clinic requires it.")
    return redirect("accounts:people")
