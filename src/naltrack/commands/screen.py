"""`naltrack screen --json FILE|-`: induction screening verdict with reasons and sources."""

from __future__ import annotations

from typing import Any

import typer


def screen_payload(data: Any) -> dict[str, Any]:
    """Parse a screening input and return the printed JSON shape; raises ScreeningInputError on bad input.

    The command and evals/eval_screening.py both go through this one function.
    """
    from naltrack.clinical.screening import parse_screening_input, screen_for_induction

    return screen_for_induction(parse_screening_input(data)).as_dict()


def register(app: typer.Typer) -> None:
    @app.command("screen")
    def screen(
        json_source: str = typer.Option(
            ..., "--json", metavar="FILE|-",
            help="Screening input as a JSON object, from FILE or '-' for standard input."),
    ) -> None:
        """Screen a patient for naltrexone induction: prints {"verdict", "reasons"} as JSON."""
        from naltrack.clinical.screening import ScreeningInputError
        from naltrack.commands._common import fail, print_json, read_json_arg

        try:
            data = read_json_arg(json_source)
        except RecursionError:
            fail("invalid JSON: nested too deeply")
        except UnicodeDecodeError:
            fail("cannot read the input: it is not UTF-8 text")
        try:
            payload = screen_payload(data)
        except ScreeningInputError as exc:
            fail(str(exc))
        print_json(payload)
