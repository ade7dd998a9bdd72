"""`naltrack ask` and `naltrack knowledge add|list|remove`: questions answered from the guide.

Only Typer and the standard library are imported here; the engine loads inside the command,
so a cold `naltrack ask` stays well under a second.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from naltrack.knowledge.answer import Answer

MAX_QUESTION_CHARS = 2000
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def _clean_country(country: str | None) -> str | None:
    """The country code upper-cased, or None when not given (urgent advice then names the local
    emergency number with examples from several countries); a bad code is refused."""
    from naltrack.commands._common import fail
    from naltrack.knowledge.countries import is_country_code

    if country is None:
        return None
    if not _COUNTRY.match(country) or not is_country_code(country):
        fail(f"--country must be a two-letter country code (ISO 3166) such as US or GB, not {country!r}")
    return country.upper()


def _clean_question(question: str) -> str:
    from naltrack.commands._common import fail

    question = " ".join(question.split())
    if not question:
        fail('empty question: ask something, e.g. naltrack ask "Is naltrexone addictive?"')
    if len(question) > MAX_QUESTION_CHARS:
        fail(f"question too long ({len(question)} characters; at most {MAX_QUESTION_CHARS})")
    return question


def _readable(answer: Answer) -> str:
    """The answer as a person reads it in a terminal."""
    lines = [("URGENT: " if answer.is_urgent else "") + answer.answer]
    if answer.passages:
        lines.append("")
        lines.append("From the guide:")
        for number, hit in enumerate(answer.passages, start=1):
            heading = hit.passage.heading
            where = hit.passage.title if heading == hit.passage.title else f"{hit.passage.title} — {heading}"
            lines.append(f"  {number}. {where} ({hit.passage.article})")
    if answer.sources:
        lines.append(f"Sources: {', '.join(answer.sources)}")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command("ask")
    def ask(
        question: Annotated[str, typer.Argument(help="The question, or '-' to read one question per line.")],
        json_output: Annotated[bool, typer.Option("--json", help="Print the JSON contract.")] = False,
        country: Annotated[
            str | None,
            typer.Option(
                "--country",
                help="Two-letter country code for emergency numbers (default: not known, so the "
                "advice names your local emergency number with examples).",
            ),
        ] = None,
    ) -> None:
        """Answer a question from naltrack's guide (urgent symptoms first), with sources."""
        from naltrack.commands._common import fail, print_json

        country = _clean_country(country)
        if question == "-":
            questions = [line.strip() for line in sys.stdin if line.strip()]
            if not questions:
                fail("no questions on standard input (one question per line)")
        else:
            questions = [question]
        questions = [_clean_question(item) for item in questions]

        from naltrack.knowledge import GuideError, answer_question

        for number, item in enumerate(questions):
            try:
                answer = answer_question(item, country=country)
            except GuideError as exc:
                fail(f"the guide cannot be read: {exc}", code=1)
            if json_output:
                print_json(answer.to_json())
            else:
                typer.echo(("\n" if number else "") + _readable(answer))

    knowledge = typer.Typer(
        help="Add, list or remove the clinic's own documents answered by `naltrack ask`.",
        no_args_is_help=True,
    )

    @knowledge.command("add")
    def add(
        files: Annotated[
            list[Path], typer.Argument(help="Markdown (.md), text (.txt) or HTML (.html) files.")
        ],
    ) -> None:
        """Add clinic documents (a document with the same file name is replaced)."""
        from naltrack.commands._common import fail
        from naltrack.knowledge import reload_engine
        from naltrack.knowledge.ingest import DocumentError, add_documents, knowledge_dir

        directory = knowledge_dir()
        try:
            added = add_documents(files, directory)
        except DocumentError as exc:
            fail(str(exc))
        reload_engine()
        for info in added:
            typer.echo(f"added {info.name}: {info.passages} passages, cited as clinic:{info.name}")
        typer.echo(f"clinic documents are in {directory}")

    @knowledge.command("list")
    def list_(json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
        """List the clinic documents that `naltrack ask` answers from."""
        from naltrack.commands._common import print_json
        from naltrack.knowledge.ingest import knowledge_dir, list_documents

        documents = list_documents(knowledge_dir())
        if json_output:
            print_json(
                [
                    {"name": d.name, "title": d.title, "bytes": d.bytes, "passages": d.passages}
                    for d in documents
                ]
            )
            return
        if not documents:
            typer.echo(f"no clinic documents in {knowledge_dir()}")
        for d in documents:
            typer.echo(f"{d.name}\t{d.passages} passages\t{d.title}")

    @knowledge.command("remove")
    def remove(name: Annotated[str, typer.Argument(help="File name as shown by `knowledge list`.")]) -> None:
        """Remove one clinic document by file name."""
        from naltrack.commands._common import fail
        from naltrack.knowledge import reload_engine
        from naltrack.knowledge.ingest import DocumentError, knowledge_dir, remove_document

        try:
            remove_document(name, knowledge_dir())
        except DocumentError as exc:
            fail(str(exc))
        reload_engine()
        typer.echo(f"removed {name}")

    app.add_typer(knowledge, name="knowledge")
