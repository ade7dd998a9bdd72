"""A clinic's own documents: Markdown, plain text or HTML, answered and cited like the guide.

`naltrack knowledge add FILE...` copies documents into the clinic-documents folder; the next
question rebuilds the index with their passages, each cited as ``clinic:<filename>``. The
folder is ``$NALTRACK_KNOWLEDGE_DIR`` when set, else ``var/knowledge/`` under the repository
(a source checkout) or under the current directory (an installed package).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from naltrack.knowledge.articles import PACKAGE_DIR, GuideError, Passage, slugify, split_front_matter
from naltrack.knowledge.text import markdown_to_text, split_sentences

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".html", ".htm"})
MAX_DOCUMENT_BYTES = 5_000_000  # a clinic leaflet or handbook, not a data dump
CHUNK_WORDS = 160  # a long section is cut into passages of about this many words
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
SOURCE_PREFIX = "clinic:"

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,3})(?!#)\s*(.+?)\s*#*\s*$", re.MULTILINE)
_NOT_A_HEADING_END = (".", ",", ";")


class DocumentError(ValueError):
    """A clinic document cannot be added, read or removed (the message says why)."""


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A stored clinic document: its file name, title, size and how many passages it gives."""

    name: str
    title: str
    bytes: int
    passages: int


def knowledge_dir() -> Path:
    """Where clinic documents live: $NALTRACK_KNOWLEDGE_DIR, else var/knowledge/ (see module doc)."""
    configured = os.environ.get("NALTRACK_KNOWLEDGE_DIR", "").strip()
    if configured:
        return Path(configured).expanduser()
    repository = PACKAGE_DIR.parents[2]
    if (repository / "pyproject.toml").is_file() and (repository / "src" / "naltrack").is_dir():
        return repository / "var" / "knowledge"
    return Path.cwd() / "var" / "knowledge"


# --- reading the three formats -------------------------------------------------------------

Sections = list[tuple[str, list[str]]]  # (heading, paragraphs)


def _is_heading_line(line: str, previous: str) -> bool:
    """A short unpunctuated line standing on its own reads as a heading in plain text."""
    stripped = line.strip()
    if not stripped or len(stripped) > HEADING_MAX_CHARS or len(stripped.split()) > HEADING_MAX_WORDS:
        return False
    if stripped.endswith(_NOT_A_HEADING_END) or not (stripped[0].isupper() or stripped[0].isdigit()):
        return False
    return not previous.strip() or previous.rstrip().endswith((".", "!", "?", ":"))


def text_sections(text: str) -> tuple[str, Sections]:
    """Title and (heading, paragraphs) sections of a plain-text document."""
    sections: Sections = [("", [])]
    paragraph: list[str] = []
    previous = ""

    def close_paragraph() -> None:
        if paragraph:
            sections[-1][1].append(" ".join(paragraph))
            paragraph.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            close_paragraph()
        elif _is_heading_line(stripped, previous):
            close_paragraph()
            sections.append((stripped.rstrip(":").strip(), []))
        else:
            paragraph.append(stripped)
        previous = line
    close_paragraph()
    title = next((heading for heading, _ in sections if heading), "")
    return title, sections


def markdown_sections(text: str) -> tuple[str, Sections]:
    """Title and sections of a Markdown document, split at its level 1-3 headings."""
    try:
        meta, body = split_front_matter(text)
    except GuideError as exc:
        raise DocumentError(str(exc)) from exc
    matches = list(_MARKDOWN_HEADING.finditer(body))
    sections: Sections = [("", [markdown_to_text(body[: matches[0].start()] if matches else body)])]
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(body)
        sections.append((markdown_to_text(match.group(2)), [markdown_to_text(body[match.end() : end])]))
    first_heading = next((m.group(2) for m in matches if m.group(1) == "#"), "")
    title = str(meta.get("title") or markdown_to_text(first_heading) or "")
    return title, sections


def html_sections(text: str) -> tuple[str, Sections]:
    """Title and sections of an HTML page (visible text only; scripts and styles dropped)."""
    from naltrack.knowledge.html_text import VisibleText

    parser = VisibleText()
    parser.feed(text)
    parser.close()
    return parser.title, parser.sections


# --- passages --------------------------------------------------------------------------------


def _chunks(paragraphs: Iterable[str]) -> list[str]:
    """Group paragraphs (or, for a very long one, its sentences) into ~CHUNK_WORDS-word pieces."""
    pieces: list[str] = []
    for paragraph in paragraphs:
        words = len(paragraph.split())
        pieces.extend(split_sentences(paragraph) if words > CHUNK_WORDS else [paragraph])
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        piece_words = len(piece.split())
        if current and size + piece_words > CHUNK_WORDS:
            chunks.append(" ".join(current))
            current, size = [], 0
        current.append(piece if piece.endswith((".", "!", "?", ":")) else piece + ".")
        size += piece_words
    if current:
        chunks.append(" ".join(current))
    return chunks


def document_passages(name: str, text: str) -> list[Passage]:
    """The passages of one clinic document, each cited as clinic:<name>."""
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm"):
        title, sections = html_sections(text)
    elif suffix in (".md", ".markdown"):
        title, sections = markdown_sections(text)
    else:
        title, sections = text_sections(text)
    title = title or Path(name).stem
    source = SOURCE_PREFIX + name
    passages = []
    for heading, paragraphs in sections:
        for chunk in _chunks(p for p in paragraphs if p.strip()):
            passages.append(
                Passage(
                    source, title, heading or title, chunk, (source,), slugify(heading or title), "clinic"
                )
            )
    return passages


# --- the clinic-documents folder -------------------------------------------------------------


def _check_name(name: str) -> None:
    if not name or Path(name).name != name or name.startswith("."):
        raise DocumentError(f"not a plain file name: {name!r}")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{name}: unsupported type (use .md, .txt or .html)")


def read_source_document(path: Path) -> tuple[str, str]:
    """(file name, text) of a document to add, refused with a reason when it cannot be used."""
    _check_name(path.name)
    if not path.is_file():
        raise DocumentError(f"no such file: {path}")
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"{path.name}: larger than {MAX_DOCUMENT_BYTES // 1_000_000} MB")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path.name}: not UTF-8 text") from exc
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror or exc.__class__.__name__}") from exc
    if not document_passages(path.name, text):
        raise DocumentError(f"{path.name}: no readable text")
    return path.name, text


def add_documents(paths: Sequence[Path], directory: Path) -> list[DocumentInfo]:
    """Check every document first, then store them all (a file of the same name is replaced)."""
    documents = [read_source_document(path) for path in paths]
    names = [name for name, _ in documents]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise DocumentError(f"two documents named {duplicates[0]}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in documents:
            _write_atomically(directory / name, text)
    except OSError as exc:
        raise DocumentError(f"cannot write to {directory}: {exc.strerror or exc.__class__.__name__}") from exc
    return [_info(name, text) for name, text in documents]


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _info(name: str, text: str) -> DocumentInfo:
    passages = document_passages(name, text)
    title = passages[0].title if passages else Path(name).stem
    return DocumentInfo(name, title, len(text.encode("utf-8")), len(passages))


def stored_documents(directory: Path) -> list[tuple[str, str]]:
    """(name, text) of every readable document in the folder, sorted by name."""
    if not directory.is_dir():
        return []
    documents = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES or not path.is_file():
            continue
        try:
            documents.append((path.name, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue  # a file dropped in by hand that is not UTF-8: skipped, not fatal
    return documents


def list_documents(directory: Path) -> list[DocumentInfo]:
    """The clinic documents stored in the folder."""
    return [_info(name, text) for name, text in stored_documents(directory)]


def remove_document(name: str, directory: Path) -> None:
    """Delete one stored clinic document by file name."""
    _check_name(name)
    path = directory / name
    if not path.is_file():
        raise DocumentError(f"no clinic document named {name}")
    path.unlink()


def clinic_passages(directory: Path) -> list[Passage]:
    """Passages of every stored clinic document."""
    passages = []
    for name, text in stored_documents(directory):
        try:
            passages.extend(document_passages(name, text))
        except DocumentError:
            continue  # unreadable front matter in a hand-edited file: skipped, not fatal
    return passages
