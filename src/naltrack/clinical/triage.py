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
from naltrack.clinical.medicines import MEDICINES, PRODUCTS, Category
from naltrack.clinical.sources import cite


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


# ---------------------------------------------------------------------------------------------------
# Free-text patterns. A "strong" pattern is itself a report (crisis language) and fires even inside a
# question; a "weak" pattern is a symptom word that fires only when the clause reports having it.
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Pattern:
    code: str
    source: str  # the regular expression, compiled on first use (see _regex)
    anchors: tuple[str, ...]
    is_strong: bool = False
    is_negatable: bool = True


_FILLER = (r"(?:(?:a bit|a little|kind of|kinda|sort of|slightly|very|really|quite|so|all|super|pretty|more|"
           r"getting|gotten) )*")
_YELLOW = r"(?:yell?ow(?:ish|y)?|yello|yelow)"
_BE = (r"(?:is |are |was |were |look |looks |looking |looked |seem |seems |turned |turning |went |gone |"
       r"going |has gone |have gone |has turned |have turned |got |getting |became |become |has been |"
       r"have been |been )?")
_URINE = r"(?:urine|urin|pee|piss|wee|peepee)"
_SITE = r"(?:injection|inject|shot|jab|vivitrol|viv|buttock|butt cheek|glute)"
_SITE_ANCHORS = "injection inject shot jab vivitrol viv buttock butt glute"
_SITE_SEVERE = (r"(?:hot|burning hot|warm to the touch|swollen|oozing|oozes|ooze|leaking|draining|pus|puss|"
                r"abscess|absess|lump (?:is |that is |that's |keeps )?(?:getting|growing|gotten|got) "
                r"(?:bigger|larger)|growing lump|black|blackened|turning black|dead skin|necrosis|necrotic|"
                r"open (?:wound|sore)|blisters?|blistering|red streaks?|spreading redness|redness (?:is )?"
                r"spreading|infected|infection)")
_SITE_MILD = (r"(?:sore|soreness|tender|tenderness|bruise|bruised|bruising|itchy|itching|itches|red|redness|"
              r"hurts|hurting|painful|aches|aching|lump|bump|hard)")
_BREATHLESS = (r"(?:short(?:ness)? of breath|out of breath|breathless(?:ness)?|winded|"
               r"can'?t catch my breath|wheez\w*)")
_PAIN = r"(?:pain|painful|ache|aches|aching|hurts?|hurting|sore|tender(?:ness)?|cramp\w*)"
_RIGHT_PLACE = r"(?:ribs?|rib cage|belly|abdomen|abdominal|stomach|tummy|quadrant|side)"


def _p(code: str, anchors: str, pattern: str, *, strong: bool = False, negatable: bool = True) -> _Pattern:
    """A pattern for ``code``; every match contains one of ``anchors`` as a word (``word*``: a prefix)."""
    return _Pattern(code, pattern, tuple(anchors.split()), strong, negatable)


# ---------------------------------------------------------------------------------------------------
# Opioid use. The names come from the medicines table (opioid analgesics, opioid treatment, illicit
# opioids, opioid cough remedies and the products containing them), plus street names, including the
# Ask engine's own synonyms (knowledge/data/vocabulary.yaml: dope, smack, gear, fent, bupe, subs...).
# ---------------------------------------------------------------------------------------------------

_OPIOID_CATEGORIES = frozenset({Category.OPIOID_ANALGESIC, Category.OPIOID_TREATMENT, Category.ILLICIT_OPIOID,
                                Category.OPIOID_COUGH_COLD})
# Names that mean an opioid whatever the verb ("had some heroin").
OPIOID_STREET_NAMES = (
    "opioid", "opioids", "opiate", "opiates", "narcotic", "narcotics", "opium", "heroine", "herion", "smack",
    "skag", "scag", "black tar", "china white", "fent", "fenty", "fetty", "fentanil", "fentanyl patch",
    "carfentanil", "nitazene", "nitazenes", "oxy", "oxys", "oxies", "roxy", "roxies", "roxys", "perc", "percs",
    "perk", "perks", "m30", "m30s", "hydros", "vikes", "morph", "bupe", "bupes", "suboxone", "subutex",
    "sublocade", "dilaudid", "dillies", "purple drank", "sizzurp",
)
# Street names that are also everyday words ("gym gear", "subs for lunch", "smoked dope" in the UK):
# they count only after a verb of drug use ("used", "took", "smoked"), never after "had".
OPIOID_AMBIGUOUS_NAMES = ("dope", "gear", "subs")


def _opioid_names() -> tuple[str, ...]:
    """Every opioid name naltrack knows, lower case: the medicines table's opioids and products, street names."""
    names: list[str] = []
    opioids = set()
    for medicine in MEDICINES:
        if medicine.category in _OPIOID_CATEGORIES:
            opioids.add(medicine.name)
            names.extend((medicine.name, *medicine.aliases))
    names.extend(product.name for product in PRODUCTS if opioids.intersection(product.ingredients))
    names.extend(OPIOID_STREET_NAMES)
    return tuple(dict.fromkeys(name.lower() for name in names))


def _name_regex(names: Iterable[str]) -> str:
    """An alternation of names, longest first; spaces and hyphens may be a space, a hyphen or nothing."""
    parts = [re.sub(r"\\[ -]", "[ -]?", re.escape(name)) for name in sorted(set(names), key=len, reverse=True)]
    return "(?:" + "|".join(parts) + ")(?:e?s)?"


def _name_anchors(names: Iterable[str]) -> str:
    """Anchor words for names: the longest word and the name run together, each also with a plural ending
    (every match of ``_name_regex`` contains one of them as a word)."""
    anchors: set[str] = set()
    for name in names:
        longest = max(re.findall(r"[a-z]+", name), key=len)
        joined = re.findall(r"[a-z]+", name.replace(" ", "").replace("-", ""))[0]
        for word in (longest, joined):
            anchors.update((word, word + "s", word + "es"))
    return " ".join(sorted(anchors))


OPIOID_NAMES = _opioid_names()
_STRONG_NAME = _name_regex(OPIOID_NAMES)
_ANY_NAME = (r"(?:" + _STRONG_NAME + r"|(?:dope(?![- ]?sick)|gear|subs)\b"
             r"|(?:some|few|couple(?: of)?|street|pressed|fake|bootleg|blue|pain|m30) pills)")
# Pills that need not be opioids ("took some pills for my headache"): they count only with overdose signs.
_UNNAMED_PILLS = re.compile(r"\b(?:some|few|couple(?: of)?|pain) pills\b")
# A treatment or notion named after the medicine is not a use of it: "I did a methadone detox", "a bupe
# taper", "I used an opioid blocker" (naltrexone itself), "took an opioid-free painkiller".
_NOT_A_DRUG_AFTER = (r"(?![ -](?:detox|taper|tapering|clinic|program|programme|maintenance|treatment|script|"
                     r"prescription|counsell?or|appointment|induction|switch|blockers?|blocking|blockade|"
                     r"antagonists?|receptors?|free|addiction|dependence|use disorder|withdrawal|overdose)\b)")
_OPIOID_ANCHORS = _name_anchors((*OPIOID_NAMES, *OPIOID_AMBIGUOUS_NAMES, "pills"))
# Words that may stand between a verb of use and the name: "took some", "did a couple of bags of".
_AMOUNT = (r"(?:(?:some|a|an|the|my|his|her|their|bit|little|lot|lots|of|few|couple|more|again|too|much|many|"
           r"small|big|half|whole|one|two|three|four|five|\d+(?: ?(?:mg|g|ml|mcg))?|mg|grams?|points?|bags?|"
           r"lines?|hits?|bumps?|doses?|tabs?|caps?|street|pressed|fake|real|pure|just|also|then|finally|"
           r"probably|actually|still|up|only|another|extra|leftover|old|last|usual|normal|regular|same|full|entire|"
           r"amount|bunch|handful|load) )"r"{0,6}")
_USE_VERBS = (r"(?:used|using|took|taken|taking|tried|did|done|doing|shot|shooting|injected|injecting|snorted|"
              r"snorting|sniffed|sniffing|smoked|smoking|popped|popping|banged|banging|slammed|slamming|chased|"
              r"chasing|swallowed|railed|relapsed (?:on|with)|slipped (?:up )?(?:on|with)|(?:got |getting |"
              r"was |am |i'?m |been )?high (?:on|off)|back on)")
_HAD = r"(?:had|having)"
_OPIOID_USE = (r"\b" + _USE_VERBS + r" " + _AMOUNT + _ANY_NAME + r"\b" + _NOT_A_DRUG_AFTER + "|"
               r"\b" + _HAD + r" " + _AMOUNT + _STRONG_NAME + r"\b" + _NOT_A_DRUG_AFTER)

# Use framed as history, in the same stretch of the clause: not a report of use now.
_HISTORY = re.compile(
    r"\b(?:years?|decades?|months?) ago\b|\blast year\b|\bin the past\b|\bback (?:in|when|then)\b|"
    r"\bback in the day\b|\bfor (?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|many|several|a few|"
    r"some|over \d+|over a|more than \d+|more than a)(?: \w+)? (?:years?|decades?)\b|\bfor years\b|"
    r"\bin (?:19|20)\d\d\b|\bwhen i was (?:younger|young|a teen\w*|a kid|in (?:my|college|school|high school))|"
    r"\bin my (?:teens|twenties|thirties|20s|30s|youth|past|addiction|using days)\b|\bhistory of\b|"
    r"\bbefore (?:i )?(?:start(?:ed|ing)?|began|beginning|(?:got|getting|went|going) (?:on|clean|sober)|"
    r"treatment|naltrexone|vivitrol|rehab|detox|recovery|i (?:got|was) clean|(?:i )?quit)")
# Just before the verb: stopping, avoiding or only thinking about it ("stopped using", "scared of using").
_NOT_USE_BEFORE = re.compile(
    r"\b(?:stop|stopped|stopping|quit|quitting|gave up|give up|giving up|avoid|avoided|avoiding|without|about|"
    r"of|like|against|instead of|rather than)\s*$")
# In a question, a time clause is not a report: "how long after I used heroin can I start?".
_TIME_CLAUSE_BEFORE = re.compile(
    r"\b(?:after|before|since|until|till|once|when)\s+(?:(?:i|you|he|she|they|we|someone|somebody|people|a "
    r"person)\s+)?(?:have\s+|had\s+|'ve\s+|last\s+)?$")


_SOMEONE = re.compile(r"\b(?:someone|somebody|a (?:person|friend|mate|guy|girl|man|woman))\b")


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
    if ("negation" in kinds or _NOT_USE_BEFORE.search(before)
            or _HISTORY.search(clause.text, segment_start, segment_end)):
        return _Use.NOT_USE
    is_question = clause.is_question_or_general()
    if not (is_question and _TIME_CLAUSE_BEFORE.search(before)) and (
            ("report" in kinds and "hypothetical" not in kinds)
            or ("hypothetical" not in kinds and not is_question)):
        return _Use.MENTION if _UNNAMED_PILLS.search(clause.text, start, end) else _Use.REPORT
    if "report" in kinds or _SOMEONE.search(clause.text, segment_start, start):
        return _Use.MENTION
    return _Use.NOT_USE


# Sedation, or a breathing or waking emergency, that with opioid use may be an overdose (S46): it counts
# unless negated, even in a question ("I used heroin, is it normal to feel this sleepy?").
_OVERDOSE_SIGNS = re.compile(
    r"\b(?:can'?t|cannot|can not|cant|not|isn'?t|is not|stopped|barely|hardly) breathing\b|"
    r"\b(?:can'?t|cannot|can not|cant) breathe?\b|\b(?:unconscious|unresponsive|blue lips|turning blue)\b|"
    r"\b(?:won'?t|doesn'?t|does not|will not|can'?t|cannot|not) wak(?:e|ing)\b|"
    r"\b(?:drowsy|drowsiness|sleepy|sleepiness|somnolen\w*|groggy|sedated|zonked|out of it|nodding|nodded|"
    r"nod(?:ding)? off|on the nod|(?:can'?t|cannot|can not|cant|couldn'?t|could not|struggling to|unable to|"
    r"barely|hardly) (?:stay|staying|keep|keeping) (?:awake|(?:my|his|her|their) eyes open)|"
    r"(?:passing|passed|pass|blacking|blacked) out|falling asleep|fell asleep|keeps? falling asleep|"
    r"(?:barely|hardly) (?:awake|conscious|breathing)|hard to (?:wake|rouse)|"
    r"(?:slow|shallow|weak) breath\w*|breath\w* (?:is |are |was |very |really |so )*(?:slow(?:ly)?|shallow(?:ly)?)|"
    r"pinpoint pupils|pinned (?:pupils|eyes)|pupils (?:are )?(?:tiny|pinned|pinpoint))\b")


_PATTERNS: tuple[_Pattern, ...] = (
    # Crisis language is a report in itself: it fires even inside a question, and mostly even negated
    # ("I would never kill myself" still goes to a moderator; better a false alarm than a missed crisis).
    _p("self_harm", "kill* kms unalive*",
       r"\bkill(?:ing)? ?my ?self\b|\bkms\b|\bunalive ?my ?self\b", strong=True, negatable=False),
    _p("self_harm", "life all now tonight today",
       r"\b(?:end|ending|take|taking|took) my (?:own )?life\b|\bend(?:ing)? it all\b|"
       r"\bend(?:ing)? (?:it|everything) (?:now|tonight|today)\b", strong=True, negatable=False),
    _p("self_harm", "better reason point nothing wish",
       r"\bbetter off (?:dead|without me)\b|\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on|"
       r"carry on|carrying on|be alive|being alive)\b|\bnothing (?:left )?to live for\b|"
       r"\bwish (?:i|i'd) (?:was|were|had) (?:dead|died|never been born)\b", strong=True, negatable=False),
    _p("self_harm", "want myself self all",
       r"\b(?:don'?t|do not|dont) want to (?:live|be alive|be here|exist|wake up)\b|"
       r"\b(?:hurt|hurting|harm|harming|cut|cutting) my ?self\b|"
       r"\btake all (?:of )?(?:my|the) (?:pills|tablets|meds|medication)\b", strong=True, negatable=False),
    _p("self_harm", "die", r"\b(?:want|wanna|wanting|wish|going|gonna|ready) (?:to )?die\b", strong=True),
    _p("self_harm", "suic* suis* siuc* sius* suci* sucd* susi* susd* suec* sues* self selfharm*",
       r"\bs(?:ui|iu|u|ue)[cs]i?d(?:e|es|al|ality|ally)?\b|\bself[- ]?harm\w*\b|"
       r"\bsuicidal (?:thoughts|ideas|feelings)\b"),
    # Overdose and breathing emergencies.
    _p("overdose", "too",
       r"\b(?:took|taken|take|taking|swallowed|had|used|did|done) (?:way |far )?too (?:many|much)\b"),
    _p("overdose", "overdos* over odd oded", r"\bover ?dos(?:ed|ing|e)\b|\bod'?d\b|\boded\b"),
    _p("breathing_emergency", "breath*",
       r"\b(?:can'?t|cannot|can not|cant|unable to|struggling to) (?:breathe|breath)\b|"
       r"\b(?:not|isn'?t|is not|stopped|no longer|barely|hardly) breathing\b|"
       r"\b(?:trouble|difficulty|difficulties|problems?|hard time) (?:breathing|to breathe)\b|"
       r"\bhard to breathe?\b|\bbreathing (?:is |has )?(?:very |really |so )?(?:slow|shallow|stopped)\b"),
    _p("unresponsive", "unconscious unconcious unconsious unresponsive wake waking",
       r"\b(?:unconscious|unconcious|unconsious|unresponsive)\b|"
       r"\b(?:won'?t|doesn'?t|does not|will not|can'?t|cannot|not) wak(?:e|ing)(?: (?:him|her|them|up))?\b"),
    _p("blue_lips", "blue grey gray",
       r"\bblue lips\b|\b(?:lips|fingertips|fingers|face) " + _BE + _FILLER + r"(?:blue|grey|gray)\b|"
       r"\b(?:turning|turned|gone|going) blue\b"),
    # Severe allergic reaction.
    _p("severe_allergic_reaction", "swell* swollen puffy puffed closing",
       r"\bswell(?:ing|ed|s)?(?: up)? (?:of |in |on |around )?(?:my |his |her |the )?"
       r"(?:face|lips?|tongue|throat|mouth)\b|\bswollen (?:face|lips?|tongue|throat|mouth)\b|"
       r"\b(?:face|lips?|tongue|throat|mouth) " + _BE + _FILLER
       + r"(?:swollen|swelling|swelled|swelled up|puffy|puffed up|closing(?: up)?)\b"),
    _p("severe_allergic_reaction", "hives rash welts anaphyla* allergic throat",
       r"\b(?:hives|rash|welts) (?:all over|everywhere|over my (?:whole )?body)\b|"
       r"\banaphyla\w*|\ballergic reaction\b|\bthroat (?:is )?(?:closing|tight)\b"),
    # Blockade: using opioids to overcome naltrexone can be fatal.
    _p("overcoming_blockade",
       "past through thru overcome overcoming override overriding outsmart beat beating high",
       r"\b(?:get|getting|got|push|pushing|pushed|break|breaking|broke|bust|busting|power|powering|shoot|"
       r"shooting|use|using|used) (?:past|through|thru) (?:the |my |this |a )?(?:naltrexone |vivitrol |viv )?"
       r"(?:block(?:ade|er|ing)?|shot|injection|jab|vivitrol|viv|naltrexone|antagonist)\b|"
       r"\b(?:overcome|overcoming|override|overriding|outsmart|beat|beating) (?:the |my |this )?"
       r"(?:naltrexone |vivitrol )?(?:block(?:ade|er|ing)?|shot|vivitrol|naltrexone)\b|"
       r"\bget(?:ting)? high (?:on|while on|despite|through) (?:the |my )?"
       r"(?:naltrexone|vivitrol|shot|block)"),
    # Opioid use on or after naltrexone: overdose risk (S2, S46, S49); with sedation, see _recognise.
    # (Read by _read_opioid_use rather than as a plain symptom: see _recognise.)
    _p("opioid_use", _OPIOID_ANCHORS, _OPIOID_USE),
    # Liver injury.
    _p("jaundice", "jaund* juand* jondice", r"\bjaund\w*|\bjuand\w*|\bjondice\b"),
    _p("jaundice", "yell* yelow*",
       r"\b" + _YELLOW + r" (?:skin|eyes?|whites)\b|"
       r"\byellowing (?:of )?(?:my |the |his |her )?(?:skin|eyes?)\b|"
       r"\b(?:skin|eyes?|whites of (?:my|his|her|the) eyes) " + _BE + _FILLER + _YELLOW + r"\b"),
    _p("dark_urine", "urine urin pee piss wee peepee peeing",
       r"\b(?:dark|brown|cola|tea)[- ](?:colou?red )?" + _URINE + r"\b|"
       r"\b" + _URINE + r" " + _BE + _FILLER
       + r"(?:dark|brown|cola[- ]colou?red|tea[- ]colou?red|the colou?r of (?:tea|cola|coke))\b|"
       r"\b" + _URINE + r" (?:looks?|looked|is|was) (?:like|the colou?r of) (?:cola|coke|tea)\b|"
       r"\bpeeing (?:dark|brown)\b"),
    _p("right_upper_abdominal_pain", "right liver",
       r"\b" + _PAIN + r"\b[^.?!\n]{0,25}?\b(?:upper right|right upper|right)\b[^.?!\n]{0,12}?\b"
       + _RIGHT_PLACE + r"\b|"
       r"\b(?:upper right|right upper|right)\b[^.?!\n]{0,12}?\b(?:ribs?|rib cage|belly|abdomen|abdominal|"
       r"stomach|tummy|quadrant)\b[^.?!\n]{0,15}?\b" + _PAIN + r"|"
       r"\bliver (?:pain|hurts|is hurting|aches?)\b|\bpain in (?:my|the) liver\b"),
    _p("unusual_tiredness",
       "unusual unusually extreme extremely abnormal abnormally severe severely crushing overwhelming",
       r"\b(?:unusual(?:ly)?|extreme(?:ly)?|abnormal(?:ly)?|severe(?:ly)?|crushing|overwhelming) "
       r"(?:tired(?:ness)?|fatigue|exhaustion|exhausted|weak(?:ness)?)\b"),
    # Injection site.
    _p("injection_site_severe", _SITE_ANCHORS,
       r"\b" + _SITE + r"\b[^.?!\n]{0,40}?\b" + _SITE_SEVERE + r"\b|"
       r"\b" + _SITE_SEVERE + r"\b[^.?!\n]{0,30}?\b" + _SITE + r"\b"),
    _p("injection_site_tenderness", _SITE_ANCHORS,
       r"\b" + _SITE + r"\b[^.?!\n]{0,30}?\b" + _SITE_MILD + r"\b|"
       r"\b" + _SITE_MILD + r"\b[^.?!\n]{0,20}?\b" + _SITE + r" ?(?:site|spot|area)\b"),
    # Breathing and mood.
    _p("breathlessness", "short shortness breath* winded wheez*", r"\b" + _BREATHLESS + r"\b"),
    _p("precipitated_withdrawal", "precipitat* precipped withdrawal withdrawals wd w dope dopesick",
       r"\bprecipitat\w* (?:withdrawal|wd|w/d)\b|\bprecipped\b|"
       r"\b(?:withdrawal|withdrawals|wd|w/d|dope ?sick)\b[^.?!\n]{0,30}?\b(?:after|since|from) "
       r"(?:i |taking |my |the |a |that )?(?:took |taking |had |got )?(?:my |the |a |that )?(?:first )?"
       r"(?:dose|pill|tablet|shot|injection|jab|naltrexone|vivitrol)\b|"
       r"\b(?:naltrexone|vivitrol|shot|pill|injection|jab|dose|tablet|it)\b[^.?!\n]{0,15}?\b(?:put|threw|"
       r"thrown|sent|kicked|throwing|putting|sending) me (?:in|into|straight into) "
       r"(?:full[- ]blown |full |bad |severe |horrible |instant )?(?:withdrawal|withdrawals|wd|w/d)\b"),
    _p("low_mood", "depressed depression hopeless worthless",
       r"\b(?:depressed|depression|hopeless|worthless)\b"),
    # Common side effects.
    _p("nausea", "nausea nauseous nauseated nauseus nausious queasy sick",
       r"\b(?:nausea|nauseous|nauseated|nauseus|nausious|queasy|sick to my stomach)\b"),
    _p("vomiting", "vomit* throwing threw throw puking puked puke",
       r"\b(?:vomit\w*|throwing up|threw up|throw up|puking|puked|puke)\b"),
    _p("headache", "headache headaches head migraine migraines",
       r"\b(?:headaches?|head ?aches?|migraines?|my head (?:hurts|is pounding|aches|is killing me))\b"),
    _p("dizziness", "dizzy dizziness dizzyness light lightheaded lightheadedness vertigo",
       r"\b(?:dizzy|dizziness|dizzyness|light[- ]?headed(?:ness)?|vertigo)\b"),
    _p("fatigue", "tired tiredness fatigue fatigued exhausted energy lethargic worn",
       r"\b(?:tired(?! of)|tiredness|fatigue|fatigued|exhausted|no energy|low energy|lethargic|worn out)\b"),
    _p("trouble_sleeping", "insomnia sleep sleeping asleep sleepless waking",
       r"\b(?:insomnia|can'?t sleep|cannot sleep|trouble sleeping|not sleeping|unable to sleep|"
       r"hard to (?:fall|stay) asleep|sleepless|waking up (?:all night|at night|a lot))\b"),
    _p("anxiety", "anxious anxiety nervous jittery edge panicky",
       r"\b(?:anxious|anxiety|nervous|jittery|on edge|panicky)\b"),
    _p("sleepiness", "sleepy drowsy drowsiness somnolen* groggy",
       r"\b(?:sleepy|drowsy|drowsiness|somnolen\w*|groggy)\b"),
    _p("joint_muscle_pain", "joint joints muscle muscles aching sore achy body",
       r"\b(?:joint (?:pain|aches?)|joints? (?:hurt|ache)s?|muscle (?:pain|aches?|cramps?)|"
       r"aching (?:joints|muscles)|sore (?:joints|muscles)|achy|body aches?|"
       r"my (?:joints|muscles) (?:hurt|ache))\b"),
)


# Patterns are compiled when a text first needs them, not at import: a fresh `naltrack ask` triages one
# question, whose words usually select none or a few of them (bench/bench_ask.py times the cold start).
_COMPILED: dict[int, re.Pattern[str]] = {}


def _regex(number: int) -> re.Pattern[str]:
    """The compiled pattern ``number`` of _PATTERNS."""
    regex = _COMPILED.get(number)
    if regex is None:
        regex = _COMPILED[number] = re.compile(_PATTERNS[number].source)
    return regex


_PREFIX_KEY = 4  # prefix anchors are looked up by their first four letters (every prefix has at least four)


def _index_anchors() -> tuple[dict[str, frozenset[int]], dict[str, tuple[tuple[str, int], ...]]]:
    exact: dict[str, set[int]] = {}
    prefixes: dict[str, list[tuple[str, int]]] = {}
    for number, pattern in enumerate(_PATTERNS):
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


def _reports_symptom(clause: _Clause, start_in_clause: int, pattern: _Pattern) -> bool:
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
    for match in _OVERDOSE_SIGNS.finditer(lowered):
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
    numbers = _candidate_patterns(lowered) if use_index else list(range(len(_PATTERNS)))
    if not numbers:
        return []
    spans = [(m.start(), m.end()) for m in _CLAUSE.finditer(lowered)]
    starts = [start for start, _ in spans]
    clauses: dict[int, _Clause] = {}
    found: dict[str, int] = {}
    mentioned_use: int | None = None  # where a question or hypothetical speaks of someone using an opioid
    for number in numbers:
        pattern = _PATTERNS[number]
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
