from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login-code"),
    path("login/two-factor-setup/", views.login_two_factor_setup, name="login-two-factor-setup"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/two-factor/start/", views.two_factor_start, name="two-factor-start"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("account/two-factor/recovery-codes/", views.two_factor_recovery_codes, name="two-factor-recovery-codes"),
    path("account/two-factor/off/", views.two_factor_disable, name="two-factor-disable"),
    path("account/tokens/", views.token_create, name="token-create"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("password-reset/", auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password-reset-done")), name="password-reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password-reset-done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password-reset-complete")), name="password-reset-confirm"),
    path("password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password-reset-complete"),
    path("my-record/access/", views.record_access, name="record-access"),
    path("admin/audit/", views.audit_log, name="audit"),
    path("admin/people/", views.people, name="people"),
    path("admin/people/clinics/<int:clinic_id>/two-factor/", views.clinic_two_factor, name="clinic-two-factor"),
    path("admin/people/<int:user_id>/two-factor/reset/", views.member_two_factor_reset,
         name="member-two-factor-reset"),
]
