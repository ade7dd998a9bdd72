"""Run the whole suite on SQLite, then on PostgreSQL when one is configured.

NALTRACK_TEST_POSTGRES_URL names the PostgreSQL server (a role allowed to create
the test database). Under CI=true a missing PostgreSQL is a failure, and so is a
missing browser (the browser tests refuse to skip there).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_suite(label: str, database_url: str, extra: list[str]) -> int:
    env = dict(os.environ, NALTRACK_DATABASE_URL=database_url, NALTRACK_TEST_DATABASE_LABEL=label)
    print(f"\n=== naltrack test suite on {label} ===", flush=True)
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup", *extra]
    return subprocess.call(cmd, cwd=ROOT, env=env)


def main() -> int:
    extra = sys.argv[1:]
    in_ci = os.environ.get("CI", "").lower() == "true"
    sqlite_url = f"sqlite:///{ROOT / 'var' / 'test.sqlite3'}"
    results = {"SQLite": run_suite("SQLite", sqlite_url, extra)}
    pg_url = os.environ.get("NALTRACK_TEST_POSTGRES_URL", "")
    if pg_url:
        results["PostgreSQL"] = run_suite("PostgreSQL", pg_url, extra)
    elif in_ci:
        print("CI=true but NALTRACK_TEST_POSTGRES_URL is not set: the PostgreSQL run is required.")
        results["PostgreSQL"] = 1
    else:
        print("\nPostgreSQL run skipped: set NALTRACK_TEST_POSTGRES_URL to include it (.ci/run does).")
    print("\n" + "\n".join(f"{name}: {'passed' if code == 0 else f'FAILED ({code})'}"
                            for name, code in results.items()))
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
