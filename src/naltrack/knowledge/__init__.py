"""naltrack's guide and its Ask engine: articles, glossary, retrieval and extractive answers.

Public API (no Django here; the web app and the command line both call these):

- ``answer_question(question, *, country="US") -> Answer``: safety layer first, then the
  best guide sentences with their passages and sources; ``Answer.to_json()`` is the
  ``naltrack ask --json`` contract. ``country=None`` means the reader's country is unknown
  (an anonymous visitor): urgent advice says "your local emergency number" with examples.
- ``search_passages(query, limit=5) -> list[Passage]``: the search box of the Learn pages.
- ``load_guide() -> Guide``: articles with metadata and Markdown, glossary, comparison,
  support groups, for the Learn pages.
- ``reload_engine()``: forget the cached engine after clinic documents change.
"""

from __future__ import annotations

from naltrack.knowledge.answer import NOT_COVERED, Answer, Engine, ScoredPassage
from naltrack.knowledge.articles import (
    Article,
    GlossaryEntry,
    Guide,
    GuideError,
    Passage,
    Section,
    load_guide,
)
from naltrack.knowledge.engine import default_engine, reload_engine

__all__ = [
    "NOT_COVERED",
    "Answer",
    "Article",
    "Engine",
    "GlossaryEntry",
    "Guide",
    "GuideError",
    "Passage",
    "ScoredPassage",
    "Section",
    "answer_question",
    "load_guide",
    "reload_engine",
    "search_passages",
]


def answer_question(question: str, *, country: str | None = "US") -> Answer:
    """Answer a patient's question from the guide and clinic documents, urgent advice first."""
    return default_engine().answer(question, country=country)


def search_passages(query: str, limit: int = 5) -> list[Passage]:
    """The guide passages that best match a search query, best first."""
    return [hit.passage for hit in default_engine().search(query, limit)]
