"""Tokeniser, stemmer, Markdown stripping and sentence splitting."""

from __future__ import annotations

import pytest
from hypothesis import given

from naltrack.knowledge.text import markdown_to_text, split_sentences, stem, tokenize, words
from tests.strategies.knowledge import any_text


@pytest.mark.parametrize(
    "family",
    [
        ("injection", "injections", "injected", "injecting", "inject"),
        ("addiction", "addictive", "addicted", "addicts"),
        ("drinking", "drinks", "drink"),
        ("craving", "cravings", "crave", "craves"),
        ("dose", "doses", "dosing"),
        ("stopped", "stopping", "stop", "stops"),
        ("use", "used", "uses", "using"),
        ("prescription", "prescribed", "prescribe"),
        ("tablet", "tablets"),
        ("study", "studies", "studied"),
        ("treatment", "treatments", "treat"),
        ("clinical", "clinically"),
        ("painful", "pain"),
    ],
)
def test_word_families_share_one_stem(family: tuple[str, ...]) -> None:
    assert len({stem(word) for word in family}) == 1, {word: stem(word) for word in family}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("liver", "living"),  # "-er" is left alone: the liver is not about living
        ("need", "ne"),  # "-eed" words keep their ending
        ("swelling", "swel"),  # a doubled l stays doubled
    ],
)
def test_the_stemmer_keeps_different_words_apart(first: str, second: str) -> None:
    assert stem(first) != stem(second)


def test_tokenize_drops_stop_words_and_folds_apostrophes() -> None:
    assert tokenize("What's the dose of my car's tablets?") == ["dos", "car", "tablet"]


def test_tokenize_splits_numbers_from_units_and_hyphenated_words() -> None:
    assert tokenize("50mg of XR-NTX, 4.5 mg LDN") == ["50", "mg", "xr", "ntx", "4.5", "mg", "ldn"]


def test_words_keep_letters_of_other_scripts() -> None:
    assert words("Naltrexon für Männer") == ["naltrexon", "für", "männer"]


def test_markdown_loses_its_markup_but_keeps_its_words() -> None:
    markdown = (
        "Intro with **bold**, _italic_, `code` and [a link](https://example.org).\n\n"
        "- first item\n"
        "- second item\n\n"
        "| Medicine | Effect |\n|---|---|\n| Acamprosate | steadies |\n\n"
        "> a quote\n\n"
        "```\nignored code block\n```\n"
        "<!-- a comment -->\n"
    )
    text = markdown_to_text(markdown)
    assert text.splitlines() == [
        "Intro with bold, italic, code and a link.",
        "first item.",
        "second item.",
        "Medicine; Effect.",
        "Acamprosate; steadies.",
        "a quote",
    ]


def test_sentences_do_not_break_after_common_abbreviations() -> None:
    text = "Take it e.g. with food. Dr. Lee agreed! Was it 50 mg? It was approved in the U.S. in 1984."
    assert split_sentences(text) == [
        "Take it e.g. with food.",
        "Dr. Lee agreed!",
        "Was it 50 mg?",
        "It was approved in the U.S. in 1984.",
    ]


def test_each_line_of_plain_text_starts_a_new_sentence() -> None:
    assert split_sentences("first line\nsecond line.") == ["first line", "second line."]


@given(any_text)
def test_punctuation_and_spacing_do_not_change_the_tokens(text: str) -> None:
    assert tokenize(" ".join(words(text))) == tokenize(text)


@given(any_text)
def test_a_stem_is_never_longer_than_its_word_and_never_empty(text: str) -> None:
    for word in words(text):
        assert 0 < len(stem(word)) <= len(word)


def test_a_sentence_may_start_with_naltracks_lower_case_name() -> None:
    assert split_sentences("Ask your prescriber. naltrack keeps a record. No. It does not.") == [
        "Ask your prescriber.",
        "naltrack keeps a record.",
        "No.",
        "It does not.",
    ]
