"""BM25 over passages, with vocabulary concepts and heavier title and heading matches.

Retrieval is Okapi BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework:
BM25 and Beyond", 2009) with per-field term weights in the spirit of BM25F: a term in a
section heading counts ``HEADING_WEIGHT`` times, in the article title ``TITLE_WEIGHT``
times, in the body once. The vocabulary file maps a canonical term to its synonyms
(brand names, abbreviations, everyday words); every occurrence of any of them, in a
passage or in a question, also yields one concept token ``~<canonical>``, so "shot",
"Vivitrol" and "injection" meet on the same token. Plain dicts: the corpus is small.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from naltrack.knowledge.articles import Passage
from naltrack.knowledge.text import (
    STOP_WORDS,
    answer_types_asked,
    answer_types_in,
    split_sentences,
    stem,
    tokenize,
    words,
)

K1 = 1.2  # term-frequency saturation (the usual 1.2-2.0 range; Robertson & Zaragoza 2009)
B = 0.75  # length normalisation (the customary default)
HEADING_WEIGHT = 2.5  # a heading word says what the whole section is about
TITLE_WEIGHT = 1.5  # the article title is shared by all of its sections, so it weighs less
# After BM25, a passage whose heading says just what was asked (the FAQ "Is naltrexone
# addictive?", the glossary entry "LDN") moves up: score x (1 + HEADING_MATCH_BONUS x weighted
# Jaccard overlap of the heading's and the question's word stems). Small words count too, so that
# "What naltrexone does not do" is not mistaken for "What is naltrexone?", but only a little
# (SMALL_WORD_WEIGHT) beside a content word, which weighs its IDF (at least 1): "What happens if I
# stop taking naltrexone?" shares "stop" with "Overdose risk after stopping naltrexone", which
# says more than sharing "if" and "taking" with "If you become pregnant while taking naltrexone".
# Tuned on ask-dev, the held-out set (evals/) and the questions in tests/strategies.
HEADING_MATCH_BONUS = 0.5
SMALL_WORD_WEIGHT = 0.3
MIN_CONTENT_WEIGHT = 1.0
CONCEPT_PREFIX = "~"
SURFACE_PREFIX = "="  # the exact word, when its stem differs: "addictive" beside "addict"
SURFACE_WEIGHT = 0.5  # an exact-form match counts half a term on top of its stem
MAX_QUERY_TOKENS = 64  # a question longer than this is cut: nobody asks in more words
ANSWER_TYPE_PREFIX = "?"  # "?duration": the text holds a span of time (text.answer_types_in)
# A question that asks for a kind of answer ("how long...") looks for that kind with this weight:
# enough to prefer a passage that holds a span of time, never enough to stand for a topic word.
ANSWER_TYPE_WEIGHT = 0.5
# A word inside a vocabulary phrase of two or more words ("habit forming", "go back on", "wisdom
# teeth") is searched mainly through the phrase's concept; on its own it weighs this much, so
# "Is it habit forming?" is not drawn to "Which form of naltrexone...".
PHRASE_WORD_WEIGHT = 0.3
# A question word that belongs to a vocabulary concept is found through the concept as well, so
# its own stem weighs less: otherwise a passage that happens to use the question's exact word
# ("difference") scores it twice over one that uses a synonym ("compared with").
CONCEPT_WORD_WEIGHT = 0.5
_SMALL_STEMS = frozenset(stem(word) for word in STOP_WORDS)

Phrases = Mapping[str, Sequence[tuple[tuple[str, ...], str]]]


def phrase_stems(text: str) -> list[str]:
    """Stems of every word of a text, stop words included: vocabulary phrases match on these,
    so "come off" or "by mouth" keep their small words and do not shrink to "come" or "mouth"."""
    return [stem(word) for word in words(text)]


def build_phrases(vocabulary: Mapping[str, Iterable[str]]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Stem sequences of every vocabulary term and synonym, keyed by their first stem."""
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for canonical, synonyms in vocabulary.items():
        concept = CONCEPT_PREFIX + "-".join(
            tokenize(canonical) or phrase_stems(canonical) or [canonical.lower()]
        )
        for term in (canonical, *synonyms):
            stems = tuple(phrase_stems(term))
            if stems and (stems, concept) not in phrases.get(stems[0], []):
                phrases.setdefault(stems[0], []).append((stems, concept))
    for candidates in phrases.values():
        candidates.sort(key=lambda item: -len(item[0]))  # longest phrase first
    return phrases


def find_concepts(stems: Sequence[str], phrases: Phrases) -> list[tuple[str, int, int]]:
    """Vocabulary concepts found in a stem sequence, as (concept, start, end) spans."""
    found = []
    for start, first in enumerate(stems):
        for phrase, concept in phrases.get(first, ()):
            end = start + len(phrase)
            if tuple(stems[start:end]) == phrase:
                found.append((concept, start, end))
    return found


@dataclass(frozen=True, slots=True)
class Analysis:
    """A text's content words (with their stems) and, for each, the vocabulary concepts it is part of."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    concepts: tuple[frozenset[str], ...]
    in_phrase: tuple[bool, ...] = ()  # whether each word is part of a vocabulary phrase of 2+ words


def analyse_words(text: str, phrases: Phrases, limit: int | None = None) -> Analysis:
    """Content words of a text with stems and concepts; phrases are found with stop words kept."""
    all_words = words(text)
    all_stems = [stem(word) for word in all_words]
    spans = find_concepts(all_stems, phrases)
    kept = [position for position, word in enumerate(all_words) if word not in STOP_WORDS][:limit]
    concepts_at: dict[int, set[str]] = {}
    in_phrase: set[int] = set()
    for concept, start, end in spans:
        content = [position for position in range(start, end) if all_words[position] not in STOP_WORDS]
        for position in content or range(start, end):
            concepts_at.setdefault(position, set()).add(concept)
        if end - start > 1:
            in_phrase.update(range(start, end))
    return Analysis(
        tuple(all_words[position] for position in kept),
        tuple(all_stems[position] for position in kept),
        tuple(frozenset(concepts_at.get(position, ())) for position in kept),
        tuple(position in in_phrase for position in kept),
    )


def heading_words(heading: str, phrases: Phrases) -> frozenset[str]:
    """What the heading match compares: every word stem of a heading and its vocabulary concepts,
    so that "What is NTX?" meets the heading "naltrexone" and "forgot my pill" meets "If you miss
    a naltrexone tablet", and the kind of answer a heading promises ("How often" promises a
    frequency), which meets the kind a question asks for."""
    stems = phrase_stems(heading)
    concepts = {concept for concept, _, _ in find_concepts(stems, phrases)}
    kinds = {ANSWER_TYPE_PREFIX + kind for kind in answer_types_asked(heading)}
    return frozenset(stems) | concepts | kinds


def analyse(text: str, phrases: Phrases) -> list[str]:
    """Index terms of a text: stems, the exact forms that differ from them, and vocabulary concepts."""
    analysis = analyse_words(text, phrases)
    surfaces = [
        SURFACE_PREFIX + word
        for word, stemmed in zip(analysis.words, analysis.stems, strict=True)
        if word != stemmed
    ]
    concepts = [concept for group in analysis.concepts for concept in group]
    kinds = [ANSWER_TYPE_PREFIX + kind for kind in answer_types_in(text)]
    return [*analysis.stems, *surfaces, *concepts, *kinds]


@dataclass(frozen=True, slots=True)
class QueryUnit:
    """One content word of a question with the concepts it takes part in; matched by any of them."""

    token: str
    terms: frozenset[str]


@dataclass(frozen=True, slots=True)
class Query:
    """An analysed question: its content words and the weighted terms to score with."""

    units: tuple[QueryUnit, ...]
    terms: tuple[tuple[str, float], ...]
    words: frozenset[str] = frozenset()  # stems of every word, stop words included (heading match)
    kinds: frozenset[str] = frozenset()  # answer types asked for, as "?duration" tokens

    @property
    def is_empty(self) -> bool:
        return not self.units


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage and its score for one query (BM25 with the heading bonus; `bm25` without)."""

    position: int
    score: float
    bm25: float


class Index:
    """An inverted index over passages with BM25 scoring; sentence terms are worked out on demand.

    Only the postings, IDF and heading terms are needed to rank; the term sets of a passage and
    of its sentences are needed only for the few passages that make an answer, so they are
    analysed the first time they are asked for and kept. That keeps the cache file small and
    a cold start quick.
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        postings: Mapping[str, Sequence[tuple[int, float]]],
        idf: dict[str, float],
        phrases: Phrases,
        heading_terms: list[frozenset[str]],
    ) -> None:
        self.passages = list(passages)
        self.postings = postings
        self.idf = idf
        self.heading_terms = heading_terms
        self.phrases = phrases
        self.unknown_idf = _idf(len(self.passages), 0)
        self._terms: dict[int, frozenset[str]] = {}
        self._sentences: dict[int, list[tuple[str, frozenset[str]]]] = {}

    def terms_of(self, position: int) -> frozenset[str]:
        """Every index term of a passage: text, heading and title."""
        terms = self._terms.get(position)
        if terms is None:
            passage = self.passages[position]
            found = analyse(passage.text, self.phrases) + analyse(passage.heading, self.phrases)
            if passage.title != passage.heading:
                found += analyse(passage.title, self.phrases)
            terms = self._terms[position] = frozenset(found)
        return terms

    def sentences_of(self, position: int) -> list[tuple[str, frozenset[str]]]:
        """The sentences of a passage, each with its index terms."""
        sentences = self._sentences.get(position)
        if sentences is None:
            sentences = self._sentences[position] = [
                (sentence, frozenset(analyse(sentence, self.phrases)))
                for sentence in split_sentences(self.passages[position].text)
            ]
        return sentences

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, passages: Sequence[Passage], vocabulary: Mapping[str, Iterable[str]]) -> Index:
        """Analyse every passage once and lay out postings with precomputed BM25 term weights."""
        phrases = build_phrases(vocabulary)
        field_tf: list[dict[str, float]] = []
        lengths: list[float] = []
        for passage in passages:
            body = analyse(passage.text, phrases)
            tf: dict[str, float] = dict.fromkeys(body, 0.0)
            for term in body:
                tf[term] += 1.0
            for term in analyse(passage.heading, phrases):
                tf[term] = tf.get(term, 0.0) + HEADING_WEIGHT
            if passage.title != passage.heading:
                for term in analyse(passage.title, phrases):
                    tf[term] = tf.get(term, 0.0) + TITLE_WEIGHT
            field_tf.append(tf)
            lengths.append(float(len(body)) or 1.0)
        average = sum(lengths) / len(lengths) if lengths else 1.0
        postings: dict[str, list[tuple[int, float]]] = {}  # term -> (passage, BM25 term weight)
        for position, (tf, length) in enumerate(zip(field_tf, lengths, strict=True)):
            norm = K1 * (1.0 - B + B * length / average)
            for term, count in tf.items():
                postings.setdefault(term, []).append((position, count * (K1 + 1.0) / (count + norm)))
        idf = {term: _idf(len(passages), len(hits)) for term, hits in postings.items()}
        heading_terms = [heading_words(p.heading, phrases) for p in passages]
        return cls(passages, postings, idf, phrases, heading_terms)

    # -- querying ---------------------------------------------------------------------------

    def analyse_query(self, question: str) -> Query:
        """Content words of a question, each expanded with the vocabulary concepts it belongs to."""
        analysis = analyse_words(question, self.phrases, MAX_QUERY_TOKENS)
        units: dict[str, set[str]] = {}
        weights: dict[str, float] = {}
        for word, token, concepts, in_phrase in zip(
            analysis.words, analysis.stems, analysis.concepts, analysis.in_phrase, strict=True
        ):
            group = units.setdefault(token, {token})
            own = PHRASE_WORD_WEIGHT if in_phrase else CONCEPT_WORD_WEIGHT if concepts else 1.0
            weights[token] = max(weights.get(token, 0.0), own)
            for concept in sorted(concepts):
                group.add(concept)
                weights[concept] = 1.0
            if word != token:
                weights.setdefault(SURFACE_PREFIX + word, SURFACE_WEIGHT)
        kinds = frozenset(ANSWER_TYPE_PREFIX + kind for kind in answer_types_asked(question)) if units else frozenset()
        for kind in kinds:
            weights[kind] = ANSWER_TYPE_WEIGHT
        concepts = frozenset(concept for group in analysis.concepts for concept in group)
        return Query(
            tuple(QueryUnit(token, frozenset(group)) for token, group in units.items()),
            tuple(weights.items()),
            frozenset(phrase_stems(question)[: MAX_QUERY_TOKENS * 2]) | concepts | kinds,
            kinds,
        )

    def term_idf(self, term: str) -> float:
        """IDF of a term; a term absent from the corpus gets the highest possible value."""
        return self.idf.get(term, self.unknown_idf)

    def unit_weight(self, unit: QueryUnit) -> float:
        """How much a question word counts towards coverage: its rarest known form."""
        known = [self.idf[term] for term in unit.terms if term in self.idf]
        return max(known) if known else self.unknown_idf

    def search(self, query: Query, limit: int) -> list[Hit]:
        """The best `limit` passages for a query: BM25, then the heading-match bonus, best first."""
        scores: dict[int, float] = {}
        for term, query_weight in query.terms:
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = self.idf[term] * query_weight
            for position, weight in postings:
                scores[position] = scores.get(position, 0.0) + idf * weight
        asked = query.words
        hits: list[Hit] = []
        for position, bm25 in scores.items():
            overlap = self.heading_overlap(self.heading_terms[position], asked)
            hits.append(Hit(position, bm25 * (1.0 + HEADING_MATCH_BONUS * overlap), bm25))
        return heapq.nsmallest(limit, hits, key=lambda hit: (-hit.score, hit.position))

    def stem_weight(self, stem_: str) -> float:
        """How much a word stem counts in the heading match: a small word little, a rare word more."""
        if stem_ in _SMALL_STEMS:
            return SMALL_WORD_WEIGHT
        return max(self.idf.get(stem_, self.unknown_idf), MIN_CONTENT_WEIGHT)

    def heading_overlap(self, heading: frozenset[str], asked: frozenset[str]) -> float:
        """Weighted Jaccard overlap (0-1) of a heading's and a question's word stems."""
        union = sum(self.stem_weight(term) for term in heading | asked)
        if not union:
            return 0.0
        return sum(self.stem_weight(term) for term in heading & asked) / union

    def max_score(self, query: Query) -> float:
        """The score a passage would get if it matched every query term without limit."""
        return sum(self.term_idf(term) * weight * (K1 + 1.0) for term, weight in query.terms)

    def is_known(self, unit: QueryUnit) -> bool:
        """Whether the corpus uses this question word (or a concept it belongs to) at all."""
        return any(term in self.idf for term in unit.terms)

    def coverage(self, query: Query, terms: frozenset[str], *, forgive: int = 0) -> float:
        """IDF-weighted share of the question's content words that a set of terms matches (0-1).

        With `forgive`, the heaviest `forgive` unmatched words that the corpus does use elsewhere
        are left out: a rare word or two phrased differently should not sink a well-matched
        question, while a word the guide never uses at all still counts against it.
        """
        total = matched = 0.0
        unmatched_known: list[float] = []
        for unit in query.units:
            weight = self.unit_weight(unit)
            total += weight
            if unit.terms & terms:
                matched += weight
            elif forgive and self.is_known(unit):
                unmatched_known.append(weight)
        total -= sum(sorted(unmatched_known, reverse=True)[:forgive])
        return matched / total if total > 0 else 0.0

    # -- the cache format -----------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data from which `from_data` rebuilds this index."""
        return {
            "passages": [
                [p.article, p.title, p.heading, p.text, list(p.sources), p.anchor, p.kind]
                for p in self.passages
            ],
            "postings": {
                term: [[pos, round(w, 6)] for pos, w in hits] for term, hits in self.postings.items()
            },
            "idf": self.idf,
            "heading_terms": [sorted(terms) for terms in self.heading_terms],
            "phrases": {
                first: [[list(tokens), concept] for tokens, concept in items]
                for first, items in self.phrases.items()
            },
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Index:
        """Rebuild an index from `to_data` output."""
        passages = [
            Passage(article, title, heading, text, tuple(sources), anchor, kind)
            for article, title, heading, text, sources, anchor, kind in data["passages"]
        ]
        phrases = {
            first: [(tuple(tokens), str(concept)) for tokens, concept in items]
            for first, items in data["phrases"].items()
        }
        heading_terms = [frozenset(terms) for terms in data["heading_terms"]]
        # JSON gives [position, weight] lists where the built index has tuples; both unpack alike.
        postings = cast(Mapping[str, Sequence[tuple[int, float]]], data["postings"])
        return cls(passages, postings, dict(data["idf"]), phrases, heading_terms)


def _idf(documents: int, containing: int) -> float:
    """BM25's IDF, in the always-positive form log(1 + (N - n + 0.5) / (n + 0.5))."""
    return math.log(1.0 + (documents - containing + 0.5) / (containing + 0.5))
