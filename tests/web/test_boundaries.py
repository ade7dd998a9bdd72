"""Architecture and configuration checks: the pure core stays pure; settings fail safe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NALTRACK_", "DJANGO_"))}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**clean, **env}, timeout=120)


FORBIDDEN = {"django", "sqlite3", "psycopg", "duckdb", "requests", "urllib", "urllib3", "http", "socket", "ssl"}
# The compiled population loop is the one module that imports Numba (a compiler, which itself loads
# socket among its own modules); it is checked statically below and left out of the runtime check.
COMPILED = {"naltrack.clinical.pharmacology.kernel"}


def test_the_clinical_core_never_imports_django_a_database_or_the_network():
    code = (
        "import importlib, pkgutil, sys\n"
        "import naltrack.clinical as core\n"
        f"compiled = {sorted(COMPILED)!r}\n"
        "names = [m.name for m in pkgutil.walk_packages(core.__path__, 'naltrack.clinical.')]\n"
        "[importlib.import_module(n) for n in names if n not in compiled]\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r})\n"
        "print(len(names), bad)\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    count, bad = result.stdout.split(" ", 1)
    assert int(count) >= 1
    assert bad.strip() == "[]"


def _imported_roots(path: Path) -> set[str]:
    import ast

    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_clinical_source_file_imports_django_a_database_or_the_network():
    files = sorted((ROOT / "src" / "naltrack" / "clinical").rglob("*.py"))
    assert files
    offenders = {str(f.relative_to(ROOT)): sorted(_imported_roots(f) & FORBIDDEN) for f in files}
    assert {f: bad for f, bad in offenders.items() if bad} == {}


def test_the_compiled_loop_imports_only_numba_numpy_and_math():
    for name in COMPILED:
        path = ROOT / "src" / Path(*name.split(".")).with_suffix(".py")
        assert _imported_roots(path) <= {"__future__", "math", "numba", "numpy"}


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run("import naltrack.web.settings", NALTRACK_ALLOWED_HOSTS="clinic.example.org",
                  NALTRACK_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "NALTRACK_SECRET_KEY is required" in result.stderr


def test_debug_is_refused_in_production(tmp_path):
    result = _run("import naltrack.web.settings", NALTRACK_ALLOWED_HOSTS="clinic.example.org",
                  NALTRACK_SECRET_KEY="x" * 30 + "abcdefghijklmnopqrstuvwxyz", NALTRACK_DEBUG="1",
                  NALTRACK_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "NALTRACK_DEBUG" in result.stderr


def test_a_malformed_boolean_fails_loudly(tmp_path):
    result = _run("import naltrack.web.settings", NALTRACK_DEBUG="maybe", NALTRACK_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "must be true or false" in result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "naltrack.web.manage", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**{k: v for k, v in os.environ.items() if not k.startswith(("NALTRACK_", "DJANGO_"))},
             "NALTRACK_ALLOWED_HOSTS": "clinic.example.org",
             "NALTRACK_SECRET_KEY": "k3y-" + "Zq8#v" * 12,
             "NALTRACK_VAR_DIR": str(tmp_path),
             "NALTRACK_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The in-memory test database cannot use WAL; a file database must.
    assert mode in {"wal", "memory"}


def test_the_file_database_uses_wal(tmp_path):
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='naltrack.web.settings'; django.setup()\n"
            "from django.db import connection\n"
            "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n")
    result = _run(code, NALTRACK_VAR_DIR=str(tmp_path), NALTRACK_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"
