"""The forum's markup is small and safe: hostile payloads never reach a page as live HTML."""

from __future__ import annotations

import re

import pytest

from naltrack.web.community.content import looks_like_seller, render_markup, sanitise_html, seller_host

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;vascript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"width: expression(alert(1))\">x</p>",
    "<iframe src=https://evil.example></iframe>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)",
    "<b onmouseover=alert(1)>unclosed",
    '[x](https://ok.example" onmouseover="alert(1))',
    "![img](https://evil.example/x.png)",
    "<object data=evil.swf></object><embed src=evil.swf>",
    "<form action=https://evil.example><input name=password></form>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<!--<script>alert(1)</script>-->",
    "<a href='jav&#x09;ascript:alert(1)'>tab</a>",
]

LIVE_HTML = re.compile(r"<(?!/?(?:a|em|strong|ul|ol|li|p|br|code)\b)[a-z]", re.IGNORECASE)


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markup_renders_without_live_html(payload):
    html = render_markup(payload)
    assert not LIVE_HTML.search(html), html
    tags = _attrs(html)
    for bad in ("script", "onerror", "onload", "onmouseover", "javascript:", "vbscript:", "data:", "style",
                "iframe", "svg", "math", "img", "expression("):
        # The words may survive as escaped text (&lt;script&gt;), never inside a real tag.
        assert bad not in tags, html
    for href in re.findall(r'href="([^"]*)"', tags):
        assert href.startswith(("http://", "https://", "mailto:")), html


def _attrs(html: str) -> str:
    """Only the text inside real tags (where an attribute could run)."""
    return " ".join(re.findall(r"<[^>]*>", html)).lower()


@pytest.mark.parametrize("payload", HOSTILE)
def test_the_sanitiser_alone_also_refuses_hostile_html(payload):
    """nh3 is a second layer: even raw HTML (were markdown to let it through) is cleaned."""
    tags = _attrs(sanitise_html(payload))
    for bad in ("script", "onerror", "onload", "onmouseover", "javascript:", "style", "iframe", "svg", "img",
                "object", "embed", "form", "meta", "data:"):
        assert bad not in tags, tags


def test_allowed_markup_renders():
    html = render_markup("*calm* **proud** `code`\n\n- one\n- two\n\n1. first\n\n[guide](https://example.org/x)")
    assert "<em>calm</em>" in html and "<strong>proud</strong>" in html and "<code>code</code>" in html
    assert "<ul>" in html and "<ol>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org/x" rel="nofollow noopener ugc">guide</a>' in html


def test_headings_images_and_titles_are_not_part_of_the_markup():
    html = render_markup('# Big\n\n![x](https://e.example/i.png)\n\n[t](https://e.example "title")')
    assert "<h1" not in html and "<img" not in html and "title=" not in html


def test_relative_links_lose_their_target():
    assert "href" not in render_markup("[admin](/django-admin/)")


def test_mailto_links_are_kept():
    assert 'href="mailto:help@example.org"' in render_markup("<mailto:help@example.org>")


@pytest.mark.parametrize("text", [
    "Buy naltrexone online cheap at best-pharma.example",
    "naltrexone no rx needed, order here",
    "Get oxy online cheap, no questions asked",
    "Cheap vivitrol here: https://example.org/shop",
    "Visit cheap-rx-meds.example for pills",
    "I sell naltrexone without a prescription, dm me",
    "[great deals](https://pills-direct.example/naltrexone)",
])
def test_offers_of_medicine_without_prescription_look_like_sellers(text):
    assert looks_like_seller(text)


@pytest.mark.parametrize("text", [
    "My doctor said I can't get naltrexone without a prescription.",
    "I ordered pizza online and felt proud I didn't order wine.",
    "The leaflet on medlineplus.gov and nhs.uk helped me understand naltrexone.",
    "My pharmacist was kind when I picked up my prescription.",
    "Day 30 without a drink!",
])
def test_ordinary_posts_are_not_sellers(text):
    assert not looks_like_seller(text)


def test_public_health_hosts_are_trusted_and_pill_shops_are_not():
    assert seller_host("see https://www.nhs.uk/medicines/naltrexone/") is None
    assert seller_host("see https://rx-discount.example/") == "rx-discount.example"
