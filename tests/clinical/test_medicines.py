"""Opioid-medicine check: generic, brand and combination names, with staff and patient messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naltrack.clinical.medicines import (
    MEDICINES,
    PRODUCTS,
    Category,
    Certainty,
    Level,
    check_medications,
    find_ingredients,
)
from naltrack.clinical.sources import SOURCES


@pytest.mark.parametrize(("name", "ingredients"), [
    # Opioids named by S144/S145; combination products report every ingredient.
    ("Co-codamol 30/500", ("codeine", "paracetamol")),
    ("cocodamol", ("codeine", "paracetamol")),
    ("Tylenol with Codeine #3", ("codeine", "paracetamol")),
    ("PERCOCET 5/325", ("oxycodone", "paracetamol")),
    ("Vicodin", ("hydrocodone", "paracetamol")),
    ("Nurofen Plus", ("codeine", "ibuprofen")),
    ("Suboxone film 8/2", ("buprenorphine",)),
    ("OxyContin 20 mg", ("oxycodone",)),
    ("tramadol", ("tramadol",)),
    ("Palexia", ("tapentadol",)),
    ("fentanyl patch", ("fentanyl",)),
    ("Methadone liquid", ("methadone",)),
    ("heroin", ("heroin",)),
    ("Lomotil", ("diphenoxylate",)),
    ("Imodium", ("loperamide",)),
    ("dihydrocodeine linctus", ("dihydrocodeine",)),
    ("Antabuse", ("disulfiram",)),
    ("thioridazine", ("thioridazine",)),
    ("sodium valproate", ("valproate",)),
])
def test_names_are_matched_to_their_ingredients(name: str, ingredients: tuple[str, ...]) -> None:
    assert find_ingredients(name) == ingredients


@pytest.mark.parametrize(("name", "level", "category"), [
    # Opioid analgesics and opioid treatment are contraindicated (S1, S4, S46).
    ("oxycodone", Level.DO_NOT_COMBINE, Category.OPIOID_ANALGESIC),
    ("Subutex", Level.DO_NOT_COMBINE, Category.OPIOID_TREATMENT),
    ("heroin", Level.DO_NOT_COMBINE, Category.ILLICIT_OPIOID),
    # Opioid cough remedies and antidiarrhoeals are blocked (S30, S143).
    ("codeine linctus", Level.BLOCKED, Category.OPIOID_COUGH_COLD),
    ("Lomotil", Level.BLOCKED, Category.OPIOID_ANTIDIARRHOEAL),
    # Section 8 interactions (S143, S146, S147).
    ("thioridazine", Level.CAUTION, Category.INTERACTION),
    ("disulfiram", Level.CAUTION, Category.INTERACTION),
    ("Tylenol", Level.CAUTION, Category.INTERACTION),
])
def test_each_finding_has_the_level_of_its_category(name: str, level: Level, category: Category) -> None:
    (warning,) = check_medications([name])
    assert (warning.level, warning.category) == (level, category)
    assert warning.query == name


def test_matching_ignores_case_and_spacing() -> None:
    assert find_ingredients("  tYlEnOl   WITH   codeine ") == find_ingredients("Tylenol with codeine")


@pytest.mark.parametrize("name", ["sertraline", "naltrexone", "Vivitrol", "vitamin D", "", "codeinex"])
def test_unrelated_names_give_no_warning(name: str) -> None:
    assert check_medications([name]) == ()


def test_a_list_gives_one_warning_per_relevant_ingredient_in_order() -> None:
    warnings = check_medications(["Percocet", "sertraline", "Imodium"])
    assert [(w.query, w.medicine) for w in warnings] == [
        ("Percocet", "oxycodone"), ("Percocet", "paracetamol"), ("Imodium", "loperamide")]


def test_messages_speak_to_staff_and_to_the_patient() -> None:
    (warning,) = check_medications(["codeine"])
    assert "withdrawal" in warning.staff_message
    assert warning.patient_message.startswith("Codeine")
    assert warning.patient_message != warning.staff_message


def test_unverified_facts_are_marked_as_from_memory() -> None:
    # The reference tags loperamide and diphenoxylate "[from memory, unverified]".
    for name in ("loperamide", "diphenoxylate"):
        (warning,) = check_medications([name])
        assert warning.certainty is Certainty.FROM_MEMORY
    (verified,) = check_medications(["heroin"])
    assert verified.certainty is Certainty.VERIFIED


def test_every_medicine_and_product_is_consistent() -> None:
    names = {m.name for m in MEDICINES}
    for medicine in MEDICINES:
        assert medicine.source in SOURCES
    for product in PRODUCTS:
        assert set(product.ingredients) <= names


@pytest.mark.parametrize("bad", ["codeine", [3], [None]])
def test_a_single_string_or_non_text_names_are_refused(bad) -> None:
    with pytest.raises(TypeError):
        check_medications(bad)


@given(st.lists(st.text(max_size=40), max_size=5))
def test_any_text_gives_warnings_or_none_never_a_crash(names: list[str]) -> None:
    for warning in check_medications(names):
        assert warning.query in names
        assert warning.source in SOURCES
        assert warning.staff_message and warning.patient_message
