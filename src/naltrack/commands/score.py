"""`naltrack score INSTRUMENT --json ANSWERS`: score a questionnaire and print the result as JSON."""

from __future__ import annotations

import json

import typer

_INSTRUMENT_HELP = "audit, audit-c, pacs, cows, dast-10, phq-9 or gad-7"
_ANSWERS_HELP = (
    "a JSON list with one entry per item (the score beside the chosen option; true/false for "
    "yes/no items), a file holding one, or '-' to read standard input"
)
_SEX_HELP = "F or M; only AUDIT-C uses it (without it the band and flags give both cut-offs)"


def register(app: typer.Typer) -> None:
    @app.command("score", help="Score a questionnaire (AUDIT, AUDIT-C, PACS, COWS, DAST-10, PHQ-9, GAD-7).")
    def score_command(
        instrument: str = typer.Argument(..., help=_INSTRUMENT_HELP),
        answers: str = typer.Option(..., "--json", help=_ANSWERS_HELP),
        sex: str | None = typer.Option(None, "--sex", help=_SEX_HELP),
    ) -> None:
        from naltrack.clinical.drinking import DrinkInputError, parse_sex
        from naltrack.clinical.instruments import InstrumentError, get_instrument, score
        from naltrack.commands._common import fail, print_json, read_json_arg

        try:
            get_instrument(instrument)
            patient_sex = None if sex is None else parse_sex(sex)
        except (InstrumentError, DrinkInputError) as exc:
            fail(str(exc))
        if answers.lstrip().startswith("["):
            try:
                parsed = json.loads(answers)
            except json.JSONDecodeError as exc:
                fail(f"invalid JSON answers: {exc.msg} at column {exc.colno}")
        else:
            parsed = read_json_arg(answers)
        if not isinstance(parsed, list):
            fail(f"answers must be a JSON list, one entry per item of {instrument}")
        try:
            result = score(instrument, parsed, sex=patient_sex)
        except InstrumentError as exc:
            fail(str(exc))
        print_json({"instrument": result.instrument, "total": result.total, "band": result.band,
                    "flags": list(result.flags)})
