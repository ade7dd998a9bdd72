"""Run each worked case of ../shared/eval/screening-dev.jsonl through the `naltrack screen` code path.

Prints one line per case and a summary JSON ({"passed", "total", "failed"}); exits 1 if any case's
verdict differs from the expected one. The shared folder is ../shared next to the repository root, or
the folder named by NALTRACK_SHARED_DIR.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The shared folder: $NALTRACK_SHARED_DIR, else ../shared relative to the repository root."""
    override = os.environ.get("NALTRACK_SHARED_DIR")
    return Path(override) if override else REPO_ROOT.parent / "shared"


def run_case(case: dict[str, Any]) -> str:
    """The verdict the CLI would print for one case, or 'error: ...' when the input is refused."""
    from naltrack.clinical.screening import ScreeningInputError
    from naltrack.commands.screen import screen_payload

    try:
        return str(screen_payload(case["input"])["verdict"])
    except ScreeningInputError as exc:
        return f"error: {exc}"


def main() -> int:
    path = shared_dir() / "eval" / "screening-dev.jsonl"
    if not path.is_file():
        print(f"eval_screening: no cases at {path}", file=sys.stderr)
        return 2
    passed = 0
    failed: list[str] = []
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        case = json.loads(line)
        case_id = str(case.get("id", f"line {number}"))
        expected = case["verdict"]
        got = run_case(case)
        ok = got == expected
        passed += ok
        if not ok:
            failed.append(case_id)
        print(f"{'PASS' if ok else 'FAIL'} {case_id}: expected {expected}, got {got}")
    print(json.dumps({"eval": "screening", "passed": passed, "total": len(lines), "failed": failed}))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
