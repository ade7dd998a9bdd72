"""Care pages: the clinician's caseload, chart and course forms; the patient's home and check-in;
the private links (reminder feed, support person) that need no login."""

from .patient import (
    backfill_dose,
    calendar_feed,
    checkin,
    first_drink,
    patient_home,
    support_people,
    support_person_revoke,
    take_dose,
)
from .public import reminder_feed, support_notices, support_notices_feed
from .staff import (
    acknowledge_flag,
    caseload,
    clinic_supply,
    dispense,
    episode_edit,
    episode_end,
    episode_start,
    injection_new,
    order_new,
    patient_chart,
    supervised_dose_new,
)

__all__ = [
    "acknowledge_flag", "backfill_dose", "calendar_feed", "caseload", "checkin", "clinic_supply", "dispense",
    "episode_edit", "episode_end", "episode_start", "first_drink", "injection_new", "order_new",
    "patient_chart", "patient_home", "reminder_feed", "supervised_dose_new", "support_notices",
    "support_notices_feed", "support_people", "support_person_revoke", "take_dose",
]
