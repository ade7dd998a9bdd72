"""Run every question of ../shared/eval/ask-dev.jsonl through `answer_question` and check the facts.

A question passes when every expected fact group (a list of alternatives) has at least one
alternative in the answer or in the text of the top two passages (case-insensitive substring),
and `urgent` is what the case expects. Prints one line per question, then a summary JSON
({"eval", "passed", "total", "failed"}); exits 1 unless all pass. The shared folder is ../shared
next to the repository root, or the folder named by NALTRACK_SHARED_DIR.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
PASSAGES_CHECKED = 2  # the answer plus the top two passages must carry the expected facts


def shared_dir() -> Path:
    """The shared folder: $NALTRACK_SHARED_DIR, else ../shared relative to the repository root."""
    override = os.environ.get("NALTRACK_SHARED_DIR")
    return Path(override) if override else REPO_ROOT.parent / "shared"


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of a JSON-lines file, blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def missing_facts(expect: Iterable[Sequence[str]], reply: Mapping[str, Any]) -> list[list[str]]:
    """The expected fact groups of which no alternative appears in the answer or top passages."""
    passages = reply.get("passages", [])[:PASSAGES_CHECKED]
    haystack = " ".join([str(reply.get("answer", "")), *(str(p.get("text", "")) for p in passages)]).lower()
    return [list(group) for group in expect if not any(fact.lower() in haystack for fact in group)]


def check_case(case: Mapping[str, Any], reply: Mapping[str, Any]) -> list[str]:
    """Why a reply fails its case (empty when it passes)."""
    problems = [
        " or ".join(repr(fact) for fact in group) + " missing"
        for group in missing_facts(case["expect"], reply)
    ]
    if bool(reply.get("urgent")) != bool(case.get("urgent", False)):
        problems.append(f"urgent should be {str(bool(case.get('urgent'))).lower()}")
    return problems


def run(cases: Sequence[Mapping[str, Any]], ask: Callable[[str], Mapping[str, Any]]) -> dict[str, Any]:
    """Ask every case, print one line each, and return the summary."""
    failed: list[str] = []
    for number, case in enumerate(cases, start=1):
        case_id = str(case.get("id", f"line {number}"))
        problems = check_case(case, ask(case["question"]))
        if problems:
            failed.append(case_id)
        verdict = "PASS" if not problems else "FAIL"
        print(f"{verdict} {case_id}: {case['question']}" + (f" ({'; '.join(problems)})" if problems else ""))
    return {"eval": "ask", "passed": len(cases) - len(failed), "total": len(cases), "failed": failed}


def main() -> int:
    path = shared_dir() / "eval" / "ask-dev.jsonl"
    if not path.is_file():
        print(f"eval_ask: no cases at {path}", file=sys.stderr)
        return 2
    from naltrack.knowledge import answer_question

    summary = run(load_cases(path), lambda question: answer_question(question).to_json())
    print(json.dumps(summary))
    return 0 if not summary["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
