"""Clinics, staff memberships with roles, patients, API tokens and audit events."""

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


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    ACKNOWLEDGE = "acknowledge", "Acknowledged"
    OVERRIDE = "override", "Overrode"


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
