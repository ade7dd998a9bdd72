"""Extractive answers: the safety layer first, then the best sentences of the best passages.

Nothing here writes text of its own. An answer is made of sentences copied from the guide
(or a clinic's own documents), of the triage's advice when the question is urgent, or of
one fixed line saying the guide does not cover the question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from naltrack.knowledge.articles import Passage
from naltrack.knowledge.index import Hit, Index, Query
from naltrack.knowledge.safety import NOT_URGENT, SafetyCheck, Triage, check_question

NOT_COVERED = "This isn't covered in naltrack's guide — please ask your care team."

# Calibration of "is this question covered?" (bench/bench_ask.py and the tests hold the
# covered and uncovered question sets these were tuned on). A question is covered when the
# best passages match enough of its content words, weighting each word by its IDF so that
# one generic word ("long", "take") shared with the guide is not enough...
MIN_COVERAGE = 0.6
# ...and when the best passage scores a fair share of what a perfect match would score.
MIN_RELATIVE_SCORE = 0.12
COVERAGE_PASSAGES = 3  # coverage is judged on the best of the top three passages
# In a question of at least this many content words, one unmatched word that the guide does
# use elsewhere is forgiven ("Can naltrexone *hurt* my liver?"), and one more for every
# FORGIVE_EVERY further words: a long, rambling question carries words that are not its topic.
# See Index.coverage.
FORGIVE_ONE_FROM = 3
FORGIVE_EVERY = 4

PASSAGE_LIMIT = 5  # passages returned with an answer: the top 3-5
MIN_PASSAGES = 3
PASSAGE_FLOOR = 0.3  # passages past the third must score this share of the best one
SENTENCE_PASSAGES = 3  # answer sentences come from the top three passages
ANSWER_SENTENCES = 3
SENTENCE_FLOOR = 0.75  # a second or third sentence must score this share of the best
FIRST_SENTENCE_BONUS = 0.15  # a strongly matching passage usually states its point first
# A sentence holding the kind of answer the question asks for ("how long" -> "7 to 10 days").
ANSWER_TYPE_BONUS = 0.1
STRONG_PASSAGE = 0.8  # "strongly matching": this share of the best passage score
MIN_SENTENCE_WORDS = 4
REDUNDANT_OVERLAP = 0.7  # a sentence sharing this share of its terms with a chosen one adds nothing
MAX_SENTENCE_WORDS = 90


@dataclass(frozen=True, slots=True)
class ScoredPassage:
    """A passage returned with an answer, with its BM25 score."""

    passage: Passage
    score: float

    def to_json(self) -> dict[str, Any]:
        """The contract's passage object: article, title, text, score."""
        return {
            "article": self.passage.article,
            "title": self.passage.title,
            "text": self.passage.text_with_heading,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """The reply to one question: extractive answer, urgency, passages and their sources."""

    question: str
    answer: str
    is_urgent: bool
    passages: tuple[ScoredPassage, ...]
    sources: tuple[str, ...]
    is_covered: bool
    advice: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The `naltrack ask --json` contract: question, answer, urgent, passages, sources."""
        return {
            "question": self.question,
            "answer": self.answer,
            "urgent": self.is_urgent,
            "passages": [passage.to_json() for passage in self.passages],
            "sources": list(self.sources),
        }


class Engine:
    """The Ask engine over one index: search, coverage, sentence extraction, safety first."""

    def __init__(self, index: Index, *, triage: Triage | None = None) -> None:
        self.index = index
        self.triage = triage

    def search(self, query: str, limit: int = PASSAGE_LIMIT) -> list[ScoredPassage]:
        """The passages that best match a query (no coverage judgement: for a search box)."""
        analysed = self.index.analyse_query(query)
        hits = self._keep_top(self.index.search(analysed, max(limit, 0)), limit)
        return [ScoredPassage(self.index.passages[hit.position], hit.score) for hit in hits]

    def answer(self, question: str, *, country: str | None = "US") -> Answer:
        """Answer a question: triage first, then extract sentences if the guide covers it.

        ``country`` picks the emergency numbers of urgent advice (None: the reader's country is unknown).
        """
        safety = self._check(question, country)
        query = self.index.analyse_query(question)
        hits = self.index.search(query, PASSAGE_LIMIT)
        covered = self.is_covered(query, hits)
        kept = self._keep_top(hits, PASSAGE_LIMIT) if covered else []
        chosen = self.choose_sentences(query, kept) if covered else []
        sentences = [sentence for _, sentence in chosen]
        passages = tuple(ScoredPassage(self.index.passages[hit.position], hit.score) for hit in kept)
        # Sources of the passages the answer quotes come first, then those of the other passages.
        quoted = dict.fromkeys(rank for rank, _ in chosen)
        ordered = [passages[rank] for rank in quoted] + [p for n, p in enumerate(passages) if n not in quoted]
        if safety.is_urgent:
            text = " ".join((*safety.advice, *sentences))
        else:
            text = " ".join(sentences) if sentences else NOT_COVERED
        sources = tuple(
            dict.fromkeys(
                (
                    *(safety.sources if safety.is_urgent else ()),
                    *(s for p in ordered for s in p.passage.sources),
                )
            )
        )
        return Answer(
            question=question,
            answer=text,
            is_urgent=safety.is_urgent,
            passages=passages,
            sources=sources,
            is_covered=bool(sentences),
            advice=safety.advice if safety.is_urgent else (),
        )

    def is_covered(self, query: Query, hits: list[Hit]) -> bool:
        """Whether the top passages match enough of the question to answer it from the guide."""
        if query.is_empty or not hits:
            return False
        maximum = self.index.max_score(query)
        if maximum <= 0 or max(hit.bm25 for hit in hits) / maximum < MIN_RELATIVE_SCORE:
            return False
        best = max(
            self.index.coverage(query, self.index.terms_of(hit.position), forgive=forgiven_words(query))
            for hit in hits[:COVERAGE_PASSAGES]
        )
        return best >= MIN_COVERAGE

    def extract_sentences(self, query: Query, hits: list[Hit]) -> list[str]:
        """The best one to three sentences of the top passages, in reading order."""
        return [sentence for _, sentence in self.choose_sentences(query, hits)]

    def choose_sentences(self, query: Query, hits: list[Hit]) -> list[tuple[int, str]]:
        """(passage rank, sentence) for the best one to three sentences, in reading order."""
        if not hits:
            return []
        top = hits[0].score
        candidates: list[tuple[float, int, int, str, frozenset[str]]] = []
        for rank, hit in enumerate(hits[:SENTENCE_PASSAGES]):
            strength = hit.score / top
            for number, (sentence, terms) in enumerate(self.index.sentences_of(hit.position)):
                if not MIN_SENTENCE_WORDS <= sentence.count(" ") + 1 <= MAX_SENTENCE_WORDS:
                    continue
                overlap = self.index.coverage(query, terms)
                if overlap <= 0:
                    continue
                score = overlap * (0.6 + 0.4 * strength)
                if number == 0 and strength >= STRONG_PASSAGE:
                    score += FIRST_SENTENCE_BONUS
                if query.kinds & terms:
                    score += ANSWER_TYPE_BONUS
                candidates.append((score, rank, number, sentence, terms))
        if not candidates:
            return []
        candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
        best = candidates[0][0]
        chosen: list[tuple[float, int, int, str, frozenset[str]]] = []
        for candidate in candidates:
            if len(chosen) == ANSWER_SENTENCES or candidate[0] < SENTENCE_FLOOR * best:
                break
            if not any(_is_redundant(candidate[4], other[4]) for other in chosen):
                chosen.append(candidate)
        return [(item[1], item[3]) for item in sorted(chosen, key=lambda item: (item[1], item[2]))]

    def _check(self, question: str, country: str | None) -> SafetyCheck:
        if not question.strip():
            return NOT_URGENT
        return check_question(question, country=country, triage=self.triage)

    @staticmethod
    def _keep_top(hits: list[Hit], limit: int) -> list[Hit]:
        if not hits:
            return []
        floor = PASSAGE_FLOOR * hits[0].score
        return [hit for number, hit in enumerate(hits[:limit]) if number < MIN_PASSAGES or hit.score >= floor]


def forgiven_words(query: Query) -> int:
    """How many unmatched (but known) words a question may have and still count as covered."""
    count = len(query.units)
    return 0 if count < FORGIVE_ONE_FROM else 1 + (count - FORGIVE_ONE_FROM) // FORGIVE_EVERY


def _is_redundant(terms: frozenset[str], other: frozenset[str]) -> bool:
    """Whether two sentences say much the same thing (share most of their terms)."""
    smaller = min(len(terms), len(other))
    return smaller == 0 or len(terms & other) / smaller >= REDUNDANT_OVERLAP
