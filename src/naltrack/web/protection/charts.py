"""The Plotly figure of an estimated-protection timeline (a plain dict, drawn by static/naltrack/charts.js).

Times are the patient's local wall-clock times; values are percentages of receptors occupied. Bands are
drawn as a filled area between the 5th and 95th percentile lines. Laid out to read on a 390-px phone:
legend under the plot, fonts at least 13 px.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from naltrack.clinical.pharmacology import DoseKind

from .services import Curve, Origin, TimedDose, Timeline

TEAL = "#0a6e7d"
TEAL_BAND = "rgba(10, 110, 125, 0.18)"
AMBER = "#b35900"
AMBER_BAND = "rgba(179, 89, 0, 0.16)"
GREY = "#4a5a68"
DOSE_ROW = 104.0  # dose markers sit in a strip above the 100% line
SYMBOLS = {DoseKind.ORAL: "triangle-down", DoseKind.XR: "square"}


@dataclass(frozen=True)
class Line:
    """One curve on the chart: its name, colour and dash, an optional band, and whether it starts at "now"."""

    name: str
    curve: Curve
    colour: str
    band_colour: str | None = None
    band_name: str = ""
    dash: str = "solid"
    start: int = 0  # first shown point drawn (a what-if starts where it leaves the baseline)


def _x(timeline: Timeline, times: Sequence[dt.datetime]) -> list[str]:
    return [timeline.local(at).strftime("%Y-%m-%dT%H:%M") for at in times]


def _percent(values: np.ndarray[Any, Any]) -> list[float]:
    return [round(float(v) * 100, 1) for v in values]


def _line_traces(timeline: Timeline, line: Line) -> list[dict[str, Any]]:
    start = line.start
    x = _x(timeline, timeline.times[start:])
    traces: list[dict[str, Any]] = []
    if line.band_colour:
        traces += [
            {"type": "scatter", "mode": "lines", "x": x, "y": _percent(line.curve.low[start:]),
             "line": {"width": 0, "color": line.band_colour}, "hoverinfo": "skip", "showlegend": False,
             "legendgroup": line.name},
            {"type": "scatter", "mode": "lines", "x": x, "y": _percent(line.curve.high[start:]),
             "fill": "tonexty", "fillcolor": line.band_colour, "line": {"width": 0, "color": line.band_colour},
             "name": line.band_name, "legendgroup": line.name, "hoverinfo": "skip"},
        ]
    traces.append({"type": "scatter", "mode": "lines", "x": x, "y": _percent(line.curve.blockade[start:]),
                   "name": line.name, "legendgroup": line.name,
                   "line": {"color": line.colour, "width": 2.5, "dash": line.dash},
                   "hovertemplate": "%{x|%a %d %b %H:%M}: estimate %{y:.0f}%<extra></extra>"})
    return traces


def _dose_traces(timeline: Timeline, doses: Sequence[TimedDose],
                 left_out: Sequence[TimedDose]) -> list[dict[str, Any]]:
    """Doses as markers in a strip above 100%: triangles for tablets, squares for injections; a cross where a
    what-if takes a dose away (left out, or moved later)."""
    groups = [
        ("Dose recorded", Origin.RECORDED, "", TEAL),
        ("Dose planned", Origin.PLANNED, "-open", TEAL),
        ("What-if dose", Origin.WHAT_IF, "", AMBER),
    ]
    traces = []
    for name, origin, variant, colour in groups:
        group = [d for d in doses if d.origin is origin]
        if not group:
            continue
        traces.append({
            "type": "scatter", "mode": "markers", "name": name, "x": _x(timeline, [d.at for d in group]),
            "y": [DOSE_ROW] * len(group), "text": [d.label(timeline.zone) for d in group],
            "marker": {"symbol": [SYMBOLS[d.kind] + variant for d in group], "size": 11, "color": colour,
                       "line": {"color": colour, "width": 1.5}},
            "hovertemplate": "%{text}<extra></extra>", "cliponaxis": False,
        })
    if left_out:
        traces.append({
            "type": "scatter", "mode": "markers", "name": "Taken away in the what-if",
            "x": _x(timeline, [d.at for d in left_out]), "y": [DOSE_ROW] * len(left_out),
            "text": [f"What-if: not at {d.label(timeline.zone)}" for d in left_out],
            "marker": {"symbol": "x-thin", "size": 12, "color": AMBER, "line": {"color": AMBER, "width": 2.5}},
            "hovertemplate": "%{text}<extra></extra>", "cliponaxis": False,
        })
    return traces


def timeline_figure(timeline: Timeline, lines: Sequence[Line], doses: Sequence[TimedDose], *, title: str,
                    show_model_level: bool = False, left_out: Sequence[TimedDose] = ()) -> dict[str, Any]:
    """Curves with their bands, dose markers along the top and a "now" line, on the window shown."""
    data: list[dict[str, Any]] = []
    for line in lines:
        data += _line_traces(timeline, line)
    data += _dose_traces(timeline, doses, left_out)
    now_x = timeline.local(timeline.now).strftime("%Y-%m-%dT%H:%M")
    shapes: list[dict[str, Any]] = [{"type": "line", "x0": now_x, "x1": now_x, "y0": 0, "y1": 1, "yref": "paper",
                                     "line": {"color": GREY, "width": 1.5, "dash": "dot"}}]
    annotations: list[dict[str, Any]] = [{"x": now_x, "y": 1, "yref": "paper", "text": "now", "showarrow": False,
                                          "yanchor": "bottom", "font": {"size": 13, "color": GREY}}]
    if show_model_level:
        level = 100 * _model_level()
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": level, "y1": level,
                       "line": {"color": GREY, "width": 1, "dash": "dash"}})
        annotations.append({"xref": "paper", "x": 0, "y": level, "xanchor": "left", "yanchor": "bottom",
                            "text": f"model's blockade level ({level:.0f}%, fitted; not a safety line)",
                            "short": f"model's {level:.0f}% level (not a safety line)",
                            "showarrow": False, "font": {"size": 12, "color": GREY}})
    layout = {
        "title": {"text": title, "font": {"size": 16}, "x": 0, "xanchor": "left"},
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13, "color": "#1b2631"},
        "height": 400,
        "margin": {"l": 56, "r": 12, "t": 56, "b": 80},
        "xaxis": {"type": "date", "title": {"text": f"Date and time ({timeline.zone.key})"}, "automargin": True,
                  "range": [timeline.local(timeline.window_start).strftime("%Y-%m-%dT%H:%M"),
                            timeline.local(timeline.window_end).strftime("%Y-%m-%dT%H:%M")]},
        "yaxis": {"title": {"text": "Estimated blockade (%)"}, "range": [0, 108], "automargin": True,
                  "tickvals": [0, 20, 40, 60, 80, 100], "fixedrange": True},
        "legend": {"orientation": "h", "y": -0.3, "x": 0},
        "shapes": shapes,
        "annotations": annotations,
        "hovermode": "closest",
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    # On a phone (static/naltrack/charts.js): taller so the legend fits under the plot, fewer date
    # ticks, and the short text of the model-level annotation.
    phone = {"extra_height": 90, "margin": {"l": 44, "r": 8}, "title_size": 14, "legend_y": -0.3, "nticks": 5}
    return {"data": data, "layout": layout, "phone": phone}


def _model_level() -> float:
    from naltrack.clinical.pharmacology import TYPICAL

    return TYPICAL.blockade_threshold
