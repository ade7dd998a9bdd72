"""The on-disk index cache, the guide loader and the eval harness."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from naltrack.knowledge import GuideError, load_guide
from naltrack.knowledge.articles import guide_passages, parse_article
from naltrack.knowledge.engine import Inputs, build_index, fingerprint, load_index
from tests.knowledge.conftest import FIXTURES

REPO_ROOT = Path(__file__).resolve().parents[2]


def copy_fixture_guide(tmp_path: Path) -> Inputs:
    shutil.copytree(FIXTURES, tmp_path / "guide")
    return Inputs(tmp_path / "guide" / "content", tmp_path / "guide" / "data", tmp_path / "clinic")


def test_the_first_load_writes_the_cache_and_the_second_reads_it(tmp_path: Path) -> None:
    inputs = copy_fixture_guide(tmp_path)
    cache = tmp_path / "cache"
    built = load_index(inputs, cache=cache)
    [cached_file] = cache.glob("ask-index-*.json")
    cached = load_index(inputs, cache=cache)
    assert [p.text for p in cached.passages] == [p.text for p in built.passages]
    assert cached.idf == built.idf
    assert cached_file.name == f"ask-index-{fingerprint(inputs)}.json"


def test_editing_an_article_changes_the_fingerprint_and_replaces_the_cache(tmp_path: Path) -> None:
    inputs = copy_fixture_guide(tmp_path)
    cache = tmp_path / "cache"
    before = fingerprint(inputs)
    load_index(inputs, cache=cache)
    article = inputs.content_dir / "liver.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n## New section\n\nA brand new sentence.\n")
    assert fingerprint(inputs) != before
    index = load_index(inputs, cache=cache)
    assert any(p.heading == "New section" for p in index.passages)
    assert len(list(cache.glob("ask-index-*.json"))) == 1  # the stale file is gone


def test_adding_a_clinic_document_changes_the_fingerprint(tmp_path: Path) -> None:
    inputs = copy_fixture_guide(tmp_path)
    before = fingerprint(inputs)
    assert inputs.clinic_dir is not None
    inputs.clinic_dir.mkdir()
    (inputs.clinic_dir / "hours.txt").write_text("Hours\n\nWe open at eight.\n", encoding="utf-8")
    assert fingerprint(inputs) != before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_a_read_only_cache_folder_falls_back_to_building_in_memory(tmp_path: Path) -> None:
    inputs = copy_fixture_guide(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        index = load_index(inputs, cache=cache)
    finally:
        cache.chmod(0o700)
    assert index.passages
    assert list(cache.iterdir()) == []


def test_an_unwritable_cache_location_falls_back_to_building_in_memory(tmp_path: Path) -> None:
    inputs = copy_fixture_guide(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    index = load_index(inputs, cache=blocker / "cache")
    assert len(index.passages) == len(build_index(inputs).passages)


def test_a_corrupt_cache_file_is_rebuilt(tmp_path: Path) -> None:
    inputs = copy_fixture_guide(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / f"ask-index-{fingerprint(inputs)}.json").write_text("{not json")
    index = load_index(inputs, cache=cache)
    assert index.passages
    assert json.loads((cache / f"ask-index-{fingerprint(inputs)}.json").read_text())["passages"]


def test_the_guide_loads_articles_with_metadata_and_sections() -> None:
    guide = load_guide(FIXTURES / "content", FIXTURES / "data")
    article = guide.article("monthly-injection")
    assert article is not None
    assert article.title == "The monthly injection"
    assert article.audience == ("patient", "clinician")
    assert article.sources == ("S33", "S34")
    assert article.last_reviewed == "2025-01-15"
    assert [section.heading for section in article.sections] == ["How often", "Where it goes"]
    assert [a.id for a in guide.articles][:2] == ["what-is-naltrexone", "monthly-injection"]  # by `order`
    assert guide.vocabulary["injection"][:2] == ("shot", "jab")
    assert guide.glossary[0].term == "Antagonist"


def test_glossary_and_support_groups_become_cited_passages() -> None:
    passages = guide_passages(load_guide(FIXTURES / "content", FIXTURES / "data"))
    glossary = next(p for p in passages if p.kind == "glossary")
    assert (glossary.article, glossary.text, glossary.sources) == (
        "glossary",
        "Antagonist: A medicine that blocks a receptor without switching it on.",
        ("S2",),
    )
    support = next(p for p in passages if p.kind == "support")
    assert support.heading == "SMART Recovery"
    assert support.sources == ("S95",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: No id\n---\nBody\n", "lacks id"),
        ("---\nid: x\ntitle: Broken: colon: here\n---\nBody\n", "not valid YAML"),
        ("---\n- a list\n---\nBody\n", "must be a mapping"),
    ],
)
def test_a_malformed_article_is_refused_with_its_name(text: str, message: str) -> None:
    with pytest.raises(GuideError, match=message) as raised:
        parse_article(text, name="broken.md")
    assert str(raised.value).startswith("broken.md")


# --- the eval harness ------------------------------------------------------------------------


def load_eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_ask", REPO_ROOT / "evals" / "eval_ask.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASE = {"id": "x1", "question": "Q?", "expect": [["antagonist", "blocks"], ["opioid"]], "urgent": False}


@pytest.mark.parametrize(
    ("reply", "problems"),
    [
        # every group found in the answer
        ({"answer": "It BLOCKS opioid receptors.", "urgent": False, "passages": []}, []),
        # one group only in the second passage still counts
        ({"answer": "It blocks.", "urgent": False, "passages": [{"text": "x"}, {"text": "Opioids"}]}, []),
        # a fact only in the third passage does not count
        (
            {
                "answer": "It blocks.",
                "urgent": False,
                "passages": [{"text": "a"}, {"text": "b"}, {"text": "opioid"}],
            },
            ["'opioid' missing"],
        ),
        ({"answer": "It blocks opioids.", "urgent": True, "passages": []}, ["urgent should be false"]),
        (
            {"answer": "", "urgent": False, "passages": []},
            ["'antagonist' or 'blocks' missing", "'opioid' missing"],
        ),
    ],
)
def test_the_eval_needs_every_fact_group_and_the_right_urgency(
    reply: dict[str, object], problems: list[str]
) -> None:
    assert load_eval_module().check_case(CASE, reply) == problems


def test_the_eval_summary_counts_failures(capsys: pytest.CaptureFixture[str]) -> None:
    module = load_eval_module()
    cases = [CASE, CASE | {"id": "x2", "expect": [["never said"]]}]
    summary = module.run(cases, lambda question: {"answer": "blocks opioid", "urgent": False, "passages": []})
    assert summary == {"eval": "ask", "passed": 1, "total": 2, "failed": ["x2"]}
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("PASS x1") and lines[1].startswith("FAIL x2")


def test_the_eval_finds_the_shared_folder_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NALTRACK_SHARED_DIR", str(tmp_path))
    assert load_eval_module().shared_dir() == tmp_path
