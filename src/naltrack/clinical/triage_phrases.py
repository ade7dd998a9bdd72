"""The free-text phrases of naltrack's side-effect triage: symptom patterns and the opioid-use words.

Data for :mod:`naltrack.clinical.triage`, which reads them (clauses, negations, questions, urgency).
Each pattern names the symptom code it reports; the symptoms, their urgency and their sources are
in ``triage.SYMPTOMS``. The opioid names come from the medicines table (``naltrack.clinical.medicines``,
each entry with its own source) plus street names; why a report of opioid use matters, and its
sources, is in the ``triage`` docstring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from naltrack.clinical.medicines import MEDICINES, PRODUCTS, Category

# ---------------------------------------------------------------------------------------------------
# Free-text patterns. A "strong" pattern is itself a report (crisis language) and fires even inside a
# question; a "weak" pattern is a symptom word that fires only when the clause reports having it.
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pattern:
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


def _p(code: str, anchors: str, pattern: str, *, strong: bool = False, negatable: bool = True) -> Pattern:
    """A pattern for ``code``; every match contains one of ``anchors`` as a word (``word*``: a prefix)."""
    return Pattern(code, pattern, tuple(anchors.split()), strong, negatable)


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
UNNAMED_PILLS = re.compile(r"\b(?:some|few|couple(?: of)?|pain) pills\b")
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
HISTORY = re.compile(
    r"\b(?:years?|decades?|months?) ago\b|\blast year\b|\bin the past\b|\bback (?:in|when|then)\b|"
    r"\bback in the day\b|\bfor (?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|many|several|a few|"
    r"some|over \d+|over a|more than \d+|more than a)(?: \w+)? (?:years?|decades?)\b|\bfor years\b|"
    r"\bin (?:19|20)\d\d\b|\bwhen i was (?:younger|young|a teen\w*|a kid|in (?:my|college|school|high school))|"
    r"\bin my (?:teens|twenties|thirties|20s|30s|youth|past|addiction|using days)\b|\bhistory of\b|"
    r"\bbefore (?:i )?(?:start(?:ed|ing)?|began|beginning|(?:got|getting|went|going) (?:on|clean|sober)|"
    r"treatment|naltrexone|vivitrol|rehab|detox|recovery|i (?:got|was) clean|(?:i )?quit)")
# Just before the verb: stopping, avoiding or only thinking about it ("stopped using", "scared of using").
NOT_USE_BEFORE = re.compile(
    r"\b(?:stop|stopped|stopping|quit|quitting|gave up|give up|giving up|avoid|avoided|avoiding|without|about|"
    r"of|like|against|instead of|rather than)\s*$")
# In a question, a time clause is not a report: "how long after I used heroin can I start?".
TIME_CLAUSE_BEFORE = re.compile(
    r"\b(?:after|before|since|until|till|once|when)\s+(?:(?:i|you|he|she|they|we|someone|somebody|people|a "
    r"person)\s+)?(?:have\s+|had\s+|'ve\s+|last\s+)?$")


SOMEONE = re.compile(r"\b(?:someone|somebody|a (?:person|friend|mate|guy|girl|man|woman))\b")


OVERDOSE_SIGNS = re.compile(
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


PATTERNS: tuple[Pattern, ...] = (
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
