"""`naltrack simulate`: estimated naltrexone levels and mu-receptor blockade for a dose history.

A population estimate from published anchors (docs/pharmacology.md), not a measurement of any
patient; never a reason to test the blockade with opioids.
"""

from __future__ import annotations

import re

import typer

DEFAULT_HOURS = 28 * 24
_DOSE_PATTERN = re.compile(r"^\s*(?P<kind>[A-Za-z]+)\s*:\s*(?P<mg>[^@\s]+)\s*@\s*(?P<hour>\S+)\s*$")

_HELP = (
    "Estimated plasma naltrexone, 6β-naltrexol and mu-receptor blockade (0–1) at hourly steps for a "
    "named regimen or explicit doses (--dose oral:50@0 --dose xr:380@24). --missed HOUR drops the "
    "dose given at that hour (repeat it or separate hours with commas). A population estimate from "
    "published figures, not this patient's measurement; never use it to decide whether opioids "
    "would be blocked."
)


def _number(text: str, what: str) -> float:
    from naltrack.commands._common import fail

    try:
        value = float(text)
    except ValueError:
        fail(f"{what} must be a number, got {text!r}")
    if value != value or value in (float("inf"), float("-inf")):
        fail(f"{what} must be a finite number, got {text!r}")
    return value


def register(app: typer.Typer) -> None:
    @app.command("simulate", help=_HELP)
    def simulate_command(
        as_json: bool = typer.Option(False, "--json", help="Print the JSON contract."),
        regimen: str | None = typer.Option(None, "--regimen", help="A named regimen, e.g. oral-daily."),
        dose: list[str] = typer.Option([], "--dose", help="KIND:MG@HOUR with KIND oral or xr; repeatable."),
        hours: str = typer.Option(str(DEFAULT_HOURS), "--hours", help="Hours to simulate (default 672)."),
        missed: list[str] = typer.Option([], "--missed", help="Hour of a dose to drop; repeatable."),
    ) -> None:
        from naltrack.clinical.pharmacology import (
            MAX_HOURS,
            REGIMENS,
            Dose,
            DoseKind,
            expand_regimen,
            simulate,
        )
        from naltrack.commands._common import fail, print_json

        n_hours = _number(hours, "--hours")
        if n_hours <= 0 or n_hours != int(n_hours):
            fail(f"--hours must be a whole number of hours above 0, got {hours!r}")
        if n_hours > MAX_HOURS:
            fail(f"--hours may be at most {MAX_HOURS} (two years), got {hours!r}")
        if (regimen is None) == (not dose):
            fail("give either --regimen NAME or one or more --dose KIND:MG@HOUR, not both and not neither")

        doses: list[Dose] = []
        if regimen is not None:
            if regimen not in REGIMENS:
                fail(f"unknown regimen {regimen!r}: choose one of {', '.join(REGIMENS)}")
            doses = list(expand_regimen(regimen, n_hours))
        for text in dose:
            match = _DOSE_PATTERN.match(text)
            if match is None:
                fail(f"bad --dose {text!r}: expected KIND:MG@HOUR, e.g. oral:50@0 or xr:380@0")
            kind_text = match["kind"].lower()
            if kind_text not in {k.value for k in DoseKind}:
                fail(f"unknown dose kind {match['kind']!r} in {text!r}: use oral or xr")
            mg = _number(match["mg"], f"mg in --dose {text!r}")
            hour = _number(match["hour"], f"hour in --dose {text!r}")
            if mg <= 0:
                fail(f"mg must be above 0 in --dose {text!r}")
            if hour < 0:
                fail(f"hour must be 0 or more in --dose {text!r}")
            doses.append(Dose(DoseKind(kind_text), mg, hour))
        missed_hours = [_number(part, "--missed") for item in missed for part in item.split(",") if part.strip()]

        try:
            result = simulate(doses, n_hours, missed=missed_hours)
        except ValueError as exc:
            fail(str(exc))
        if as_json:
            print_json(result.to_json())
            return
        above = result.blockade >= 0.8
        typer.echo(
            f"peak naltrexone {result.naltrexone_ng_ml.max():.3g} ng/mL; estimated blockade at or above 80% "
            f"for {int(above.sum())} of {result.t_hours.size} hourly points. Estimate only; see --help."
        )
