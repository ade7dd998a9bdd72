"""The guide's content and data files keep the editorial rules in docs/guide-editorial.md.

Plain pytest + PyYAML: these tests read the Markdown and YAML directly, never the Ask engine.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

import naltrack
from naltrack.clinical.sources import SOURCES

KNOWLEDGE_DIR = Path(naltrack.__file__).parent / "knowledge"
CONTENT_DIR = KNOWLEDGE_DIR / "content"
DATA_DIR = KNOWLEDGE_DIR / "data"
SEEDS_DIR = Path("/work/shared/seeds")

REQUIRED_KEYS = {"id", "title", "audience", "last_reviewed", "sources", "summary"}
OPTIONAL_KEYS = {"order", "section"}
AUDIENCES = {"patients", "clinicians", "everyone"}
SECTIONS = {"Basics", "Treatment", "Safety", "Getting help"}
CARE_TEAM_SENTENCE = "naltrack supports your care team and does not replace it."
KEBAB_CASE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)
SENTENCE_END = re.compile(r"[.!?](?:\)|\")?(?=\s|$)")


def _parse_article(path: Path) -> tuple[dict[str, Any], str]:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: no YAML front matter between --- lines"
    meta = yaml.safe_load(match["meta"])
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, match["body"]


def _sections(body: str) -> list[tuple[str, str]]:
    """(heading, text) for each ## section; text before the first ## is not a section."""
    parts = re.split(r"^## (.+)$", body, flags=re.MULTILINE)
    return [(parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts), 2)]


def _count_sentences(text: str) -> int:
    # Links and decimals would fool a naive split: drop link targets, then count sentence ends.
    without_links = re.sub(r"\]\([^)]*\)", "]", text)
    return len(SENTENCE_END.findall(without_links))


ARTICLE_PATHS = sorted(CONTENT_DIR.glob("*.md"))
ARTICLES = {path.stem: _parse_article(path) for path in ARTICLE_PATHS}
ALL_PASSAGES = [
    f"{heading}\n{text}" for _meta, body in ARTICLES.values() for heading, text in _sections(body)
]


def _load_yaml(name: str) -> Any:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def test_the_guide_has_between_fifteen_and_thirty_articles() -> None:
    assert 15 <= len(ARTICLE_PATHS) <= 30


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.stem)
def test_article_front_matter_has_exactly_the_known_keys(path: Path) -> None:
    meta, _body = ARTICLES[path.stem]
    assert meta.keys() >= REQUIRED_KEYS, f"missing {REQUIRED_KEYS - meta.keys()}"
    assert meta.keys() <= REQUIRED_KEYS | OPTIONAL_KEYS, (
        f"unknown {meta.keys() - REQUIRED_KEYS - OPTIONAL_KEYS}"
    )


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.stem)
def test_article_front_matter_values_are_well_formed(path: Path) -> None:
    meta, _body = ARTICLES[path.stem]
    assert KEBAB_CASE.match(meta["id"])
    assert meta["id"] == path.stem, "the file is named after the article id"
    assert meta["audience"] in AUDIENCES
    assert isinstance(meta["last_reviewed"], dt.date)
    assert isinstance(meta["title"], str) and meta["title"].strip()
    assert isinstance(meta["summary"], str) and meta["summary"].count(". ") == 0, "summary is one sentence"
    assert meta.get("section", "Basics") in SECTIONS
    assert isinstance(meta.get("order", 0), int)


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.stem)
def test_every_article_source_key_is_registered(path: Path) -> None:
    meta, _body = ARTICLES[path.stem]
    sources = meta["sources"]
    assert isinstance(sources, list) and sources
    assert len(set(sources)) == len(sources), "a source is listed twice"
    assert [key for key in sources if key not in SOURCES] == []


def test_article_ids_are_unique() -> None:
    counts = Counter(meta["id"] for meta, _body in ARTICLES.values())
    assert [article_id for article_id, n in counts.items() if n > 1] == []


def test_navigation_order_is_unique_within_each_section() -> None:
    seen = Counter(
        (meta.get("section"), meta.get("order")) for meta, _b in ARTICLES.values() if "order" in meta
    )
    assert [key for key, n in seen.items() if n > 1] == []


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.stem)
def test_article_carries_the_care_team_sentence(path: Path) -> None:
    _meta, body = ARTICLES[path.stem]
    assert CARE_TEAM_SENTENCE in body


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.stem)
def test_article_has_at_least_two_distinct_sections(path: Path) -> None:
    _meta, body = ARTICLES[path.stem]
    headings = [heading for heading, _text in _sections(body)]
    assert len(headings) >= 2
    assert len(set(headings)) == len(headings)


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.stem)
def test_each_section_is_a_passage_of_two_to_six_sentences(path: Path) -> None:
    _meta, body = ARTICLES[path.stem]
    wrong = {heading: n for heading, text in _sections(body) if not 2 <= (n := _count_sentences(text)) <= 6}
    assert wrong == {}


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.stem)
def test_sections_use_no_deeper_headings(path: Path) -> None:
    _meta, body = ARTICLES[path.stem]
    assert not re.search(r"^#{3,} ", body, flags=re.MULTILINE), "### would split a passage"
    assert not re.search(r"^# ", body, flags=re.MULTILINE), "the title lives in the front matter"


# Questions people ask, and a phrase the answering passage must contain (facts from the reference).
ANSWERABLE = [
    ("is it addictive", "naltrexone is not addictive"),  # S2, S6: no tolerance or dependence
    ("does it cure addiction", "naltrexone does not cure addiction"),  # S1, S2
    ("how long off opioids", "7 to 10 days"),  # S1 label minimum
    ("how long off methadone or buprenorphine", "7 to 14 days"),  # S45 ASAM
    ("how often the injection", "every 4 weeks"),  # S33
    ("usual tablet dose", "50 mg once a day"),  # S7
    ("common side effects", "nausea, headache, dizziness"),  # S2, S67
    ("approval for opioids", "1984"),  # S42, S150
    ("approval for alcohol", "1994"),  # S152
    ("vivitrol approvals", "2010"),  # S41, S42
    ("surgery with tablets", "72 hours"),  # S73, S66
    ("surgery with the injection", "30 days"),  # S73, S66
    ("switching after an injection", "about 30 days after the last injection"),  # S45
    ("length of alcohol treatment", "12 weeks"),  # S8
    ("does it stop you feeling drunk", "does not stop alcohol from making you drunk"),
    ("what disulfiram does", "makes drinking unpleasant"),  # NIAAA chart
    ("what acamprosate does", "stay abstinent"),  # S65, NIAAA chart
    ("methadone class", "full opioid agonist"),  # S1
    ("buprenorphine class", "partial opioid agonist"),  # S1
    ("overdose after stopping", "tolerance"),  # S2, S46
    ("low-dose naltrexone dose", "4.5 mg"),  # S153
    ("alert card", "alert card"),  # S67, S75
    ("naloxone challenge dose", "0.8 mg"),  # S22
    ("COMBINE result", "80.6 percent"),  # S91
]


@pytest.mark.parametrize(("question", "phrase"), ANSWERABLE, ids=[q for q, _p in ANSWERABLE])
def test_common_questions_are_answered_by_some_passage(question: str, phrase: str) -> None:
    assert any(phrase.lower() in passage.lower() for passage in ALL_PASSAGES), question


def test_the_faq_headings_are_questions() -> None:
    _meta, body = ARTICLES["faq"]
    headings = [heading for heading, _text in _sections(body)]
    assert len(headings) >= 10
    assert all(heading.endswith("?") for heading in headings)


def _shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_no_article_copies_an_eight_word_run_from_the_seed_articles() -> None:
    seed_files = sorted(SEEDS_DIR.glob("*.txt"))
    if not seed_files:
        pytest.skip("seed articles are not on this machine")
    seeds = set().union(*(_shingles(path.read_text(encoding="utf-8"), 8) for path in seed_files))
    copied = {
        path.stem: sorted(" ".join(s) for s in _shingles(path.read_text(encoding="utf-8"), 8) & seeds)
        for path in ARTICLE_PATHS
    }
    assert {name: runs for name, runs in copied.items() if runs} == {}


# ---- glossary -------------------------------------------------------------------------------

GLOSSARY = _load_yaml("glossary.yaml")
REQUIRED_TERMS = [
    "agonist",
    "antagonist",
    "partial agonist",
    "opioid receptor",
    "mu receptor",
    "endorphins",
    "6-beta-naltrexol",
    "half-life",
    "first-pass metabolism",
    "precipitated withdrawal",
    "naloxone challenge",
    "COWS",
    "opioid-free interval",
    "tolerance",
    "overdose",
    "XR-NTX",
    "implant",
    "LDN",
    "Sinclair method",
    "pharmacological extinction",
    "AUD",
    "OUD",
    "MOUD",
    "detoxification",
    "relapse",
    "lapse",
    "craving",
    "PACS",
    "AUDIT",
    "heavy drinking day",
    "standard drink",
    "percent days abstinent",
    "LFT",
    "ALT",
    "AST",
    "GGT",
    "ULN",
    "hepatotoxicity",
    "jaundice",
    "acamprosate",
    "disulfiram",
    "methadone",
    "buprenorphine",
    "COMBINE",
    "medical management",
    "CBI",
    "off-label",
    "compounding pharmacy",
    "telehealth",
]


def test_glossary_has_at_least_forty_terms() -> None:
    assert isinstance(GLOSSARY, list) and len(GLOSSARY) >= 40


@pytest.mark.parametrize("term", REQUIRED_TERMS)
def test_glossary_defines_the_required_term(term: str) -> None:
    assert term.lower() in {entry["term"].lower() for entry in GLOSSARY}


@pytest.mark.parametrize("entry", GLOSSARY, ids=lambda e: e["term"])
def test_glossary_entry_has_a_short_definition_and_known_sources(entry: dict[str, Any]) -> None:
    assert set(entry) == {"term", "aliases", "definition", "sources"}
    assert isinstance(entry["aliases"], list)
    assert entry["definition"].strip() and 1 <= _count_sentences(entry["definition"]) <= 2
    assert entry["sources"] and [key for key in entry["sources"] if key not in SOURCES] == []


def test_glossary_terms_and_aliases_never_point_two_ways() -> None:
    names = Counter(name.lower() for entry in GLOSSARY for name in [entry["term"], *entry["aliases"]])
    assert [name for name, n in names.items() if n > 1] == []


# ---- comparison -----------------------------------------------------------------------------

COMPARISON = _load_yaml("comparison.yaml")
MEDICINES = [
    "naltrexone-tablet",
    "naltrexone-injection",
    "methadone",
    "buprenorphine",
    "disulfiram",
    "acamprosate",
]


def test_comparison_covers_the_six_medicines() -> None:
    assert [row["id"] for row in COMPARISON["medicines"]] == MEDICINES


@pytest.mark.parametrize("row", COMPARISON["medicines"], ids=lambda r: r["id"])
def test_comparison_row_has_every_field_filled(row: dict[str, Any]) -> None:
    missing = [field for field in COMPARISON["fields"] if not str(row.get(field, "")).strip()]
    assert missing == []
    assert row["name"].strip() and isinstance(row["brand_names"], list)
    assert row["sources"] and [key for key in row["sources"] if key not in SOURCES] == []


@pytest.mark.parametrize(
    ("medicine", "field", "phrase"),
    [
        ("methadone", "what_it_is", "full opioid agonist"),  # S1
        ("buprenorphine", "what_it_is", "partial opioid agonist"),  # S1
        ("naltrexone-injection", "how_taken", "every 4 weeks"),  # S33
        ("naltrexone-tablet", "how_taken", "50 mg"),  # S7
        ("disulfiram", "can_drink_alcohol_on_it", "no"),  # NIAAA chart
        ("naltrexone-tablet", "dependence_risk", "none"),  # S2, S6
    ],
)
def test_comparison_states_the_class_facts_correctly(medicine: str, field: str, phrase: str) -> None:
    row = next(row for row in COMPARISON["medicines"] if row["id"] == medicine)
    assert phrase in row[field].lower()


# ---- support groups -------------------------------------------------------------------------

SUPPORT_GROUPS = _load_yaml("support_groups.yaml")


@pytest.mark.parametrize("group", SUPPORT_GROUPS, ids=lambda g: g["name"])
def test_support_group_entry_is_complete_with_an_https_url(group: dict[str, Any]) -> None:
    assert set(group) == {"name", "for", "approach", "formats", "url", "medication_note"}
    assert group["for"] in {"alcohol", "opioids", "drugs", "families", "all"}
    assert group["url"].startswith("https://")
    assert group["formats"] and set(group["formats"]) <= {"in person", "online"}


@pytest.mark.parametrize(
    "name", ["SMART Recovery", "Alcoholics Anonymous", "Narcotics Anonymous", "Al-Anon", "Nar-Anon"]
)
def test_support_groups_include_the_well_known_ones(name: str) -> None:
    assert any(group["name"].startswith(name) for group in SUPPORT_GROUPS)


# ---- vocabulary -----------------------------------------------------------------------------

VOCABULARY = _load_yaml("vocabulary.yaml")


def test_vocabulary_maps_terms_to_lists_of_lowercase_synonyms() -> None:
    assert isinstance(VOCABULARY, dict) and VOCABULARY
    for canonical, synonyms in VOCABULARY.items():
        assert isinstance(canonical, str) and isinstance(synonyms, list) and synonyms, canonical
        assert all(isinstance(s, str) and s == s.lower() and s != canonical for s in synonyms), canonical


def test_each_synonym_belongs_to_one_canonical_term() -> None:
    counts = Counter(synonym for synonyms in VOCABULARY.values() for synonym in synonyms)
    assert [synonym for synonym, n in counts.items() if n > 1] == []


@pytest.mark.parametrize(
    ("synonym", "canonical"),
    [
        ("revia", "naltrexone"),
        ("depade", "naltrexone"),
        ("nalorex", "naltrexone"),
        ("trexan", "naltrexone"),
        ("vivitrol", "injection"),
        ("shot", "injection"),
        ("jab", "injection"),
        ("xr-ntx", "injection"),
        ("antabuse", "disulfiram"),
        ("campral", "acamprosate"),
        ("suboxone", "buprenorphine"),
        ("subutex", "buprenorphine"),
        ("sublocade", "buprenorphine"),
        ("narcan", "naloxone"),
        ("ntx", "naltrexone"),
        ("ldn", "low-dose naltrexone"),
        ("aud", "alcohol use disorder"),
        ("oud", "opioid use disorder"),
        ("moud", "medication for opioid use disorder"),
        ("mat", "medication for opioid use disorder"),
        ("lft", "liver function tests"),
        ("tsm", "sinclair method"),
        ("booze", "alcohol"),
        ("hooked", "dependence"),
        ("addictive", "dependence"),
        ("pee", "urine"),
        ("pills", "tablet"),
        ("tabs", "tablet"),
        ("smack", "heroin"),
        ("gear", "heroin"),
        ("high", "euphoria"),
        ("buzz", "euphoria"),
        ("bloods", "liver function tests"),
        ("quit", "stop"),
    ],
)
def test_vocabulary_expands_everyday_words_and_brand_names(synonym: str, canonical: str) -> None:
    assert synonym in VOCABULARY[canonical]
