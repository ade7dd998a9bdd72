"""The screening page records exactly the core's verdict; bad input changes nothing; overrides are for prescribers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from naltrack.clinical.screening import parse_screening_input, screen_for_induction
from naltrack.web.accounts.models import AuditEvent
from naltrack.web.safety import services
from naltrack.web.safety.models import Screening, ScreeningOverride

from .conftest import BLOCKING_INPUT, READY_INPUT

# Eval-like cases (the shapes of ../shared/eval/screening-dev.jsonl): one per verdict and rule family.
CASES = [
    READY_INPUT,  # everything answered and normal: ready
    {"indication": "alcohol", "formulation": "oral"},  # almost nothing recorded: caution, never a crash
    BLOCKING_INPUT,  # current opioids and a positive urine screen: not_ready (S46)
    {"indication": "opioid", "formulation": "injection", "currently_taking_opioids": False,
     "needs_opioid_analgesia": False, "opioid_last_use_days_ago": 10, "opioid_type": "methadone",
     "urine_opioid_screen": "negative", "cows_score": 0, "platelets": 210, "alt": 30, "ast": 28,
     "alt_uln": 40, "ast_uln": 40},  # methadone 10 days ago: caution (naltrack-policy:opioid-free-interval)
    {"indication": "opioid", "formulation": "injection", "currently_taking_opioids": False,
     "needs_opioid_analgesia": False, "opioid_last_use_days_ago": 12, "opioid_type": "short_acting",
     "urine_opioid_screen": "negative", "naloxone_challenge": "passed", "cows_score": 1, "platelets": 240,
     "bmi": 24, "alt": 30, "ast": 28, "alt_uln": 40, "ast_uln": 40},
    {"indication": "alcohol", "formulation": "oral", "currently_taking_opioids": False,
     "needs_opioid_analgesia": False, "alt": 210, "alt_uln": 40},  # ALT 5.25x ULN: block
    {"indication": "alcohol", "formulation": "injection", "pregnant": True, "egfr": 40, "platelets": 120,
     "anticoagulated": True, "bmi": 32.5, "cows_score": 6},
]
EVAL_FILE = Path(__file__).resolve().parents[4] / "shared" / "eval" / "screening-dev.jsonl"
if EVAL_FILE.exists():
    CASES += [json.loads(line)["input"] for line in EVAL_FILE.read_text().splitlines() if line.strip()][:30]


def as_form(data):
    """The DESIGN.md JSON object as the screening form would post it."""
    posted = {}
    for key, value in data.items():
        if isinstance(value, bool):
            posted[key] = "yes" if value else "no"
        else:
            posted[key] = str(value)
    return posted


def url(patient):
    return reverse("safety:screening", args=[patient.id])


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['indication']}-{c['formulation']}-{len(c)}")
def test_the_page_records_exactly_the_cores_verdict(case, as_user, nurse, patient):
    response = as_user(nurse).post(url(patient), as_form(case))
    assert response.status_code == 302
    stored = Screening.objects.get(patient=patient)
    expected = screen_for_induction(parse_screening_input(case)).as_dict()
    assert stored.verdict == expected["verdict"]
    assert stored.reasons == expected["reasons"]
    assert stored.inputs == parse_inputs(case)
    assert stored.recorded_by == nurse
    assert AuditEvent.objects.filter(patient=patient, actor=nurse, action="create",
                                     target=f"screening {stored.id}").exists()


def parse_inputs(case):
    """What the form stores: numbers as floats (COWS as a whole number), booleans and choices as given."""
    return {k: (float(v) if isinstance(v, int | float) and not isinstance(v, bool) and k != "cows_score" else v)
            for k, v in case.items()}


def test_the_verdict_is_shown_with_each_reason_severity_and_source_title(as_user, prescriber, patient, screen):
    screen(patient, BLOCKING_INPUT, prescriber)
    body = as_user(prescriber).get(url(patient)).content.decode()
    assert "Not ready" in body
    assert "gate-banner" in body and "The latest screening" in body
    assert "Currently taking opioids" in body
    assert "S46" in body and "VIVITROL HCP — Important Safety Information (Alkermes)" in body
    assert "Blocks" in body


@pytest.mark.parametrize("bad", [
    {"alt": "thirty"},  # text in a number
    {"alt": "-5"},  # negative
    {"cows_score": "60"},  # beyond the scale
    {"cows_score": "2.5"},  # not whole
    {"opioid_type": "fentanyl"},  # unknown choice
    {"indication": ""},  # required
    {"egfr": "1e400"},  # overflows to infinity
    {"bmi": "nan"},
    {"pregnant": "maybe"},
    {"opioid_last_use_days_ago": "99999999"},
])
def test_bad_input_changes_nothing_and_says_why(bad, as_user, nurse, patient):
    posted = {**as_form(READY_INPUT), **bad}
    response = as_user(nurse).post(url(patient), posted)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert not Screening.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_liver_values_are_prefilled_from_the_latest_results(as_user, nurse, patient, liver_result):
    import datetime as dt

    liver_result(patient, nurse, test="alt", value=52, uln=45, taken_on=dt.date(2026, 10, 1))
    liver_result(patient, nurse, test="alt", value=61, uln=45, taken_on=dt.date(2026, 10, 10))
    form = as_user(nurse).get(url(patient)).context["form"]
    assert form.initial["alt"] == 61 and form.initial["alt_uln"] == 45
    assert "ast" not in form.initial


def test_the_screening_page_answers_each_persona(as_user, counsellor, foreign_prescriber, patient, outsider):
    assert as_user(counsellor).get(url(patient)).status_code == 200
    assert as_user(foreign_prescriber).get(url(patient)).status_code == 404
    assert as_user(patient.user).get(url(patient)).status_code == 403  # patients use their own pages
    assert as_user(outsider).get(url(patient)).status_code == 404


def test_a_counsellor_may_read_but_not_record_a_screening(as_user, counsellor, patient):
    response = as_user(counsellor).post(url(patient), as_form(READY_INPUT))
    assert response.status_code == 403
    assert not Screening.objects.exists()


def test_a_foreign_clinician_cannot_record_a_screening(as_user, foreign_prescriber, patient):
    assert as_user(foreign_prescriber).post(url(patient), as_form(READY_INPUT)).status_code == 404
    assert not Screening.objects.exists()


# --- overrides -----------------------------------------------------------------------------------

REASON = "Urine positive from prescribed codeine stopped 12 days ago; naloxone challenge passed today."


def override_url(patient, screening):
    return reverse("safety:screening-override", args=[patient.id, screening.id])


def test_a_prescriber_overrides_a_blocking_screening_with_a_reason(as_user, prescriber, patient, screen):
    screening = screen(patient, BLOCKING_INPUT, prescriber)
    response = as_user(prescriber).post(override_url(patient, screening), {"reason": REASON})
    assert response.status_code == 302
    override = ScreeningOverride.objects.get(screening=screening)
    assert override.reason == REASON and override.by == prescriber
    event = AuditEvent.objects.get(action="override")
    assert event.patient == patient and event.target == f"screening {screening.id}"
    body = as_user(prescriber).get(url(patient)).content.decode()
    assert "Overridden by" in body and "naloxone challenge passed today" in body
    assert "gate-banner" not in body


@pytest.mark.parametrize("persona", ["nurse", "counsellor"])
def test_nurses_and_counsellors_cannot_override(persona, request, as_user, prescriber, patient, screen):
    screening = screen(patient, BLOCKING_INPUT, prescriber)
    user = request.getfixturevalue(persona)
    assert as_user(user).post(override_url(patient, screening), {"reason": REASON}).status_code == 403
    assert not ScreeningOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="override").exists()


def test_a_foreign_prescriber_gets_404_for_an_override(as_user, prescriber, foreign_prescriber, patient, screen):
    screening = screen(patient, BLOCKING_INPUT, prescriber)
    assert as_user(foreign_prescriber).post(override_url(patient, screening), {"reason": REASON}).status_code == 404
    assert not ScreeningOverride.objects.exists()


def test_a_screening_of_another_patient_cannot_be_overridden_through_this_patients_url(
        as_user, prescriber, patient, other_patient, screen):
    theirs = screen(other_patient, BLOCKING_INPUT, prescriber)
    assert as_user(prescriber).post(override_url(patient, theirs), {"reason": REASON}).status_code == 404
    assert not ScreeningOverride.objects.exists()


@pytest.mark.parametrize("reason", ["", "ok", "   fine, go ahead   "])
def test_an_override_needs_a_real_reason(reason, as_user, prescriber, patient, screen):
    screening = screen(patient, BLOCKING_INPUT, prescriber)
    response = as_user(prescriber).post(override_url(patient, screening), {"reason": reason}, follow=True)
    assert "Override not recorded" in response.content.decode()
    assert not ScreeningOverride.objects.exists()


def test_a_ready_or_superseded_screening_cannot_be_overridden(prescriber, patient, screen):
    from django.core.exceptions import ValidationError

    ready = screen(patient, READY_INPUT, prescriber)
    with pytest.raises(ValidationError):
        services.override_screening(ready, by=prescriber, reason=REASON)
    old_block = screen(patient, BLOCKING_INPUT, prescriber)
    screen(patient, BLOCKING_INPUT, prescriber)
    with pytest.raises(ValidationError, match="newer screening"):
        services.override_screening(old_block, by=prescriber, reason=REASON)
    assert not ScreeningOverride.objects.exists()


def test_the_override_service_refuses_a_nurse_directly(nurse, prescriber, patient, screen):
    from django.core.exceptions import PermissionDenied

    screening = screen(patient, BLOCKING_INPUT, prescriber)
    with pytest.raises(PermissionDenied):
        services.override_screening(screening, by=nurse, reason=REASON)


def test_hostile_text_in_an_override_reason_is_escaped(as_user, prescriber, patient, screen):
    screening = screen(patient, BLOCKING_INPUT, prescriber)
    hostile = "<script>alert('x')</script> challenge passed and urine explained by codeine"
    as_user(prescriber).post(override_url(patient, screening), {"reason": hostile})
    body = as_user(prescriber).get(url(patient)).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body
