"""The guide as data: articles with front matter, glossary, comparison, support groups, passages.

An article is a Markdown file with YAML front matter (id, title, audience, last_reviewed,
sources, summary, optional order/section); each ``##`` section becomes one passage for the
Ask engine. The data files beside the articles (glossary, medicines comparison, support
groups) become passages too, each citing its own sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from naltrack.knowledge.text import markdown_to_text

PACKAGE_DIR = Path(__file__).resolve().parent
CONTENT_DIR = PACKAGE_DIR / "content"
DATA_DIR = PACKAGE_DIR / "data"

DATA_FILES = ("glossary.yaml", "comparison.yaml", "support_groups.yaml", "vocabulary.yaml")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_SECTION_HEADING = re.compile(r"^##(?!#)[ \t]*(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def _load_yaml(text: str) -> Any:
    """Parse YAML safely (libyaml's C loader when present). Imported here, not at module top,
    so that answering from a cached index never pays for PyYAML."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise GuideError(f"not valid YAML ({exc.__class__.__name__})") from exc


class GuideError(ValueError):
    """The guide content cannot be read: a file is malformed or misses a required field."""


@dataclass(frozen=True, slots=True)
class Section:
    """One ``##`` section of an article (its Markdown, without the heading line)."""

    heading: str
    anchor: str
    markdown: str


@dataclass(frozen=True, slots=True)
class Article:
    """One guide article: front-matter metadata and its Markdown body."""

    id: str
    title: str
    audience: tuple[str, ...]
    last_reviewed: str
    sources: tuple[str, ...]
    summary: str
    body: str
    sections: tuple[Section, ...]
    intro: str = ""
    order: int | None = None
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A searchable piece of text: one article section, glossary entry or data record."""

    article: str
    title: str
    heading: str
    text: str
    sources: tuple[str, ...]
    anchor: str = ""
    kind: str = "guide"

    @property
    def text_with_heading(self) -> str:
        """The passage as a reader sees it: the heading (unless the text opens with it), then the text."""
        heading = self.heading.strip()
        if not heading or heading == self.title or self.text.startswith(heading):
            return self.text
        return f"{heading}{'' if heading.endswith(('.', '?', '!', ':')) else '.'} {self.text}"


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A glossary term and its plain-language definition."""

    term: str
    definition: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guide:
    """Everything the Learn pages show: articles, glossary, comparison and support groups."""

    articles: tuple[Article, ...]
    glossary: tuple[GlossaryEntry, ...] = ()
    comparison: Any = None
    support_groups: Any = None
    vocabulary: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def article(self, article_id: str) -> Article | None:
        """The article with this id, or None."""
        return next((a for a in self.articles if a.id == article_id), None)


def slugify(text: str) -> str:
    """A URL fragment for a heading: lower-case words joined by hyphens."""
    return _SLUG_JUNK.sub("-", text.lower()).strip("-")


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, Iterable):
        return tuple(str(item).strip() for item in value if str(item).strip())
    return (str(value),)


def split_sections(body: str) -> tuple[str, tuple[Section, ...]]:
    """Split a Markdown body at its ``##`` headings: (text before the first, sections)."""
    matches = list(_SECTION_HEADING.finditer(body))
    intro = body[: matches[0].start()] if matches else body
    sections = []
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(body)
        heading = match.group(1).strip()
        sections.append(Section(heading, slugify(heading), body[match.end() : end].strip()))
    return intro.strip(), tuple(sections)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Front matter (a mapping, empty when absent) and the Markdown after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = _load_yaml(match.group(1))
    except GuideError as exc:
        raise GuideError(f"front matter is {exc}") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise GuideError("front matter must be a mapping")
    return meta, text[match.end() :]


def parse_article(text: str, *, name: str = "article") -> Article:
    """Parse one article file (front matter + Markdown) into an Article."""
    try:
        meta, body = split_front_matter(text)
    except GuideError as exc:
        raise GuideError(f"{name}: {exc}") from exc
    missing = [key for key in ("id", "title") if not meta.get(key)]
    if missing:
        raise GuideError(f"{name}: front matter lacks {', '.join(missing)}")
    intro, sections = split_sections(body)
    order = meta.get("order")
    return Article(
        id=str(meta["id"]),
        title=str(meta["title"]).strip(),
        audience=_as_tuple(meta.get("audience")),
        last_reviewed=str(meta.get("last_reviewed") or ""),
        sources=_as_tuple(meta.get("sources")),
        summary=str(meta.get("summary") or "").strip(),
        body=body.strip(),
        sections=sections,
        intro=intro,
        order=order if isinstance(order, int) else None,
        section=str(meta["section"]) if meta.get("section") else None,
    )


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GuideError(f"{path.name}: cannot read ({exc.__class__.__name__})") from exc
    try:
        return _load_yaml(text)
    except GuideError as exc:
        raise GuideError(f"{path.name}: {exc}") from exc


def _glossary_entries(data: Any) -> tuple[GlossaryEntry, ...]:
    """Glossary from either a list of {term, definition, sources} or a {term: definition} map."""
    if isinstance(data, dict) and isinstance(data.get("terms"), list | dict):
        data = data["terms"]
    entries: list[GlossaryEntry] = []
    if isinstance(data, dict):
        for term, value in data.items():
            if isinstance(value, dict):
                definition = value.get("definition") or value.get("text") or ""
                entries.append(GlossaryEntry(str(term), str(definition), _as_tuple(value.get("sources"))))
            else:
                entries.append(GlossaryEntry(str(term), str(value)))
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and item.get("term"):
                definition = item.get("definition") or item.get("text") or ""
                entries.append(
                    GlossaryEntry(str(item["term"]), str(definition), _as_tuple(item.get("sources")))
                )
    return tuple(entry for entry in entries if entry.definition.strip())


def _vocabulary(data: Any) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(data, dict):
        return MappingProxyType({})
    return MappingProxyType({str(term): _as_tuple(synonyms) for term, synonyms in data.items()})


def article_paths(content_dir: Path) -> list[Path]:
    """The article files of a content folder, in a stable order."""
    return sorted(content_dir.glob("*.md")) if content_dir.is_dir() else []


def load_guide(content_dir: Path | None = None, data_dir: Path | None = None) -> Guide:
    """Read every article and data file of the guide (the packaged one by default)."""
    content_dir = CONTENT_DIR if content_dir is None else content_dir
    data_dir = DATA_DIR if data_dir is None else data_dir
    articles = []
    for path in article_paths(content_dir):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GuideError(f"{path.name}: cannot read ({exc.__class__.__name__})") from exc
        articles.append(parse_article(text, name=path.name))
    articles.sort(key=lambda a: (a.order if a.order is not None else 10_000, a.title.lower()))
    return Guide(
        articles=tuple(articles),
        glossary=_glossary_entries(_read_yaml(data_dir / "glossary.yaml")),
        comparison=_read_yaml(data_dir / "comparison.yaml"),
        support_groups=_read_yaml(data_dir / "support_groups.yaml"),
        vocabulary=_vocabulary(_read_yaml(data_dir / "vocabulary.yaml")),
    )


# --- passages -------------------------------------------------------------------------------


def article_passages(article: Article) -> list[Passage]:
    """One passage per ``##`` section, plus one for the summary and any text before the first."""
    passages = []
    opening = " ".join(part for part in (article.summary, markdown_to_text(article.intro)) if part)
    if opening.strip():
        passages.append(Passage(article.id, article.title, article.title, opening, article.sources, ""))
    for section in article.sections:
        text = markdown_to_text(section.markdown)
        if text.strip():
            passages.append(
                Passage(article.id, article.title, section.heading, text, article.sources, section.anchor)
            )
    return passages


def glossary_passages(entries: Iterable[GlossaryEntry]) -> list[Passage]:
    """One passage per glossary term, reading "Term: definition"."""
    return [
        Passage(
            "glossary",
            "Glossary",
            entry.term,
            f"{entry.term}: {markdown_to_text(entry.definition)}",
            entry.sources,
            slugify(entry.term),
            "glossary",
        )
        for entry in entries
    ]


_NAME_KEYS = ("name", "medicine", "medication", "title", "term", "group")
_SKIP_KEYS = frozenset({"sources", "source", "id", "slug", "url", "website", "order"})


def _record_name(record: Mapping[str, Any]) -> str:
    return next((str(record[key]) for key in _NAME_KEYS if record.get(key)), "")


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_describe(item)}" for key, item in value.items() if item not in (None, ""))
    if isinstance(value, list | tuple):
        return ", ".join(_describe(item) for item in value if item not in (None, ""))
    return markdown_to_text(str(value)).replace("\n", " ")


def _records(data: Any) -> list[tuple[str, Mapping[str, Any]]]:
    """(name, record) pairs from a list of mappings, a mapping holding such a list, or {name: mapping}."""
    if isinstance(data, dict):
        record_lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if record_lists:
            return _records(max(record_lists, key=len))
        return [
            (str(name), value if isinstance(value, dict) else {"description": value})
            for name, value in data.items()
            if not isinstance(value, list) or value
        ]
    if isinstance(data, list):
        return [(_record_name(item), item) for item in data if isinstance(item, dict)]
    return []


_LABELS = {"for": "who it is for"}
_NO_FACT = re.compile(r"^\s*not (covered|described) in our sources\.?\s*$", re.IGNORECASE)


def record_passages(data: Any, *, article: str, title: str, kind: str) -> list[Passage]:
    """Passages from structured data (comparison rows, support groups): one per record."""
    passages = []
    for name, record in _records(data):
        facts = [
            _describe(value)
            if key in ("description", "summary", "text")
            else f"{name} — {key.replace('_', ' ')}: {_describe(value)}"
            for key, value in record.items()
            if key not in _SKIP_KEYS
            and key not in _NAME_KEYS
            and value not in (None, "", [], {})
            and not (isinstance(value, str) and _NO_FACT.match(value))
        ]
        sentences = [fact if fact.endswith((".", "!", "?")) else fact + "." for fact in facts if fact]
        if not name or not sentences:
            continue
        sources = _as_tuple(record.get("sources") or record.get("source"))
        passages.append(Passage(article, title, name, " ".join(sentences), sources, slugify(name), kind))
    return passages


def guide_passages(guide: Guide) -> list[Passage]:
    """Every passage of the guide: article sections, glossary, comparison, support groups."""
    passages = [passage for article in guide.articles for passage in article_passages(article)]
    passages += glossary_passages(guide.glossary)
    passages += record_passages(
        guide.comparison, article="comparison", title="Comparing the medicines", kind="comparison"
    )
    passages += record_passages(
        guide.support_groups, article="support-groups", title="Support groups", kind="support"
    )
    return passages
