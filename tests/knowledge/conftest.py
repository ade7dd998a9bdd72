"""Shared fixtures for the Ask engine: a fixture-guide engine, a scripted triage, isolated folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from naltrack.knowledge import reload_engine
from naltrack.knowledge.answer import Engine
from naltrack.knowledge.engine import Inputs, build_index

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(os.environ.get("NALTRACK_SHARED_DIR") or Path(__file__).resolve().parents[3] / "shared")
SEEDS = SHARED / "seeds"


@dataclass(frozen=True)
class ScriptedTriage:
    """A stand-in for clinical.triage.triage_text: urgent whenever the text contains `trigger`."""

    trigger: str = "yellow"
    advice: tuple[str, ...] = ("Call 911 now.", "Stop your tablets until a doctor has seen you.")

    def __call__(self, text: str, *, country: str = "US") -> ScriptedResult:
        urgent = self.trigger in text.lower()
        return ScriptedResult(
            is_urgent=urgent,
            advice=self.advice if urgent else (),
            sources=("triage:test",) if urgent else (),
            codes=("jaundice",) if urgent else (),
            is_crisis=False,
        )


@dataclass(frozen=True)
class ScriptedResult:
    is_urgent: bool
    advice: tuple[str, ...]
    sources: tuple[str, ...]
    codes: tuple[str, ...]
    is_crisis: bool


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own index cache and clinic-documents folder, and a fresh engine."""
    monkeypatch.setenv("NALTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NALTRACK_KNOWLEDGE_DIR", str(tmp_path / "clinic"))
    reload_engine()
    yield
    reload_engine()


@pytest.fixture(scope="session")
def fixture_inputs() -> Inputs:
    return Inputs(content_dir=FIXTURES / "content", data_dir=FIXTURES / "data")


@pytest.fixture(scope="session")
def fixture_engine(fixture_inputs: Inputs) -> Engine:
    """An engine over the small fixture guide, with the scripted triage."""
    return Engine(build_index(fixture_inputs), triage=ScriptedTriage())


@pytest.fixture(scope="session")
def guide_engine() -> Engine:
    """An engine over the real packaged guide, with the real clinical triage."""
    return Engine(build_index(Inputs()))
