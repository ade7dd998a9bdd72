"""Template context of the protection pages: the readings in words, the chart, the day table."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from . import charts, services
from .services import Comparison, Origin, Timeline

RECORDED_NAME = "From the recorded doses (none after now)"
PLANNED_NAME = "If taken as prescribed from now"
BAND_NAME = "Range for most people"
BASELINE_NAME = "Recorded, then as prescribed"
WHAT_IF_NAME = "What-if"
WHAT_IF_BAND_NAME = "What-if range for most people"


def _common(timeline: Timeline) -> dict[str, Any]:
    return {
        "timeline": timeline, "caveats": services.CAVEATS, "sources": services.safety_sources(),
        "bands_note": services.DISPLAY_BANDS_NOTE, "notes": timeline.notes,
        "past_days": (timeline.today - timeline.local(timeline.window_start).date()).days,
        "ahead_days": (timeline.local(timeline.window_end).date() - timeline.today).days - 1,
        "last_day": timeline.local(timeline.window_end).date() - dt.timedelta(days=1),
        "history_weeks": services.HISTORY_DAYS // 7,
        "tablet_history_weeks": services.ORAL_HISTORY_DAYS // 7,
        "lookback_weeks": ((timeline.today - timeline.local(timeline.window_start).date()).days
                           + services.HISTORY_DAYS) // 7,
        "tablet_lookback_weeks": ((timeline.today - timeline.local(timeline.window_start).date()).days
                                  + services.ORAL_HISTORY_DAYS) // 7,
        "main_heading": "Recorded doses only",
        "other_heading": "If taken as prescribed" if timeline.planned else "",
        "last_dose": timeline.recorded[-1] if timeline.recorded else None,
        "last_dose_label": timeline.recorded[-1].label(timeline.zone) if timeline.recorded else "",
        "other_from_today": True,
        "zone_name": timeline.zone.key,
    }


def _readings(timeline: Timeline) -> dict[str, Any]:
    recorded = timeline.recorded_curve
    assert recorded is not None
    planned = timeline.planned_curve
    return {
        "now": timeline.reading_now(recorded),
        "end_without_doses": timeline.reading_at_end(recorded),
        "end_as_prescribed": timeline.reading_at_end(planned) if planned is not None else None,
    }


def _recorded_and_planned_chart(timeline: Timeline, title: str, *, show_model_level: bool) -> dict[str, Any]:
    assert timeline.recorded_curve is not None
    lines = [charts.Line(RECORDED_NAME, timeline.recorded_curve, charts.TEAL, charts.TEAL_BAND, BAND_NAME)]
    if timeline.planned_curve is not None:
        lines.append(charts.Line(PLANNED_NAME, timeline.planned_curve, charts.AMBER, dash="dash",
                                 start=timeline.grid.now_index))
    doses = timeline.shown(timeline.baseline_doses)
    return charts.timeline_figure(timeline, lines, doses, title=title, show_model_level=show_model_level)


def patient_context(timeline: Timeline) -> dict[str, Any]:
    """The patient's page: the estimate now, in a week with and without doses, the chart and the days."""
    context = _common(timeline)
    if not timeline.has_doses:
        return context
    assert timeline.recorded_curve is not None
    context.update(_readings(timeline))
    context["chart"] = _recorded_and_planned_chart(timeline, "Estimated blockade for a typical person",
                                                   show_model_level=False)
    context["rows"] = services.day_rows(timeline, timeline.recorded_curve, timeline.planned_curve,
                                        timeline.baseline_doses)
    return context


def clinician_context(timeline: Timeline, comparison: Comparison | None) -> dict[str, Any]:
    """The clinician's page: as the patient's, or the baseline against a what-if on one chart and table."""
    context = _common(timeline)
    if not timeline.has_doses:
        return context
    assert timeline.recorded_curve is not None
    context.update(_readings(timeline))
    if comparison is None:
        context["chart"] = _recorded_and_planned_chart(timeline, "Estimated blockade (typical patient)",
                                                       show_model_level=True)
        context["rows"] = services.day_rows(timeline, timeline.recorded_curve, timeline.planned_curve,
                                            timeline.baseline_doses)
        return context
    lines = [
        charts.Line(BASELINE_NAME, comparison.baseline, charts.TEAL, charts.TEAL_BAND, BAND_NAME),
        charts.Line(WHAT_IF_NAME, comparison.changed, charts.AMBER, charts.AMBER_BAND, WHAT_IF_BAND_NAME,
                    dash="dash", start=comparison.first_change),
    ]
    kept = {(d.key, d.at) for d in comparison.doses}
    left_out = [d for d in timeline.shown(timeline.baseline_doses) if (d.key, d.at) not in kept]
    context["chart"] = charts.timeline_figure(timeline, lines, timeline.shown(comparison.doses),
                                              title="Baseline and what-if (typical patient)", show_model_level=True,
                                              left_out=left_out)
    taken_away = [replace(d, origin=Origin.LEFT_OUT) for d in left_out]
    context["rows"] = services.day_rows(timeline, comparison.baseline, comparison.changed,
                                        [*comparison.doses, *taken_away])
    context["main_heading"] = "Record, then as prescribed"
    context["other_from_today"] = False
    context["other_heading"] = "What-if"
    context["comparison"] = comparison
    context["what_if_now"] = timeline.reading_now(comparison.changed)
    context["baseline_now"] = timeline.reading_now(comparison.baseline)
    return context
