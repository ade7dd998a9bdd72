"""Induction screening: is this person ready to start naltrexone today?

Implements the screening rules of the clinical reference's "naltrack policy" section
(naltrack-policy:screening, naltrack-policy:opioid-free-interval, naltrack-policy:lft-thresholds):
any block gives ``not_ready``, otherwise any caution gives ``caution``, otherwise ``ready``. Every
reason carries a stable code, a severity, a plain message for the clinician and one source key.

``parse_screening_input`` turns the JSON object of DESIGN.md into a ``ScreeningInput`` and refuses
unknown fields, wrong types and impossible values with a ``ScreeningInputError`` naming the field.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from naltrack.clinical.labs import (
    CLINICIAN_FLAG_MULTIPLE,
    URGENT_FLAG_MULTIPLE,
    is_above_multiple,
    multiple_of_uln,
)
from naltrack.clinical.sources import cite

POLICY = cite("naltrack-policy:screening")
INTERVAL_POLICY = cite("naltrack-policy:opioid-free-interval")
LFT_POLICY = cite("naltrack-policy:lft-thresholds")

# naltrack-policy:opioid-free-interval (label minimum 7–10 days, S1/S33; up to ~2 weeks after methadone or
# buprenorphine, S44; ASAM 7–14 days, S45).
BLOCK_BELOW_DAYS = 7
SHORT_ACTING_CLEAR_DAYS = 10
LONG_ACTING_CLEAR_DAYS = 14
# naltrack-policy:screening: COWS of 5 or more blocks (S121: under 5 is not meaningful withdrawal).
COWS_BLOCK_AT = 5
# naltrack-policy:screening: eGFR under 50 is moderate-severe renal impairment (S16 oral, S7/S40 injection).
EGFR_CAUTION_BELOW = 50.0
# naltrack-policy:screening: platelets under 150 (x10^9/L) with an IM injection (S40).
PLATELETS_CAUTION_BELOW = 150.0
# naltrack-policy:screening: needle length by habitus (S37, S38): BMI 30+ 2-inch, under 18.5 1.5-inch.
BMI_LONG_NEEDLE_AT = 30.0
BMI_SHORT_NEEDLE_BELOW = 18.5


class ScreeningInputError(ValueError):
    """A screening input that cannot be screened: the message names the field and what is wrong."""


class Indication(enum.StrEnum):
    ALCOHOL = "alcohol"
    OPIOID = "opioid"


class Formulation(enum.StrEnum):
    ORAL = "oral"
    INJECTION = "injection"


class OpioidType(enum.StrEnum):
    SHORT_ACTING = "short_acting"
    METHADONE = "methadone"
    BUPRENORPHINE = "buprenorphine"
    NONE = "none"


class UrineScreen(enum.StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    NOT_DONE = "not_done"


class NaloxoneChallenge(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_DONE = "not_done"


class VerdictLevel(enum.StrEnum):
    READY = "ready"
    CAUTION = "caution"
    NOT_READY = "not_ready"


class Severity(enum.StrEnum):
    BLOCK = "block"
    CAUTION = "caution"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class ScreeningInput:
    """The facts a clinician records before a first dose (DESIGN.md screening input); None = not recorded."""

    indication: Indication
    formulation: Formulation
    opioid_last_use_days_ago: float | None = None
    opioid_type: OpioidType | None = None
    currently_taking_opioids: bool | None = None
    needs_opioid_analgesia: bool | None = None
    urine_opioid_screen: UrineScreen | None = None
    naloxone_challenge: NaloxoneChallenge | None = None
    cows_score: int | None = None
    alt: float | None = None
    ast: float | None = None
    alt_uln: float | None = None
    ast_uln: float | None = None
    acute_hepatitis: bool | None = None
    liver_failure: bool | None = None
    pregnant: bool | None = None
    hypersensitivity: bool | None = None
    egfr: float | None = None
    platelets: float | None = None
    anticoagulated: bool | None = None
    bmi: float | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the verdict is what it is: a stable code, a severity, a plain message and one source key."""

    code: str
    severity: Severity
    message: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity.value, "message": self.message,
                "source": self.source}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The screening result: ready, caution or not_ready, with every reason (blocks first)."""

    verdict: VerdictLevel
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``naltrack screen --json``."""
        return {"verdict": self.verdict.value, "reasons": [r.as_dict() for r in self.reasons]}


# ---------------------------------------------------------------------------------------------------
# Parsing: JSON object -> ScreeningInput, refusing anything that is not a real patient's facts.
# Plausibility limits below are input validation (catching typos and unit mix-ups), not clinical
# thresholds; they are set wide so that no real measurement is refused.
# ---------------------------------------------------------------------------------------------------

_E = TypeVar("_E", bound=enum.Enum)

_MAX_DAYS_AGO = 36_600.0  # about 100 years
_MAX_ENZYME_U_L = 100_000.0  # ALT/AST far above the highest values seen in acute liver failure
_MAX_ULN_U_L = 1_000.0
_EGFR_RANGE = (0.0, 200.0)  # mL/min/1.73 m²; above 0, at most 200
_MAX_PLATELETS = 5_000.0  # x10^9/L
_BMI_RANGE = (10.0, 150.0)  # kg/m²
_COWS_RANGE = (0, 48)  # S118–S120: the 11 items add up to 48 at most

_REQUIRED = ("indication", "formulation")


def _number(data: Mapping[str, Any], name: str) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScreeningInputError(f"{name} must be a number, got {_describe(value)}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        raise ScreeningInputError(f"{name} is too large") from None
    if not math.isfinite(number):
        raise ScreeningInputError(f"{name} must be a finite number, got {value!r}")
    return number


def _bounded(data: Mapping[str, Any], name: str, low: float, high: float, *, low_inclusive: bool = True,
             unit: str = "") -> float | None:
    number = _number(data, name)
    if number is None:
        return None
    too_low = number < low if low_inclusive else number <= low
    if too_low or number > high:
        lower = f"{low:g} or more" if low_inclusive else f"above {low:g}"
        raise ScreeningInputError(
            f"{name} must be {lower} and at most {high:g}{unit}, got {number:g}")
    return number


def _whole(data: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    number = _number(data, name)
    if number is None:
        return None
    if not number.is_integer():
        raise ScreeningInputError(f"{name} must be a whole number, got {number:g}")
    if not low <= number <= high:
        raise ScreeningInputError(f"{name} must be between {low} and {high}, got {number:g}")
    return int(number)


def _flag(data: Mapping[str, Any], name: str) -> bool | None:
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise ScreeningInputError(f"{name} must be true or false, got {_describe(value)}")


def _choice(data: Mapping[str, Any], name: str, kind: type[_E]) -> _E | None:
    value = data.get(name)
    if value is None:
        return None
    allowed = ", ".join(repr(member.value) for member in kind)
    if not isinstance(value, str):
        raise ScreeningInputError(f"{name} must be one of {allowed}, got {_describe(value)}")
    for member in kind:
        if member.value == value:
            return member
    raise ScreeningInputError(f"{name} must be one of {allowed}, got {_shorten(value)!r}")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {_shorten(value)!r}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, int | float):
        return f"{value!r}"
    return type(value).__name__


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


_FIELD_PARSERS: dict[str, Callable[[Mapping[str, Any], str], Any]] = {
    "indication": lambda d, n: _choice(d, n, Indication),
    "formulation": lambda d, n: _choice(d, n, Formulation),
    "opioid_last_use_days_ago": lambda d, n: _bounded(d, n, 0.0, _MAX_DAYS_AGO),
    "opioid_type": lambda d, n: _choice(d, n, OpioidType),
    "currently_taking_opioids": _flag,
    "needs_opioid_analgesia": _flag,
    "urine_opioid_screen": lambda d, n: _choice(d, n, UrineScreen),
    "naloxone_challenge": lambda d, n: _choice(d, n, NaloxoneChallenge),
    "cows_score": lambda d, n: _whole(d, n, *_COWS_RANGE),
    "alt": lambda d, n: _bounded(d, n, 0.0, _MAX_ENZYME_U_L, unit=" U/L"),
    "ast": lambda d, n: _bounded(d, n, 0.0, _MAX_ENZYME_U_L, unit=" U/L"),
    "alt_uln": lambda d, n: _bounded(d, n, 0.0, _MAX_ULN_U_L, low_inclusive=False, unit=" U/L"),
    "ast_uln": lambda d, n: _bounded(d, n, 0.0, _MAX_ULN_U_L, low_inclusive=False, unit=" U/L"),
    "acute_hepatitis": _flag,
    "liver_failure": _flag,
    "pregnant": _flag,
    "hypersensitivity": _flag,
    "egfr": lambda d, n: _bounded(d, n, *_EGFR_RANGE, low_inclusive=False, unit=" mL/min/1.73 m²"),
    "platelets": lambda d, n: _bounded(d, n, 0.0, _MAX_PLATELETS, unit=" x10^9/L"),
    "anticoagulated": _flag,
    "bmi": lambda d, n: _bounded(d, n, *_BMI_RANGE, unit=" kg/m²"),
}

SCREENING_FIELDS: tuple[str, ...] = tuple(_FIELD_PARSERS)


def parse_screening_input(data: Mapping[str, Any]) -> ScreeningInput:
    """Build a ScreeningInput from a JSON object (DESIGN.md schema), refusing bad input with a clear message.

    Unknown fields, wrong types (true is not a number), NaN or infinity, impossible values and
    enum strings outside the allowed set raise ScreeningInputError naming the field. A field given as
    null counts as not recorded.
    """
    if not isinstance(data, Mapping):
        raise ScreeningInputError(f"the screening input must be a JSON object, got {_describe(data)}")
    bad_keys = [key for key in data if not isinstance(key, str)]
    if bad_keys:
        raise ScreeningInputError(f"field names must be text, got {bad_keys[0]!r}")
    unknown = sorted(key for key in data if key not in _FIELD_PARSERS)
    if unknown:
        names = ", ".join(repr(_shorten(key)) for key in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise ScreeningInputError(f"unknown field {names}{more}; allowed: {', '.join(SCREENING_FIELDS)}")
    values: dict[str, Any] = {}
    for name, parse in _FIELD_PARSERS.items():
        values[name] = parse(data, name)
        if values[name] is None and name in _REQUIRED:
            raise ScreeningInputError(f"{name} is required")
    return ScreeningInput(**values)


# ---------------------------------------------------------------------------------------------------
# Screening rules.
# ---------------------------------------------------------------------------------------------------


def _block(code: str, message: str, source: str) -> Reason:
    return Reason(code, Severity.BLOCK, message, cite(source))


def _caution(code: str, message: str, source: str) -> Reason:
    return Reason(code, Severity.CAUTION, message, cite(source))


def _info(code: str, message: str, source: str) -> Reason:
    return Reason(code, Severity.INFO, message, cite(source))


def _opioid_use_reasons(facts: ScreeningInput) -> list[Reason]:
    reasons: list[Reason] = []
    if facts.currently_taking_opioids is True:
        reasons.append(_block(
            "currently_taking_opioids",
            "Currently taking opioids: naltrexone would block them and can bring on sudden withdrawal. "
            "Do not start until opioid-free for the required interval.", "S46"))
    elif facts.currently_taking_opioids is None:
        reasons.append(_caution(
            "current_opioid_use_unknown",
            "Current opioid use is not recorded: ask whether the person is taking any opioid, "
            "including prescribed pain relief, cough medicine or methadone/buprenorphine.", POLICY))
    if facts.needs_opioid_analgesia is True:
        reasons.append(_block(
            "needs_opioid_analgesia",
            "Needs opioid pain relief: naltrexone would stop it working. Plan non-opioid pain relief "
            "or delay naltrexone.", "S46"))
    elif facts.needs_opioid_analgesia is None:
        reasons.append(_caution(
            "opioid_analgesia_need_unknown",
            "Whether opioid pain relief is needed (now or for planned surgery) is not recorded: "
            "ask before starting.", POLICY))
    return reasons


def _urine_and_challenge_reasons(facts: ScreeningInput) -> list[Reason]:
    reasons: list[Reason] = []
    screen = facts.urine_opioid_screen
    if screen is UrineScreen.POSITIVE:
        reasons.append(_block(
            "urine_opioid_positive",
            "Urine opioid screen is positive: do not start naltrexone (risk of precipitated withdrawal).",
            "S46"))
    elif screen in (None, UrineScreen.NOT_DONE):
        if facts.indication is Indication.OPIOID:
            reasons.append(_caution(
                "urine_opioid_screen_missing",
                "No urine opioid screen recorded: do one before the first dose.", POLICY))
        elif _has_opioid_history(facts):
            reasons.append(_info(
                "urine_opioid_screen_not_recorded",
                "No urine opioid screen recorded; consider one given the recorded opioid use.", POLICY))
    if facts.naloxone_challenge is NaloxoneChallenge.FAILED:
        reasons.append(_block(
            "naloxone_challenge_failed",
            "Naloxone challenge failed (withdrawal signs): do not start naltrexone. The challenge can be "
            "repeated after 24 hours.", "S22"))
    return reasons


def _has_opioid_history(facts: ScreeningInput) -> bool:
    return facts.opioid_last_use_days_ago is not None or facts.opioid_type not in (None, OpioidType.NONE)


_OPIOID_WORDS: dict[OpioidType | None, str] = {
    OpioidType.SHORT_ACTING: "a short-acting opioid",
    OpioidType.METHADONE: "methadone",
    OpioidType.BUPRENORPHINE: "buprenorphine",
}


def _interval_reasons(facts: ScreeningInput) -> list[Reason]:
    """Opioid-free interval rules (naltrack-policy:opioid-free-interval); they apply to any indication."""
    reasons: list[Reason] = []
    days = facts.opioid_last_use_days_ago
    kind = facts.opioid_type
    if days is None:
        if facts.indication is Indication.OPIOID or kind not in (None, OpioidType.NONE):
            reasons.append(_caution(
                "opioid_last_use_missing",
                "Date of last opioid use is not recorded: confirm how many days the person has been "
                "opioid-free (at least 7–10 days; 14 after methadone or buprenorphine).", INTERVAL_POLICY))
        return reasons
    if kind is OpioidType.NONE:
        reasons.append(_caution(
            "opioid_type_conflicts_with_last_use",
            f"Opioid type is recorded as none, yet a last opioid use {days:g} days ago is recorded: "
            "confirm what was used. Until then the longer interval for methadone or buprenorphine is "
            "applied.", INTERVAL_POLICY))
    is_short_acting = kind is OpioidType.SHORT_ACTING
    clear_days = SHORT_ACTING_CLEAR_DAYS if is_short_acting else LONG_ACTING_CLEAR_DAYS
    what = _OPIOID_WORDS.get(kind, "an opioid of unrecorded type")
    if days < BLOCK_BELOW_DAYS:
        reasons.append(_block(
            "opioid_free_interval_too_short",
            f"Last used {what} {days:g} days ago: at least {BLOCK_BELOW_DAYS} opioid-free days are needed "
            f"before naltrexone ({clear_days} for this case).", INTERVAL_POLICY))
    elif days < clear_days:
        if is_short_acting and facts.naloxone_challenge is NaloxoneChallenge.PASSED:
            reasons.append(_info(
                "opioid_free_interval_confirmed_by_challenge",
                f"Last used a short-acting opioid {days:g} days ago; the passed naloxone challenge "
                "supports starting.", INTERVAL_POLICY))
        elif is_short_acting:
            reasons.append(_caution(
                "opioid_free_interval_borderline",
                f"Last used a short-acting opioid {days:g} days ago ({BLOCK_BELOW_DAYS}–"
                f"{SHORT_ACTING_CLEAR_DAYS - 1} days): the label asks for 7–10 opioid-free days; a "
                "passed naloxone challenge would support starting.", INTERVAL_POLICY))
        else:
            reasons.append(_caution(
                "opioid_free_interval_borderline",
                f"Last used {what} {days:g} days ago: precipitated withdrawal remains possible up to "
                f"about 2 weeks after methadone or buprenorphine; {LONG_ACTING_CLEAR_DAYS} days are "
                "advised whatever the naloxone challenge shows.", INTERVAL_POLICY))
    return reasons


def _cows_reasons(facts: ScreeningInput) -> list[Reason]:
    if facts.cows_score is not None and facts.cows_score >= COWS_BLOCK_AT:
        return [_block(
            "cows_withdrawal_signs",
            f"COWS score {facts.cows_score} (5 or more): signs of opioid withdrawal mean current "
            "dependence; do not start naltrexone or run a naloxone challenge now.", POLICY)]
    if facts.cows_score is None and (facts.indication is Indication.OPIOID or _has_opioid_history(facts)):
        return [_info("cows_not_recorded",
                      "No COWS score recorded: check for withdrawal signs before the first dose.", POLICY)]
    return []


def _liver_reasons(facts: ScreeningInput) -> list[Reason]:
    reasons: list[Reason] = []
    if facts.acute_hepatitis is True:
        reasons.append(_block("acute_hepatitis",
                              "Acute hepatitis: do not start naltrexone (applied to both forms).",
                              POLICY))
    if facts.liver_failure is True:
        reasons.append(_block("liver_failure",
                              "Liver failure: do not start naltrexone (exposure rises 5–10x in cirrhosis).",
                              POLICY))
    if facts.acute_hepatitis is None and facts.liver_failure is None:
        reasons.append(_info("liver_disease_not_recorded",
                             "Acute hepatitis or liver failure not recorded: ask and examine.", POLICY))
    any_enzyme = False
    for name, value, uln in (("ALT", facts.alt, facts.alt_uln), ("AST", facts.ast, facts.ast_uln)):
        if value is None:
            continue
        any_enzyme = True
        if uln is None:
            reasons.append(_caution(
                f"{name.lower()}_uln_missing",
                f"{name} is {value:g} U/L but the lab's upper limit of normal is not recorded, so it "
                f"cannot be judged: record the {name} upper limit from the lab report.", LFT_POLICY))
            continue
        multiple = multiple_of_uln(value, uln)
        if is_above_multiple(multiple, URGENT_FLAG_MULTIPLE):
            reasons.append(_block(
                f"{name.lower()}_above_5x_uln",
                f"{name} is {multiple:.1f}x the upper limit of normal (above 5x): do not start; "
                "investigate the liver first.", LFT_POLICY))
        elif is_above_multiple(multiple, CLINICIAN_FLAG_MULTIPLE):
            reasons.append(_caution(
                f"{name.lower()}_above_3x_uln",
                f"{name} is {multiple:.1f}x the upper limit of normal (above 3x, up to 5x): weigh the "
                "benefit and monitor liver tests closely.", LFT_POLICY))
    if not any_enzyme:
        reasons.append(_caution(
            "no_baseline_liver_tests",
            "No baseline liver tests (ALT, AST) recorded: request them. Without suspected liver disease "
            "the start need not wait for the results.", "S69"))
    else:
        for name, value in (("ALT", facts.alt), ("AST", facts.ast)):
            if value is None:
                reasons.append(_info(f"{name.lower()}_not_recorded",
                                     f"{name} not recorded with the baseline liver tests.", POLICY))
    return reasons


def _other_reasons(facts: ScreeningInput) -> list[Reason]:
    reasons: list[Reason] = []
    is_injection = facts.formulation is Formulation.INJECTION
    if facts.hypersensitivity is True:
        what = ("naltrexone or a component of the injection (PLG microspheres, carboxymethylcellulose, "
                "diluent)" if is_injection else "naltrexone or the tablet's ingredients")
        reasons.append(_block("hypersensitivity", f"Known hypersensitivity to {what}: do not start.",
                              "S46" if is_injection else "S1"))
    elif facts.hypersensitivity is None:
        reasons.append(_info("hypersensitivity_not_recorded",
                             "Allergy to naltrexone (or its components) not recorded: ask.", POLICY))
    if facts.pregnant is True:
        if facts.indication is Indication.OPIOID:
            reasons.append(_block(
                "pregnant_opioid_indication",
                "Pregnant, opioid indication: ASAM advises not to start naltrexone newly in pregnancy.",
                "S73"))
        else:
            reasons.append(_caution(
                "pregnant_alcohol_indication",
                "Pregnant, alcohol indication: human data are limited; weigh benefits and risks.", "S20"))
    elif facts.pregnant is None:
        reasons.append(_info("pregnancy_not_recorded", "Pregnancy status not recorded.", POLICY))
    if facts.egfr is not None and facts.egfr < EGFR_CAUTION_BELOW:
        reasons.append(_caution(
            "renal_impairment",
            f"eGFR {facts.egfr:g} (under 50): moderate to severe renal impairment; naltrexone and its "
            "metabolite leave through the kidneys, so use with caution.", "S16"))
    elif facts.egfr is None:
        reasons.append(_info("egfr_not_recorded", "eGFR not recorded.", POLICY))
    if is_injection:
        reasons.extend(_injection_reasons(facts))
    elif facts.indication is Indication.OPIOID:
        reasons.append(_info(
            "oral_for_opioid_indication",
            "Oral naltrexone for opioid use disorder: ASAM (2020) prefers the monthly injection except in "
            "limited circumstances, because adherence to tablets is poor.", "S71"))
    return reasons


def _injection_reasons(facts: ScreeningInput) -> list[Reason]:
    reasons: list[Reason] = []
    if facts.platelets is not None and facts.platelets < PLATELETS_CAUTION_BELOW:
        reasons.append(_caution(
            "low_platelets",
            f"Platelets {facts.platelets:g} x10^9/L (under 150): bleeding risk at the intramuscular "
            "injection site.", "S40"))
    elif facts.platelets is None:
        reasons.append(_info("platelets_not_recorded", "Platelet count not recorded.", POLICY))
    if facts.anticoagulated is True:
        reasons.append(_caution(
            "anticoagulated",
            "Takes an anticoagulant: bleeding risk at the intramuscular injection site.", "S40"))
    elif facts.anticoagulated is None:
        reasons.append(_info("anticoagulation_not_recorded", "Anticoagulant use not recorded.", POLICY))
    if facts.bmi is None:
        reasons.append(_info(
            "needle_length_by_habitus",
            "BMI not recorded: assess body habitus to choose the needle (2-inch for more gluteal "
            "tissue, 1.5-inch for very lean people).", "S37"))
    elif facts.bmi >= BMI_LONG_NEEDLE_AT:
        reasons.append(_info("needle_2_inch",
                             f"BMI {facts.bmi:g} (30 or more): use the 2-inch needle.", "S37"))
    elif facts.bmi < BMI_SHORT_NEEDLE_BELOW:
        reasons.append(_info("needle_1_5_inch",
                             f"BMI {facts.bmi:g} (under 18.5): use the 1.5-inch needle; avoid the bone.",
                             "S37"))
    else:
        reasons.append(_info("needle_either_length",
                             f"BMI {facts.bmi:g}: either the 1.5-inch or the 2-inch needle, by habitus.",
                             "S37"))
    return reasons


_SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.CAUTION: 1, Severity.INFO: 2}


def screen_for_induction(facts: ScreeningInput) -> Verdict:
    """Decide whether naltrexone can be started, with every reason and its source (naltrack-policy:screening).

    Any block gives not_ready; otherwise any caution gives caution; otherwise ready.
    """
    reasons = [
        *_opioid_use_reasons(facts),
        *_urine_and_challenge_reasons(facts),
        *_interval_reasons(facts),
        *_cows_reasons(facts),
        *_liver_reasons(facts),
        *_other_reasons(facts),
    ]
    reasons.sort(key=lambda reason: _SEVERITY_ORDER[reason.severity])
    severities = {reason.severity for reason in reasons}
    if Severity.BLOCK in severities:
        level = VerdictLevel.NOT_READY
    elif Severity.CAUTION in severities:
        level = VerdictLevel.CAUTION
    else:
        level = VerdictLevel.READY
    return Verdict(verdict=level, reasons=tuple(reasons))
