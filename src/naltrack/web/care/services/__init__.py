"""Care services: every action on episodes, orders, doses, check-ins, supply, flags and sharing.

Views and the API call these; each owns its transaction and writes the audit event of a staff write.
"""

from .adherence import AdherenceSummary, summarise_adherence
from .caseload import caseload
from .checkins import (
    backfill_dose,
    record_first_drink,
    save_checkin,
    take_dose_now,
    targeted_session,
    today_checkin,
)
from .common import BACKFILL_DAYS, CareError, patient_today
from .courses import (
    current_episode,
    current_order,
    default_planned_weeks,
    end_episode,
    latest_episode,
    start_episode,
    update_episode,
    write_order,
)
from .doses import FirstDoseBlocked, record_injection, record_self_dose, record_supervised_dose, suggested_site
from .flagging import NO_CHECKIN_DAYS, adherence_for, refresh_flags
from .sharing import (
    add_support_person,
    issue_calendar_feed,
    missed_notices,
    notices_calendar,
    patient_for_feed,
    reminder_calendar,
    revoke_calendar_feed,
    revoke_support_person,
    support_person_for_token,
    upcoming_events,
)
from .supply import clinic_supply, count_stock, dispense_tablets, supply_status

__all__ = [
    "BACKFILL_DAYS",
    "NO_CHECKIN_DAYS",
    "AdherenceSummary",
    "CareError",
    "FirstDoseBlocked",
    "add_support_person",
    "adherence_for",
    "backfill_dose",
    "caseload",
    "clinic_supply",
    "count_stock",
    "current_episode",
    "current_order",
    "default_planned_weeks",
    "dispense_tablets",
    "end_episode",
    "issue_calendar_feed",
    "latest_episode",
    "missed_notices",
    "notices_calendar",
    "patient_for_feed",
    "patient_today",
    "record_first_drink",
    "record_injection",
    "record_self_dose",
    "record_supervised_dose",
    "refresh_flags",
    "reminder_calendar",
    "revoke_calendar_feed",
    "revoke_support_person",
    "save_checkin",
    "start_episode",
    "suggested_site",
    "summarise_adherence",
    "supply_status",
    "support_person_for_token",
    "take_dose_now",
    "targeted_session",
    "today_checkin",
    "upcoming_events",
    "update_episode",
    "write_order",
]
