"""Forum text: the small markup, the sanitiser, and the seller-link check.

Members write a Markdown subset (emphasis, links, lists, inline code, line breaks) rendered by
markdown-it-py with raw HTML disabled; the result then passes through nh3 (Ammonia), which keeps only
``a em strong ul ol li p br code``, only http/https/mailto links, and adds
``rel="nofollow noopener ugc"``. Two layers: a bug in one is caught by the other.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({"a", "em", "strong", "ul", "ol", "li", "p", "br", "code"})
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener ugc"

_markdown = MarkdownIt("zero", {"breaks": True, "html": False, "linkify": False}).enable(
    ["emphasis", "link", "list", "backticks", "newline", "autolink", "escape", "entity"]
)


def _keep_safe_links(tag: str, attribute: str, value: str) -> str | None:
    """Only absolute http(s) and mailto links survive; relative and other schemes are dropped."""
    if tag == "a" and attribute == "href":
        scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
        return value if scheme in ALLOWED_SCHEMES else None
    return value


def sanitise_html(html: str) -> str:
    """Keep only the allowed tags, link attributes and schemes (nh3)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"*": set(), "a": {"href"}},  # "*": no generic attributes (title, lang)
        attribute_filter=_keep_safe_links,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markup(source: str) -> str:
    """The sanitised HTML of a post's source text."""
    return sanitise_html(_markdown.render(source)).strip()


def plain_excerpt(source: str, length: int = 160) -> str:
    """A short plain-text excerpt (the caller's template escapes it)."""
    text = re.sub(r"\s+", " ", source).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------------------
# Sellers of prescription medicine without a prescription. Matching holds a post for a moderator, who
# approves it when it was innocent ("my GP said I can't get naltrexone without a prescription").
# ---------------------------------------------------------------------------------------------------

MEDICINES = (r"(?:naltrexone|vivitrol|revia|nalt|opioids?|opiates?|oxy\w*|fentanyl|tramadol|hydrocodone|"
             r"percocet|vicodin|codeine|morphine|methadone|suboxone|subutex|buprenorphine|xanax|valium|"
             r"benzos?|diazepam|alprazolam|acamprosate|disulfiram|antabuse|pills?|meds|medication|medicine)")
_NO_PRESCRIPTION = re.compile(
    r"\b(?:with\s?out|w/o|no)\s+(?:a\s+|any\s+)?(?:doctor'?s?\s+|prior\s+)?(?:prescriptions?|scripts?|rx)\b"
    r"|\bno[\s-]?rx\b|\b(?:prescription|rx|script)[\s-]?free\b|\bover\s+the\s+counter\s+" + MEDICINES,
    re.IGNORECASE,
)
_SELLING = re.compile(r"\b(?:buy|order|purchase|cheap\w*|discount\w*|sale|for sale|selling|sell|ship\w*|"
                      r"deliver\w*|overnight|online|pharmacy|shop|price|dm me|whatsapp|telegram)\b",
                      re.IGNORECASE)
_BUY_ONLINE = re.compile(
    r"\b(?:buy|order|purchase|get)\b[^.!?\n]{0,40}\b" + MEDICINES + r"\b[^.!?\n]{0,40}\b(?:online|cheap\w*|"
    r"discount\w*|overnight|no questions)\b"
    r"|\b(?:cheap|discount|discounted|generic)\s+" + MEDICINES + r"\b[^.!?\n]{0,40}\b(?:online|here|buy|order)\b",
    re.IGNORECASE,
)
# Host names that advertise pills, pharmacy or prescriptions ("cheap-rx-meds.example", "pharmapills.biz").
SELLER_HOST = re.compile(r"(?:pharm|rx|meds|pill|drugstore|apotheke|chemist|opioid|naltrex|vivitrol|oxy|"
                         r"fentanyl|tramadol)", re.IGNORECASE)
# Public-health hosts are never sellers, however they are spelt (nhs.uk, medlineplus.gov...).
TRUSTED_HOST_SUFFIXES = (".gov", ".gov.uk", ".nhs.uk", ".gov.au", ".govt.nz", ".gc.ca", ".europa.eu", ".who.int",
                         ".nih.gov")
_HOST_IN_TEXT = re.compile(r"(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})\b",
                           re.IGNORECASE)


def _hosts(source: str) -> set[str]:
    hosts: set[str] = set()
    for match in _HOST_IN_TEXT.finditer(source):
        host = match.group(1).lower()
        if match.group(0).lower().startswith("http"):
            host = (urlsplit(match.group(0)).hostname or host).lower()
        hosts.add(host)
    return hosts


def is_trusted_host(host: str) -> bool:
    return any(host == suffix[1:] or host.endswith(suffix) for suffix in TRUSTED_HOST_SUFFIXES)


def seller_host(source: str) -> str | None:
    """The first linked or written host name that looks like an online pill seller, if any."""
    for host in sorted(_hosts(source)):
        if not is_trusted_host(host) and SELLER_HOST.search(host):
            return host
    return None


def looks_like_seller(source: str) -> bool:
    """Does the text offer prescription medicine without prescription, or link to a pill seller?"""
    if seller_host(source):
        return True
    if _BUY_ONLINE.search(source):
        return True
    return bool(_NO_PRESCRIPTION.search(source) and (_SELLING.search(source) or _hosts(source)))
