"""Care records. Flags are shared by every capability that needs a clinician's attention."""

from __future__ import annotations

from django.db import models

from naltrack.web.accounts.models import Patient, User


class FlagSeverity(models.TextChoices):
    """How soon a clinician should look; the caseload sorts by this, most severe first."""

    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent"
    WARNING = "warning", "Needs attention"
    INFO = "info", "For information"


SEVERITY_RANK = {FlagSeverity.EMERGENCY: 4, FlagSeverity.URGENT: 3, FlagSeverity.WARNING: 2, FlagSeverity.INFO: 1}


class Flag(models.Model):
    """Something on a patient's record a clinician must see and acknowledge (missed doses, a red-flag
    symptom, a liver result above threshold...). Raised by services, never by views."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=40, help_text="Stable code, e.g. 'missed_doses', 'symptom_urgent'.")
    severity = models.CharField(max_length=10, choices=FlagSeverity.choices)
    severity_rank = models.PositiveSmallIntegerField(editable=False)
    title = models.CharField(max_length=140)
    detail = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=80, blank=True, help_text="Source key of the rule that raised it.")
    link = models.CharField(max_length=200, blank=True, help_text="Where on the chart to look.")
    dedupe_key = models.CharField(max_length=120, help_text="Open flags with the same key are not repeated.")
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="acknowledged_flags")
    acknowledgement_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-severity_rank", "-raised_at"]
        indexes = [models.Index(fields=["patient", "acknowledged_at"])]
        constraints = [
            models.UniqueConstraint(fields=["patient", "dedupe_key"], condition=models.Q(acknowledged_at__isnull=True),
                                    name="one_open_flag_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.severity_rank = SEVERITY_RANK[FlagSeverity(self.severity)]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
