"""BM25 ranking, vocabulary expansion and the cached index format, on the fixture guide."""

from __future__ import annotations

import pytest

from naltrack.knowledge.answer import Engine
from naltrack.knowledge.articles import Passage
from naltrack.knowledge.index import Index, build_phrases, find_concepts, phrase_stems


def top_articles(engine: Engine, query: str, limit: int = 3) -> list[str]:
    return [hit.passage.article for hit in engine.search(query, limit)]


@pytest.mark.parametrize(
    ("query", "article"),
    [
        ("How often is the injection given?", "monthly-injection"),
        ("liver blood test", "liver"),
        ("opioid-free days before the first dose", "starting"),
        ("wallet card for the emergency team", "daily-life"),
        ("Is naltrexone addictive?", "what-is-naltrexone"),
    ],
)
def test_the_passage_about_the_question_ranks_first(fixture_engine: Engine, query: str, article: str) -> None:
    assert top_articles(fixture_engine, query)[0] == article


@pytest.mark.parametrize(
    ("everyday_question", "article"),
    [
        ("How often do I get the shot?", "monthly-injection"),  # shot -> injection
        ("When is my next jab due?", "monthly-injection"),  # jab -> injection
        ("Is Vivitrol given in the buttock?", "monthly-injection"),  # brand name -> injection
        ("Will I get hooked on it?", "what-is-naltrexone"),  # hooked -> addictive
        ("my pee is dark", "liver"),  # pee -> urine
    ],
)
def test_vocabulary_expansion_finds_passages_in_everyday_words(
    fixture_engine: Engine, everyday_question: str, article: str
) -> None:
    assert top_articles(fixture_engine, everyday_question, 1) == [article]


def test_a_question_with_shot_is_expanded_to_the_injection_concept(fixture_engine: Engine) -> None:
    query = fixture_engine.index.analyse_query("How often is the shot given?")
    shot = next(unit for unit in query.units if unit.token == "shot")
    assert "~inject" in shot.terms


def test_phrases_keep_their_small_words() -> None:
    """'by mouth' must not match every 'mouth' (dry mouth is not a tablet)."""
    phrases = build_phrases({"tablet": ["by mouth"]})
    assert find_concepts(phrase_stems("taken by mouth daily"), phrases) == [("~tablet", 1, 3)]
    assert find_concepts(phrase_stems("a dry mouth"), phrases) == []


def test_a_heading_match_outweighs_the_same_words_in_the_body() -> None:
    passages = [
        Passage("a", "A", "Other matters", "The injection is discussed here at some length in passing.", ()),
        Passage("b", "B", "The injection", "Some words about a different subject entirely here.", ()),
    ]
    index = Index.build(passages, {})
    hits = index.search(index.analyse_query("injection"), 2)
    assert [index.passages[hit.position].article for hit in hits] == ["b", "a"]


def test_a_rare_term_outweighs_a_common_one() -> None:
    passages = [Passage(str(n), "T", "H", f"naltrexone common words number {n}", ()) for n in range(5)]
    passages.append(Passage("rare", "T", "H", "naltrexone and the acamprosate trial", ()))
    index = Index.build(passages, {})
    hits = index.search(index.analyse_query("naltrexone acamprosate"), 1)
    assert index.passages[hits[0].position].article == "rare"


def test_exact_word_form_breaks_a_tie_between_stems() -> None:
    passages = [
        Passage("addiction", "T", "Addiction", "Addiction is a long illness.", ()),
        Passage("addictive", "T", "Addictive", "Addictive drugs cause craving.", ()),
    ]
    index = Index.build(passages, {})
    hits = index.search(index.analyse_query("addictive"), 2)
    assert index.passages[hits[0].position].article == "addictive"


def test_scores_are_positive_and_sorted(fixture_engine: Engine) -> None:
    scores = [hit.score for hit in fixture_engine.search("injection liver dose opioids", 5)]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)


def test_the_cached_form_of_the_index_answers_exactly_like_the_built_one(fixture_engine: Engine) -> None:
    rebuilt = Engine(Index.from_data(fixture_engine.index.to_data()), triage=fixture_engine.triage)
    for question in ("How often is the shot given?", "Is it addictive?", "What is the weather like?"):
        assert rebuilt.answer(question).to_json() == fixture_engine.answer(question).to_json()


def test_search_with_no_content_words_finds_nothing(fixture_engine: Engine) -> None:
    assert fixture_engine.search("what is the", 5) == []
    assert fixture_engine.search("", 5) == []
