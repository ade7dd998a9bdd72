"""Extractive answers: covered and uncovered questions, urgent questions, the JSON contract."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from naltrack.knowledge import NOT_COVERED, answer_question, search_passages
from naltrack.knowledge.answer import ANSWER_SENTENCES, Engine
from naltrack.knowledge.text import split_sentences
from tests.strategies.knowledge import COVERED_QUESTIONS, UNCOVERED_QUESTIONS, any_text


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        "How do I fix my car's brakes?",
        "best pizza in town",
        "What is the weather like?",  # shares no word with the guide
        "Who won the football?",
        "how long does pasta take to cook",  # shares "long" and "take" with the guide
        "What time does the bank open?",
    ],
)
def test_an_uncovered_question_gets_the_honest_line_and_no_passages(
    fixture_engine: Engine, question: str
) -> None:
    answer = fixture_engine.answer(question)
    assert answer.answer == NOT_COVERED
    assert answer.passages == ()
    assert answer.sources == ()
    assert not answer.is_covered


@pytest.mark.parametrize(
    ("question", "expected_words"),
    [
        ("How often is the injection given?", "once a month"),
        ("How often do I get the shot?", "once a month"),
        ("Is naltrexone addictive?", "not addictive"),
        ("How many days off opioids before the first dose?", "seven to ten days"),
        ("What is an antagonist?", "blocks a receptor"),  # a glossary entry
    ],
)
def test_a_covered_question_is_answered_with_guide_sentences(
    fixture_engine: Engine, question: str, expected_words: str
) -> None:
    answer = fixture_engine.answer(question)
    assert expected_words in answer.answer
    assert 3 >= len(answer.passages) >= 1
    assert answer.is_covered


@pytest.mark.parametrize(
    "question", ["How often is the injection given?", "Is naltrexone addictive?", "liver blood test"]
)
def test_the_answer_is_one_to_three_sentences_copied_from_its_passages(
    fixture_engine: Engine, question: str
) -> None:
    answer = fixture_engine.answer(question)
    available = {sentence for hit in answer.passages for sentence in split_sentences(hit.passage.text)}
    sentences = split_sentences(answer.answer)
    assert 1 <= len(sentences) <= ANSWER_SENTENCES
    assert set(sentences) <= available


def test_the_strongest_passage_gives_its_first_sentence() -> None:
    """A passage that matches well usually states its point first."""
    from naltrack.knowledge.articles import Passage
    from naltrack.knowledge.index import Index

    passage = Passage(
        "p",
        "T",
        "Injection timing",
        "The injection is given monthly. Injection sites rotate. Injection pain fades.",
        (),
    )
    engine = Engine(Index.build([passage], {}))
    assert engine.answer("injection timing").answer.startswith("The injection is given monthly.")




def test_sources_are_those_of_the_returned_passages(fixture_engine: Engine) -> None:
    answer = fixture_engine.answer("How often is the injection given?")
    assert set(answer.sources) == {source for hit in answer.passages for source in hit.passage.sources}
    assert "S33" in answer.sources


def test_an_urgent_question_leads_with_the_triage_advice(fixture_engine: Engine) -> None:
    answer = fixture_engine.answer("My skin is yellow and my pee is dark")
    assert answer.is_urgent
    assert answer.answer.startswith("Call 911 now. Stop your tablets until a doctor has seen you.")
    assert "liver" in answer.answer  # the guide sentence follows the advice
    assert answer.sources[0] == "triage:test"


def test_an_urgent_question_the_guide_does_not_cover_still_gets_the_advice(fixture_engine: Engine) -> None:
    answer = fixture_engine.answer("yellow submarine lyrics")
    assert answer.is_urgent
    assert answer.answer == "Call 911 now. Stop your tablets until a doctor has seen you."
    assert answer.passages == ()


def test_the_json_contract_has_exactly_the_agreed_keys(fixture_engine: Engine) -> None:
    payload = fixture_engine.answer("How often is the injection given?").to_json()
    assert list(payload) == ["question", "answer", "urgent", "passages", "sources"]
    assert payload["urgent"] is False
    for passage in payload["passages"]:
        assert list(passage) == ["article", "title", "text", "score"]
        assert isinstance(passage["score"], float)
    assert payload["passages"][0]["article"] == "monthly-injection"
    assert payload["passages"][0]["text"].startswith("How often.")  # the section heading leads the text


# --- on the real guide and the real clinical triage ------------------------------------------


@pytest.mark.parametrize("question", COVERED_QUESTIONS)
def test_everyday_questions_about_treatment_are_covered_by_the_guide(
    guide_engine: Engine, question: str
) -> None:
    answer = guide_engine.answer(question)
    assert answer.is_covered, question
    assert answer.passages


@pytest.mark.parametrize("question", UNCOVERED_QUESTIONS)
def test_off_topic_questions_are_not_covered_by_the_guide(guide_engine: Engine, question: str) -> None:
    answer = guide_engine.answer(question)
    assert answer.answer == NOT_COVERED
    assert answer.passages == ()


def test_a_red_flag_question_is_urgent_with_the_real_triage(guide_engine: Engine) -> None:
    answer = guide_engine.answer("My skin and eyes went yellow and my urine is dark", country="GB")
    assert answer.is_urgent
    from naltrack.clinical.triage import triage_text

    advice = triage_text("My skin and eyes went yellow and my urine is dark", country="GB").advice
    assert answer.answer.startswith(advice[0])


def test_a_plain_question_is_not_urgent_with_the_real_triage(guide_engine: Engine) -> None:
    assert not guide_engine.answer("What are the common side effects?").is_urgent


def test_the_public_api_uses_the_packaged_guide() -> None:
    answer = answer_question("What is naltrexone?")
    assert answer.is_covered
    assert search_passages("liver blood tests", 3)
    assert len(search_passages("liver blood tests", 2)) == 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(any_text)
def test_answer_question_never_crashes_on_arbitrary_text(guide_engine: Engine, text: str) -> None:
    answer = guide_engine.answer(text)
    payload = answer.to_json()
    assert payload["question"] == text
    assert isinstance(payload["answer"], str) and payload["answer"]
    assert len(payload["passages"]) <= 5
    assert (payload["answer"] == NOT_COVERED) == (not answer.is_covered and not answer.is_urgent)


# --- opioid use and possible overdose, through the engine's safety layer ----------------------


def test_a_report_of_opioid_use_with_drowsiness_leads_with_what_to_do_now(guide_engine: Engine) -> None:
    """Was "not covered" and routine: an opioid on or after naltrexone plus drowsiness is an emergency."""
    from naltrack.clinical.triage import triage_text

    question = "I used heroin after my shot and feel very drowsy"
    answer = guide_engine.answer(question, country="US")
    triage = triage_text(question, country="US")
    assert answer.is_urgent and answer.to_json()["urgent"] is True
    assert answer.answer.startswith("This may be an opioid overdose: call 911 now.")
    assert answer.answer.startswith(" ".join(triage.advice))
    assert answer.sources[: len(triage.sources)] == triage.sources  # the advice's sources come first
    assert {"S46", "S49"} <= set(triage.sources)


def test_a_report_of_opioid_use_alone_is_urgent_and_says_to_call_the_team_today(guide_engine: Engine) -> None:
    answer = guide_engine.answer("I relapsed on fentanyl last night", country="GB")
    assert answer.is_urgent
    assert answer.answer.startswith("Contact your prescriber or clinic today.")
    assert "call 999 now" in answer.answer


def test_a_reader_of_unknown_country_gets_the_local_number_with_examples(guide_engine: Engine) -> None:
    from naltrack.clinical.emergency import contacts_for

    answer = guide_engine.answer("I took some oxy and I'm nodding off", country=None)
    assert answer.answer.startswith(f"This may be an opioid overdose: {contacts_for(None).emergency_phrase()} now.")
    assert "your local emergency number (for example 911 in the US and Canada" in answer.answer


@pytest.mark.parametrize("question", [
    "can I take codeine on naltrexone?",
    "how long after heroin can I start?",
    "What happens if I use heroin on naltrexone?",
    "How soon after methadone can I start naltrexone?",
    "Is there a risk of overdose after stopping naltrexone?",
])
def test_plain_questions_about_opioids_stay_non_urgent_and_answered(guide_engine: Engine, question: str) -> None:
    answer = guide_engine.answer(question)
    assert not answer.is_urgent
    assert answer.is_covered


def test_the_triage_reads_every_opioid_word_of_the_engines_vocabulary() -> None:
    """The Ask engine's synonyms for opioids (vocabulary.yaml) are opioids to the triage too."""
    from naltrack.clinical.triage import triage_text
    from naltrack.knowledge import load_guide

    vocabulary = load_guide().vocabulary
    words = [word for term in ("opioid", "heroin", "fentanyl", "buprenorphine", "methadone")
             for word in (term, *vocabulary[term]) if word not in ("methadone maintenance", "mmt")]
    assert "gear" in words and "bupe" in words  # the vocabulary still carries the street names
    for word in words:
        codes = triage_text(f"I used {word} after my shot and feel very drowsy").codes
        assert codes[0] == "opioid_overdose_signs", word
