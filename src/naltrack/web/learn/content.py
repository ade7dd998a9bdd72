"""The guide as the Learn pages show it: sections, glossary, comparison, support groups, sources.

Read-only views of ``naltrack.knowledge`` data, shaped for templates and the API. The guide is
packaged with the code, so it is loaded once per process (``reload_guide`` forgets it).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from naltrack.clinical.sources import SOURCES
from naltrack.knowledge import Article, GlossaryEntry, Guide, Passage, load_guide
from naltrack.knowledge.articles import DATA_DIR, slugify

# The editorial sections (docs/guide-editorial.md), in reading order; anything else follows.
SECTION_ORDER = ("Basics", "Treatment", "Safety", "Getting help")
OTHER_SECTION = "More"

AUDIENCES = {
    "everyone": "Everyone",
    "patients": "Patients and families",
    "clinicians": "Clinicians",
}

# Who a support group is for (support_groups.yaml `for`), as the filter offers it.
GROUP_AUDIENCES = {
    "alcohol": "Alcohol",
    "opioids": "Opioids",
    "drugs": "Drugs (including opioids)",
    "families": "Families and friends",
    "all": "Anyone",
}
# A group "for drugs" also serves people who use opioids; a group "for all" serves everyone
# except that it is not a family group.
_GROUP_SERVES = {
    "alcohol": {"alcohol", "all"},
    "opioids": {"opioids", "drugs", "all"},
    "drugs": {"drugs", "all"},
    "families": {"families"},
    "all": {"all"},
}

NOT_COVERED_PREFIX = "not covered in our sources"


@functools.cache
def guide() -> Guide:
    """The packaged guide, read once per process."""
    return load_guide()


def reload_guide() -> None:
    """Forget the cached guide (and its rendered articles), e.g. in tests."""
    guide.cache_clear()
    glossary_aliases.cache_clear()
    from . import rendering

    rendering.rendered_article.cache_clear()


# --- articles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexSection:
    """One section of the guide's index, its articles in navigation order."""

    name: str
    anchor: str
    articles: tuple[Article, ...]


def index_sections(articles: Iterable[Article] | None = None) -> list[IndexSection]:
    """Articles grouped by their front-matter ``section``, each group ordered by ``order``."""
    groups: dict[str, list[Article]] = {}
    for article in guide().articles if articles is None else articles:
        groups.setdefault(article.section or OTHER_SECTION, []).append(article)

    def section_rank(name: str) -> tuple[int, str]:
        if name in SECTION_ORDER:
            return (SECTION_ORDER.index(name), "")
        return (len(SECTION_ORDER) + (name == OTHER_SECTION), name.lower())

    return [
        IndexSection(
            name,
            "section-" + slugify(name),
            tuple(sorted(groups[name], key=lambda a: (a.order if a.order is not None else 10_000, a.title.lower()))),
        )
        for name in sorted(groups, key=section_rank)
    ]


def audience_label(article: Article) -> str:
    """Who an article is written for, in words."""
    labels = [AUDIENCES.get(value, value.capitalize()) for value in article.audience]
    return ", ".join(labels) if labels else AUDIENCES["everyone"]


def reviewed_on(article: Article) -> dt.date | None:
    """The article's last full review as a date (None when the front matter has none)."""
    try:
        return dt.date.fromisoformat(article.last_reviewed[:10])
    except ValueError:
        return None


# --- sources ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLink:
    """A cited source as a reader sees it: key, title and the web addresses it can be read at."""

    key: str
    title: str
    urls: tuple[str, ...]


def describe_sources(keys: Iterable[str]) -> list[SourceLink]:
    """Titles and links for source keys; a clinic document or unknown key is shown by its key."""
    described = []
    for key in dict.fromkeys(keys):
        source = SOURCES.get(key)
        if source is None:
            title = f"Clinic document: {key.removeprefix('clinic:')}" if key.startswith("clinic:") else key
            described.append(SourceLink(key, title, ()))
            continue
        urls = tuple(
            part.strip() for part in source.url.split(";") if part.strip().startswith(("https://", "http://"))
        )
        described.append(SourceLink(key, source.title, urls))
    return described


# --- glossary ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlossaryTerm:
    """A glossary entry with its aliases and its place on the glossary page."""

    term: str
    definition: str
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    anchor: str

    @property
    def definition_id(self) -> str:
        """The id of this term's definition in an article's word list (aria-describedby target)."""
        return "define-" + self.anchor.removeprefix("term-")

    @property
    def letter(self) -> str:
        first = self.term[:1].upper()
        return first if first.isalpha() else "#"


def glossary_anchor(term: str) -> str:
    """The id of a term on the glossary page."""
    return "term-" + slugify(term)


@functools.cache
def glossary_aliases() -> Mapping[str, tuple[str, ...]]:
    """{term: aliases} from the glossary data.

    ``GlossaryEntry`` does not carry aliases yet, so they are read from the same packaged
    glossary.yaml the engine reads (a list of ``{term, aliases, definition, sources}``).
    """
    import yaml

    path = DATA_DIR / "glossary.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if isinstance(data, dict):
        data = data.get("terms", [])
    aliases: dict[str, tuple[str, ...]] = {}
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and item.get("term") and isinstance(item.get("aliases"), list):
            aliases[str(item["term"])] = tuple(str(alias) for alias in item["aliases"] if str(alias).strip())
    return aliases


def _as_term(entry: GlossaryEntry) -> GlossaryTerm:
    aliases = getattr(entry, "aliases", None)
    if aliases is None:
        aliases = glossary_aliases().get(entry.term, ())
    return GlossaryTerm(entry.term, entry.definition, tuple(aliases), entry.sources, glossary_anchor(entry.term))


def glossary_terms() -> list[GlossaryTerm]:
    """Every glossary term, A to Z (case-insensitive)."""
    return sorted((_as_term(entry) for entry in guide().glossary), key=lambda t: t.term.lower())


def glossary_by_letter() -> list[tuple[str, list[GlossaryTerm]]]:
    """The glossary grouped under its initial letters."""
    groups: dict[str, list[GlossaryTerm]] = {}
    for term in glossary_terms():
        groups.setdefault(term.letter, []).append(term)
    return sorted(groups.items(), key=lambda item: (item[0] == "#", item[0]))


# --- comparison -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One comparison fact; ``is_covered`` is False where our sources are silent."""

    text: str
    is_covered: bool


@dataclass(frozen=True)
class ComparisonRow:
    field: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Medicine:
    id: str
    anchor: str
    name: str
    brand_names: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    medicines: tuple[Medicine, ...]
    rows: tuple[ComparisonRow, ...]


def field_label(field: str) -> str:
    """A data field name as a row heading: ``can_drink_alcohol_on_it`` -> "Can drink alcohol on it"."""
    return field.replace("_", " ").strip().capitalize()


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value if item not in (None, ""))
    return "" if value is None else str(value).strip()


def comparison() -> Comparison:
    """The medicines comparison: one column per medicine, one row per field, from the data."""
    data = guide().comparison
    records = data.get("medicines", []) if isinstance(data, dict) else data if isinstance(data, list) else []
    records = [record for record in records if isinstance(record, dict) and record.get("name")]
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, list):
        skip = {"id", "name", "brand_names", "sources"}
        fields = list(dict.fromkeys(key for record in records for key in record if key not in skip))
    medicines = tuple(
        Medicine(
            id=str(record.get("id") or slugify(str(record["name"]))),
            anchor=slugify(str(record["name"])),
            name=str(record["name"]),
            brand_names=tuple(str(name) for name in record.get("brand_names") or ()),
            sources=tuple(str(key) for key in record.get("sources") or ()),
        )
        for record in records
    )
    rows = []
    for field in fields:
        cells = []
        for record in records:
            text = _text(record.get(field))
            covered = bool(text) and not text.lower().startswith(NOT_COVERED_PREFIX)
            cells.append(Cell(text or "Not covered in our sources.", covered))
        rows.append(ComparisonRow(str(field), field_label(str(field)), tuple(cells)))
    return Comparison(medicines, tuple(rows))


# --- support groups ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportGroup:
    name: str
    anchor: str
    audience: str
    audience_label: str
    approach: str
    formats: tuple[str, ...]
    url: str
    medication_note: str


def support_groups(serving: str = "") -> list[SupportGroup]:
    """The support-group directory, or only the groups that serve ``serving`` (a GROUP_AUDIENCES key)."""
    data = guide().support_groups
    if isinstance(data, dict):
        data = data.get("groups", [])
    groups = []
    for record in data if isinstance(data, list) else []:
        if not isinstance(record, dict) or not record.get("name"):
            continue
        audience = str(record.get("for") or "all")
        if serving and audience not in _GROUP_SERVES.get(serving, {serving}):
            continue
        url = str(record.get("url") or "")
        groups.append(
            SupportGroup(
                name=str(record["name"]),
                anchor=slugify(str(record["name"])),
                audience=audience,
                audience_label=GROUP_AUDIENCES.get(audience, audience.capitalize()),
                approach=_text(record.get("approach")),
                formats=tuple(str(item) for item in record.get("formats") or ()),
                url=url if url.startswith(("https://", "http://")) else "",
                medication_note=_text(record.get("medication_note")),
            )
        )
    return groups


# --- passages ---------------------------------------------------------------------------------


def passage_url(passage: Passage) -> str:
    """Where a passage can be read on the Learn pages ("" for a clinic's own documents)."""
    fragment = f"#{passage.anchor}" if passage.anchor else ""
    if passage.kind == "glossary" or passage.article == "glossary":
        return reverse("learn:glossary") + (f"#{glossary_anchor(passage.heading)}" if passage.heading else "")
    if passage.kind == "comparison" or passage.article == "comparison":
        return reverse("learn:compare") + fragment
    if passage.kind == "support":
        return reverse("learn:support") + fragment
    if passage.kind == "clinic" or guide().article(passage.article) is None:
        return ""
    return reverse("learn:article", args=[passage.article]) + fragment
