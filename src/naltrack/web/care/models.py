"""Care records. Flags are shared by every capability that needs a clinician's attention."""

from __future__ import annotations

import datetime as dt

from django.db import models

from naltrack.clinical.regimens import Indication, Regimen, RegimenName, SupervisedPattern, WeeklyDose, get_regimen
from naltrack.clinical.regimens import Order as CoreOrder
from naltrack.web.accounts.models import Clinic, Patient, User


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


# --- Treatment courses ---------------------------------------------------------------------------


class EpisodeIndication(models.TextChoices):
    ALCOHOL = "alcohol", "Alcohol use disorder"
    OPIOID = "opioid", "Opioid use disorder"
    OTHER = "other", "Other"


class EpisodeGoal(models.TextChoices):
    ABSTINENCE = "abstinence", "Abstinence"
    REDUCED_DRINKING = "reduced", "Reduced drinking"


class EpisodeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class EndReason(models.TextChoices):
    COMPLETED = "completed", "Planned course completed"
    PATIENT_CHOICE = "patient_choice", "Patient chose to stop"
    SIDE_EFFECTS = "side_effects", "Side effects or adverse reaction"
    NOT_HELPING = "not_helping", "Not helping enough"
    LOST_TO_FOLLOW_UP = "lost", "Lost to follow-up"
    TRANSFERRED = "transferred", "Transferred to another service"
    OTHER = "other", "Other"


class Episode(models.Model):
    """One episode of naltrexone treatment: why, towards what goal, from when, for how long, and how it ended."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="episodes")
    indication = models.CharField(max_length=10, choices=EpisodeIndication.choices)
    goal = models.CharField(max_length=12, choices=EpisodeGoal.choices, default=EpisodeGoal.ABSTINENCE)
    started_on = models.DateField()
    planned_weeks = models.PositiveSmallIntegerField(null=True, blank=True,
                                                     help_text="Empty for an open-ended episode.")
    status = models.CharField(max_length=8, choices=EpisodeStatus.choices, default=EpisodeStatus.ACTIVE)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.CharField(max_length=300, blank=True)
    overdose_risk_explained = models.BooleanField(
        default=False, help_text="The clinician confirmed the loss-of-tolerance overdose risk was explained.")
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    ended_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient"], condition=models.Q(status="active"),
                                    name="one_active_episode_per_patient"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indication_display()} episode from {self.started_on}"

    @property
    def is_active(self) -> bool:
        return self.status == EpisodeStatus.ACTIVE

    @property
    def planned_end_on(self) -> dt.date | None:
        if self.planned_weeks is None:
            return None
        return self.started_on + dt.timedelta(weeks=self.planned_weeks)


class MedicationOrder(models.Model):
    """A prescriber's naltrexone order within an episode; ``as_core_order`` gives the core's Order."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="orders")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medication_orders")
    regimen = models.CharField(max_length=20)
    dose_mg = models.FloatField(null=True, blank=True)
    pattern = models.CharField(max_length=40, blank=True)
    weekly_doses = models.JSONField(default=list, blank=True,
                                    help_text="Three-times-weekly pattern: [[weekday, mg], ...], 0 = Monday.")
    implant_duration_days = models.PositiveIntegerField(null=True, blank=True)
    minutes_before_drink = models.PositiveSmallIntegerField(default=60)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)
    prescribed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["patient", "is_current"])]

    def __str__(self) -> str:
        return f"{self.regimen} from {self.starts_on}"

    def as_core_order(self) -> CoreOrder:
        """The pure core's Order for this row (the core validates it)."""
        indication = None if self.episode.indication == EpisodeIndication.OTHER else Indication(
            self.episode.indication)
        return CoreOrder(
            regimen=RegimenName(self.regimen), start=self.starts_on, indication=indication,
            dose_mg=self.dose_mg, pattern=SupervisedPattern(self.pattern) if self.pattern else None,
            weekly_doses=tuple(WeeklyDose(weekday=int(d), dose_mg=float(mg)) for d, mg in self.weekly_doses),
            implant_duration_days=self.implant_duration_days,
            minutes_before_drink=self.minutes_before_drink, end=self.ends_on,
        )

    @property
    def regimen_entry(self) -> Regimen:
        return get_regimen(self.regimen)

    @property
    def is_off_label(self) -> bool:
        return not self.regimen_entry.is_on_label


class DoseKind(models.TextChoices):
    SELF_REPORTED = "self", "Taken (patient's report)"
    SUPERVISED = "supervised", "Supervised tablet"
    INJECTION = "injection", "Injection"
    IMPLANT = "implant", "Implant"


class Dose(models.Model):
    """One dose taken or given, on the patient's local day; injections carry site, lot and expiry."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="doses")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="doses")
    order = models.ForeignKey(MedicationOrder, on_delete=models.CASCADE, related_name="doses")
    taken_on = models.DateField(help_text="The patient's local calendar day.")
    time_taken = models.DateTimeField(null=True, blank=True, help_text="When known (back-filled doses: unknown).")
    dose_mg = models.FloatField()
    kind = models.CharField(max_length=10, choices=DoseKind.choices)
    formulation = models.CharField(max_length=10, help_text="oral, injection or implant")
    site = models.CharField(max_length=20, blank=True)
    lot = models.CharField(max_length=40, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    given_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    given_by_label = models.CharField(max_length=160, blank=True)
    reactions = models.CharField(max_length=300, blank=True, help_text="Immediate reactions, if any.")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-id"]
        indexes = [models.Index(fields=["patient", "taken_on"])]
        constraints = [
            models.UniqueConstraint(fields=["patient", "taken_on"], condition=models.Q(kind="self"),
                                    name="one_self_reported_dose_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.dose_mg:g} mg {self.kind} on {self.taken_on}"


class CheckIn(models.Model):
    """The patient's daily check-in; one per local day (editing today's updates it)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="checkins")
    day = models.DateField()
    craving = models.PositiveSmallIntegerField(null=True, blank=True)
    opioid_use = models.BooleanField(null=True, blank=True)
    mood = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (very low) to 5 (very good)")
    breath_alcohol_mg_l = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    is_lapse = models.BooleanField(default=False)
    lapse_note = models.CharField(max_length=500, blank=True)
    drank = models.BooleanField(default=False, help_text="Targeted dosing: a drinking day.")
    first_drink_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["patient", "day"], name="one_checkin_per_day")]

    def __str__(self) -> str:
        return f"check-in {self.day}"


class Dispense(models.Model):
    """Tablets (or LDN capsules) handed to the patient by staff."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="dispenses")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="dispenses")
    tablets = models.PositiveIntegerField()
    dispensed_on = models.DateField()
    dispensed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dispensed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.tablets} tablets on {self.dispensed_on}"


class StockProduct(models.TextChoices):
    TABLETS_50MG = "tablets_50mg", "Naltrexone 50 mg tablets"
    LDN_CAPSULES = "ldn_capsules", "Low-dose naltrexone capsules"
    INJECTIONS = "injections", "Extended-release injection kits (380 mg)"
    IMPLANTS = "implants", "Implants"


class ClinicStock(models.Model):
    """The clinic's counted stock of one product."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="naltrexone_stock")
    product = models.CharField(max_length=16, choices=StockProduct.choices)
    on_hand = models.PositiveIntegerField(default=0)
    counted_on = models.DateField()
    counted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "product"], name="one_stock_row_per_product")]

    def __str__(self) -> str:
        return f"{self.get_product_display()}: {self.on_hand}"


class AdherenceSnapshot(models.Model):
    """Per-patient adherence at a glance, stored by the services so the caseload never computes PDC per row."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="adherence_snapshot")
    regimen = models.CharField(max_length=20, blank=True)
    pdc_28 = models.FloatField(null=True, blank=True)
    pdc_episode = models.FloatField(null=True, blank=True)
    is_adherent = models.BooleanField(null=True, blank=True, help_text="The core's verdict on the 28-day PDC.")
    targeted_coverage = models.FloatField(null=True, blank=True)
    missed_last_7 = models.PositiveSmallIntegerField(default=0)
    injection_due_on = models.DateField(null=True, blank=True)
    is_injection_overdue = models.BooleanField(default=False)
    last_checkin_on = models.DateField(null=True, blank=True)
    days_of_supply_left = models.IntegerField(null=True, blank=True)
    computed_for = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"adherence of patient {self.patient_id} on {self.computed_for}"


class SupportPerson(models.Model):
    """Someone the patient chose to see missed-dose notices through a private, revocable link."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="support_people")
    name = models.CharField(max_length=80)
    relationship = models.CharField(max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"support person ({self.relationship})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CalendarFeed(models.Model):
    """The patient's private reminder feed (iCalendar); regenerating revokes the old address."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"reminder feed of patient {self.patient_id}"
