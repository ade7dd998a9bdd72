"""`naltrack ask` and `naltrack knowledge`: the JSON contract, stdin mode, refusals, clinic documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from naltrack.commands import ask
from naltrack.knowledge import NOT_COVERED

app = typer.Typer()
ask.register(app)
runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_ask_json_prints_the_contract() -> None:
    code, out, _ = run("ask", "--json", "How often is the Vivitrol shot given?")
    assert code == 0
    payload = json.loads(out)
    assert list(payload) == ["question", "answer", "urgent", "passages", "sources"]
    assert payload["question"] == "How often is the Vivitrol shot given?"
    assert "month" in payload["answer"]
    assert payload["urgent"] is False
    assert 3 <= len(payload["passages"]) <= 5
    assert all(list(p) == ["article", "title", "text", "score"] for p in payload["passages"])
    assert payload["sources"]


def test_an_urgent_question_is_flagged_and_leads_with_what_to_do() -> None:
    code, out, _ = run("ask", "--json", "--country", "gb", "I have swelling of my face and trouble breathing")
    payload = json.loads(out)
    assert code == 0
    assert payload["urgent"] is True
    assert payload["answer"].startswith("This is an emergency: call 999")


def test_without_a_country_crisis_advice_names_the_local_number_with_examples() -> None:
    """The command line does not know where the reader is: no US numbers on their own."""
    code, out, _ = run("ask", "--json", "I want to end my life")
    payload = json.loads(out)
    assert code == 0 and payload["urgent"] is True
    assert "your local emergency number (for example 911 in the US and Canada, 999 in the UK" in payload["answer"]
    assert "call 911" not in payload["answer"]
    assert {"us:911", "gb:nhs-999", "au:000"} <= set(payload["sources"])


@pytest.mark.parametrize(
    ("country", "number"), [("US", "call 911"), ("gb", "call 999"), ("UK", "call 999"), ("au", "call 000")]
)
def test_a_country_option_picks_that_countrys_numbers(country: str, number: str) -> None:
    code, out, _ = run("ask", "--json", "--country", country, "I want to end my life")
    payload = json.loads(out)
    assert code == 0 and number in payload["answer"]
    assert "for example" not in payload["answer"]


def test_a_real_country_without_listed_numbers_gets_the_local_number() -> None:
    code, out, _ = run("ask", "--json", "--country", "JP", "I want to end my life")
    assert code == 0
    assert "your local emergency number" in json.loads(out)["answer"]


def test_an_uncovered_question_has_no_passages() -> None:
    code, out, _ = run("ask", "--json", "What is the capital of France?")
    assert code == 0
    assert json.loads(out) | {"question": ""} == {
        "question": "",
        "answer": NOT_COVERED,
        "urgent": False,
        "passages": [],
        "sources": [],
    }


def test_stdin_mode_answers_one_question_per_line_and_skips_blank_lines() -> None:
    code, out, _ = run("ask", "--json", "-", stdin="What is LDN?\n\n   \nbest pizza in town\n")
    assert code == 0
    replies = [json.loads(line) for line in out.splitlines()]
    assert [reply["question"] for reply in replies] == ["What is LDN?", "best pizza in town"]
    assert replies[1]["answer"] == NOT_COVERED


def test_without_json_the_answer_is_printed_for_a_person() -> None:
    code, out, _ = run("ask", "Is naltrexone addictive?")
    assert code == 0
    assert "From the guide:" in out
    assert "Sources:" in out
    assert not out.lstrip().startswith("{")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("ask", "--json", ""), None, "empty question"),
        (("ask", "--json", "   "), None, "empty question"),
        (("ask", "--json", "-"), "\n\n", "no questions on standard input"),
        (("ask", "--json", "x" * 2001), None, "question too long"),
        (("ask", "--json", "--country", "USA", "What is LDN?"), None, "two-letter country code"),
        (("ask", "--json", "--country", "ZZ", "What is LDN?"), None, "two-letter country code"),
        (("ask", "--json", "--country", "1A", "What is LDN?"), None, "two-letter country code"),
        (("ask", "--json", "--country", "", "What is LDN?"), None, "two-letter country code"),
    ],
)
def test_bad_input_is_refused_in_one_line_with_exit_2(
    args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    code, out, err = run(*args, stdin=stdin)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_knowledge_add_list_and_remove(tmp_path: Path) -> None:
    leaflet = tmp_path / "parking.md"
    leaflet.write_text(
        "# Parking\n\n## Bicycles\n\nBicycle racks stand by the clinic door.\n", encoding="utf-8"
    )
    code, out, _ = run("knowledge", "add", str(leaflet))
    assert code == 0 and "added parking.md: 1 passages" in out
    code, out, _ = run("knowledge", "list", "--json")
    assert json.loads(out) == [
        {"name": "parking.md", "title": "Parking", "bytes": leaflet.stat().st_size, "passages": 1}
    ]
    code, out, _ = run("ask", "--json", "Where are the bicycle racks?")
    payload = json.loads(out)
    assert payload["passages"][0]["article"] == "clinic:parking.md"
    assert "clinic:parking.md" in payload["sources"]
    code, out, _ = run("knowledge", "remove", "parking.md")
    assert code == 0
    code, out, _ = run("knowledge", "list", "--json")
    assert json.loads(out) == []


def test_knowledge_add_refuses_a_bad_file_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "slides.pptx"
    bad.write_bytes(b"PK")
    code, _, err = run("knowledge", "add", str(bad))
    assert code == 2
    assert err.strip() == "naltrack: slides.pptx: unsupported type (use .md, .txt or .html)"


def test_knowledge_remove_refuses_an_unknown_name() -> None:
    code, _, err = run("knowledge", "remove", "absent.md")
    assert code == 2
    assert "no clinic document named absent.md" in err


def test_a_fresh_process_answers_without_loading_the_web_stack(tmp_path: Path) -> None:
    """The real entry point, once: contract on stdout, and neither Django nor NumPy imported."""
    script = (
        "import sys\n"
        "from naltrack.cli import main\n"
        "sys.argv = ['naltrack', 'ask', '--json', 'Is naltrexone addictive?']\n"
        "try:\n    main()\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "heavy = sorted(name for name in ('django', 'numpy') if name in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = dict(
        os.environ, NALTRACK_CACHE_DIR=str(tmp_path / "cache"), NALTRACK_KNOWLEDGE_DIR=str(tmp_path / "kd")
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr
    payload = json.loads(result.stdout)
    assert payload["urgent"] is False and payload["passages"]
