"""Clinics, staff memberships with roles, patients, API tokens, two-factor devices and audit events."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

# Standard-drink units a clinic can count in (naltrack.clinical.drinking holds their gram values).
DRINK_UNITS = [
    ("us", "US standard drink (14 g)"),
    ("uk", "UK unit (8 g)"),
    ("au", "Australian standard drink (10 g)"),
    ("nz", "New Zealand standard drink (10 g)"),
    ("ie", "Irish standard drink (10 g)"),
    ("ca", "Canadian standard drink (13.45 g)"),
    ("jp", "Japanese standard drink (19.75 g)"),
    ("who", "WHO standard drink (10 g)"),
]

COUNTRIES = [
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("CA", "Canada"),
    ("AU", "Australia"),
    ("NZ", "New Zealand"),
    ("JP", "Japan"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("ES", "Spain"),
    ("IT", "Italy"),
    ("NL", "Netherlands"),
    ("DK", "Denmark"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("FI", "Finland"),
    ("SE", "Sweden"),
    ("NO", "Norway"),
    ("ZA", "South Africa"),
    ("IN", "India"),
]


def validate_time_zone(value: str) -> None:
    """Refuse a time-zone name the IANA database does not know."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (use a name such as Europe/London).")


class Role(models.TextChoices):
    PRESCRIBER = "prescriber", "Prescriber"
    NURSE = "nurse", "Nurse"
    COUNSELLOR = "counsellor", "Counsellor"
    MODERATOR = "moderator", "Moderator"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class Clinic(models.Model):
    """A clinic, addiction service or telehealth team that runs naltrack for its patients."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    country = models.CharField(max_length=2, choices=COUNTRIES, default="US")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    drink_unit = models.CharField(max_length=4, choices=DRINK_UNITS, default="us")
    requires_two_factor = models.BooleanField(
        default=False, help_text="Staff must sign in with a code from an authenticator app (set on the People page)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Anyone who logs in: staff (through memberships) or a patient (through Patient.user)."""

    class Meta:
        ordering = ["username"]

    @property
    def full_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A staff member's role in one clinic; a person may hold several roles and clinics."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    professional_title = models.CharField(
        max_length=80, blank=True, help_text="Shown beside a moderator's posts, e.g. 'Addiction nurse'."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic", "role"], name="one_membership_per_role"),
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.clinic}"


class Patient(models.Model):
    """A person treated by one clinic; the login is optional (staff may keep the record alone)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="patient"
    )
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    display_name = models.CharField(
        max_length=40, unique=True, help_text="Pseudonymous name shown in the community; never a real name."
    )
    record_number = models.CharField(max_length=40, help_text="The clinic's own record number.")
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, help_text="Used for drinking thresholds.")
    country = models.CharField(max_length=2, choices=COUNTRIES, default="US")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    enrolled_on = models.DateField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "record_number"], name="record_number_unique_in_clinic"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.record_number})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class ApiToken(models.Model):
    """A personal API token; only a hash of the secret is stored, the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class TwoFactorDevice(models.Model):
    """A person's authenticator app (TOTP, RFC 6238); on once confirmed with a code.

    The TOTP secret itself is not stored: it is derived from ``seed`` with the server's secret key
    (see ``two_factor.totp_secret``), so a database dump alone does not reveal it.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    seed = models.CharField(max_length=64, help_text="Random; the secret is HMAC(server key, seed).")
    key_id = models.CharField(max_length=16, help_text="Which server key derived the secret (a fingerprint).")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="Empty until the first code is confirmed.")
    last_used_step = models.BigIntegerField(
        default=0, help_text="The 30-second time step of the last accepted code; older or equal steps are refused."
    )
    failed_attempts = models.PositiveIntegerField(default=0, help_text="Wrong codes in a row, from any address.")
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"two-factor for {self.user} ({'on' if self.confirmed_at else 'being set up'})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time recovery code; only a SHA-256 hash is stored, the code is shown once."""

    device = models.ForeignKey(TwoFactorDevice, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code for {self.device.user} ({'used' if self.used_at else 'unused'})"


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    ACKNOWLEDGE = "acknowledge", "Acknowledged"
    OVERRIDE = "override", "Overrode"
    TWO_FACTOR_ON = "2fa_on", "Switched on two-factor"
    TWO_FACTOR_OFF = "2fa_off", "Switched off two-factor"
    RECOVERY_CODES = "2fa_codes", "Made new recovery codes"
    RECOVERY_CODE_USED = "2fa_recovery", "Used a recovery code"
    SECOND_STEP_FAILED = "2fa_failed", "Failed a two-factor code"


class AuditEvent(models.Model):
    """One staff read or write of a patient's record (who, what, when, from where)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="audit_events")
    actor_label = models.CharField(max_length=160, help_text="Name and roles at the time of the event.")
    clinic = models.ForeignKey(Clinic, on_delete=models.SET_NULL, null=True, related_name="audit_events")
    patient = models.ForeignKey(
        Patient, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    target = models.CharField(max_length=80, help_text="What was touched, e.g. 'chart' or 'episode 12'.")
    detail = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    via = models.CharField(max_length=8, default="web", help_text="web, api or cli")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-at"]),
            models.Index(fields=["clinic", "-at"]),
            models.Index(fields=["actor", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}"
