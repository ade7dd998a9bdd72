"""Measures services: drinks, timeline followback, questionnaires, outcomes and the research export."""

from .common import MeasuresError, patient_today
from .drinks import (
    PICKER_DAYS,
    clinic_unit,
    delete_drink,
    drinks_on,
    picker_days,
    presets_by_beverage,
    record_drink,
    save_timeline,
    timeline_month,
)
from .export import build_research_export, export_research, pseudonym
from .outcomes import cohort_outcomes, patient_outcomes
from .questionnaires import due_questionnaires, record_questionnaire

__all__ = [
    "PICKER_DAYS",
    "MeasuresError",
    "build_research_export",
    "clinic_unit",
    "cohort_outcomes",
    "delete_drink",
    "drinks_on",
    "due_questionnaires",
    "export_research",
    "patient_outcomes",
    "patient_today",
    "picker_days",
    "presets_by_beverage",
    "pseudonym",
    "record_drink",
    "record_questionnaire",
    "save_timeline",
    "timeline_month",
]
