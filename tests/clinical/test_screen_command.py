"""`naltrack screen --json`: the exact output contract, one-line refusals with exit code 2, and the eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from naltrack.commands import screen as screen_command

REPO = Path(__file__).resolve().parents[2]

app = typer.Typer(pretty_exceptions_enable=False)


@app.callback()
def _root() -> None:
    """Test harness holding only the screen command (the real CLI registers it the same way)."""


screen_command.register(app)
runner = CliRunner()

READY = {"indication": "alcohol", "formulation": "oral", "currently_taking_opioids": False,
         "needs_opioid_analgesia": False, "alt": 30, "ast": 28, "alt_uln": 40, "ast_uln": 40}


def _run(document: Any) -> tuple[int, str, str]:
    text = document if isinstance(document, str) else json.dumps(document)
    result = runner.invoke(app, ["screen", "--json", "-"], input=text)
    return result.exit_code, result.stdout, result.stderr


def test_the_output_has_exactly_the_contract_fields() -> None:
    code, stdout, stderr = _run(READY)
    assert (code, stderr) == (0, "")
    payload = json.loads(stdout)
    assert set(payload) == {"verdict", "reasons"}
    assert payload["verdict"] == "ready"
    for reason in payload["reasons"]:
        assert set(reason) == {"code", "severity", "message", "source"}
        assert reason["severity"] in ("block", "caution", "info")


def test_a_file_argument_works_like_standard_input(tmp_path: Path) -> None:
    path = tmp_path / "patient.json"
    path.write_text(json.dumps({**READY, "alt": 260}), encoding="utf-8")
    result = runner.invoke(app, ["screen", "--json", str(path)])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["verdict"] == "not_ready"
    # ALT 6.5x ULN: above 5x blocks (naltrack-policy:lft-thresholds).
    first = payload["reasons"][0]
    assert (first["code"], first["severity"], first["source"]) == (
        "alt_above_5x_uln", "block", "naltrack-policy:lft-thresholds")


@pytest.mark.parametrize(("document", "fragment"), [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "JSON object"),
    ('"alcohol"', "JSON object"),
    ({**READY, "surprise": True}, "unknown field 'surprise'"),
    ({**READY, "egfr": True}, "egfr must be a number"),
    ({**READY, "alt": -3}, "alt must be"),
    ('{"indication": "alcohol", "formulation": "oral", "alt": NaN}', "alt must be a finite number"),
    ('{"indication": "alcohol", "formulation": "oral", "bmi": Infinity}', "bmi must be a finite number"),
    ({"indication": "alcohol"}, "formulation is required"),
    ("[" * 100_000, "invalid JSON"),
])
def test_bad_input_is_refused_in_one_line_with_exit_code_2(document: Any, fragment: str) -> None:
    code, stdout, stderr = _run(document)
    assert code == 2
    assert stdout == ""
    assert stderr.count("\n") == 1 and fragment in stderr
    assert "Traceback" not in stderr


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["screen", "--json", str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def _write_cases(folder: Path, cases: list[dict[str, Any]]) -> None:
    (folder / "eval").mkdir(parents=True)
    (folder / "eval" / "screening-dev.jsonl").write_text("\n".join(json.dumps(c) for c in cases) + "\n")


def _run_eval(shared: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NALTRACK_SHARED_DIR": str(shared)}
    return subprocess.run([sys.executable, str(REPO / "evals" / "eval_screening.py")],
                          capture_output=True, text=True, env=env, check=False)


def test_the_eval_reports_a_summary_and_passes_when_verdicts_agree(tmp_path: Path) -> None:
    _write_cases(tmp_path, [{"id": "a", "input": READY, "verdict": "ready"},
                            {"id": "b", "input": {**READY, "alt": 150}, "verdict": "caution"}])
    done = _run_eval(tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("PASS a")
    assert json.loads(lines[-1]) == {"eval": "screening", "passed": 2, "total": 2, "failed": []}


def test_the_eval_exits_1_when_a_verdict_differs(tmp_path: Path) -> None:
    _write_cases(tmp_path, [{"id": "x", "input": READY, "verdict": "not_ready"},
                            {"id": "y", "input": {"indication": "alcohol"}, "verdict": "ready"}])
    done = _run_eval(tmp_path)
    assert done.returncode == 1
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert (summary["passed"], summary["total"], summary["failed"]) == (0, 2, ["x", "y"])
