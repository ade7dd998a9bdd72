"""Induction screening: every policy rule and boundary, refusal of bad input, and invariants under fuzzing."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naltrack.clinical.screening import (
    ScreeningInput,
    ScreeningInputError,
    Severity,
    Verdict,
    VerdictLevel,
    parse_screening_input,
    screen_for_induction,
)
from naltrack.clinical.sources import SOURCES
from tests.strategies.safety import hostile_screening_dicts, screening_dicts

SHARED = Path(os.environ.get("NALTRACK_SHARED_DIR") or Path(__file__).resolve().parents[3] / "shared")

# A fully recorded alcohol patient with nothing against starting.
CLEAN_ALCOHOL: dict[str, Any] = {
    "indication": "alcohol", "formulation": "oral", "currently_taking_opioids": False,
    "needs_opioid_analgesia": False, "alt": 30, "ast": 28, "alt_uln": 40, "ast_uln": 40,
    "acute_hepatitis": False, "liver_failure": False, "pregnant": False, "hypersensitivity": False,
    "egfr": 90,
}
# A fully recorded opioid patient, 30 days opioid-free, negative urine screen.
CLEAN_OPIOID: dict[str, Any] = {
    **CLEAN_ALCOHOL, "indication": "opioid", "formulation": "injection", "opioid_last_use_days_ago": 30,
    "opioid_type": "short_acting", "urine_opioid_screen": "negative", "cows_score": 0, "platelets": 250,
    "anticoagulated": False, "bmi": 25,
}


def screen(data: dict[str, Any]) -> Verdict:
    return screen_for_induction(parse_screening_input(data))


def codes(verdict: Verdict, severity: Severity | None = None) -> set[str]:
    return {r.code for r in verdict.reasons if severity is None or r.severity is severity}


def test_fully_recorded_patients_without_concerns_are_ready() -> None:
    assert screen(CLEAN_ALCOHOL).verdict is VerdictLevel.READY
    assert screen(CLEAN_OPIOID).verdict is VerdictLevel.READY


# --- Opioid-free interval (naltrack-policy:opioid-free-interval; label 7–10 days S1/S33; ASAM 7–14 S45) ---
@pytest.mark.parametrize(("opioid_type", "days", "challenge", "expected"), [
    # short-acting: under 7 block, 7–9 caution unless the challenge passed, 10+ ok
    ("short_acting", 6, None, "not_ready"),
    ("short_acting", 6, "passed", "not_ready"),  # a passed challenge does not lift the 7-day minimum
    ("short_acting", 7, None, "caution"),
    ("short_acting", 9, "not_done", "caution"),
    ("short_acting", 9.5, None, "caution"),  # still under 10 days
    ("short_acting", 7, "passed", "ready"),
    ("short_acting", 9, "passed", "ready"),
    ("short_acting", 10, None, "ready"),
    # methadone or buprenorphine: under 7 block, 7–13 caution whatever the challenge, 14+ ok (S44, S45)
    ("methadone", 6, None, "not_ready"),
    ("methadone", 7, None, "caution"),
    ("methadone", 10, "passed", "caution"),
    ("methadone", 13, "passed", "caution"),
    ("methadone", 14, None, "ready"),
    ("buprenorphine", 6, "passed", "not_ready"),
    ("buprenorphine", 9, "passed", "caution"),
    ("buprenorphine", 13, None, "caution"),
    ("buprenorphine", 14, None, "ready"),
])
def test_the_opioid_free_interval_depends_on_the_opioid(opioid_type: str, days: float, challenge: str | None,
                                                        expected: str) -> None:
    data = {**CLEAN_OPIOID, "opioid_type": opioid_type, "opioid_last_use_days_ago": days}
    if challenge is not None:
        data["naloxone_challenge"] = challenge
    assert screen(data).verdict == expected


def test_a_failed_naloxone_challenge_blocks_even_after_a_long_interval() -> None:
    # Label: a failed challenge is a contraindication (S22, S46).
    verdict = screen({**CLEAN_OPIOID, "naloxone_challenge": "failed"})
    assert verdict.verdict is VerdictLevel.NOT_READY
    assert "naloxone_challenge_failed" in codes(verdict, Severity.BLOCK)


@pytest.mark.parametrize(("days", "expected"), [(3, "not_ready"), (8, "caution"), (12, "ready")])
def test_recent_opioid_use_counts_for_an_alcohol_indication_too(days: int, expected: str) -> None:
    # The interval protects anyone with opioids on board, whatever the indication (policy, S1).
    data = {**CLEAN_ALCOHOL, "opioid_last_use_days_ago": days, "opioid_type": "short_acting"}
    assert screen(data).verdict == expected


def test_an_unrecorded_opioid_type_gets_the_longer_interval() -> None:
    # Without the type, 10–13 days could still be too soon after methadone or buprenorphine (S44).
    data = {**CLEAN_ALCOHOL, "opioid_last_use_days_ago": 11}
    assert screen(data).verdict is VerdictLevel.CAUTION
    assert screen({**data, "opioid_last_use_days_ago": 3}).verdict is VerdictLevel.NOT_READY


def test_opioid_type_none_with_a_last_use_date_is_flagged_as_a_conflict() -> None:
    verdict = screen({**CLEAN_ALCOHOL, "opioid_type": "none", "opioid_last_use_days_ago": 3})
    assert verdict.verdict is VerdictLevel.NOT_READY
    assert "opioid_type_conflicts_with_last_use" in codes(verdict, Severity.CAUTION)
    later = screen({**CLEAN_ALCOHOL, "opioid_type": "none", "opioid_last_use_days_ago": 60})
    assert later.verdict is VerdictLevel.CAUTION


def test_opioid_type_none_without_a_date_is_fine_for_alcohol() -> None:
    assert screen({**CLEAN_ALCOHOL, "opioid_type": "none"}).verdict is VerdictLevel.READY


# --- Blocks (naltrack-policy:screening; label contraindications S1, S4, S46) ---
@pytest.mark.parametrize(("change", "code"), [
    ({"currently_taking_opioids": True}, "currently_taking_opioids"),
    ({"needs_opioid_analgesia": True}, "needs_opioid_analgesia"),
    ({"urine_opioid_screen": "positive"}, "urine_opioid_positive"),
    ({"hypersensitivity": True}, "hypersensitivity"),
    ({"acute_hepatitis": True}, "acute_hepatitis"),
    ({"liver_failure": True}, "liver_failure"),
    ({"pregnant": True}, "pregnant_opioid_indication"),  # ASAM: do not newly start in pregnancy (S73)
])
def test_each_contraindication_blocks(change: dict[str, Any], code: str) -> None:
    verdict = screen({**CLEAN_OPIOID, **change})
    assert verdict.verdict is VerdictLevel.NOT_READY
    assert code in codes(verdict, Severity.BLOCK)


def test_acute_hepatitis_blocks_the_injection_as_well() -> None:
    # naltrack keeps the older oral contraindication for both forms (policy; S1, S30).
    assert screen({**CLEAN_OPIOID, "acute_hepatitis": True}).verdict is VerdictLevel.NOT_READY


def test_pregnancy_with_an_alcohol_indication_is_a_caution() -> None:
    # Limited human data (S19, S20): caution, not a block.
    verdict = screen({**CLEAN_ALCOHOL, "pregnant": True})
    assert verdict.verdict is VerdictLevel.CAUTION
    assert "pregnant_alcohol_indication" in codes(verdict)


# --- COWS (policy: 5 or more blocks; S121: under 5 is not meaningful withdrawal) ---
@pytest.mark.parametrize(("cows", "expected"), [
    (0, "ready"), (4, "ready"), (5, "not_ready"), (48, "not_ready"),
])
def test_a_cows_score_of_five_or_more_blocks(cows: int, expected: str) -> None:
    assert screen({**CLEAN_OPIOID, "cows_score": cows}).verdict == expected


# --- Liver enzymes as multiples of ULN (naltrack-policy:lft-thresholds) ---
@pytest.mark.parametrize(("enzyme", "value", "expected"), [
    ("alt", 40, "ready"),  # 1x
    ("alt", 120, "ready"),  # exactly 3x: not above 3x
    ("alt", 120.4, "caution"),  # just above 3x
    ("alt", 200, "caution"),  # exactly 5x: "up to 5x" is a caution
    ("alt", 200.4, "not_ready"),  # above 5x
    ("ast", 120, "ready"),
    ("ast", 121, "caution"),
    ("ast", 200, "caution"),
    ("ast", 201, "not_ready"),
])
def test_liver_enzymes_are_judged_against_three_and_five_times_uln(enzyme: str, value: float,
                                                                  expected: str) -> None:
    assert screen({**CLEAN_ALCOHOL, enzyme: value}).verdict == expected


def test_a_fractional_uln_at_exactly_three_times_is_not_a_caution() -> None:
    # 0.3 / 0.1 is 2.9999999999999996 in floating point; the rule reads it as exactly 3x.
    data = {**CLEAN_ALCOHOL, "alt": 0.3, "alt_uln": 0.1}
    assert screen(data).verdict is VerdictLevel.READY


def test_the_lab_uln_is_used_not_a_fixed_number() -> None:
    # 150 U/L is 3.75x a ULN of 40 (caution) but only 2.5x a ULN of 60 (fine).
    assert screen({**CLEAN_ALCOHOL, "alt": 150, "alt_uln": 40}).verdict is VerdictLevel.CAUTION
    assert screen({**CLEAN_ALCOHOL, "alt": 150, "alt_uln": 60}).verdict is VerdictLevel.READY


def test_an_enzyme_without_its_uln_is_a_caution_that_says_what_to_record() -> None:
    data = {key: value for key, value in CLEAN_ALCOHOL.items() if key != "alt_uln"}
    verdict = screen(data)
    assert verdict.verdict is VerdictLevel.CAUTION
    reason = next(r for r in verdict.reasons if r.code == "alt_uln_missing")
    assert "upper limit" in reason.message


def test_no_baseline_liver_tests_is_a_caution_not_a_block() -> None:
    # NICE CG115 asks for them (S65); Choosing Wisely: do not delay the start for them (S69).
    data = {k: v for k, v in CLEAN_ALCOHOL.items() if k not in ("alt", "ast", "alt_uln", "ast_uln")}
    verdict = screen(data)
    assert verdict.verdict is VerdictLevel.CAUTION
    assert codes(verdict, Severity.CAUTION) == {"no_baseline_liver_tests"}


# --- Renal, bleeding, needle length (policy; S16, S40, S37) ---
@pytest.mark.parametrize(("egfr", "expected"), [
    (49, "caution"), (49.9, "caution"), (50, "ready"), (120, "ready"),
])
def test_egfr_under_fifty_is_a_caution(egfr: float, expected: str) -> None:
    assert screen({**CLEAN_ALCOHOL, "egfr": egfr}).verdict == expected


@pytest.mark.parametrize(("platelets", "formulation", "expected"), [
    (149, "injection", "caution"),
    (150, "injection", "ready"),
    (149, "oral", "ready"),  # bleeding at an IM site only matters for the injection
])
def test_low_platelets_are_a_caution_for_the_injection_only(platelets: float, formulation: str,
                                                            expected: str) -> None:
    data = {**CLEAN_OPIOID, "platelets": platelets, "formulation": formulation}
    verdict = screen(data)
    assert verdict.verdict == expected
    assert ("low_platelets" in codes(verdict)) is (expected == "caution")


def test_anticoagulation_is_a_caution_for_the_injection_only() -> None:
    assert screen({**CLEAN_OPIOID, "anticoagulated": True}).verdict is VerdictLevel.CAUTION
    oral = {**CLEAN_ALCOHOL, "anticoagulated": True}
    assert screen(oral).verdict is VerdictLevel.READY


@pytest.mark.parametrize(("bmi", "code"), [
    (18.4, "needle_1_5_inch"),  # under 18.5: 1.5-inch (S37)
    (18.5, "needle_either_length"),
    (29.9, "needle_either_length"),
    (30, "needle_2_inch"),  # 30 or more: 2-inch (S37)
])
def test_bmi_chooses_the_needle_without_changing_the_verdict(bmi: float, code: str) -> None:
    verdict = screen({**CLEAN_OPIOID, "bmi": bmi})
    assert verdict.verdict is VerdictLevel.READY
    assert code in codes(verdict, Severity.INFO)


def test_oral_naltrexone_for_opioid_use_disorder_gets_the_asam_note() -> None:
    # ASAM 2020 prefers the injection (S71): information only.
    verdict = screen({**CLEAN_OPIOID, "formulation": "oral"})
    assert verdict.verdict is VerdictLevel.READY
    assert "oral_for_opioid_indication" in codes(verdict, Severity.INFO)


# --- Missing facts (policy: some lower the verdict to caution, others are information only) ---
@pytest.mark.parametrize(("base", "removed", "code"), [
    (CLEAN_ALCOHOL, "currently_taking_opioids", "current_opioid_use_unknown"),
    (CLEAN_ALCOHOL, "needs_opioid_analgesia", "opioid_analgesia_need_unknown"),
    (CLEAN_OPIOID, "opioid_last_use_days_ago", "opioid_last_use_missing"),
    (CLEAN_OPIOID, "urine_opioid_screen", "urine_opioid_screen_missing"),
])
def test_missing_facts_the_policy_names_lower_the_verdict_to_caution(base: dict[str, Any], removed: str,
                                                                     code: str) -> None:
    verdict = screen({k: v for k, v in base.items() if k != removed})
    assert verdict.verdict is VerdictLevel.CAUTION
    assert code in codes(verdict, Severity.CAUTION)


def test_a_urine_screen_recorded_as_not_done_counts_as_missing_for_an_opioid_indication() -> None:
    assert screen({**CLEAN_OPIOID, "urine_opioid_screen": "not_done"}).verdict is VerdictLevel.CAUTION


@pytest.mark.parametrize(("removed", "code"), [
    ("egfr", "egfr_not_recorded"),
    ("platelets", "platelets_not_recorded"),
    ("pregnant", "pregnancy_not_recorded"),
    ("hypersensitivity", "hypersensitivity_not_recorded"),
    ("bmi", "needle_length_by_habitus"),
    ("cows_score", "cows_not_recorded"),
])
def test_other_missing_facts_are_information_only(removed: str, code: str) -> None:
    verdict = screen({k: v for k, v in CLEAN_OPIOID.items() if k != removed})
    assert verdict.verdict is VerdictLevel.READY
    assert code in codes(verdict, Severity.INFO)


def test_null_counts_as_not_recorded() -> None:
    assert screen({**CLEAN_ALCOHOL, "egfr": None}).verdict is VerdictLevel.READY
    assert screen({**CLEAN_ALCOHOL, "currently_taking_opioids": None}).verdict is VerdictLevel.CAUTION


def test_reasons_are_ordered_blocks_first() -> None:
    verdict = screen({**CLEAN_OPIOID, "alt": 130, "currently_taking_opioids": True, "egfr": None})
    order = [r.severity for r in verdict.reasons]
    assert order == sorted(order, key=[Severity.BLOCK, Severity.CAUTION, Severity.INFO].index)


def _dev_cases() -> list[dict[str, Any]]:
    path = SHARED / "eval" / "screening-dev.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not _dev_cases(), reason="shared eval cases not present")
@pytest.mark.parametrize("case", _dev_cases(), ids=lambda case: str(case.get("id")))
def test_every_worked_dev_case_gets_its_verdict(case: dict[str, Any]) -> None:
    assert screen(case["input"]).verdict == case["verdict"]


# --- Refusing bad input ---
@pytest.mark.parametrize(("change", "field"), [
    ({"surprise": 1}, "surprise"),
    ({"egfr": True}, "egfr"),  # a bool is not a number
    ({"cows_score": False}, "cows_score"),
    ({"alt": "35"}, "alt"),
    ({"opioid_last_use_days_ago": -1}, "opioid_last_use_days_ago"),
    ({"alt": -0.1}, "alt"),
    ({"ast": -5}, "ast"),
    ({"alt_uln": 0}, "alt_uln"),
    ({"ast_uln": -40}, "ast_uln"),
    ({"egfr": 0}, "egfr"),
    ({"egfr": 500}, "egfr"),
    ({"cows_score": -1}, "cows_score"),
    ({"cows_score": 49}, "cows_score"),
    ({"cows_score": 2.5}, "cows_score"),
    ({"bmi": 3}, "bmi"),
    ({"bmi": 400}, "bmi"),
    ({"platelets": -1}, "platelets"),
    ({"indication": "cocaine"}, "indication"),
    ({"formulation": "implant"}, "formulation"),
    ({"opioid_type": "long_acting"}, "opioid_type"),
    ({"urine_opioid_screen": "Negative"}, "urine_opioid_screen"),
    ({"naloxone_challenge": "yes"}, "naloxone_challenge"),
    ({"pregnant": "no"}, "pregnant"),
    ({"alt": math.nan}, "alt"),
    ({"egfr": math.inf}, "egfr"),
    ({"bmi": -math.inf}, "bmi"),
    ({"platelets": 10**400}, "platelets"),
    ({"indication": None}, "indication"),
    ({"opioid_type": ["none"]}, "opioid_type"),
])
def test_bad_input_is_refused_with_a_message_naming_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ScreeningInputError, match=re.escape(field)):
        parse_screening_input({**CLEAN_OPIOID, **change})


@pytest.mark.parametrize("document", [[], "alcohol", 3, None, [CLEAN_ALCOHOL]])
def test_a_non_object_is_refused(document: Any) -> None:
    with pytest.raises(ScreeningInputError, match="JSON object"):
        parse_screening_input(document)


def test_a_missing_formulation_is_refused() -> None:
    with pytest.raises(ScreeningInputError, match="formulation is required"):
        parse_screening_input({"indication": "alcohol"})


# --- Invariants ---
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def _expected_level(verdict: Verdict) -> VerdictLevel:
    severities = {r.severity for r in verdict.reasons}
    if Severity.BLOCK in severities:
        return VerdictLevel.NOT_READY
    return VerdictLevel.CAUTION if Severity.CAUTION in severities else VerdictLevel.READY


@settings(max_examples=400)
@given(screening_dicts())
def test_valid_inputs_always_get_a_verdict_that_follows_from_its_reasons(data: dict[str, Any]) -> None:
    verdict = screen(data)
    assert verdict.verdict is _expected_level(verdict)
    for reason in verdict.reasons:
        assert _SNAKE.match(reason.code)
        assert reason.source in SOURCES
        assert reason.message and "\n" not in reason.message
    assert json.loads(json.dumps(verdict.as_dict()))["verdict"] == verdict.verdict.value


@settings(max_examples=300)
@given(screening_dicts(), st.sampled_from([
    {"currently_taking_opioids": True}, {"needs_opioid_analgesia": True}, {"urine_opioid_screen": "positive"},
    {"naloxone_challenge": "failed"}, {"hypersensitivity": True}, {"liver_failure": True},
    {"cows_score": 5}, {"opioid_last_use_days_ago": 6.99}, {"alt": 1000, "alt_uln": 40},
]))
def test_adding_any_blocking_fact_makes_the_patient_not_ready(data: dict[str, Any],
                                                              block: dict[str, Any]) -> None:
    if "opioid_last_use_days_ago" in block:
        data.pop("opioid_type", None)
    assert screen({**data, **block}).verdict is VerdictLevel.NOT_READY


@settings(max_examples=1000)
@given(hostile_screening_dicts())
def test_hostile_input_gives_a_verdict_or_the_documented_error(data: dict[Any, Any]) -> None:
    try:
        facts = parse_screening_input(data)
    except ScreeningInputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(facts, ScreeningInput)
    verdict = screen_for_induction(facts)
    assert verdict.verdict in VerdictLevel


@given(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers()), st.floats()))
def test_anything_that_is_not_an_object_is_refused(document: Any) -> None:
    with pytest.raises(ScreeningInputError):
        parse_screening_input(document)
