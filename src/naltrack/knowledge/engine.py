"""The shared engine: guide + clinic documents -> index, cached on disk between processes.

Building the index means reading every article and data file and analysing each passage.
The result is saved as JSON under the user's cache folder, named by a hash of every input
file, so a fresh `naltrack ask` only hashes the inputs and loads one file. When the cache
folder cannot be written (a read-only install, a locked-down server) the index is simply
built in memory each time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from naltrack.knowledge.answer import Engine
from naltrack.knowledge.articles import (
    CONTENT_DIR,
    DATA_DIR,
    DATA_FILES,
    article_paths,
    guide_passages,
    load_guide,
)
from naltrack.knowledge.index import Index
from naltrack.knowledge.ingest import clinic_passages, knowledge_dir, stored_documents
from naltrack.knowledge.safety import Triage

# Bump when the analysis or the cache layout changes, so old cache files are not reused.
INDEX_FORMAT = "ask-index-9"


@dataclass(frozen=True, slots=True)
class Inputs:
    """The folders an index is built from."""

    content_dir: Path = CONTENT_DIR
    data_dir: Path = DATA_DIR
    clinic_dir: Path | None = None  # None: no clinic documents


def cache_dir() -> Path:
    """$NALTRACK_CACHE_DIR, else $XDG_CACHE_HOME/naltrack, else ~/.cache/naltrack."""
    configured = os.environ.get("NALTRACK_CACHE_DIR", "").strip()
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "naltrack"


def fingerprint(inputs: Inputs) -> str:
    """A hash of every file the index depends on (names and bytes), and of the index format."""
    digest = hashlib.sha256(INDEX_FORMAT.encode())
    files = [*article_paths(inputs.content_dir), *(inputs.data_dir / name for name in DATA_FILES)]
    for path in files:
        if path.is_file():
            digest.update(f"\0{path.parent.name}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    if inputs.clinic_dir is not None:
        for name, text in stored_documents(inputs.clinic_dir):
            digest.update(f"\0clinic/{name}\0".encode())
            digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:24]


def build_index(inputs: Inputs) -> Index:
    """Read the guide (and any clinic documents) and build a fresh index."""
    guide = load_guide(inputs.content_dir, inputs.data_dir)
    passages = guide_passages(guide)
    if inputs.clinic_dir is not None:
        passages += clinic_passages(inputs.clinic_dir)
    return Index.build(passages, guide.vocabulary)


def load_index(inputs: Inputs, *, cache: Path | None = None) -> Index:
    """The index for these inputs: from the cache when it is current, else built (and saved)."""
    folder = cache_dir() if cache is None else cache
    path = folder / f"ask-index-{fingerprint(inputs)}.json"
    try:
        with path.open(encoding="utf-8") as stream:
            return Index.from_data(json.load(stream))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache yet, or an unreadable one: build below
    index = build_index(inputs)
    _save(index, path)
    return index


def _save(index: Index, path: Path) -> None:
    """Write the cache file atomically and drop stale ones; any failure just skips caching."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".ask-index-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(index.to_data(), stream, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
        for stale in path.parent.glob("ask-index-*.json"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        return


_lock = threading.Lock()
_engine: Engine | None = None


def default_inputs() -> Inputs:
    """The packaged guide plus the clinic-documents folder."""
    return Inputs(clinic_dir=knowledge_dir())


def default_engine(*, triage: Triage | None = None) -> Engine:
    """The process-wide engine over the packaged guide and the clinic's documents."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = Engine(load_index(default_inputs()), triage=triage)
        return _engine


def reload_engine() -> None:
    """Forget the process-wide engine, e.g. after clinic documents were added or removed."""
    global _engine
    with _lock:
        _engine = None
