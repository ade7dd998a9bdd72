"""`naltrack adherence --json`: the exact output contract and one-line refusals with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from naltrack.cli import app

runner = CliRunner()


def _run(document: Any) -> tuple[int, str, str]:
    text = document if isinstance(document, str) else json.dumps(document)
    result = runner.invoke(app, ["adherence", "--json", "-"], input=text)
    return result.exit_code, result.stdout, result.stderr


def _request(**changes: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "regimen": "oral-daily",
        "start": "2024-01-01",
        "end": "2024-01-05",
        "doses": [{"date": "2024-01-01", "mg": 50}, {"date": "2024-01-02", "mg": 100}],
    }
    request.update(changes)
    return request


def test_the_output_has_exactly_the_contract_fields() -> None:
    code, stdout, stderr = _run(_request())
    assert (code, stderr) == (0, "")
    # 50 mg covers 1 Jan, 100 mg covers 2–3 Jan (one day per started 50 mg, naltrack policy).
    assert json.loads(stdout) == {
        "pdc": 0.6, "days_covered": 3, "days": 5, "missed": ["2024-01-04", "2024-01-05"], "overdue": [],
    }


def test_a_dose_before_the_start_covers_into_the_window() -> None:
    # 150 mg on the day before the start covers the start and the next day.
    _, stdout, _ = _run(_request(regimen="oral-supervised", doses=[{"date": "2023-12-31", "mg": 150}]))
    assert json.loads(stdout)["days_covered"] == 2


def test_an_injection_reports_the_days_it_is_overdue() -> None:
    # Given on 1 Jan: covered to 28 Jan, due 29 Jan, overdue from 30 Jan (S33, naltrack policy).
    code, stdout, _ = _run(_request(regimen="xr-injection", end="2024-02-01",
                                    doses=[{"date": "2024-01-01", "mg": 380}]))
    report = json.loads(stdout)
    assert code == 0
    assert report["overdue"] == ["2024-01-30", "2024-01-31", "2024-02-01"]
    assert (report["days_covered"], report["days"], report["missed"]) == (28, 32, [])


def test_pdc_is_rounded_to_four_decimals() -> None:
    _, stdout, _ = _run(_request(end="2024-01-07", doses=[{"date": "2024-01-01", "mg": 50}]))
    assert json.loads(stdout)["pdc"] == 0.1429


def test_an_implant_takes_its_duration_from_the_input() -> None:
    code, stdout, _ = _run(_request(regimen="implant", implant_duration_days=3,
                                    doses=[{"date": "2024-01-01", "mg": 1000}]))
    assert code == 0
    assert json.loads(stdout)["days_covered"] == 3


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[]", "JSON object"),
        ("{not json", "invalid JSON"),
        (_request(regimen="weekly-pill"), "unknown regimen"),
        (_request(regimen=7), "regimen must be a string"),
        (_request(extra=True), "unknown field 'extra'"),
        ({"regimen": "oral-daily", "start": "2024-01-01", "doses": []}, "missing field 'end'"),
        (_request(start="2024-01-06"), "before start"),
        (_request(start="2024-02-30"), "not a real date"),
        (_request(start="01/02/2024"), "YYYY-MM-DD"),
        (_request(start="20240101"), "YYYY-MM-DD"),
        (_request(end=20240105), "YYYY-MM-DD"),
        (_request(doses={"date": "2024-01-01", "mg": 50}), "doses must be a list"),
        (_request(doses=[["2024-01-01", 50]]), "must be an object"),
        (_request(doses=[{"date": "2024-01-01"}]), "missing field 'mg'"),
        (_request(doses=[{"mg": 50}]), "missing field 'date'"),
        (_request(doses=[{"date": "2024-01-01", "mg": 50, "time": "08:00"}]), "unknown field 'time'"),
        (_request(doses=[{"date": "2024-01-01", "mg": 0}]), "above 0"),
        (_request(doses=[{"date": "2024-01-01", "mg": -50}]), "above 0"),
        (_request(doses=[{"date": "2024-01-01", "mg": "50"}]), "number of mg"),
        (_request(doses=[{"date": "2024-01-01", "mg": True}]), "number of mg"),
        (_request(doses=[{"date": "2024-01-01", "mg": None}]), "number of mg"),
        ('{"regimen": "oral-daily", "start": "2024-01-01", "end": "2024-01-02", '
         '"doses": [{"date": "2024-01-01", "mg": NaN}]}', "finite"),
        (_request(doses=[{"date": "2024-01-01", "mg": 10**400}]), "too large"),
        (_request(regimen="implant"), "implant_duration_days"),
        (_request(implant_duration_days=30), "only to the implant"),
        (_request(regimen="implant", implant_duration_days=0), "above 0"),
    ],
)
def test_bad_input_is_refused_in_one_line_with_exit_code_2(document: Any, message: str) -> None:
    code, stdout, stderr = _run(document)
    assert code == 2
    assert stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith("naltrack: ")
    assert message in stderr
    assert "Traceback" not in stderr


def test_a_missing_file_is_refused_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["adherence", "--json", str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert result.stderr.startswith("naltrack: no such file")


def test_the_installed_command_reads_a_file_and_refuses_bad_input_without_a_traceback(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_request()), encoding="utf-8")
    command = [sys.executable, "-m", "naltrack.cli", "adherence", "--json"]
    ok = subprocess.run([*command, str(good)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["days_covered"] == 3

    bad = subprocess.run(
        [*command, "-"], input=json.dumps(_request(doses=[{"date": "2024-01-01", "mg": False}])),
        capture_output=True, text=True, check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.strip().count("\n") == 0
    assert "Traceback" not in bad.stderr
