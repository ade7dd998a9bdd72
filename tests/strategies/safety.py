"""Hypothesis strategies for the safety core: screening inputs (valid and hostile), lab results, free text."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from naltrack.clinical.labs import LIVER_TESTS, LabResult
from naltrack.clinical.screening import SCREENING_FIELDS

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2060, 12, 31)

_flags = st.none() | st.booleans()

# Every field within the values a real record can hold (None = not recorded).
_VALID_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "opioid_last_use_days_ago": st.none() | st.integers(0, 400) | st.floats(0, 400),
    "opioid_type": st.none() | st.sampled_from(["short_acting", "methadone", "buprenorphine", "none"]),
    "currently_taking_opioids": _flags,
    "needs_opioid_analgesia": _flags,
    "urine_opioid_screen": st.none() | st.sampled_from(["negative", "positive", "not_done"]),
    "naloxone_challenge": st.none() | st.sampled_from(["passed", "failed", "not_done"]),
    "cows_score": st.none() | st.integers(0, 48),
    "alt": st.none() | st.floats(0, 5000),
    "ast": st.none() | st.floats(0, 5000),
    "alt_uln": st.none() | st.floats(1, 100),
    "ast_uln": st.none() | st.floats(1, 100),
    "acute_hepatitis": _flags,
    "liver_failure": _flags,
    "pregnant": _flags,
    "hypersensitivity": _flags,
    "egfr": st.none() | st.floats(1, 200),
    "platelets": st.none() | st.floats(0, 1000),
    "anticoagulated": _flags,
    "bmi": st.none() | st.floats(10, 150),
}


@st.composite
def screening_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A valid screening input as JSON would carry it: required fields plus any subset of the rest."""
    data: dict[str, Any] = {
        "indication": draw(st.sampled_from(["alcohol", "opioid"])),
        "formulation": draw(st.sampled_from(["oral", "injection"])),
    }
    for name in draw(st.lists(st.sampled_from(sorted(_VALID_FIELDS)), unique=True)):
        value = draw(_VALID_FIELDS[name])
        if value is not None or draw(st.booleans()):  # sometimes an explicit null
            data[name] = value
    return data


# Anything JSON (or a careless caller) can put in a field: wrong types, huge numbers, NaN, infinity, unicode.
hostile_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**300, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
    | st.sampled_from(["alcohol", "opioid", "oral", "injection", "none", "passed", "NaN", "", "∞", "٣"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=3,
)


@st.composite
def hostile_screening_dicts(draw: st.DrawFn) -> dict[Any, Any]:
    """A dict mixing real field names, random keys and hostile values, often starting from a valid input."""
    data: dict[Any, Any] = draw(screening_dicts()) if draw(st.booleans()) else {}
    keys = st.sampled_from(SCREENING_FIELDS) | st.text(max_size=12)
    for key in draw(st.lists(keys, max_size=4)):
        data[key] = draw(hostile_values)
    return data


@st.composite
def lab_results(draw: st.DrawFn, start: date = FIRST_DAY, end: date = LAST_DAY) -> LabResult:
    """One liver-test result with a plausible ULN, on a day in [start, end]."""
    days = (end - start).days
    return LabResult(
        test=draw(st.sampled_from(LIVER_TESTS)),
        value=draw(st.floats(0, 5000)),
        uln=draw(st.floats(0.1, 200)),
        taken_on=start + timedelta(days=draw(st.integers(0, days))),
    )


days_in_range = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)

# Words the triage patterns key on, mixed with everyday words, negations and question words.
TRIAGE_WORDS = (
    "i", "my", "me", "he", "she", "not", "no", "don't", "can", "can't", "if", "will", "is", "are", "it",
    "the", "a", "and", "but", "so", "what", "how", "naltrexone", "shot", "injection", "site", "pill",
    "yellow", "eyes", "skin", "dark", "urine", "pee", "pain", "under", "right", "ribs", "upper", "belly",
    "hot", "swollen", "pus", "lump", "getting", "bigger", "black", "breathe", "breathing", "short", "of",
    "breath", "cough", "fever", "kill", "myself", "end", "all", "want", "to", "die", "live", "suicidal",
    "took", "too", "many", "overdosed", "unconscious", "blue", "lips", "face", "swelling", "hives", "over",
    "tired", "unusually", "nausea", "headache", "dizzy", "withdrawal", "after", "dose", "put", "into",
    "past", "block", "jaundice", "depressed", "sore", "vomiting", "sleepy", "anxious", "cause", "?", ".",
    ",", "!", "yellow card", "side effects", "liver", "hurt",
    # Opioid use and overdose signs (the opioid_use rule), with history and stopping words around them.
    "used", "took", "smoked", "shot up", "relapsed on", "heroin", "fent", "oxy", "dope", "gear", "methadone",
    "some", "pills", "drowsy", "nodding", "off", "passed out", "someone", "years", "ago", "before starting",
    "stopped", "last night",
)


@st.composite
def triage_texts(draw: st.DrawFn) -> str:
    """Sentences built from triage vocabulary (to reach the patterns) or arbitrary unicode text."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(max_size=200))
    words = draw(st.lists(st.sampled_from(TRIAGE_WORDS), min_size=1, max_size=20))
    return " ".join(words)


# Reports of opioid use, and of use with sedation, built from parts (any combination is a report).
_SUBJECTS = ("I", "I just", "my friend", "he", "she", "my partner", "we", "I've", "i", "My brother")
_USE_VERBS = ("used", "took", "smoked", "snorted", "injected", "shot up", "did", "popped", "relapsed on")
_AMOUNTS = ("", "some", "a bit of", "a couple of bags of", "a lot of", "my usual", "more")
_REPORT_NAMES = ("heroin", "fentanyl", "fent", "oxy", "oxycodone", "morphine", "methadone", "bupe", "codeine",
                 "tramadol", "percs", "dope", "gear", "hydrocodone", "opiates")
_WHEN = ("", "last night", "an hour ago", "after my shot", "after missing my tablets", "since stopping naltrexone",
         "again", "tonight")
_SEDATION = ("I'm very drowsy", "now I can't stay awake", "he keeps nodding off", "she is really sleepy",
             "I passed out", "his breathing is slow", "I can't keep my eyes open", "she won't wake up",
             "I feel so groggy", "he is barely breathing")


@st.composite
def opioid_use_reports(draw: st.DrawFn) -> str:
    """A first- or third-person report of using an opioid, e.g. "my friend took some oxy last night"."""
    parts = (draw(st.sampled_from(_SUBJECTS)), draw(st.sampled_from(_USE_VERBS)), draw(st.sampled_from(_AMOUNTS)),
             draw(st.sampled_from(_REPORT_NAMES)), draw(st.sampled_from(_WHEN)))
    return " ".join(part for part in parts if part)


@st.composite
def opioid_overdose_reports(draw: st.DrawFn) -> str:
    """A report of opioid use followed by sedation or a breathing or waking sign, in one or two sentences."""
    joint = draw(st.sampled_from((" and ", ", ", ". ", " and now ")))
    return draw(opioid_use_reports()) + joint + draw(st.sampled_from(_SEDATION))


# Plain questions about an opioid: never urgent ({name}: any opioid name naltrack knows).
OPIOID_QUESTION_TEMPLATES = (
    "Can I take {name} on naltrexone?",
    "How long after {name} can I start naltrexone?",
    "Does naltrexone block {name}?",
    "What happens if I use {name} on the shot?",
    "Is it safe to take {name} while on vivitrol?",
    "How soon after stopping {name} can I have the injection?",
    "Will {name} work if I am on naltrexone?",
    "What is {name}?",
)
