"""Markdown to safe HTML for the Learn pages, with glossary terms linked on the token stream.

Articles are rendered with markdown-it-py with raw HTML disabled, so nothing an author (or a
hostile edit) writes as HTML reaches the page: it is shown as text. Glossary linking works on
markdown-it's tokens, never on the HTML: only plain ``text`` tokens of paragraphs and list
items are looked at, so headings, links, code spans, code blocks and image text are never
touched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

from naltrack.knowledge import Article
from naltrack.knowledge.articles import slugify
from naltrack.knowledge.text import STOP_WORDS, markdown_to_text, stem

from . import content
from .content import GlossaryTerm

# A term is a whole word: not preceded or followed by a letter, digit, underscore or hyphen
# ("opioid" is not linked inside "opioid-free").
_BEFORE = r"(?<![\w-])"
_AFTER = r"(?![\w-])"


def markdown() -> MarkdownIt:
    """The one Markdown parser of the Learn pages: CommonMark, raw HTML off, no linkify."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@dataclass(frozen=True)
class RenderedArticle:
    """An article's HTML and the glossary terms linked in it (in order of first use)."""

    html: SafeString
    terms: tuple[GlossaryTerm, ...]


class GlossaryLinker:
    """Links the first use of each glossary term (or one of its aliases) in a token stream."""

    def __init__(self, terms: Sequence[GlossaryTerm], *, base_url: str) -> None:
        self.base_url = base_url
        self._by_name: dict[str, GlossaryTerm] = {}
        for term in terms:
            for name in (term.term, *term.aliases):
                self._by_name.setdefault(name.casefold(), term)
        names = sorted(self._by_name, key=len, reverse=True)  # longest first: "opioid receptor" before "opioid"
        self._pattern = (
            re.compile(_BEFORE + "(" + "|".join(re.escape(name) for name in names) + ")" + _AFTER, re.IGNORECASE)
            if names
            else None
        )

    def link(self, tokens: list[Token]) -> list[GlossaryTerm]:
        """Rewrite ``tokens`` in place; return the terms linked, in order of first use."""
        linked: dict[str, GlossaryTerm] = {}
        if self._pattern is None:
            return []
        heading_depth = 0
        for token in tokens:
            if token.type == "heading_open":
                heading_depth += 1
            elif token.type == "heading_close":
                heading_depth -= 1
            elif token.type == "inline" and heading_depth == 0 and token.children:
                token.children = self._link_inline(token.children, linked)
        return list(linked.values())

    def _link_inline(self, children: list[Token], linked: dict[str, GlossaryTerm]) -> list[Token]:
        result: list[Token] = []
        link_depth = 0
        for child in children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type == "text" and link_depth == 0:
                result += self._link_text(child, linked)
            else:
                result.append(child)
        return result

    def _link_text(self, token: Token, linked: dict[str, GlossaryTerm]) -> list[Token]:
        assert self._pattern is not None
        text = token.content
        pieces: list[Token] = []
        position = 0
        for match in self._pattern.finditer(text):
            term = self._by_name.get(match.group(1).casefold())
            if term is None or term.term in linked:
                continue
            linked[term.term] = term
            if match.start() > position:
                pieces.append(_text_token(text[position : match.start()]))
            pieces += self._link_tokens(term, match.group(1))
            position = match.end()
        if not pieces:
            return [token]
        if position < len(text):
            pieces.append(_text_token(text[position:]))
        return pieces

    def _link_tokens(self, term: GlossaryTerm, shown: str) -> list[Token]:
        opening = Token("link_open", "a", 1)
        opening.attrs = {
            "href": f"{self.base_url}#{term.anchor}",
            "class": "glossary-term",
            "title": plain_definition(term),
            "aria-describedby": term.definition_id,
        }
        return [opening, _text_token(shown), Token("link_close", "a", -1)]


def _text_token(text: str) -> Token:
    token = Token("text", "", 0)
    token.content = text
    return token


def plain_definition(term: GlossaryTerm) -> str:
    """A term's definition as plain text (for the link's title tooltip)."""
    return markdown_to_text(term.definition).strip()


def add_heading_ids(tokens: Iterable[Token]) -> None:
    """Give each ``##`` heading the id the Ask engine's passages link to (its slug)."""
    tokens = list(tokens)
    for number, token in enumerate(tokens):
        if token.type == "heading_open" and number + 1 < len(tokens):
            anchor = slugify(tokens[number + 1].content)
            if anchor:
                token.attrSet("id", anchor)


def mark_external_links(tokens: Iterable[Token]) -> None:
    """Links that leave naltrack say so to the browser: no referrer, no opener."""
    for token in tokens:
        for child in token.children or ():
            href = str(child.attrGet("href") or "")
            if child.type == "link_open" and href.startswith(("http://", "https://")):
                child.attrSet("rel", "external noopener noreferrer")


def render_markdown(text: str, *, terms: Sequence[GlossaryTerm] = (), base_url: str = "") -> RenderedArticle:
    """Markdown to safe HTML; glossary terms linked (first use of each) when ``terms`` are given."""
    parser = markdown()
    tokens = parser.parse(text)
    linked = GlossaryLinker(terms, base_url=base_url).link(tokens) if terms else []
    add_heading_ids(tokens)
    mark_external_links(tokens)
    html = parser.renderer.render(tokens, parser.options, {})
    return RenderedArticle(mark_safe(html), tuple(linked))  # noqa: S308 - markdown-it escaped it; html is off


def render_inline(text: str) -> SafeString:
    """One line of Markdown (a glossary definition) to safe inline HTML."""
    return mark_safe(str(markdown().renderInline(text)))  # noqa: S308 - markdown-it escaped it; html is off


@functools.cache
def rendered_article(article_id: str) -> RenderedArticle | None:
    """An article of the packaged guide, rendered once per process (None when there is none)."""
    from django.urls import reverse

    article = content.guide().article(article_id)
    if article is None:
        return None
    return render_article(article, content.glossary_terms(), glossary_url=reverse("learn:glossary"))


def render_article(article: Article, terms: Sequence[GlossaryTerm], *, glossary_url: str) -> RenderedArticle:
    """An article body as HTML with its glossary terms linked."""
    return render_markdown(article.body, terms=terms, base_url=glossary_url)


# --- search highlighting ----------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def query_stems(query: str) -> frozenset[str]:
    """The stems of a query's content words (what the search engine matched on)."""
    return frozenset(
        stem(word) for word in (w.casefold() for w in _WORD.findall(query)) if word not in STOP_WORDS and len(word) > 1
    )


def highlight(text: str, query: str) -> SafeString:
    """``text`` escaped, with the words matching the query's words wrapped in <mark>.

    The text is split into words on the plain text (never on HTML); every piece is escaped
    before it is joined, so nothing in the text or the query can become markup.
    """
    stems = query_stems(query)
    pieces: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        if stem(word.casefold()) in stems:
            pieces.append(escape(text[position : match.start()]))
            pieces.append(f"<mark>{escape(word)}</mark>")
            position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above
