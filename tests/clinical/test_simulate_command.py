"""`naltrack simulate --json`: the exact output contract and one-line refusals with exit code 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from naltrack.cli import app

runner = CliRunner()
CONTRACT = ["t_hours", "naltrexone_ng_ml", "naltrexol_ng_ml", "blockade", "blockade_low", "blockade_high"]


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["simulate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_regimen_prints_exactly_the_contract_at_hourly_steps() -> None:
    code, stdout, stderr = _run("--json", "--regimen", "oral-daily", "--hours", "48")
    assert (code, stderr) == (0, "")
    payload = json.loads(stdout)
    assert list(payload) == CONTRACT
    assert payload["t_hours"] == list(range(49))
    assert all(len(series) == 49 for series in payload.values())
    # S17: 50 mg peaks near 13.3 ng/mL at about 1 h.
    assert payload["naltrexone_ng_ml"][1] == pytest.approx(13.3, rel=0.2)


def test_floats_are_rounded_to_four_significant_digits() -> None:
    _, stdout, _ = _run("--json", "--dose", "oral:50@0", "--hours", "24")
    for value in json.loads(stdout)["naltrexol_ng_ml"]:
        assert float(f"{value:.4g}") == value


def test_explicit_doses_of_both_kinds_are_accepted() -> None:
    code, stdout, _ = _run("--json", "--dose", "oral:50@0", "--dose", "XR:380@24.5", "--hours", "72")
    assert code == 0
    payload = json.loads(stdout)
    assert payload["naltrexone_ng_ml"][30] > payload["naltrexone_ng_ml"][23]


def test_missed_drops_the_regimen_dose_at_that_hour() -> None:
    _, full, _ = _run("--json", "--regimen", "oral-daily", "--hours", "72")
    code, missed, _ = _run("--json", "--regimen", "oral-daily", "--hours", "72", "--missed", "24,48")
    assert code == 0
    assert json.loads(missed)["naltrexone_ng_ml"][49] < json.loads(full)["naltrexone_ng_ml"][49]


def test_without_json_it_prints_a_one_line_summary() -> None:
    code, stdout, _ = _run("--regimen", "xr-injection")
    assert code == 0 and stdout.count("\n") == 1 and "Estimate only" in stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--regimen", "weekly"], "unknown regimen 'weekly'"),
        (["--dose", "oral:50"], "expected KIND:MG@HOUR"),
        (["--dose", "pill:50@0"], "unknown dose kind 'pill'"),
        (["--dose", "oral:abc@0"], "must be a number"),
        (["--dose", "oral:0@0"], "mg must be above 0"),
        (["--dose", "oral:-5@0"], "mg must be above 0"),
        (["--dose", "oral:nan@0"], "finite number"),
        (["--dose", "oral:5000@0"], "not plausible"),
        (["--dose", "xr:760@0"], "outside the studied range"),  # S32: one strength; S55: 190–380 mg studied
        (["--dose", "oral:50@-1"], "hour must be 0 or more"),
        (["--dose", "oral:50@100", "--hours", "24"], "after the end"),
        (["--regimen", "oral-daily", "--hours", "-5"], "whole number of hours above 0"),
        (["--regimen", "oral-daily", "--hours", "2.5"], "whole number of hours above 0"),
        (["--regimen", "oral-daily", "--hours", "17521"], "at most 17520"),
        (["--regimen", "oral-daily", "--hours", "ten"], "must be a number"),
        (["--regimen", "oral-daily", "--missed", "49"], "no dose at hour 49"),
        (["--regimen", "oral-daily", "--dose", "oral:50@0"], "not both and not neither"),
        ([], "not both and not neither"),
    ],
)
def test_bad_input_is_refused_in_one_line_with_exit_code_2(args: list[str], message: str) -> None:
    code, stdout, stderr = _run("--json", *args)
    assert code == 2
    assert stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith("naltrack: ")
    assert message in stderr
    assert "Traceback" not in stderr
