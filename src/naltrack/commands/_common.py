"""What every subcommand shares: one-line refusals, JSON in and out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer

EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print one clear line on stderr and exit non-zero (never a traceback)."""
    typer.echo(f"naltrack: {message}", err=True)
    raise typer.Exit(code)


def read_text_arg(source: str) -> str:
    """The text of FILE, or of standard input when FILE is '-'."""
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        fail(f"no such file: {source}")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {source}: {exc.__class__.__name__}")


def read_json_arg(source: str) -> Any:
    """Parse JSON from FILE or '-' (standard input); refuse malformed JSON in one line."""
    text = read_text_arg(source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        fail("invalid JSON: nested too deeply")


def print_json(payload: Any) -> None:
    """Print one JSON document on stdout."""
    typer.echo(json.dumps(payload, ensure_ascii=False))
