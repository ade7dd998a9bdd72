"""Turn service results into template context: plain-language summaries, chart specs, table rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from naltrack.clinical.drinking import HEAVY_DAY_ETHANOL_G, standard_drink_unit
from naltrack.clinical.instruments import get_instrument
from naltrack.clinical.instruments.phq9 import SELF_HARM_FLAG
from naltrack.web.accounts.models import Patient

from . import charts
from .models import QuestionnaireResult
from .services.outcomes import CohortOutcomes, PatientOutcomes
from .services.questionnaires import band_meaning, crisis_advice

RISK_WORDS = {"abstinent": "abstinent (no alcohol)", "low": "low", "medium": "medium", "high": "high",
              "very_high": "very high"}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def outcome_context(outcomes: PatientOutcomes, days: list[dict[str, Any]], doses: list[dt.date], *,
                    for_staff: bool = False) -> dict[str, Any]:
    m = outcomes.measures
    who = "The patient has" if for_staff else "You have"
    unit = standard_drink_unit(outcomes.unit)
    recorded = m.days
    heavy_days = sum(1 for d in days if d["heavy"])
    free_days = sum(1 for d in days if d["drinks"] == 0)
    cravings = [d["craving"] for d in days if d["craving"] is not None]
    summary_drinks = (
        f"{who} a record for {recorded} of the {outcomes.window_days} days. "
        f"{free_days} were alcohol-free ({_pct(m.percent_days_abstinent)} of recorded days) and "
        f"{heavy_days} {'was a heavy drinking day' if heavy_days == 1 else 'were heavy drinking days'}."
        if recorded else
        f"There is no drinking record for these {outcomes.window_days} days yet. Days without a record are "
        "left out, not counted as alcohol-free.")
    summary_craving = (
        f"Craving averaged {sum(cravings) / len(cravings):.1f} out of 10 over {len(cravings)} check-ins; "
        f"a dose was recorded on {len(doses)} of the {outcomes.window_days} days."
        if cravings else f"No craving ratings in these days; a dose was recorded on {len(doses)} days.")
    level = m.who_risk_level.value if m.who_risk_level else None
    dose_set = set(doses)
    table = [{**d, "dose": d["day"] in dose_set} for d in days]
    for day in doses:
        if day not in {d["day"] for d in days}:
            table.append({"day": day, "drinks": None, "heavy": False, "craving": None, "opioid_use": None,
                          "checked_in": False, "dose": True})
    table.sort(key=lambda d: d["day"], reverse=True)
    return {
        "outcomes": outcomes, "measures": m, "unit_name": unit.name, "unit_g": unit.ethanol_g,
        "risk_level": RISK_WORDS.get(level or "", "—"), "risk_code": level,
        "summary_drinks": summary_drinks, "summary_craving": summary_craving,
        "shift": outcomes.shift.shifts[0] if outcomes.shift.shifts else None,
        "day_table": table,
        "chart_drinks": charts.drinks_per_day(days, outcomes.unit, outcomes.start, outcomes.end),
        "chart_craving": charts.craving_and_doses(days, doses, outcomes.start, outcomes.end),
        "heavy_g": {sex.value: grams for sex, grams in HEAVY_DAY_ETHANOL_G.items()},
    }


def result_rows(results: list[QuestionnaireResult]) -> list[dict[str, Any]]:
    """Results with their band in words, for the clinician's table."""
    return [{"result": r, "meaning": band_meaning(r.instrument, r.band)} for r in results]


def questionnaire_charts(patient: Patient) -> list[dict[str, Any]]:
    """One history chart per instrument the patient has results for, with its latest result."""
    by_instrument: dict[str, list[QuestionnaireResult]] = {}
    for result in QuestionnaireResult.objects.filter(patient=patient).order_by("taken_on", "id"):
        by_instrument.setdefault(result.instrument, []).append(result)
    out = []
    for name, results in sorted(by_instrument.items()):
        latest = results[-1]
        spec = get_instrument(name)
        out.append({
            "name": name, "title": spec.title, "latest": latest, "count": len(results),
            "latest_meaning": band_meaning(name, latest.band), "max_total": spec.max_total,
            "chart": charts.questionnaire_history(name, [(r.taken_on, r.total) for r in results]),
            "chart_id": f"chart-q-{name}",
            "rows": [{"taken_on": r.taken_on, "total": r.total, "meaning": band_meaning(name, r.band)}
                     for r in reversed(results[-12:])],
        })
    return out


def result_context(result: QuestionnaireResult) -> dict[str, Any]:
    spec = get_instrument(result.instrument)
    crisis = crisis_advice(result.patient) if SELF_HARM_FLAG in result.flags else None
    return {"result": result, "instrument": spec, "meaning": band_meaning(result.instrument, result.band),
            "crisis": crisis}


def cohort_context(result: CohortOutcomes) -> dict[str, Any]:
    patients = result.patients.to_pydict()
    s = result.summary
    unit = standard_drink_unit(result.unit)
    shift = result.shift
    weeks = result.weekly
    return {
        "result": result, "summary": s, "unit_name": unit.name,
        "weeks": weeks,
        "risk_rows": [(charts.LEVEL_NAMES[k], v) for k, v in s.who_risk_levels.items()],
        "chart_pda": charts.histogram("Percent days abstinent, per patient", patients["percent_days_abstinent"],
                                      "Days abstinent (% of recorded days)", start=0, end=100, size=10,
                                      colour=charts.GREEN),
        "chart_grams": charts.histogram("Mean alcohol per recorded day, per patient", patients["grams_per_day"],
                                        "Grams of ethanol per day", start=0,
                                        end=max([20.0, *patients["grams_per_day"]]) + 10, size=10),
        "chart_weekly": charts.weekly_drinking(weeks),
        "chart_checkins": charts.weekly_checkins(weeks),
        "chart_levels": charts.who_levels(dict(s.who_risk_levels)),
        "chart_shift": charts.risk_shifts(shift.down_at_least_1, shift.unchanged, shift.up, shift.not_comparable),
        "chart_adherence": charts.histogram(
            "Days covered in the last 28 (PDC)", [round(v * 100, 1) for v in result.adherence.pdc_values],
            "Days covered (%)", start=0, end=100, size=10),
    }
