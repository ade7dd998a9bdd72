"""Visible text of an HTML page, by heading, with the standard library's parser.

Scripts, styles, templates, frames and the like are dropped with everything inside them; only
text a reader would see is kept. Character references are decoded by the parser. Imported
only when an HTML document is read, so the Ask command does not pay for it.
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCK_TAGS = (
    "p div li ul ol br tr td th table section article header footer nav aside blockquote pre "
    "h4 h5 h6 dd dt dl hr main figure figcaption form"
)


class VisibleText(HTMLParser):
    """Visible text of an HTML page by headings and blocks; scripts, styles and the like dropped."""

    SKIPPED = frozenset(
        {"script", "style", "noscript", "template", "iframe", "object", "svg", "head", "select"}
    )
    HEADINGS = frozenset({"h1", "h2", "h3"})
    BLOCKS = frozenset(_BLOCK_TAGS.split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, list[str]]] = [("", [])]
        self.title = ""
        self._skipping: list[str] = []
        self._buffer: list[str] = []
        self._in_heading = False
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self._skipping_other_than_head():
            self._in_title = True
        if tag == "body":  # a page that never closes <head> still has a body to read
            self._skipping = [skipped for skipped in self._skipping if skipped != "head"]
        if tag in self.SKIPPED:
            self._skipping.append(tag)
        elif tag in self.HEADINGS:
            self._flush()
            self._in_heading = True
        elif tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIPPED:
            if tag in self._skipping:
                while self._skipping and self._skipping.pop() != tag:
                    pass
        elif tag in self.HEADINGS and self._in_heading:
            heading = " ".join("".join(self._buffer).split())
            self._buffer.clear()
            self._in_heading = False
            if heading:
                if tag == "h1" and not self.title:
                    self.title = heading
                self.sections.append((heading, []))
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = self.title or " ".join(data.split())
            return
        if not self._skipping:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _skipping_other_than_head(self) -> bool:
        return any(tag != "head" for tag in self._skipping)

    def _flush(self) -> None:
        if self._in_heading:
            return
        text = " ".join("".join(self._buffer).split())
        self._buffer.clear()
        if text:
            self.sections[-1][1].append(text)
