"""Benchmark: the caseload page's server time for 2,000 demo patients, on SQLite and PostgreSQL.

Builds a throwaway database per engine (the platform's demo stages plus the care stage, which runs
refresh_flags for every patient), then times GET /care/caseload/ through Django's test client (page one,
100 rows: the real view, template and middleware) against a limit measured in the same run: the
caseload query alone (count + the page's rows + the prefetch of their open flags). It also counts the
view's SQL queries, which must not depend on the caseload size.

PostgreSQL runs when NALTRACK_BENCH_POSTGRES_URL points at a server where the user may create databases
(e.g. postgres://naltrack:naltrack-dev@127.0.0.1:54330/postgres); a database naltrack_bench_caseload is
created and dropped.

Output: JSON on stdout and in bench/results/caseload.json.
Usage: python bench/bench_caseload.py [--patients N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RESULTS = Path(__file__).resolve().parent / "results" / "caseload.json"
BENCH_DB = "naltrack_bench_caseload"


def _child(patients: int, runs: int) -> dict[str, object]:
    """Runs inside a process whose NALTRACK_DATABASE_URL names the throwaway database."""
    import datetime as dt

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naltrack.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection, transaction
    from django.test import Client

    from naltrack.web.care import demo as care_demo
    from naltrack.web.care import services
    from naltrack.web.care.views.staff import CASELOAD_PAGE_SIZE
    from naltrack.web.demo import DemoContext, stages

    call_command("migrate", verbosity=0)
    context = DemoContext(seed=2026, today=dt.date(2026, 11, 20), patient_count=patients)
    started = time.perf_counter()
    with transaction.atomic():
        for stage in (stages.create_clinics, stages.create_staff, stages.create_patients):
            stage(context)
        care_demo.build(context)
    build_s = time.perf_counter() - started
    user = context.staff["dr.okafor"]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    def view() -> None:
        response = client.get("/care/caseload/")
        assert response.status_code == 200, response.status_code

    def raw_query() -> None:
        page = Paginator(services.caseload(user), CASELOAD_PAGE_SIZE).get_page(1)
        list(page.object_list)
        page.paginator.count  # noqa: B018 - evaluates the COUNT

    def median_ms(fn) -> float:  # type: ignore[no-untyped-def]
        fn()  # warm up
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    executed: list[str] = []

    def count_queries(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    view()  # sessions and caches warm
    with connection.execute_wrapper(count_queries):
        view()
    view_ms, query_ms = median_ms(view), median_ms(raw_query)
    caseload_size = services.caseload(user).count()
    return {"engine": connection.vendor, "patients_in_caseload": caseload_size, "build_s": round(build_s, 1),
            "view_queries": len(executed), "view_ms_median": round(view_ms, 1),
            "query_alone_ms_median": round(query_ms, 1), "view_over_query": round(view_ms / query_ms, 2),
            "runs": runs}


def _run_child(database_url: str, patients: int, runs: int, var_dir: str) -> dict[str, object]:
    env = {**os.environ, "NALTRACK_DATABASE_URL": database_url, "NALTRACK_VAR_DIR": var_dir}
    out = subprocess.run([sys.executable, __file__, "--child", "--patients", str(patients), "--runs", str(runs)],
                         env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _postgres(admin_url: str, patients: int, runs: int, var_dir: str) -> dict[str, object]:
    import psycopg

    parts = urlsplit(admin_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        return _run_child(urlunsplit(parts._replace(path=f"/{BENCH_DB}")), patients, runs, var_dir)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.patients, args.runs)))
        return
    results: dict[str, object] = {"benchmark": "caseload", "patients": args.patients,
                                  "machine": f"{platform.machine()} {os.cpu_count()} cores",
                                  "python": platform.python_version()}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = _run_child(f"sqlite:///{tmp}/bench.sqlite3", args.patients, args.runs, tmp)
        admin_url = os.environ.get("NALTRACK_BENCH_POSTGRES_URL")
        results["postgresql"] = _postgres(admin_url, args.patients, args.runs, tmp) if admin_url else \
            "skipped (set NALTRACK_BENCH_POSTGRES_URL)"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
