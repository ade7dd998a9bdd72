"""`naltrack outcomes --json FILE.csv [--unit us|uk|au|ca|who]`: drinking outcome measures as JSON.

The CSV has one row per patient-day with the columns ``patient,date,standard_drinks,sex`` (dates as
YYYY-MM-DD, drinks in the chosen unit, sex F or M). Every row is checked before anything is
computed; the first problem is reported on one line with its CSV line number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from naltrack.clinical.outcomes import PatientDay

_FILE_HELP = "CSV of patient-days (patient,date,standard_drinks,sex), or '-' for standard input"
_UNIT_HELP = "the standard drink the CSV counts in: us (14 g, default), uk (10 mL), au, ca or who"
REQUIRED_COLUMNS = ("patient", "date", "standard_drinks", "sex")


def register(app: typer.Typer) -> None:
    @app.command("outcomes", help="Drinking outcome measures per patient and for the cohort.")
    def outcomes_command(
        csv_file: str = typer.Option(..., "--json", help=_FILE_HELP),
        unit: str = typer.Option("us", "--unit", help=_UNIT_HELP),
    ) -> None:
        from naltrack.clinical.drinking import OUTCOME_UNIT_CODES
        from naltrack.clinical.outcomes import OutcomeInputError, measure_cohort
        from naltrack.commands._common import fail, print_json, read_text_arg

        if unit not in OUTCOME_UNIT_CODES:
            fail(f"unknown unit {unit!r}; choose one of {', '.join(OUTCOME_UNIT_CODES)}")
        rows = _parse_rows(read_text_arg(csv_file), "standard input" if csv_file == "-" else csv_file)
        try:
            outcomes = measure_cohort(rows, unit)
        except OutcomeInputError as exc:
            fail(str(exc))
        print_json(outcomes.as_json())


def _parse_rows(text: str, source: str) -> list[PatientDay]:
    """Every CSV row as a PatientDay, or one clear refusal naming the line."""
    import csv
    import math
    import re
    from datetime import date

    from naltrack.clinical.drinking import Sex
    from naltrack.clinical.outcomes import PatientDay
    from naltrack.commands._common import fail

    reader = csv.DictReader(text.splitlines())
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        fail(f"{source}: missing column(s) {', '.join(missing)}; need {','.join(REQUIRED_COLUMNS)}")
    unknown = [column for column in header if column not in REQUIRED_COLUMNS]
    if unknown:
        fail(f"{source}: unknown column(s) {', '.join(unknown)}; expected {','.join(REQUIRED_COLUMNS)}")
    reader.fieldnames = header
    iso_date = re.compile(r"\d{4}-\d{2}-\d{2}")
    rows: list[PatientDay] = []
    try:
        for record in reader:
            where = f"{source} line {reader.line_num}"
            if None in record or any(record[column] is None for column in REQUIRED_COLUMNS):
                fail(f"{where}: expected {len(REQUIRED_COLUMNS)} fields")
            patient = record["patient"].strip()
            if not patient:
                fail(f"{where}: patient is empty")
            day_text = record["date"].strip()
            try:
                if not iso_date.fullmatch(day_text):
                    raise ValueError
                day = date.fromisoformat(day_text)
            except ValueError:
                fail(f"{where}: date {day_text!r} is not a valid YYYY-MM-DD date")
            drinks_text = record["standard_drinks"].strip()
            try:
                drinks = float(drinks_text)
            except ValueError:
                fail(f"{where}: standard_drinks {drinks_text!r} is not a number")
            if not math.isfinite(drinks) or drinks < 0:
                fail(f"{where}: standard_drinks must be zero or more, not {drinks_text!r}")
            sex_text = record["sex"].strip()
            if sex_text not in ("F", "M"):
                fail(f"{where}: sex must be F or M, not {sex_text!r}")
            rows.append(PatientDay(patient, day, drinks, Sex(sex_text)))
    except csv.Error as exc:
        fail(f"{source} line {reader.line_num}: malformed CSV ({exc})")
    return rows
