"""Safety records: induction screenings (and prescriber overrides), liver results, symptom reports and
current medications. The clinical decisions behind them live in ``naltrack.clinical``; these models keep
what was decided, from which inputs, by whom and when."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from naltrack.clinical.labs import LIVER_TESTS
from naltrack.web.accounts.models import Patient, User


class Verdict(models.TextChoices):
    READY = "ready", "Ready"
    CAUTION = "caution", "Caution"
    NOT_READY = "not_ready", "Not ready"


class Screening(models.Model):
    """One induction screening: the inputs as recorded, the core's verdict and every reason it gave."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="screenings")
    inputs = models.JSONField(help_text="The screening input (DESIGN.md schema) as it was screened.")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    reasons = models.JSONField(help_text="List of {code, severity, message, source}, blocks first.")
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_by_label = models.CharField(max_length=160, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["patient", "-recorded_at"])]

    def __str__(self) -> str:
        return f"Screening {self.id}: {self.get_verdict_display()}"

    @property
    def is_blocking(self) -> bool:
        return self.verdict == Verdict.NOT_READY


class ScreeningOverride(models.Model):
    """A prescriber's decision to give a first dose despite a not_ready screening, with their reason."""

    screening = models.OneToOneField(Screening, on_delete=models.CASCADE, related_name="override")
    reason = models.TextField(max_length=1000)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    by_label = models.CharField(max_length=160)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Override of screening {self.screening_id} by {self.by_label}"


LIVER_TEST_CHOICES = [(test.code, test.display_name) for test in LIVER_TESTS]


class LiverResult(models.Model):
    """One liver-test result with that laboratory's upper limit of normal (same unit as the value)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="liver_results")
    test = models.CharField(max_length=20, choices=LIVER_TEST_CHOICES)
    value = models.FloatField()
    unit = models.CharField(max_length=12)
    uln = models.FloatField(help_text="The lab's upper limit of normal, in the same unit as the value.")
    taken_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["taken_on", "id"]
        indexes = [models.Index(fields=["patient", "test", "taken_on"])]

    def __str__(self) -> str:
        return f"{self.get_test_display()} {self.value:g} {self.unit} on {self.taken_on}"


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent"
    ROUTINE = "routine", "Routine"
    NONE = "none", "Nothing recognised"


class SymptomReport(models.Model):
    """A patient's side-effect report: what they ticked and wrote, and the core's triage of it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="symptom_reports")
    symptoms = models.JSONField(default=list, help_text="Checklist codes the patient ticked.")
    free_text = models.TextField(max_length=2000, blank=True)
    formulation = models.CharField(max_length=10, blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    codes = models.JSONField(default=list, help_text="Every code recognised (checklist and free text).")
    next_steps = models.JSONField(default=list)
    sources = models.JSONField(default=list)
    is_crisis = models.BooleanField(default=False)
    flags_clinician = models.BooleanField(default=False)
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["patient", "-reported_at"])]

    def __str__(self) -> str:
        return f"Symptom report {self.id}: {self.urgency}"


class Medication(models.Model):
    """A medicine the patient takes (or took), as recorded by staff, for the opioid-medicine check."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(max_length=120)
    dose_text = models.CharField(max_length=120, blank=True)
    started_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.stopped_on is None
