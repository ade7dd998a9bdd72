"""`naltrack score`: being built (see the issue that owns it)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("score", help="Not built yet.", hidden=True)
    def _placeholder() -> None:
        from naltrack.commands._common import fail

        fail("score is not available in this build yet")
