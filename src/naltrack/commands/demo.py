"""`naltrack demo`: build the synthetic demo clinic on SQLite and serve it on 127.0.0.1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        seed: int = typer.Option(2026, "--seed", help="Random seed: the same seed builds the same clinic."),
        patients: int = typer.Option(300, "--patients", min=10, max=20000, help="How many demo patients."),
        reset: bool = typer.Option(False, "--reset", help="Rebuild even if a demo database exists."),
        build_only: bool = typer.Option(False, "--build-only", help="Build the demo, do not serve it."),
        host: str = typer.Option("127.0.0.1", "--host"),
        port: int = typer.Option(8000, "--port", min=1, max=65535),
    ) -> None:
        """Build a fictional demo clinic (staff, a few hundred patients with histories) and serve it."""
        from naltrack.commands._common import fail

        var_dir = Path(os.environ.get("NALTRACK_VAR_DIR") or Path.cwd() / "var").resolve()
        database = var_dir / "demo.sqlite3"
        marker = var_dir / "demo.json"
        if os.environ.get("NALTRACK_DATABASE_URL") and not os.environ["NALTRACK_DATABASE_URL"].endswith(
                str(database)):
            fail("naltrack demo always uses its own SQLite file (var/demo.sqlite3); unset NALTRACK_DATABASE_URL")
        os.environ["NALTRACK_DATABASE_URL"] = f"sqlite:///{database}"
        var_dir.mkdir(parents=True, exist_ok=True)

        from naltrack.web.demo import DEMO_VERSION

        wanted = {"seed": seed, "patients": patients, "version": DEMO_VERSION}
        current = json.loads(marker.read_text()) if marker.exists() else None
        rebuild = reset or current is None or {k: current.get(k) for k in wanted} != wanted \
            or not database.exists()
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            marker.unlink(missing_ok=True)

        from naltrack.commands._django import migrate, setup_django

        setup_django()
        if rebuild:
            _build(seed, patients)
            marker.write_text(json.dumps({**wanted, "logins": _logins_as_json()}))
        else:
            migrate()
            typer.echo(f"Reusing the demo clinic in {database} (seed {seed}; --reset rebuilds it).")
        logins = json.loads(marker.read_text())["logins"]
        _print_logins(logins, host, port)
        if not build_only:
            from naltrack.commands.serve import serve_app

            serve_app(host, port)


_LOGINS: list[tuple[str, str, str]] = []


def _build(seed: int, patients: int) -> None:
    from django.db import transaction
    from rich.progress import Progress

    from naltrack.commands._django import migrate
    from naltrack.web.demo import build_demo
    from naltrack.web.demo.stages import STAGES

    with Progress(transient=True) as progress:
        task = progress.add_task("Creating the database", total=len(STAGES) + 1)
        migrate()
        progress.advance(task)

        def step(name: str) -> None:
            progress.update(task, description=f"Demo clinic: {name}")
            progress.advance(task)

        with transaction.atomic():
            context = build_demo(seed=seed, patients=patients, progress=step)
    _LOGINS[:] = context.logins
    typer.echo(f"Built the demo clinic: {len(context.patients)} fictional patients, {len(context.staff)} staff.")


def _logins_as_json() -> list[list[str]]:
    return [list(login) for login in _LOGINS]


def _print_logins(logins: list[list[str]], host: str, port: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"naltrack demo — open http://{host}:{port}/ (all data is fictional)")
    table.add_column("Who")
    table.add_column("Username")
    table.add_column("Password")
    for who, username, password in logins:
        table.add_row(who, username, password)
    Console().print(table)
