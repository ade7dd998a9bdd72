"""`naltrack adherence --json FILE|-`: proportion of days covered, missed and overdue days, as JSON.

Input: ``{"regimen", "start", "end", "doses": [{"date", "mg"}]}`` (an implant also needs
``"implant_duration_days"``, the expected duration from the product). Output: ``{"pdc",
"days_covered", "days", "missed", "overdue"}`` with ISO dates. The rules are the reference's
naltrack policy on adherence (see naltrack.clinical.adherence and docs/clinical-courses.md).
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from typing import Any

import typer

_REQUIRED_FIELDS = ("regimen", "start", "end", "doses")
_IMPLANT_FIELD = "implant_duration_days"
_DOSE_FIELDS = ("date", "mg")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadInput(ValueError):
    """An input document the command refuses, with the one-line reason."""


def _show(value: object) -> str:
    """A value as it looked in the JSON input, cut short so the message stays one line."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_date(value: object, where: str) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise BadInput(f"{where} must be a date written YYYY-MM-DD, got {_show(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{where} is not a real date: {_show(value)}") from None


def _parse_mg(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadInput(f"{where} must be a number of mg, got {_show(value)}")
    try:
        dose_mg = float(value)
    except OverflowError:
        raise BadInput(f"{where} is too large to be a dose in mg") from None
    if not math.isfinite(dose_mg) or dose_mg <= 0:
        raise BadInput(f"{where} must be a finite number above 0, got {_show(value)}")
    return dose_mg


def _unknown_keys(found: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    return sorted(key for key in found if key not in allowed)


def parse_request(payload: object) -> tuple[str, date, date, list[tuple[date, float]], int | None]:
    """Check the input document field by field; BadInput names the first problem."""
    if not isinstance(payload, dict):
        raise BadInput('the input must be a JSON object {"regimen", "start", "end", "doses"}')
    allowed = (*_REQUIRED_FIELDS, _IMPLANT_FIELD)
    unknown = _unknown_keys(payload, allowed)
    if unknown:
        raise BadInput(f"unknown field {unknown[0]!r} (allowed: {', '.join(_REQUIRED_FIELDS)})")
    missing = [name for name in _REQUIRED_FIELDS if name not in payload]
    if missing:
        raise BadInput(f"missing field {missing[0]!r}")
    regimen = payload["regimen"]
    if not isinstance(regimen, str):
        raise BadInput(f"regimen must be a string, got {_show(regimen)}")
    start = _parse_date(payload["start"], "start")
    end = _parse_date(payload["end"], "end")
    if end < start:
        raise BadInput(f"end ({end}) is before start ({start})")
    raw_doses = payload["doses"]
    if not isinstance(raw_doses, list):
        raise BadInput("doses must be a list of {\"date\", \"mg\"} objects")
    doses: list[tuple[date, float]] = []
    for index, raw in enumerate(raw_doses):
        where = f"doses[{index}]"
        if not isinstance(raw, dict):
            raise BadInput(f'{where} must be an object {{"date", "mg"}}, got {_show(raw)}')
        unknown = _unknown_keys(raw, _DOSE_FIELDS)
        if unknown:
            raise BadInput(f"{where}: unknown field {unknown[0]!r} (allowed: date, mg)")
        for name in _DOSE_FIELDS:
            if name not in raw:
                raise BadInput(f"{where}: missing field {name!r}")
        doses.append((_parse_date(raw["date"], f"{where}.date"), _parse_mg(raw["mg"], f"{where}.mg")))
    implant_days = payload.get(_IMPLANT_FIELD)
    if implant_days is not None and (isinstance(implant_days, bool) or not isinstance(implant_days, int)
                                     or implant_days <= 0):
        raise BadInput(f"{_IMPLANT_FIELD} must be a whole number of days above 0, got {_show(implant_days)}")
    return regimen, start, end, doses, implant_days


def register(app: typer.Typer) -> None:
    @app.command("adherence", help="Proportion of days covered, missed and overdue days, as JSON.")
    def adherence(
        json_source: str = typer.Option(
            ..., "--json", metavar="FILE|-",
            help='Input document {"regimen", "start", "end", "doses": [{"date", "mg"}]}; "-" reads stdin.',
        ),
    ) -> None:
        from naltrack.clinical.adherence import InvalidAdherenceInput, TakenDose, compute_adherence
        from naltrack.clinical.regimens import RegimenName, UnknownRegimen, get_regimen
        from naltrack.commands._common import fail, print_json, read_json_arg

        payload = read_json_arg(json_source)
        try:
            regimen, start, end, doses, implant_days = parse_request(payload)
            name = get_regimen(regimen).name
            if name is RegimenName.IMPLANT and implant_days is None:
                raise BadInput(f"an implant needs {_IMPLANT_FIELD} (the expected duration from the product)")
            if name is not RegimenName.IMPLANT and implant_days is not None:
                raise BadInput(f"{_IMPLANT_FIELD} applies only to the implant regimen")
            report = compute_adherence(
                name, start, end,
                [TakenDose(day=day, dose_mg=dose_mg) for day, dose_mg in doses],
                implant_duration_days=implant_days,
            )
        except (BadInput, UnknownRegimen, InvalidAdherenceInput) as exc:
            fail(str(exc))
        print_json({
            "pdc": round(report.pdc, 4),
            "days_covered": report.days_covered,
            "days": report.days,
            "missed": [day.isoformat() for day in report.missed],
            "overdue": [day.isoformat() for day in report.overdue],
        })
