"""Models of the measures capability: drinks, timeline-followback days and questionnaire results.

Grams of ethanol and standard drinks are computed by ``naltrack.clinical.drinking`` in the services
and stored at save time, together with the unit they were counted in, so a later change of the
clinic's unit never rewrites history.
"""

from __future__ import annotations

from django.db import models

from naltrack.web.accounts.models import Patient, User


class Beverage(models.TextChoices):
    BEER = "beer", "Beer or cider"
    WINE = "wine", "Wine"
    SPIRITS = "spirits", "Spirits"
    OTHER = "other", "Other"


class DrinkEntry(models.Model):
    """One drink the patient logged (or staff entered) on the patient's local day."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="drink_entries")
    day = models.DateField(help_text="The patient's local calendar day.")
    beverage = models.CharField(max_length=10, choices=Beverage.choices)
    label = models.CharField(max_length=80, blank=True, help_text="The preset picked, e.g. 'Wine, 150 mL glass'.")
    volume_ml = models.FloatField()
    abv_percent = models.FloatField()
    ethanol_g = models.FloatField(help_text="Computed by naltrack.clinical.drinking at save time.")
    standard_drinks = models.FloatField(help_text="In ``unit`` (the clinic's unit when saved).")
    unit = models.CharField(max_length=4)
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "day"])]
        verbose_name_plural = "drink entries"

    def __str__(self) -> str:
        return f"{self.label or self.beverage} on {self.day}"


class TimelineDay(models.Model):
    """One day of a timeline-followback interview: standard drinks that day, 0 meaning abstinent.

    A day without a row is missing (not recalled), never abstinent.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="timeline_days")
    day = models.DateField()
    standard_drinks = models.FloatField(help_text="In ``unit``; 0 is an abstinent day.")
    unit = models.CharField(max_length=4)
    ethanol_g = models.FloatField(help_text="Computed by naltrack.clinical.drinking at save time.")
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["patient", "day"], name="one_timeline_row_per_day")]

    def __str__(self) -> str:
        return f"TLFB {self.day}: {self.standard_drinks:g} {self.unit}"


class QuestionnaireResult(models.Model):
    """A completed questionnaire: the answers as given and the core's score (total, band, flags)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="questionnaire_results")
    instrument = models.CharField(max_length=12, help_text="naltrack.clinical.instruments name, e.g. phq-9.")
    taken_on = models.DateField()
    answers = models.JSONField(help_text="One entry per item: the option's score, or true/false.")
    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=40)
    flags = models.JSONField(default=list, blank=True)
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_self_report = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "instrument", "taken_on"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.total} on {self.taken_on}"
