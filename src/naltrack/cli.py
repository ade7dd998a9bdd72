"""The ``naltrack`` command.

Each subcommand lives in ``naltrack.commands.<name>`` and registers itself with ``register(app)``.
Those modules import only Typer at import time and load their heavy parts (Django, NumPy, the
knowledge index) inside the command, so ``naltrack ask`` never pays for the web stack.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES = (
    "serve",        # serve, migrate
    "admin",        # createclinic, createuser
    "demo",         # demo
    "screen",       # screen --json
    "adherence",    # adherence --json
    "score",        # score INSTRUMENT --json
    "outcomes",     # outcomes --json
    "ask",          # ask --json, knowledge add
    "simulate",     # simulate --json
    "export",       # export --clinic S --format F --out DIR
    "backup",       # backup FILE, restore FILE
)

app = typer.Typer(
    name="naltrack",
    help="naltrack: naltrexone-assisted treatment, in software.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"naltrack.commands.{_name}").register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
