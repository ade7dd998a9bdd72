"""Side-effect triage: a symptom checklist and free text -> urgency, plain next steps, clinician flag.

Urgency follows the naltrexone labels: signs of a severe allergic reaction, overdose, or thoughts of
self-harm are emergencies (S46, S40, S18); signs of liver injury (S1, S13), a severe injection-site
reaction (S35, S50), breathlessness with cough or fever after the injection (eosinophilic pneumonia, S40)
and precipitated withdrawal (S1, S46) are urgent; the common side effects (S2, S35) are routine.

Opioid use is read as a rule of its own, because the labels warn that people on or after naltrexone are
vulnerable to overdose: tolerance is lost after detox (S2), fatal overdoses followed use at the end of an
injection's interval, after a missed dose or after stopping, and trying to overcome the block can be
fatal (S46, S49). A report of using an opioid is urgent; the same report with sleepiness, nodding off,
passing out or slow breathing (or any breathing, waking or overdose emergency) is a possible opioid
overdose, an emergency. Questions ("can I take codeine on naltrexone?"), negations ("I have not used
heroin") and history ("I used heroin for 10 years before starting") are not reports.

``triage_text`` is the shared free-text reader (the ask engine and the forum call it on every message):
precompiled patterns, no compilation per call. It reports a symptom only when the text reports having
it: a general question ("Can naltrexone cause dark urine?") or a negation ("no yellow eyes") does not
fire, while crisis language ("I want to end it all") always does.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from naltrack.clinical.emergency import EmergencyContacts, contacts_for
from naltrack.clinical.sources import cite
from naltrack.clinical.triage_phrases import (  # noqa: F401  (OPIOID_*: public names of triage)
    HISTORY,
    NOT_USE_BEFORE,
    OPIOID_AMBIGUOUS_NAMES,
    OPIOID_NAMES,
    OPIOID_STREET_NAMES,
    OVERDOSE_SIGNS,
    PATTERNS,
    SOMEONE,
    TIME_CLAUSE_BEFORE,
    UNNAMED_PILLS,
    Pattern,
)


class Urgency(enum.StrEnum):
    """How soon to act, most urgent first."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"
    NONE = "none"


_RANK = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2, Urgency.NONE: 3}


class TriageInputError(ValueError):
    """A triage request naltrack cannot read (an unknown symptom code or formulation)."""


@dataclass(frozen=True, slots=True)
class Symptom:
    """One checklist item: a stable code, the patient's words for it, its urgency and its source."""

    code: str
    label: str
    urgency: Urgency
    source: str
    is_crisis: bool = False
    injection_only: bool = False


SYMPTOMS: tuple[Symptom, ...] = (
    # Emergencies.
    Symptom("self_harm", "Thoughts of hurting yourself or ending your life", Urgency.EMERGENCY,
            cite("S18"), is_crisis=True),
    Symptom("severe_allergic_reaction", "Swelling of the face, lips, tongue or throat, or hives all over",
            Urgency.EMERGENCY, cite("S46")),
    Symptom("breathing_emergency", "Trouble breathing, or breathing that is very slow or has stopped",
            Urgency.EMERGENCY, cite("S46")),
    Symptom("overdose", "Took too much of a medicine, alcohol or drug", Urgency.EMERGENCY, cite("S46")),
    Symptom("unresponsive", "Someone cannot be woken up or is unconscious", Urgency.EMERGENCY, cite("S46")),
    Symptom("blue_lips", "Lips or fingertips turning blue", Urgency.EMERGENCY, cite("S46")),
    Symptom("overcoming_blockade", "Used (or plan to use) opioids to get past the naltrexone block",
            Urgency.EMERGENCY, cite("S49")),
    Symptom("opioid_overdose_signs",
            "Used opioids and now very sleepy, nodding off, hard to wake or breathing slowly (possible overdose)",
            Urgency.EMERGENCY, cite("S46")),
    # Urgent: tell the clinic today.
    Symptom("jaundice", "Yellow skin or yellow whites of the eyes", Urgency.URGENT, cite("S1")),
    Symptom("dark_urine", "Dark urine (pee the colour of tea or cola)", Urgency.URGENT, cite("S1")),
    Symptom("right_upper_abdominal_pain", "Pain in the upper right belly, under the ribs", Urgency.URGENT,
            cite("S1")),
    Symptom("unusual_tiredness", "Unusual or extreme tiredness that does not go away", Urgency.URGENT,
            cite("S1")),
    Symptom("injection_site_severe",
            "The injection site is hot, very swollen, oozing or has pus, a growing lump, or dark skin",
            Urgency.URGENT, cite("S50"), injection_only=True),
    Symptom("breathless_with_cough_or_fever", "Short of breath with a cough or fever after the injection",
            Urgency.URGENT, cite("S40")),
    Symptom("breathlessness", "Short of breath", Urgency.URGENT, cite("S40")),
    Symptom("precipitated_withdrawal", "Sudden withdrawal (sweats, shaking, vomiting, aches) after a dose",
            Urgency.URGENT, cite("S46")),
    Symptom("low_mood", "New or worse low mood, or feeling hopeless", Urgency.URGENT, cite("S18")),
    Symptom("opioid_use", "Used opioids (heroin, fentanyl, pills or others) on naltrexone or after stopping it",
            Urgency.URGENT, cite("S2")),
    # Routine: common side effects.
    Symptom("nausea", "Feeling sick (nausea)", Urgency.ROUTINE, cite("S2")),
    Symptom("vomiting", "Being sick (vomiting)", Urgency.ROUTINE, cite("S2")),
    Symptom("headache", "Headache", Urgency.ROUTINE, cite("S2")),
    Symptom("dizziness", "Dizziness", Urgency.ROUTINE, cite("S2")),
    Symptom("fatigue", "Feeling tired", Urgency.ROUTINE, cite("S2")),
    Symptom("trouble_sleeping", "Trouble sleeping", Urgency.ROUTINE, cite("S2")),
    Symptom("anxiety", "Feeling anxious or nervous", Urgency.ROUTINE, cite("S2")),
    Symptom("sleepiness", "Feeling sleepy or drowsy", Urgency.ROUTINE, cite("S2")),
    Symptom("joint_muscle_pain", "Joint or muscle aches", Urgency.ROUTINE, cite("S2")),
    Symptom("injection_site_tenderness",
            "Soreness, bruising, redness or a small lump where the injection went in", Urgency.ROUTINE,
            cite("S35"), injection_only=True),
)

SYMPTOMS_BY_CODE: dict[str, Symptom] = {symptom.code: symptom for symptom in SYMPTOMS}

_OVERDOSE_CODES = frozenset({"overdose", "overcoming_blockade", "unresponsive", "blue_lips", "opioid_overdose_signs"})
# Emergencies that, with a report of opioid use, make it a possible opioid overdose (S46, S49).
_OVERDOSE_SIGN_CODES = frozenset({"overdose", "breathing_emergency", "unresponsive", "blue_lips"})
_LIVER_CODES = frozenset({"jaundice", "dark_urine", "right_upper_abdominal_pain", "unusual_tiredness"})


@dataclass(frozen=True, slots=True)
class TextTriage:
    """What free text reports: urgency, recognised codes, plain next steps, and whether it is a crisis."""

    urgency: Urgency
    codes: tuple[str, ...]  # what was recognised, e.g. ("self_harm",), ("jaundice", "dark_urine")
    advice: tuple[str, ...]  # plain next steps; advice[0] says what to do now; () when NONE
    is_crisis: bool  # suicide/self-harm/crisis language (the forum holds such posts)
    sources: tuple[str, ...]

    @property
    def is_urgent(self) -> bool:
        return self.urgency in (Urgency.EMERGENCY, Urgency.URGENT)


@dataclass(frozen=True, slots=True)
class TriageResult:
    """A side-effect report's urgency, what was recognised, next steps, and whether it flags the clinician."""

    urgency: Urgency
    codes: tuple[str, ...]
    next_steps: tuple[str, ...]  # next_steps[0] says what to do now; () when NONE
    flags_clinician: bool  # emergency and urgent reports go to the clinician's caseload
    is_crisis: bool
    sources: tuple[str, ...]


class _Use(enum.Enum):
    """How a clause speaks of using an opioid."""

    REPORT = "report"  # "I used heroin last night"
    MENTION = "mention"  # a question or hypothetical about someone: "what if someone used heroin and ..."
    NOT_USE = "not use"  # negated, stopped, only thought of, or history


def _read_opioid_use(clause: _Clause, start: int, end: int) -> _Use:
    """How the match at ``start:end`` of ``clause`` speaks of using an opioid."""
    kinds = _cue_kinds(clause, start)
    before = clause.text[max(0, start - 40):start]
    segment_start = max((at for at in clause.breaks if at <= start), default=0)
    segment_end = min((at for at in clause.breaks if at > end), default=len(clause.text))
    if ("negation" in kinds or NOT_USE_BEFORE.search(before)
            or HISTORY.search(clause.text, segment_start, segment_end)):
        return _Use.NOT_USE
    is_question = clause.is_question_or_general()
    if not (is_question and TIME_CLAUSE_BEFORE.search(before)) and (
            ("report" in kinds and "hypothetical" not in kinds)
            or ("hypothetical" not in kinds and not is_question)):
        return _Use.MENTION if UNNAMED_PILLS.search(clause.text, start, end) else _Use.REPORT
    if "report" in kinds or SOMEONE.search(clause.text, segment_start, start):
        return _Use.MENTION
    return _Use.NOT_USE


# Sedation, or a breathing or waking emergency, that with opioid use may be an overdose (S46): it counts
# unless negated, even in a question ("I used heroin, is it normal to feel this sleepy?").
# Patterns are compiled when a text first needs them, not at import: a fresh `naltrack ask` triages one
# question, whose words usually select none or a few of them (bench/bench_ask.py times the cold start).
_COMPILED: dict[int, re.Pattern[str]] = {}


def _regex(number: int) -> re.Pattern[str]:
    """The compiled pattern ``number`` of PATTERNS."""
    regex = _COMPILED.get(number)
    if regex is None:
        regex = _COMPILED[number] = re.compile(PATTERNS[number].source)
    return regex


_PREFIX_KEY = 4  # prefix anchors are looked up by their first four letters (every prefix has at least four)


def _index_anchors() -> tuple[dict[str, frozenset[int]], dict[str, tuple[tuple[str, int], ...]]]:
    exact: dict[str, set[int]] = {}
    prefixes: dict[str, list[tuple[str, int]]] = {}
    for number, pattern in enumerate(PATTERNS):
        for anchor in pattern.anchors:
            if anchor.endswith("*"):
                stem = anchor[:-1]
                if len(stem) < _PREFIX_KEY:
                    raise ValueError(f"prefix anchor {anchor!r} is shorter than {_PREFIX_KEY} letters")
                prefixes.setdefault(stem[:_PREFIX_KEY], []).append((stem, number))
            else:
                exact.setdefault(anchor, set()).add(number)
    return ({word: frozenset(numbers) for word, numbers in exact.items()},
            {key: tuple(stems) for key, stems in prefixes.items()})


# Which patterns can match, by the words of the text: most messages (ordinary questions) contain no
# anchor word and stop after one tokenising pass, and the rest run only the patterns they could match.
_BY_WORD, _BY_PREFIX = _index_anchors()
_WORD = re.compile(r"[a-z]+")
_COUGH_OR_FEVER = re.compile(r"\b(?:cough\w*|fever\w*|feverish|temperature|temp|chills|shivers)\b")
_CLAUSE = re.compile(r"[^.!?;:\n]+[.!?;:\n]*")
# Cue words in the stretch of a clause just before a match: a negation, a first- or third-person report
# ("my", "he"), or a hypothetical ("if", "can", "would"); and the words (or commas) that start a new
# stretch ("but", "and"). Looked up word by word in one pass over the clause.
_NEGATION_WORDS = (
    "no", "not", "never", "without", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "haven't",
    "havent", "hasn't", "hasnt", "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt", "weren't", "werent",
    "nor", "neither", "denies", "deny", "zero", "none",
)
_REPORT_WORDS = (
    "i", "i'm", "im", "i've", "ive", "i'd", "my", "me", "we", "we're", "our", "he", "he's", "she", "she's",
    "they", "they're", "his", "her", "their", "mine",
)
_HYPOTHETICAL_WORDS = (
    "if", "whether", "suppose", "supposing", "would", "could", "might", "can", "will", "should", "ever",
    "may", "does", "do", "possible", "possibly",
)
_BREAK_WORDS = (",", "but", "though", "although", "however", "yet", "and", "so")
_CUE_WORDS: dict[str, str] = {
    **dict.fromkeys(_NEGATION_WORDS, "negation"),
    **dict.fromkeys(_REPORT_WORDS, "report"),
    **dict.fromkeys(_HYPOTHETICAL_WORDS, "hypothetical"),
    **dict.fromkeys(_BREAK_WORDS, "break"),
}
_TOKEN = re.compile(r"[a-z']+|,")
_QUESTION_START = re.compile(r"\s*(?:can|could|does|do|will|would|is|are|should|what|how|why|when|which|who|"
                             r"may|might|did|has|have)\b")
_GENERAL = re.compile(r"\b(?:cause|causes|causing|side effects?|risks?|signs?|symptoms?|such as|include|"
                      r"includes|"
                      r"including|mean|means|what is|what are|what's|tell me|learn|information|info|article|"
                      r"read|warnings?|common|rare|list|normal to have|look out for|watch for|watch out)\b")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


class _Clause:
    """One clause of the text with its cue words and segment breaks, found once and shared by all matches."""

    __slots__ = ("_general", "breaks", "cues", "start", "text")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start
        self.breaks: list[int] = []
        self.cues: list[tuple[int, str]] = []
        for token in _TOKEN.finditer(text):
            kind = _CUE_WORDS.get(token.group())
            if kind == "break":
                self.breaks.append(token.end())
            elif kind is not None:
                self.cues.append((token.start(), kind))
        self._general: bool | None = None

    def is_question_or_general(self) -> bool:
        if self._general is None:
            self._general = (self.text.rstrip().endswith("?") or _QUESTION_START.match(self.text) is not None
                             or _GENERAL.search(self.text) is not None)
        return self._general


def _cue_kinds(clause: _Clause, start_in_clause: int) -> set[str]:
    """The kinds of cue words in the stretch of the clause just before a match (back to a break)."""
    segment_start = max((end for end in clause.breaks if end <= start_in_clause), default=0)
    segment_start = max(segment_start, start_in_clause - 60)
    return {kind for at, kind in clause.cues if segment_start <= at < start_in_clause}


def _reports_symptom(clause: _Clause, start_in_clause: int, pattern: Pattern) -> bool:
    """Whether a match inside ``clause`` reports having the symptom (not a question, negation or aside)."""
    if pattern.is_strong and not pattern.is_negatable:
        return True
    kinds = _cue_kinds(clause, start_in_clause)
    if "negation" in kinds and pattern.is_negatable:
        return False
    if pattern.is_strong:
        return True
    if "report" in kinds and "hypothetical" not in kinds:
        return True
    return "hypothetical" not in kinds and not clause.is_question_or_general()


def _clause_at(lowered: str, position: int, spans: list[tuple[int, int]], starts: list[int],
               clauses: dict[int, _Clause]) -> _Clause:
    """The clause around ``position``, built once per text and shared by every match inside it."""
    index = max(0, bisect_right(starts, position) - 1)
    clause = clauses.get(index)
    if clause is None:
        start, end = spans[index] if spans else (0, len(lowered))
        clause = clauses[index] = _Clause(lowered[start:end], start)
    return clause


def _mentions_overdose_signs(lowered: str, spans: list[tuple[int, int]], starts: list[int],
                             clauses: dict[int, _Clause]) -> bool:
    """Whether the text speaks of sedation or a breathing or waking emergency, not negated."""
    for match in OVERDOSE_SIGNS.finditer(lowered):
        clause = _clause_at(lowered, match.start(), spans, starts, clauses)
        if "negation" not in _cue_kinds(clause, match.start() - clause.start):
            return True
    return False


def _candidate_patterns(lowered: str) -> list[int]:
    """Indexes of the patterns whose anchor words occur in the text."""
    numbers: set[int] = set()
    for word in set(_WORD.findall(lowered.replace("'", ""))):
        hit = _BY_WORD.get(word)
        if hit:
            numbers.update(hit)
        for prefix, number in _BY_PREFIX.get(word[:_PREFIX_KEY], ()):
            if word.startswith(prefix):
                numbers.add(number)
    return sorted(numbers)


def _recognise(text: str, *, use_index: bool = True) -> list[str]:
    """The codes the text reports, most urgent first, each once (use_index=False: try every pattern)."""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = lowered.translate(_APOSTROPHES)
    numbers = _candidate_patterns(lowered) if use_index else list(range(len(PATTERNS)))
    if not numbers:
        return []
    spans = [(m.start(), m.end()) for m in _CLAUSE.finditer(lowered)]
    starts = [start for start, _ in spans]
    clauses: dict[int, _Clause] = {}
    found: dict[str, int] = {}
    mentioned_use: int | None = None  # where a question or hypothetical speaks of someone using an opioid
    for number in numbers:
        pattern = PATTERNS[number]
        if pattern.code in found:
            continue
        for match in _regex(number).finditer(lowered):
            if pattern.is_strong and not pattern.is_negatable:
                found[pattern.code] = match.start()
                break
            clause = _clause_at(lowered, match.start(), spans, starts, clauses)
            start_in_clause = match.start() - clause.start
            if pattern.code == "opioid_use":
                use = _read_opioid_use(clause, start_in_clause, match.end() - clause.start)
                if use is _Use.REPORT:
                    found[pattern.code] = match.start()
                    break
                if use is _Use.MENTION and mentioned_use is None:
                    mentioned_use = match.start()
            elif _reports_symptom(clause, start_in_clause, pattern):
                found[pattern.code] = match.start()
                break
    use_at = found.get("opioid_use", mentioned_use)
    if use_at is not None and (_OVERDOSE_SIGN_CODES.intersection(found)
                               or _mentions_overdose_signs(lowered, spans, starts, clauses)):
        # Opioid use with sedation or a breathing, waking or overdose emergency is a possible overdose
        # (S46, S49), even when asked as a question: "what do I do if someone used heroin and is drowsy?"
        found.pop("opioid_use", None)
        found.pop("sleepiness", None)
        found["opioid_overdose_signs"] = use_at
    if "breathlessness" in found and _COUGH_OR_FEVER.search(lowered):
        found["breathless_with_cough_or_fever"] = found.pop("breathlessness")
    if "injection_site_severe" in found:
        found.pop("injection_site_tenderness", None)
    return sorted(found, key=lambda code: (_RANK[SYMPTOMS_BY_CODE[code].urgency], found[code]))


# ---------------------------------------------------------------------------------------------------
# Advice.
# ---------------------------------------------------------------------------------------------------


def _formulation_words(formulation: str | None) -> str:
    if formulation == "injection":
        return "the monthly naltrexone injection"
    if formulation == "oral":
        return "naltrexone tablets"
    return "naltrexone"


def _advice(codes: list[str], urgency: Urgency, contacts: EmergencyContacts,
            formulation: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Plain next steps (first: what to do now) and the sources behind them."""
    if urgency is Urgency.NONE:
        return (), ()
    steps: list[str] = []
    sources = [SYMPTOMS_BY_CODE[code].source for code in codes]
    call = contacts.emergency_phrase()
    taking = _formulation_words(formulation)
    has = set(codes).__contains__
    if urgency is Urgency.EMERGENCY:
        sources.extend(contacts.sources)
        emergencies = [c for c in codes if SYMPTOMS_BY_CODE[c].urgency is Urgency.EMERGENCY]
        if emergencies == ["self_harm"]:
            steps.append(f"Please get help now: {call} if you are in danger or might act on these thoughts, "
                         f"or {contacts.crisis_phrase()}.")
        elif has("opioid_overdose_signs") and not has("self_harm"):
            # Overdose on or after naltrexone can be fatal (S46, S49; tolerance lost after detox, S2).
            steps.append(f"This may be an opioid overdose: {call} now. If it is you, call now and do not "
                         "stay alone; if it is someone else, stay with them until help arrives.")
            sources.extend([cite("S49"), cite("S2")])
        else:
            # With crisis language the first step stays the plain call to the emergency number: the forum's
            # crisis card shows the numbers itself and then the steps after the first.
            steps.append(f"This is an emergency: {call} now. If it is someone else, stay with them "
                         "until help arrives.")
            if has("opioid_overdose_signs"):
                steps.append("This may be an opioid overdose: if it is you, do not stay alone until help "
                             "arrives.")
                sources.extend([cite("S49"), cite("S2")])
            if has("self_harm"):
                steps.append(f"For thoughts of self-harm you can also {contacts.crisis_phrase()}.")
        if _OVERDOSE_CODES.intersection(codes):
            steps.append("Do not take any more opioids: trying to get past the naltrexone block can cause a "
                         "fatal overdose.")
        if has("severe_allergic_reaction"):
            steps.append("Do not take another dose of naltrexone until a doctor has seen you.")
        if has("opioid_overdose_signs"):
            steps.append(f"Tell the emergency team which opioid was used and when, and that the person is on "
                         f"{taking} or has recently stopped or missed it. Show the medication alert card if "
                         "there is one.")
        else:
            steps.append(f"Tell the emergency team you are on {taking}: it blocks opioid pain relief. "
                         "Show your medication alert card if you have one.")
        sources.extend([cite("S67"), cite("S75")])
    elif urgency is Urgency.URGENT:
        steps.append("Contact your prescriber or clinic today. If you cannot reach them, go to urgent care "
                     "or an emergency department today.")
        if _LIVER_CODES.intersection(codes):
            steps.append("These can be signs of liver injury. If you take naltrexone tablets, do not "
                         "take more until a clinician has checked your liver.")
            sources.append(cite("S13"))
        if has("injection_site_severe"):
            steps.append("Show the injection site to a clinician today; a reaction that keeps getting worse "
                         "may need a surgeon.")
        if has("breathless_with_cough_or_fever") or has("breathlessness"):
            steps.append("Tell them you are on naltrexone: a rare lung reaction to the injection "
                         "(eosinophilic pneumonia) needs treatment. If breathing gets hard, "
                         f"{call} now.")
        if has("precipitated_withdrawal"):
            steps.append("Do not take opioids to ease the withdrawal: naltrexone blocks them, and large "
                         "amounts can cause a fatal overdose.")
            sources.append(cite("S49"))
        if has("opioid_use"):
            # Tolerance is lost after detox (S2); fatal overdoses followed use at the end of an injection's
            # interval, after a missed dose or after stopping, and attempts to overcome the block (S46, S49).
            steps.append("Tell them you have used opioids. On naltrexone, near the end of an injection's month, "
                         "or after stopping or missing doses, your body no longer copes with the amounts it "
                         "used to: an amount you used before can cause a fatal overdose, and so can using more "
                         "to get past the block.")
            steps.append(f"If you or someone with you becomes very sleepy, cannot be woken or breathes slowly, "
                         f"{call} now and stay together until help arrives.")
            sources.extend([cite("S46"), cite("S49"), *contacts.sources])
        if has("low_mood"):
            steps.append(f"If you have thoughts of harming yourself, {call} now or "
                         f"{contacts.crisis_phrase()}.")
            sources.extend(contacts.sources)
    else:
        steps.append("These are common side effects that often settle: mention them at your next visit, "
                     "or call your clinic sooner if they trouble you or get worse.")
        steps.append("Get help the same day for yellow skin or eyes, dark urine, pain under the right ribs, "
                     "or thoughts of self-harm.")
        sources.append(cite("S1"))
    return tuple(steps), tuple(dict.fromkeys(sources))


def _urgency_of(codes: Iterable[str]) -> Urgency:
    urgencies = [SYMPTOMS_BY_CODE[code].urgency for code in codes]
    return min(urgencies, key=_RANK.__getitem__, default=Urgency.NONE)


def triage_text(text: str, *, country: str | None = "US") -> TextTriage:
    """Read free text for red flags and side effects: urgency, codes and plain advice (S1, S2, S18, S46, S49).

    ``country`` picks the emergency numbers in the advice; None means the reader's country is not known
    (an anonymous reader): "your local emergency number" with examples from naltrack.clinical.emergency.
    """
    if not isinstance(text, str):
        raise TriageInputError(f"text must be a string, got {type(text).__name__}")
    codes = _recognise(text)
    urgency = _urgency_of(codes)
    advice, sources = _advice(codes, urgency, contacts_for(country), None)
    return TextTriage(urgency=urgency, codes=tuple(codes), advice=advice, is_crisis="self_harm" in codes,
                      sources=sources)


def triage_report(symptoms: Iterable[str], free_text: str = "", *, formulation: str | None = None,
                  country: str | None = "US") -> TriageResult:
    """Triage a patient's side-effect report: checklist codes plus free text (S1, S2, S35, S40, S46, S50).

    Unknown checklist codes or formulations raise TriageInputError. Emergency and urgent reports flag the
    clinician; the first next step says what to do now, with the country's emergency number.
    """
    if isinstance(symptoms, str):
        raise TriageInputError("symptoms must be a collection of codes, not one string")
    chosen = list(dict.fromkeys(symptoms))
    unknown = [code for code in chosen if not isinstance(code, str) or code not in SYMPTOMS_BY_CODE]
    if unknown:
        raise TriageInputError(f"unknown symptom code {unknown[0]!r}")
    if formulation is not None and formulation not in ("oral", "injection"):
        raise TriageInputError(f"formulation must be 'oral' or 'injection', got {formulation!r}")
    if not isinstance(free_text, str):
        raise TriageInputError(f"free_text must be a string, got {type(free_text).__name__}")
    from_text = _recognise(free_text)
    merged = list(dict.fromkeys([*chosen, *from_text]))
    codes = sorted(merged, key=lambda code: _RANK[SYMPTOMS_BY_CODE[code].urgency])
    urgency = _urgency_of(codes)
    steps, sources = _advice(codes, urgency, contacts_for(country), formulation)
    return TriageResult(urgency=urgency, codes=tuple(codes), next_steps=steps,
                        flags_clinician=urgency in (Urgency.EMERGENCY, Urgency.URGENT),
                        is_crisis="self_harm" in codes, sources=sources)
