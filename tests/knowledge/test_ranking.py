"""The general ranking rules added with the held-out eval, each on a small synthetic guide.

Answer types ("how long" wants a span of time), the IDF-weighted heading match, headings compared
through vocabulary concepts, phrase and concept words that do not count twice, framing words, more
forgiveness for long questions; then the real guide on the brief's example and the held-out set's
"not covered" questions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from naltrack.knowledge.answer import NOT_COVERED, Engine, forgiven_words
from naltrack.knowledge.articles import Passage
from naltrack.knowledge.index import Index
from naltrack.knowledge.text import STOP_WORDS, answer_types_asked, answer_types_in

HELDOUT = Path(__file__).resolve().parents[2] / "evals" / "ask-heldout.jsonl"


def engine_over(
    sections: Sequence[tuple[str, str]], vocabulary: Mapping[str, list[str]] | None = None
) -> Engine:
    """An engine over (heading, text) sections of one synthetic article (the real safety layer runs first)."""
    passages = [Passage(f"a{n}", "Widgetol", heading, text, ()) for n, (heading, text) in enumerate(sections)]
    return Engine(Index.build(passages, vocabulary or {}))


def top_heading(engine: Engine, question: str) -> str:
    return engine.search(question, 1)[0].passage.heading


# --- answer types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Wait at least 7 to 10 days.", "duration"),
        ("It lasts about two weeks.", "duration"),
        ("The tablet holds 50 mg.", "amount"),
        ("It was approved in 1984.", "year"),
        ("It is given every 4 weeks.", "frequency"),
        ("Take one once a day.", "frequency"),
        ("A large study found fewer heavy drinking days.", "evidence"),
    ],
)
def test_a_text_holding_an_answer_of_a_kind_is_marked_with_it(text: str, kind: str) -> None:
    assert kind in answer_types_in(text)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How long must I wait?", "duration"),
        ("how many days clean before the shot", "duration"),
        ("When can I go back on it?", "duration"),
        ("What dose of LDN is normal?", "amount"),
        ("When was it approved?", "year"),
        ("How often is it given?", "frequency"),
        ("does the sinclair method really work", "evidence"),
    ],
)
def test_a_question_asking_for_a_kind_of_answer_is_marked_with_it(question: str, kind: str) -> None:
    assert kind in answer_types_asked(question)


@pytest.mark.parametrize("question", ["What is naltrexone?", "How does naltrexone work?", "Is it addictive?"])
def test_a_question_without_an_answer_kind_asks_for_none(question: str) -> None:
    assert answer_types_asked(question) == []


def test_a_how_long_question_prefers_the_passage_that_holds_a_span_of_time() -> None:
    engine = engine_over(
        [
            ("Starting widgetol", "Starting widgetol needs care and a talk with your prescriber first."),
            ("Before widgetol", "Starting widgetol needs a gap of 7 to 10 days without the old medicine."),
        ]
    )
    assert top_heading(engine, "How long before starting widgetol?") == "Before widgetol"


def test_the_sentence_holding_the_asked_kind_of_answer_is_preferred() -> None:
    """Four equally matching sentences, three taken: the last one holds the frequency asked for."""
    text = (
        "Widgetol visits take place at the clinic near the station. Widgetol visits include a nurse and a doctor. "
        "Widgetol visits use a quiet room with soft chairs. Widgetol visits come round every 4 weeks."
    )
    engine = engine_over([("Widgetol visits", text)])
    answer = engine.answer("How often do widgetol visits happen?").answer
    assert "Widgetol visits come round every 4 weeks." in answer
    assert "quiet room" not in answer


# --- heading match -----------------------------------------------------------------------------


def test_a_shared_rare_heading_word_outweighs_shared_small_words() -> None:
    """'stop' shared with one heading says more than 'if' and 'taking' shared with another."""
    body = "Widgetol is a medicine. Widgetol changes things. Stopping widgetol is possible."
    engine = engine_over(
        [
            ("If you become pregnant while taking widgetol", body + " Talk about pregnancy."),
            ("Risk after stopping widgetol", body + " Talk about the risk."),
            ("Pregnancy and widgetol", "Pregnancy needs a plan with widgetol."),
            ("Risk and widgetol", "Every medicine has a risk, widgetol too."),
        ]
    )
    assert top_heading(engine, "What happens if I stop taking widgetol?") == "Risk after stopping widgetol"


def test_a_heading_is_matched_through_the_vocabulary() -> None:
    """'forgot my pill' meets the heading 'If you miss a tablet' through the miss and tablet concepts."""
    vocabulary = {"miss": ["forgot"], "tablet": ["pill"]}
    engine = engine_over(
        [
            ("If you miss a tablet", "Ask your pharmacist what to do about the tablet you did not take."),
            ("Tablets and meals", "A tablet can be taken with food; there is no tablet to forget at night."),
        ],
        vocabulary,
    )
    assert top_heading(engine, "i forgot my pill, what now") == "If you miss a tablet"


def test_a_heading_that_promises_the_asked_kind_of_answer_matches_it() -> None:
    engine = engine_over(
        [
            ("How often", "The gadget is serviced at the clinic by a nurse every month."),
            ("The gadget", "The gadget is serviced at the clinic by a nurse with care."),
        ]
    )
    assert top_heading(engine, "How often is the gadget serviced?") == "How often"


# --- words that must not count twice --------------------------------------------------------------


def test_a_word_inside_a_vocabulary_phrase_searches_through_its_concept() -> None:
    """'habit forming' is about dependence, not about the 'form' of a medicine."""
    vocabulary = {"dependence": ["habit forming", "addictive"]}
    engine = engine_over(
        [
            ("Which form of widgetol", "The tablet form and the liquid form of widgetol both exist."),
            ("Widgetol is not addictive", "Widgetol causes no dependence and can be stopped."),
        ],
        vocabulary,
    )
    assert top_heading(engine, "is widgetol habit forming") == "Widgetol is not addictive"


def test_a_question_word_with_a_concept_does_not_count_twice_for_its_exact_form() -> None:
    vocabulary = {"difference": ["different", "compared"], "gizmol": ["giz"]}
    engine = engine_over(
        [
            ("Widgetol compared with other things", "Widgetol has one difference from other things."),
            ("Widgetol compared with gizmol", "Widgetol blocks, while gizmol switches on; gizmol is partial."),
        ],
        vocabulary,
    )
    assert top_heading(engine, "giz vs widgetol, whats the difference") == "Widgetol compared with gizmol"


@pytest.mark.parametrize("word", ["exactly", "actually", "honestly", "take", "taking", "yesterday", "happens"])
def test_conversational_framing_words_are_not_content_words(word: str) -> None:
    assert word in STOP_WORDS


# --- coverage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content_words", "forgiven"), [(1, 0), (2, 0), (3, 1), (6, 1), (7, 2), (11, 3)])
def test_long_questions_forgive_one_more_known_word_every_four_words(content_words: int, forgiven: int) -> None:
    engine = engine_over([("x", "x")])
    question = " ".join(f"word{'q' * n}" for n in range(content_words))
    assert forgiven_words(engine.index.analyse_query(question)) == forgiven


def test_a_word_the_guide_never_uses_is_never_forgiven_however_long_the_question() -> None:
    engine = engine_over(
        [("Widgetol and the liver", "Widgetol is checked with liver blood tests every month at the clinic.")]
    )
    question = "can widgetol with zorbulax hurt my liver or blood tests at the clinic every month"
    assert engine.answer(question).answer == NOT_COVERED


# --- the real guide ------------------------------------------------------------------------------


def test_stopping_naltrexone_is_answered_with_the_overdose_risk_not_pregnancy(guide_engine: Engine) -> None:
    answer = guide_engine.answer("What happens if I stop taking naltrexone?")
    assert "overdose" in answer.answer.lower()
    assert "pregnant" not in answer.answer.lower()
    assert answer.passages[0].passage.article == "opioid-overdose-and-withdrawal"


def _heldout_not_covered() -> list[str]:
    cases = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [case["question"] for case in cases if case["expect"] == [["isn't covered in naltrack's guide"]]]


@pytest.mark.parametrize("question", _heldout_not_covered())
def test_the_held_out_questions_the_guide_does_not_cover_stay_not_covered(
    guide_engine: Engine, question: str
) -> None:
    answer = guide_engine.answer(question, country=None)
    assert (answer.answer, answer.passages, answer.is_covered) == (NOT_COVERED, (), False)


def test_the_held_out_set_has_enough_questions_of_each_kind() -> None:
    cases = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(cases) >= 50
    assert len(_heldout_not_covered()) >= 8
    assert sum(1 for case in cases if case["urgent"]) >= 6
