"""Supply: tablets dispensed and on hand, days left, refill dates, and the clinic's stock warnings.

All arithmetic is naltrack.clinical.supply's; this module gathers the rows it needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from naltrack.clinical.regimens import InvalidOrder, RegimenName
from naltrack.clinical.supply import (
    REFILL_LEAD_TIME_DAYS,
    StockCheck,
    check_clinic_stock,
    days_of_supply_left,
    expected_weekly_use,
    refill_due_on,
    supply_runs_out_on,
    tablets_on_hand,
    tablets_per_scheduled_week,
)
from naltrack.web.accounts.models import AuditAction, Clinic, Patient, User

from ..models import (
    AdherenceSnapshot,
    CheckIn,
    ClinicStock,
    Dispense,
    Dose,
    DoseKind,
    Episode,
    EpisodeStatus,
    MedicationOrder,
    StockProduct,
)
from .common import CareError, audit, check_recent_day, patient_today
from .courses import current_episode, current_order

if TYPE_CHECKING:
    from django.http import HttpRequest

MAX_TABLETS_PER_DISPENSE = 400  # a product guard against typing mistakes (over a year of daily tablets)
MAX_STOCK_COUNT = 100_000
TABLET_REGIMENS = frozenset({RegimenName.ORAL_DAILY, RegimenName.ORAL_SUPERVISED, RegimenName.TARGETED,
                             RegimenName.LOW_DOSE})


@dataclass(frozen=True)
class SupplyStatus:
    """The patient's tablets: dispensed, on hand, per week, days left and when to refill."""

    dispensed: int
    on_hand: float
    per_week: float | None
    days_left: int | None
    runs_out_on: dt.date | None
    refill_on: dt.date | None

    @property
    def is_refill_due(self) -> bool:
        return self.days_left is not None and self.days_left <= REFILL_LEAD_TIME_DAYS


def drinking_days_per_week(patient: Patient, today: dt.date) -> float:
    """Drinking days a week over the last 28 days of check-ins (what a targeted order uses)."""
    since = today - dt.timedelta(days=27)
    return CheckIn.objects.filter(patient=patient, drank=True, day__gte=since, day__lte=today).count() / 4


def supply_status(patient: Patient, episode: Episode | None, order: MedicationOrder | None,
                  today: dt.date) -> SupplyStatus | None:
    """Tablets on hand and days of supply left for a tablet order with tablets dispensed, else None."""
    if episode is None or order is None or RegimenName(order.regimen) not in TABLET_REGIMENS:
        return None
    dispenses = list(Dispense.objects.filter(episode=episode).order_by("dispensed_on"))
    if not dispenses:
        return None
    dispensed = sum(d.tablets for d in dispenses)
    taken_mg = Dose.objects.filter(episode=episode, kind=DoseKind.SELF_REPORTED,
                                   taken_on__gte=dispenses[0].dispensed_on).values_list("dose_mg", flat=True)
    on_hand = tablets_on_hand(dispensed, list(taken_mg), tablet_mg=_unit_mg(order))
    try:
        per_week = tablets_per_scheduled_week(order.as_core_order(),
                                              drinking_days_per_week=drinking_days_per_week(patient, today))
    except (InvalidOrder, ValueError):
        per_week = None
    if not per_week:
        return SupplyStatus(dispensed, on_hand, per_week, None, None, None)
    days_left = days_of_supply_left(on_hand, per_week)
    return SupplyStatus(dispensed, on_hand, per_week, days_left, supply_runs_out_on(today, days_left),
                        refill_due_on(today, days_left))


def _unit_mg(order: MedicationOrder) -> float:
    """One LDN capsule is the prescribed strength (S155); everything else is the 50 mg tablet (S2, S3)."""
    if order.regimen == RegimenName.LOW_DOSE and order.dose_mg:
        return order.dose_mg
    return 50.0


@transaction.atomic
def dispense_tablets(patient: Patient, *, by: User, tablets: int, dispensed_on: dt.date,
                     request: HttpRequest | None = None, via: str = "web") -> Dispense:
    """Record tablets (or LDN capsules) handed to the patient for their current tablet order."""
    check_recent_day(dispensed_on, patient_today(patient), what="a dispense", staff=True)
    if isinstance(tablets, bool) or not isinstance(tablets, int) or not 1 <= tablets <= MAX_TABLETS_PER_DISPENSE:
        raise CareError(f"Enter between 1 and {MAX_TABLETS_PER_DISPENSE} tablets.")
    episode = current_episode(patient)
    order = current_order(episode)
    if episode is None or order is None or RegimenName(order.regimen) not in TABLET_REGIMENS:
        raise CareError("There is no current tablet order to dispense for.")
    dispense = Dispense.objects.create(patient=patient, episode=episode, tablets=tablets,
                                       dispensed_on=dispensed_on, dispensed_by=by)
    audit(by, patient, AuditAction.CREATE, f"dispense {dispense.id}", detail=f"{tablets} tablets",
          request=request, via=via)
    return dispense


@dataclass(frozen=True)
class StockLine:
    product: StockProduct
    row: ClinicStock | None
    check: StockCheck | None


@dataclass(frozen=True)
class ClinicSupply:
    clinic: Clinic
    lines: list[StockLine]
    targeted_orders: int
    running_out: list[AdherenceSnapshot]


def clinic_supply(clinic: Clinic) -> ClinicSupply:
    """Expected weekly use of the clinic's current orders against its counted stock (check_clinic_stock)."""
    orders = MedicationOrder.objects.filter(
        patient__clinic=clinic, is_current=True, episode__status=EpisodeStatus.ACTIVE).select_related("episode")
    use = expected_weekly_use(order.as_core_order() for order in orders)
    per_week = {StockProduct.TABLETS_50MG: use.tablets_50mg, StockProduct.LDN_CAPSULES: use.ldn_capsules,
                StockProduct.INJECTIONS: use.injections, StockProduct.IMPLANTS: use.implants}
    rows = {row.product: row for row in ClinicStock.objects.filter(clinic=clinic)}
    lines = []
    for product in StockProduct:
        row = rows.get(product.value)
        check = check_clinic_stock(row.on_hand, per_week[product]) if row is not None else None
        lines.append(StockLine(product=product, row=row, check=check))
    running_out = list(AdherenceSnapshot.objects.filter(
        patient__clinic=clinic, patient__is_active=True, days_of_supply_left__isnull=False,
        days_of_supply_left__lte=REFILL_LEAD_TIME_DAYS).select_related("patient").order_by("days_of_supply_left"))
    return ClinicSupply(clinic=clinic, lines=lines, targeted_orders=use.targeted_orders, running_out=running_out)


@transaction.atomic
def count_stock(clinic: Clinic, *, by: User, product: str, on_hand: int, today: dt.date) -> ClinicStock:
    """Record a stock count of one product at the clinic."""
    if product not in StockProduct.values:
        raise CareError("Choose a product.")
    if isinstance(on_hand, bool) or not isinstance(on_hand, int) or not 0 <= on_hand <= MAX_STOCK_COUNT:
        raise CareError(f"Enter a count between 0 and {MAX_STOCK_COUNT}.")
    row, _ = ClinicStock.objects.update_or_create(
        clinic=clinic, product=product, defaults={"on_hand": on_hand, "counted_on": today, "counted_by": by})
    from naltrack.web.accounts.services import record_audit_event

    record_audit_event(actor=by, patient=None, clinic=clinic, action=AuditAction.UPDATE, target="stock",
                       detail=f"{product}: {on_hand}")
    return row
