"""Markdown rendering and glossary linking on the token stream; safe highlighting."""

from __future__ import annotations

import re

from naltrack.web.learn.content import GlossaryTerm, glossary_anchor
from naltrack.web.learn.rendering import highlight, render_markdown

TERMS = [
    GlossaryTerm("naltrexone", "An opioid blocker.", ("NTX",), ("S1",), glossary_anchor("naltrexone")),
    GlossaryTerm("opioid receptor", "Where opioids act.", ("opioid receptors",), (),
                 glossary_anchor("opioid receptor")),
    GlossaryTerm("opioid", "A drug such as morphine.", (), (), glossary_anchor("opioid")),
    GlossaryTerm("half-life", 'Time to fall by half; "quoted" <b>bold</b>.', (), (), glossary_anchor("half-life")),
]


def render(markdown: str) -> str:
    return str(render_markdown(markdown, terms=TERMS, base_url="/learn/glossary/").html)


def links_to(html: str, anchor: str) -> int:
    return len(re.findall(rf'<a href="/learn/glossary/#{anchor}"', html))


def test_a_term_in_a_heading_is_not_linked_but_its_first_use_in_text_is():
    html = render("## What naltrexone does\n\nNaltrexone blocks opioids.")
    assert '<h2 id="what-naltrexone-does">What naltrexone does</h2>' in html
    assert '<p><a href="/learn/glossary/#term-naltrexone" class="glossary-term"' in html
    assert links_to(html, "term-naltrexone") == 1


def test_a_term_inside_an_existing_link_is_not_linked_again():
    html = render("Read [about naltrexone](https://example.org/n) first. Then naltrexone again.")
    assert '<a href="https://example.org/n" rel="external noopener noreferrer">about naltrexone</a>' in html
    assert links_to(html, "term-naltrexone") == 1
    assert html.index("example.org") < html.index("#term-naltrexone")  # the later, plain use is linked


def test_only_the_first_occurrence_per_article_is_linked_across_paragraphs_and_aliases():
    html = render("Naltrexone helps.\n\nNTX is naltrexone.\n\n- naltrexone in a list")
    assert links_to(html, "term-naltrexone") == 1
    assert html.count("glossary-term") == 1


def test_terms_match_whole_words_case_insensitively_and_prefer_the_longest():
    html = render("OPIOID RECEPTORS are blocked. Naltrexones and pre-opioid are not words we link.")
    assert '#term-opioid-receptor" class="glossary-term"' in html
    assert ">OPIOID RECEPTORS</a>" in html  # the text keeps its own case
    assert links_to(html, "term-naltrexone") == 0
    assert links_to(html, "term-opioid") == 0


def test_a_hyphenated_term_is_linked_whole_and_not_inside_a_longer_word():
    html = render("The half-life is long. A half-lifetime is not a term.")
    assert links_to(html, "term-half-life") == 1
    assert ">half-life</a>" in html


def test_terms_in_code_are_never_linked():
    html = render("Run `naltrexone` here.\n\n```\nnaltrexone\n```\n\n    naltrexone indented\n")
    assert links_to(html, "term-naltrexone") == 0
    assert "<code>naltrexone</code>" in html


def test_the_definition_tooltip_is_escaped_in_the_title_attribute():
    html = render("The half-life matters.")
    assert 'title="Time to fall by half; &quot;quoted&quot; bold."' in html
    assert 'aria-describedby="define-half-life"' in html


def test_raw_html_in_content_never_reaches_the_page():
    html = render('<script>alert(1)</script>\n\nText with <img src=x onerror=alert(1)> inline.\n\n'
                  "[click](javascript:alert(1))")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html


def test_highlight_escapes_the_text_and_marks_matching_words():
    html = str(highlight("Liver <b>tests</b> & liver injury.", "liver test"))
    assert html == "<mark>Liver</mark> &lt;b&gt;<mark>tests</mark>&lt;/b&gt; &amp; <mark>liver</mark> injury."


def test_highlight_ignores_stop_words_and_markup_in_the_query():
    html = str(highlight("What is the dose of naltrexone?", "<mark>what is the dose</mark>"))
    assert html == "What is the <mark>dose</mark> of naltrexone?"
