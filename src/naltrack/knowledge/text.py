"""Plain text for the Ask engine: Markdown stripping, sentences, tokens and a light stemmer.

Everything here is deterministic string work with the standard library only, so the
index can be rebuilt anywhere and the query path stays fast.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words that carry no topic on their own: question scaffolding, pronouns, auxiliaries.
# "not" and "no" are here too: they matter to a reader, but as search terms they match
# nearly every passage and only add noise to the ranking.
_STOP_WORD_LIST = """
    a about above after again against all am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn
    doing don dont down during each either else ever every few for from further get gets
    got had hadn has hasn have haven having he her here hers herself him himself his how
    however i if im in into is isn it its itself ive just let lets like may me might mine
    more most much must my myself need needs no nor not now of off often on once one only
    or other ought our ours ourselves out over own please same shall she should shouldn so
    some such tell than that thats the their theirs them themselves then there these they
    this those through thus to too under until up upon us very was wasn we were weren what
    whats when where whether which while who whom whose why will with won wont would
    wouldn yes yet you your youre yours yourself yourselves ll re ve s t d m
    also already anyone anything actually really since something someone still thing things
    wondering know okay ok hi hello thanks thank maybe even kind sort lot lots
    vs versus mention mentioned mean means meaning explain heard hear told curious
    exactly actually basically honestly literally seriously anyway anyways guess think thinks
    thought wonder wondered sure supposed gonna wanna gotta theres heres hows whys isnt arent
    doesnt didnt cant couldnt shouldnt wouldnt havent hasnt idk pls plz u ur happen happens
    happened another take takes taking took yesterday today tonight tomorrow
"""
STOP_WORDS = frozenset(_STOP_WORD_LIST.split())

_APOSTROPHES = re.compile(r"['’ʼ`]")
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_VOWEL = re.compile(r"[aeiouy]")

# (suffix, replacement, shortest stem allowed). Longest suffixes first; the first that
# applies wins. A deliberately small rule set: enough to fold plurals, verb forms and the
# common noun/adjective endings of a medication guide onto one stem.
_SUFFIX_RULES: tuple[tuple[str, str, int], ...] = (
    ("ational", "ate", 3),
    ("ization", "ize", 3),
    ("fulness", "", 3),
    ("fully", "", 3),
    ("ful", "", 3),
    ("iveness", "ive", 3),
    ("ations", "ate", 3),
    ("ation", "ate", 3),
    ("ments", "", 4),
    ("ment", "", 4),
    ("nesses", "", 3),
    ("ness", "", 3),
    ("ingly", "", 3),
    ("edly", "", 3),
    ("ings", "", 3),
    ("ing", "", 2),
    ("riptions", "rib", 3),
    ("ription", "rib", 3),
    ("ions", "", 4),
    ("ion", "", 4),
    ("ies", "y", 2),
    ("ied", "y", 2),
    ("ives", "", 4),
    ("ive", "", 4),
    ("ally", "", 3),
    ("ly", "", 4),
    ("sses", "ss", 2),
    ("eed", "eed", 1),
    ("ed", "", 2),
    ("als", "", 3),
    ("al", "", 3),
    ("s", "", 3),
)
_KEEP_FINAL_S = ("ss", "us", "is", "as", "os")
_UNDOUBLE_AFTER = frozenset({"ing", "ed", "ings", "edly", "ingly"})


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Fold a lower-case word onto a short stem (plurals, -ing/-ed, -ation, -ive, -ly, -al...)."""
    if len(word) <= 2 or not word.isalpha():
        return word
    for suffix, replacement, shortest in _SUFFIX_RULES:
        if not word.endswith(suffix):
            continue
        root = word[: len(word) - len(suffix)]
        if suffix == "s" and word.endswith(_KEEP_FINAL_S):
            break
        if len(root) < shortest or not _VOWEL.search(root):
            break
        if suffix.startswith("ion") and not root.endswith(("s", "t")):
            break
        word = root + replacement
        if (
            suffix in _UNDOUBLE_AFTER
            and len(word) >= 3
            and word[-1] == word[-2]
            and word[-1] not in "lsz"
            and word[-1] not in "aeiou"
        ):
            word = word[:-1]
        break
    if len(word) >= 3 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lower-case word tokens of a text, apostrophes folded away ("car's" -> "cars")."""
    return _WORD.findall(_APOSTROPHES.sub("", text.lower()))


def tokenize(text: str) -> list[str]:
    """Stemmed content tokens of a text: words minus stop words, each through `stem`."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS]


# --- answer types ------------------------------------------------------------------------
# What kind of answer a question asks for ("how long" wants a span of time, "what dose" an
# amount) and where a text holds one: the classic expected-answer-type idea of question
# answering, kept to a few regular expressions. The engine adds one token per type to passages
# and sentences that hold such an answer, and to questions that ask for one.

_NUMBER_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen|a few|several)"
_NUMBER = rf"(?:\d+(?:[.,]\d+)?|{_NUMBER_WORD})"
_ANSWER_IN_TEXT: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "duration",
        re.compile(
            rf"\b{_NUMBER}(?:\s*(?:to|-|–|or|and)\s*{_NUMBER})?[\s-]*(?:minutes?|hours?|days?|weeks?|months?|years?)\b",
            re.IGNORECASE,
        ),
    ),
    ("amount", re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:mg|g|ml|micrograms?|milligrams?)\b", re.IGNORECASE)),
    ("year", re.compile(r"\b(?:19|20)\d\d\b")),
    ("evidence", re.compile(r"\b(?:evidence|stud(?:y|ies)|trials?|research)\b", re.IGNORECASE)),
    (
        "frequency",
        re.compile(
            r"\bevery\s+(?:\d+\s+|second\s+|third\s+)?(?:day|week|month|hours?|days|weeks|months)\b"
            r"|\bonce\s+(?:a|every)\b|\btimes\s+a\b|\b(?:daily|weekly|monthly)\b",
            re.IGNORECASE,
        ),
    ),
)
_ANSWER_ASKED: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "duration",
        re.compile(
            r"\bhow\s+(?:long|soon)\b|\bhow\s+many\s+(?:minutes|hours|days|weeks|months|years)\b"
            r"|\bhow\s+much\s+time\b|\bwhen\s+(?:can|could|should|do|does|must|will|may)\b|\bwait\b",
            re.IGNORECASE,
        ),
    ),
    (
        "amount",
        re.compile(
            r"\bhow\s+(?:much|many\s+(?:mg|milligrams|tablets|pills))\b(?!\s+time)"
            r"|\b(?:what|which|usual|normal|daily|starting|right)\s+(?:dose|dosage|strength)\b|\bdose\s+of\b",
            re.IGNORECASE,
        ),
    ),
    ("year", re.compile(r"\b(?:what|which)\s+year\b|\bwhen\s+(?:was|were|did)\b", re.IGNORECASE)),
    ("frequency", re.compile(r"\bhow\s+often\b|\bhow\s+many\s+times\b", re.IGNORECASE)),
    (
        "evidence",
        re.compile(
            r"(?<!how )\b(?:does|do|did|will|would|can)\s+(?:\w+\s+){1,4}(?:really\s+|actually\s+)?work\b"
            r"|\beffective\b|\bhow\s+well\b|\bproven\b|\bevidence\b",
            re.IGNORECASE,
        ),
    ),
)


def answer_types_in(text: str) -> list[str]:
    """The kinds of answer a text holds: "duration" for "7 to 10 days", "amount" for "50 mg"..."""
    return [kind for kind, pattern in _ANSWER_IN_TEXT if pattern.search(text)]


def answer_types_asked(question: str) -> list[str]:
    """The kinds of answer a question asks for: "how long" asks for a duration, and so on."""
    return [kind for kind, pattern in _ANSWER_ASKED if pattern.search(question)]


# --- Markdown to plain text ---------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"`+([^`]*)`+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_BLOCKQUOTE = re.compile(r"^\s*>\s?")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HORIZONTAL_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_SPACES = re.compile(r"[ \t\u00a0]+")
_TERMINAL = (".", "!", "?", ":", ";")


def _inline_to_text(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _TAG.sub("", line)
    line = _CODE.sub(r"\1", line)
    for _ in range(2):  # nested emphasis such as ***bold italic***
        line = _EMPHASIS.sub(r"\2", line)
    return _SPACES.sub(" ", line).strip()


def _as_sentence(text: str) -> str:
    """Close a list item or table row with a full stop so it reads as its own sentence."""
    return text if not text or text.endswith(_TERMINAL) else text + "."


def markdown_to_text(markdown: str) -> str:
    """Plain prose from Markdown: markup removed, list items and table rows as sentences."""
    markdown = _FENCE.sub("", markdown)
    markdown = _HTML_COMMENT.sub("", markdown)
    paragraphs: list[str] = []
    current: list[str] = []

    def close_paragraph() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for raw in markdown.splitlines():
        if not raw.strip() or _HORIZONTAL_RULE.match(raw) or _TABLE_RULE.match(raw):
            close_paragraph()
            continue
        line = _BLOCKQUOTE.sub("", raw)
        heading = _HEADING.match(line)
        if heading:
            close_paragraph()
            paragraphs.append(_as_sentence(_inline_to_text(heading.group(1))))
            continue
        if line.lstrip().startswith("|"):
            close_paragraph()
            cells = [_inline_to_text(cell) for cell in line.strip().strip("|").split("|")]
            paragraphs.append(_as_sentence("; ".join(cell for cell in cells if cell)))
            continue
        if _LIST_ITEM.match(line):
            close_paragraph()
            current.append(_inline_to_text(_LIST_ITEM.sub("", line)))
            close_paragraph()
            paragraphs[-1] = _as_sentence(paragraphs[-1])
            continue
        current.append(_inline_to_text(line))
    close_paragraph()
    return "\n".join(paragraph for paragraph in paragraphs if paragraph.strip(" ."))


# --- sentences ----------------------------------------------------------------------------

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATION_LIST = "e.g i.e etc vs approx dr mr mrs ms st fig cf al ca u.s u.k min max incl"
_ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
# A sentence may start in lower case: naltrack writes its own name that way.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“(\[]?[^\W_])")


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences, keeping abbreviations such as "e.g." inside them."""
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            candidate = paragraph[start : match.start()].rstrip()
            last_word = candidate.rsplit(" ", 1)[-1].rstrip(".!?").lower()
            if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
                continue
            sentences.append(candidate)
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences
