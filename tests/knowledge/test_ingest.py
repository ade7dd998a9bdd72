"""Clinic documents: Markdown, text and HTML become cited passages; bad files change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from naltrack.knowledge import answer_question, reload_engine
from naltrack.knowledge.ingest import (
    DocumentError,
    add_documents,
    document_passages,
    knowledge_dir,
    list_documents,
    remove_document,
)
from tests.knowledge.conftest import SEEDS

HOSTILE_HTML = """<!doctype html>
<html><head><title>Clinic leaflet</title>
<script>document.write("stolen cookie")</script>
<style>body { color: red } .secret { display: none }</style>
</head>
<body onload="alert('onload')">
<h1>Clinic leaflet</h1>
<script type="text/javascript">var payload = "</p>evil<p>";</script>
<h2>Opening hours</h2>
<p>The clinic opens at eight &amp; closes at six on weekdays.<img src=x onerror="alert('img')"></p>
<noscript>Turn on JavaScript tracking</noscript>
<iframe src="https://example.org">framed text</iframe>
<svg><title>svg title</title><text>svg text</text></svg>
<!-- a comment with words -->
<h2>Parking</h2>
<ul><li>Free parking behind the building</li><li>Bicycle racks by the door</li></ul>
<p>Unclosed paragraph with <b>bold <i>nested</b> text
</body></html>
"""


def test_markdown_sections_become_passages_cited_to_the_clinic_file() -> None:
    text = (
        "---\ntitle: Our clinic\n---\n# Welcome\n\nIntro line.\n\n## Opening hours\n\nWe open at **eight**.\n"
    )
    passages = document_passages("clinic.md", text)
    assert [(p.heading, p.text) for p in passages] == [
        ("Welcome", "Intro line."),
        ("Opening hours", "We open at eight."),
    ]
    assert {p.title for p in passages} == {"Our clinic"}
    assert {p.sources for p in passages} == {("clinic:clinic.md",)}
    assert {p.article for p in passages} == {"clinic:clinic.md"}


def test_plain_text_headings_are_short_lines_standing_alone() -> None:
    text = (
        "Clinic guide\n\nOpening hours\nWe open at eight and close at six.\nWe close on Sundays.\n\n"
        "Parking:\nFree parking behind the building.\n"
    )
    passages = document_passages("guide.txt", text)
    assert [(p.heading, p.text) for p in passages] == [
        ("Opening hours", "We open at eight and close at six. We close on Sundays."),
        ("Parking", "Free parking behind the building."),
    ]
    assert passages[0].title == "Clinic guide"


def test_hostile_html_keeps_only_the_visible_text() -> None:
    passages = document_passages("leaflet.html", HOSTILE_HTML)
    everything = " ".join(p.heading + " " + p.text for p in passages)
    for hidden in (
        "stolen",
        "color",
        "payload",
        "evil",
        "alert",
        "onload",
        "JavaScript",
        "framed",
        "svg",
        "comment",
    ):
        assert hidden not in everything
    assert passages[0].title == "Clinic leaflet"
    by_heading = {p.heading: p.text for p in passages}
    assert by_heading["Opening hours"] == "The clinic opens at eight & closes at six on weekdays."
    assert "Free parking behind the building. Bicycle racks by the door." in by_heading["Parking"]
    assert "Unclosed paragraph with bold nested text" in by_heading["Parking"]


def test_a_long_section_is_cut_into_several_passages() -> None:
    paragraph = " ".join(f"Sentence number {n} says something about the clinic." for n in range(100))
    passages = document_passages("long.txt", "Handbook\n\n" + paragraph)
    assert len(passages) > 3
    assert all(len(p.text.split()) <= 200 for p in passages)


def test_added_documents_are_listed_and_removed(tmp_path: Path) -> None:
    source = tmp_path / "hours.md"
    source.write_text("# Hours\n\n## Opening hours\n\nWe open at eight.\n", encoding="utf-8")
    folder = tmp_path / "clinic-docs"
    [info] = add_documents([source], folder)
    assert (info.name, info.title, info.passages) == ("hours.md", "Hours", 1)
    assert [d.name for d in list_documents(folder)] == ["hours.md"]
    remove_document("hours.md", folder)
    assert list_documents(folder) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"%PDF-1.4", "unsupported type"),
        ("latin1.txt", "caf\xe9 ouvert".encode("latin-1"), "not UTF-8"),
        ("empty.html", b"<html><script>only script</script></html>", "no readable text"),
    ],
)
def test_a_bad_document_is_refused_and_nothing_is_stored(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Hours\n\nWe open at eight.\n", encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(content)
    folder = tmp_path / "clinic-docs"
    with pytest.raises(DocumentError, match=message):
        add_documents([good, bad], folder)
    assert not folder.exists()


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        add_documents([tmp_path / "absent.md"], tmp_path / "docs")


@pytest.mark.parametrize("name", ["../escape.md", ".hidden.md", "", "nested/dir.md"])
def test_remove_refuses_anything_but_a_plain_file_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(DocumentError):
        remove_document(name, tmp_path)


def test_removing_an_unknown_document_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no clinic document named"):
        remove_document("absent.md", tmp_path)


def test_the_folder_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NALTRACK_KNOWLEDGE_DIR", str(tmp_path / "somewhere"))
    assert knowledge_dir() == tmp_path / "somewhere"


def test_without_the_variable_the_folder_is_var_knowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NALTRACK_KNOWLEDGE_DIR")
    assert knowledge_dir().parts[-2:] == ("var", "knowledge")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed articles are not on this machine")
def test_a_question_answered_by_a_seed_document_cites_it() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    add_documents(seeds, knowledge_dir())
    reload_engine()
    answer = answer_question("Is naltrexone available through the NHS?", country="GB")
    cited = [hit.passage.article for hit in answer.passages]
    nhs_seed = next(
        seed.name for seed in seeds if "NHS" in seed.read_text(encoding="utf-8")
    )  # whichever seed mentions the NHS
    assert cited[0] == f"clinic:{nhs_seed}"
    assert f"clinic:{nhs_seed}" in answer.sources
    assert "NHS" in answer.answer


def test_clinic_documents_join_the_guide_in_answers(tmp_path: Path) -> None:
    leaflet = tmp_path / "parking.html"
    leaflet.write_text(HOSTILE_HTML, encoding="utf-8")
    add_documents([leaflet], knowledge_dir())
    reload_engine()
    answer = answer_question("Are there bicycle racks at the clinic?")
    assert answer.passages[0].passage.article == "clinic:parking.html"
    assert "Bicycle racks by the door." in answer.answer
