"""`naltrack serve` and `naltrack migrate`."""

from __future__ import annotations

import typer

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve_app(host: str, port: int, threads: int = 8) -> None:
    """Serve the configured app with waitress until interrupted (Django must be set up)."""
    from waitress import serve

    from naltrack.web.wsgi import application

    typer.echo(f"naltrack is serving on http://{host}:{port}/ (Ctrl+C to stop)")
    serve(application, host=host, port=port, threads=threads, ident="naltrack", _quiet=True)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: str = typer.Option(DEFAULT_HOST, "--host", help="Address to listen on."),
        port: int = typer.Option(DEFAULT_PORT, "--port", min=1, max=65535, help="Port to listen on."),
        threads: int = typer.Option(8, "--threads", min=1, max=64, help="Worker threads."),
    ) -> None:
        """Serve the web app (database from NALTRACK_DATABASE_URL; SQLite under var/ by default)."""
        from naltrack.commands._common import fail
        from naltrack.commands._django import pending_migrations, setup_django

        setup_django()
        pending = pending_migrations()
        if pending:
            fail(f"the database needs {len(pending)} migration(s): run `naltrack migrate` first")
        serve_app(host, port, threads)

    @app.command("migrate")
    def migrate_command() -> None:
        """Create or update the database tables."""
        from naltrack.commands._django import migrate, setup_django

        setup_django()
        migrate(verbosity=1)
