"""Plotly figure specifications (plain dicts, drawn by static/naltrack/charts.js).

Each chart carries a title, axis titles with units, and is laid out to read on a 390-px phone:
legends sit under the plot, fonts are at least 13 px, margins are small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from naltrack.clinical.drinking import standard_drink_unit
from naltrack.clinical.instruments import get_instrument

TEAL = "#0a6e7d"
RED = "#a1191b"
GREEN = "#1e6b3a"
AMBER = "#b86e00"
GREY = "#4a5a68"
DAY_MS = 0.8 * 86_400_000  # a bar 80 % of a day wide on a date axis (one-bar traces otherwise draw as a line)
LEVEL_COLOURS = {"abstinent": "#1e6b3a", "low": "#5b9f6e", "medium": "#b86e00", "high": "#c2461f",
                 "very_high": "#a1191b"}
LEVEL_NAMES = {"abstinent": "Abstinent", "low": "Low", "medium": "Medium", "high": "High",
               "very_high": "Very high"}


def unit_words(unit: str) -> str:
    """'US standard drinks', 'UK units': the unit in running text."""
    return f"{standard_drink_unit(unit).name}s"


def unit_axis(unit: str) -> str:
    drink = standard_drink_unit(unit)
    return f"Standard drinks ({drink.code.upper()}, {drink.ethanol_g:.3g} g)"


def layout(title: str, x_title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": {"text": title, "font": {"size": 16}, "x": 0, "xanchor": "left"},
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13,
                 "color": "#1b2631"},
        "height": 340,
        "margin": {"l": 56, "r": 12, "t": 48, "b": 64},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.28, "x": 0},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "bargap": 0.15,
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


def figure(data: list[dict[str, Any]], figure_layout: dict[str, Any]) -> dict[str, Any]:
    """A Plotly figure for static/naltrack/charts.js, with its settings for a phone-sized screen."""
    second_axis = figure_layout.get("margin", {}).get("r", 0) > 20
    phone = {"extra_height": 30, "margin": {"l": 50, "r": 46 if second_axis else 8}, "title_size": 15,
             "legend_y": -0.34}
    return {"data": data, "layout": figure_layout, "phone": phone}


def _iso(days: Iterable[dt.date]) -> list[str]:
    return [day.isoformat() for day in days]


def drinks_per_day(days: list[dict[str, Any]], unit: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Bars of standard drinks per recorded day, heavy days in red, alcohol-free days as green dots."""
    drinking = [d for d in days if d["drinks"] is not None and d["drinks"] > 0 and not d["heavy"]]
    heavy = [d for d in days if d["heavy"]]
    free = [d for d in days if d["drinks"] == 0]
    data = [
        {"type": "bar", "name": "Drinking day", "x": _iso(d["day"] for d in drinking),
         "y": [round(d["drinks"], 1) for d in drinking], "marker": {"color": TEAL}, "width": [DAY_MS] * len(drinking),
         "hovertemplate": "%{x|%d %b}: %{y} drinks<extra></extra>"},
        {"type": "bar", "name": "Heavy drinking day", "x": _iso(d["day"] for d in heavy),
         "y": [round(d["drinks"], 1) for d in heavy], "marker": {"color": RED}, "width": [DAY_MS] * len(heavy),
         "hovertemplate": "%{x|%d %b}: %{y} drinks (heavy)<extra></extra>"},
        {"type": "scatter", "mode": "markers", "name": "Alcohol-free day", "x": _iso(d["day"] for d in free),
         "y": [0] * len(free), "marker": {"color": GREEN, "size": 9, "symbol": "circle"},
         "hovertemplate": "%{x|%d %b}: alcohol-free<extra></extra>"},
    ]
    return figure(data, layout("Drinks per day", "Date", unit_axis(unit), barmode="overlay",
                               xaxis={"type": "date", "range": [_pad(start, -1), _pad(end, 1)]}))


def _pad(day: dt.date, days: int) -> str:
    return (day + dt.timedelta(days=days)).isoformat()


def craving_and_doses(days: list[dict[str, Any]], dose_days: list[dt.date], start: dt.date,
                      end: dt.date) -> dict[str, Any]:
    """Craving from check-ins as a line (0–10), doses taken as markers along the top."""
    rated = [d for d in days if d["craving"] is not None]
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": "Craving (0–10)", "x": _iso(d["day"] for d in rated),
         "y": [d["craving"] for d in rated], "line": {"color": AMBER, "width": 2}, "marker": {"size": 7},
         "hovertemplate": "%{x|%d %b}: craving %{y}<extra></extra>"},
        {"type": "scatter", "mode": "markers", "name": "Dose taken", "x": _iso(dose_days),
         "y": [10.6] * len(dose_days), "marker": {"color": TEAL, "size": 9, "symbol": "triangle-down"},
         "hovertemplate": "%{x|%d %b}: dose taken<extra></extra>"},
    ]
    return figure(data, layout("Craving and doses", "Date", "Craving (0 none – 10 strongest)",
                               yaxis={"range": [-0.3, 11.2], "rangemode": "normal", "dtick": 2},
                               xaxis={"type": "date", "range": [_pad(start, -1), _pad(end, 1)]}))


def questionnaire_history(instrument: str, results: list[tuple[dt.date, int]]) -> dict[str, Any]:
    """One instrument's totals over time, on its own full scale."""
    spec = get_instrument(instrument)
    data = [{"type": "scatter", "mode": "lines+markers", "name": spec.title, "x": _iso(d for d, _ in results),
             "y": [total for _, total in results], "line": {"color": TEAL, "width": 2}, "marker": {"size": 8},
             "hovertemplate": "%{x|%d %b %Y}: %{y} points<extra></extra>"}]
    return figure(data, layout(spec.title, "Date completed", f"Total (0–{spec.max_total} points)",
                               yaxis={"range": [0, spec.max_total], "rangemode": "normal"},
                               xaxis={"type": "date"}, showlegend=False, height=300))


def histogram(title: str, values: list[float], x_title: str, *, start: float, end: float, size: float,
              colour: str = TEAL) -> dict[str, Any]:
    data = [{"type": "histogram", "x": values, "name": "Patients", "marker": {"color": colour},
             "xbins": {"start": start, "end": end, "size": size},
             "hovertemplate": "%{x}: %{y} patients<extra></extra>"}]
    return figure(data, layout(title, x_title, "Patients", showlegend=False))


def weekly_drinking(weeks: list[dict[str, Any]]) -> dict[str, Any]:
    x = [w["week"] for w in weeks]
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": "Days abstinent (%)", "x": x,
         "y": [w["percent_days_abstinent"] for w in weeks], "line": {"color": GREEN, "width": 2}},
        {"type": "scatter", "mode": "lines+markers", "name": "Heavy drinking days (%)", "x": x,
         "y": [w["percent_heavy_drinking_days"] for w in weeks], "line": {"color": RED, "width": 2, "dash": "dash"}},
    ]
    return figure(data, layout("Drinking by week (mean over patients)", "Week starting",
                               "Percent of recorded days", yaxis={"range": [0, 100], "rangemode": "normal"},
                               xaxis={"type": "date"}))


def weekly_checkins(weeks: list[dict[str, Any]]) -> dict[str, Any]:
    x = [w["week"] for w in weeks]
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": "Opioid-use days (%)", "x": x,
         "y": [w.get("percent_opioid_use_days") for w in weeks], "line": {"color": RED, "width": 2},
         "yaxis": "y"},
        {"type": "scatter", "mode": "lines+markers", "name": "Mean craving (0–10)", "x": x,
         "y": [w.get("mean_craving") for w in weeks], "line": {"color": AMBER, "width": 2, "dash": "dot"},
         "yaxis": "y2"},
    ]
    return figure(data, layout("Check-ins by week", "Week starting", "Opioid-use days (%)",
                               yaxis={"range": [0, 100], "rangemode": "normal"}, xaxis={"type": "date"},
                               yaxis2={"title": {"text": "Craving (0–10)"}, "overlaying": "y", "side": "right",
                                       "range": [0, 10], "showgrid": False},
                               margin={"r": 52}))


def who_levels(counts: dict[str, int]) -> dict[str, Any]:
    levels = list(LEVEL_NAMES)
    data = [{"type": "bar", "x": [LEVEL_NAMES[level] for level in levels],
             "y": [counts.get(level, 0) for level in levels],
             "marker": {"color": [LEVEL_COLOURS[level] for level in levels]}, "name": "Patients",
             "hovertemplate": "%{x}: %{y} patients<extra></extra>"}]
    return figure(data, layout("WHO drinking-risk level", "Risk level (mean grams a day)", "Patients",
                               showlegend=False))


def risk_shifts(down: int, unchanged: int, up: int, not_comparable: int) -> dict[str, Any]:
    labels = ["Lower", "Same", "Higher", "No data"]
    data = [{"type": "bar", "x": labels, "y": [down, unchanged, up, not_comparable],
             "marker": {"color": [GREEN, GREY, RED, "#9aabb8"]}, "name": "Patients",
             "hovertemplate": "%{x}: %{y} patients<extra></extra>"}]
    return figure(data, layout("WHO risk level, 2nd half vs 1st", "Risk level in the second half", "Patients",
                               showlegend=False))
