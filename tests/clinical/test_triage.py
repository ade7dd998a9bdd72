"""Side-effect triage: red flags in everyday words, quiet on ordinary questions, country numbers, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naltrack.clinical.emergency import contacts_for
from naltrack.clinical.sources import SOURCES
from naltrack.clinical.triage import (
    OPIOID_AMBIGUOUS_NAMES,
    OPIOID_NAMES,
    SYMPTOMS,
    SYMPTOMS_BY_CODE,
    TextTriage,
    TriageInputError,
    Urgency,
    _recognise,
    triage_report,
    triage_text,
)
from tests.strategies.safety import (
    OPIOID_QUESTION_TEMPLATES,
    opioid_overdose_reports,
    opioid_use_reports,
    triage_texts,
)


@pytest.mark.parametrize(("text", "code"), [
    # Crisis language (label: suicidal ideation reported on naltrexone, S18): always an emergency.
    ("I want to end it all", "self_harm"),
    ("honestly I just want to kill myself", "self_harm"),
    ("There's no reason to live anymore", "self_harm"),
    ("everyone would be better off dead without me", "self_harm"),
    ("I keep thinking I should hurt myself", "self_harm"),
    ("i dont want to live", "self_harm"),
    ("I've been feeling suicidal since last week", "self_harm"),
    ("im so sucidal tonight", "self_harm"),
    ("Is it normal to want to die on this medication?", "self_harm"),
    # Overdose and breathing (overdose risk on and after naltrexone, S46, S49).
    ("I think I took too many pills", "overdose"),
    ("my friend overdosed", "overdose"),
    ("he can't breathe", "breathing_emergency"),
    ("She's not breathing!!", "breathing_emergency"),
    ("my brother is unconscious", "unresponsive"),
    ("I can't wake him up", "unresponsive"),
    ("his lips are blue", "blue_lips"),
    ("I used a lot of heroin to get past the block", "overcoming_blockade"),
    # Severe allergic reaction (hypersensitivity including anaphylaxis, S46, S40).
    ("swelling of my face and lips", "severe_allergic_reaction"),
    ("My tongue is swollen", "severe_allergic_reaction"),
    ("I have trouble breathing after my tablet", "breathing_emergency"),
    ("hives all over my body", "severe_allergic_reaction"),
])
def test_emergencies_in_everyday_words(text: str, code: str) -> None:
    result = triage_text(text)
    assert result.urgency is Urgency.EMERGENCY
    assert code in result.codes
    assert result.is_urgent


@pytest.mark.parametrize(("text", "code"), [
    # Liver injury signs: stop and seek care (S1, S13).
    ("my skin turned yellow", "jaundice"),
    ("The whites of my eyes look yellow", "jaundice"),
    ("yellow eyes since monday", "jaundice"),
    ("I think I have jaundise", "jaundice"),
    ("dark urine", "dark_urine"),
    ("my pee is really dark", "dark_urine"),
    ("dark pee all week", "dark_urine"),
    ("my pee looks like cola", "dark_urine"),
    ("pain under my right ribs", "right_upper_abdominal_pain"),
    ("right upper belly pain for 3 days", "right_upper_abdominal_pain"),
    ("I'm unusually tired and weak", "unusual_tiredness"),
    # Severe injection-site reactions (S35, S50).
    ("the injection site is hot and swollen", "injection_site_severe"),
    ("my shot is oozing pus", "injection_site_severe"),
    ("the lump is getting bigger where I got the injection", "injection_site_severe"),
    ("the skin at the injection site went black", "injection_site_severe"),
    # Eosinophilic pneumonia after the injection (S40).
    ("I'm short of breath and have a cough since the shot", "breathless_with_cough_or_fever"),
    ("out of breath with a fever after my injection", "breathless_with_cough_or_fever"),
    # Precipitated withdrawal (S1, S46).
    ("naltrexone threw me into withdrawal", "precipitated_withdrawal"),
    ("full withdrawal after my first dose", "precipitated_withdrawal"),
    ("I think I'm in precipitated withdrawal", "precipitated_withdrawal"),
])
def test_urgent_signs_are_recognised(text: str, code: str) -> None:
    result = triage_text(text)
    assert result.urgency is Urgency.URGENT
    assert code in result.codes


def test_several_liver_signs_are_all_reported_in_order() -> None:
    result = triage_text("My skin and eyes have turned yellow and my urine is dark since starting naltrexone")
    assert result.codes == ("jaundice", "dark_urine")
    assert not result.is_crisis


@pytest.mark.parametrize(("text", "code"), [
    # Common side effects (S2, S35).
    ("I feel nauseous", "nausea"),
    ("headache and dizzy", "headache"),
    ("been throwing up a bit", "vomiting"),
    ("so tired lately", "fatigue"),
    ("trouble sleeping on it", "trouble_sleeping"),
    ("I'm anxious all the time", "anxiety"),
    ("very drowsy after the pill", "sleepiness"),
    ("my joints hurt", "joint_muscle_pain"),
    ("The injection site is a bit sore", "injection_site_tenderness"),
])
def test_common_side_effects_are_routine(text: str, code: str) -> None:
    result = triage_text(text)
    assert result.urgency is Urgency.ROUTINE
    assert code in result.codes
    assert not result.is_urgent


@pytest.mark.parametrize("text", [
    # Ordinary questions must not raise an alarm.
    "Can naltrexone hurt my liver?",
    "What are common side effects?",
    "How long does the shot last?",
    "Is it safe to drink on naltrexone?",
    "what does yellow card mean",
    "Can naltrexone cause dark urine?",
    "Does naltrexone cause suicidal thoughts?",
    "Can naltrexone make my eyes yellow?",
    "What happens if I take too much?",
    "Is nausea a common side effect?",
    "Signs of liver problems include dark urine and yellow eyes.",
    "Will the injection site get swollen?",
    "Can naltrexone cause depression?",
    "What is an overdose?",
    "I'm tired of waiting for my appointment",
    "How long must I be off opioids before my first dose?",
    "",
])
def test_ordinary_questions_do_not_fire(text: str) -> None:
    result = triage_text(text)
    assert result.urgency is Urgency.NONE
    assert result.codes == () and result.advice == () and not result.is_crisis


@pytest.mark.parametrize("text", [
    "no yellow eyes or dark urine",
    "I don't have dark urine",
    "My eyes are not yellow",
    "I haven't had any swelling of my face",
])
def test_negated_symptoms_do_not_fire(text: str) -> None:
    assert triage_text(text).urgency is Urgency.NONE


def test_a_negation_does_not_spill_past_but() -> None:
    assert triage_text("I don't have yellow eyes but my pee is dark").codes == ("dark_urine",)


def test_a_question_that_reports_a_symptom_does_fire() -> None:
    assert triage_text("Is it normal that my eyes are yellow?").urgency is Urgency.URGENT
    assert triage_text("Should I stop? my eyes are yellow").urgency is Urgency.URGENT


def test_crisis_text_is_marked_for_the_forum() -> None:
    result = triage_text("I want to end it all")
    assert result.is_crisis and result.codes == ("self_harm",)


@pytest.mark.parametrize(("country", "emergency", "crisis"), [
    # Official numbers (us:911, us:988-lifeline, ca:988, gb:nhs-999, samaritans:116123, eu:112, au:000,
    # au:lifeline, nz:111, nz:1737).
    ("US", "911", "988"),
    ("CA", "911", "988"),
    ("GB", "999", "116 123"),
    ("UK", "999", "116 123"),
    ("IE", "112", "116 123"),
    ("AU", "000", "13 11 14"),
    ("NZ", "111", "1737"),
    ("FR", "112", None),
    ("de", "112", None),
])
def test_crisis_advice_gives_the_countrys_numbers_first(country: str, emergency: str, crisis: str | None) -> None:
    result = triage_text("I want to kill myself", country=country)
    assert emergency in result.advice[0]
    if crisis is not None:
        assert crisis in result.advice[0]
    assert set(contacts_for(country).sources) <= set(result.sources)


@pytest.mark.parametrize("country", ["ZZ", "", "xx-yy", "Narnia"])
def test_an_unknown_country_gets_a_safe_fallback_never_a_wrong_number(country: str) -> None:
    result = triage_text("he is not breathing", country=country)
    assert "your local emergency number" in result.advice[0]
    assert not any(number in result.advice[0] for number in ("911", "999", "112", "000"))


def test_a_reader_of_unknown_country_gets_the_local_number_with_examples_from_the_table() -> None:
    """contacts_for(None): the Learn pages' anonymous reader. Examples come from CONTACTS, not from prose."""
    from naltrack.clinical.emergency import CONTACTS

    anywhere = contacts_for(None)
    phrase = anywhere.emergency_phrase()
    assert phrase.startswith("call your local emergency number (for example 911 in the US and Canada, 999 in the UK")
    for code, contacts in CONTACTS.items():
        number = "112" if code == "IE" else contacts.emergency_number
        assert number in phrase
        assert contacts.crisis_line_number in anywhere.crisis_phrase()
        assert set(contacts.sources) <= set(anywhere.sources)
    assert "112 in the EU" in phrase
    assert not anywhere.is_known and not anywhere.has_crisis_line
    result = triage_text("I want to end it all", country=None)
    assert "your local emergency number (for example" in result.advice[0]
    assert "116 123" in result.advice[0] and "988" in result.advice[0]


def test_urgent_advice_says_to_contact_the_clinic_today() -> None:
    result = triage_text("my eyes are yellow")
    assert "today" in result.advice[0]
    assert any("do not take more" in step for step in result.advice)  # stop tablets, seek care (S1)


def test_every_checklist_item_has_a_registered_source_and_a_plain_label() -> None:
    assert len(SYMPTOMS_BY_CODE) == len(SYMPTOMS)
    for symptom in SYMPTOMS:
        assert symptom.source in SOURCES
        assert symptom.label and symptom.label[0].isupper()


@pytest.mark.parametrize(("symptoms", "text", "urgency", "flags"), [
    (set(), "", Urgency.NONE, False),
    ({"nausea", "headache"}, "", Urgency.ROUTINE, False),
    ({"nausea", "jaundice"}, "", Urgency.URGENT, True),
    ({"injection_site_severe"}, "", Urgency.URGENT, True),
    ({"severe_allergic_reaction"}, "", Urgency.EMERGENCY, True),
    ({"nausea"}, "I want to end it all", Urgency.EMERGENCY, True),
    (["fatigue"], "dark urine since yesterday", Urgency.URGENT, True),
])
def test_a_report_combines_the_checklist_and_free_text(symptoms, text: str, urgency: Urgency,
                                                       flags: bool) -> None:
    result = triage_report(symptoms, text, formulation="injection", country="US")
    assert result.urgency is urgency
    assert result.flags_clinician is flags
    assert (result.next_steps == ()) is (urgency is Urgency.NONE)
    assert set(symptoms) <= set(result.codes)


def test_an_emergency_report_tells_the_team_about_the_injection() -> None:
    result = triage_report({"severe_allergic_reaction"}, formulation="injection", country="AU")
    assert "000" in result.next_steps[0]
    assert any("injection" in step for step in result.next_steps)


@pytest.mark.parametrize(("symptoms", "formulation"), [
    ({"itchy_toes"}, None), ({"nausea"}, "patch"), ("nausea", None), ({3}, None),
])
def test_unknown_codes_and_formulations_are_refused(symptoms, formulation) -> None:
    with pytest.raises(TriageInputError):
        triage_report(symptoms, "", formulation=formulation)


def test_text_must_be_a_string() -> None:
    with pytest.raises(TriageInputError):
        triage_text(None)  # type: ignore[arg-type]


# --- Invariants ---
# No per-example deadline: patterns compile on first use, so the first example of a run may take longer on a
# busy machine; bench/bench_ask.py is where speed is measured.
def _check_shape(result: TextTriage) -> None:
    assert (result.urgency is Urgency.NONE) is (result.codes == ())
    assert (result.advice == ()) is (result.urgency is Urgency.NONE)
    assert result.is_urgent is (result.urgency in (Urgency.EMERGENCY, Urgency.URGENT))
    assert result.is_crisis is ("self_harm" in result.codes)
    assert all(code in SYMPTOMS_BY_CODE for code in result.codes)
    assert len(set(result.codes)) == len(result.codes)
    assert set(result.sources) <= set(SOURCES)
    if result.codes:
        assert result.urgency is SYMPTOMS_BY_CODE[result.codes[0]].urgency  # most urgent first


@settings(max_examples=1000, deadline=None)
@given(triage_texts(), st.sampled_from(["US", "GB", "AU", "NZ", "CA", "IE", "FR", "ZZ", ""]))
def test_any_text_gets_a_well_formed_triage(text: str, country: str) -> None:
    _check_shape(triage_text(text, country=country))


@settings(max_examples=1000, deadline=None)
@given(triage_texts())
def test_the_word_index_never_hides_a_pattern(text: str) -> None:
    # The fast path (anchor words pick the patterns) must agree with trying every pattern.
    assert _recognise(text) == _recognise(text, use_index=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(SYMPTOMS_BY_CODE)), max_size=5, unique=True), triage_texts(),
       st.sampled_from([None, "oral", "injection"]))
def test_a_report_is_at_least_as_urgent_as_its_worst_checked_symptom(codes: list[str], text: str,
                                                                     formulation: str | None) -> None:
    result = triage_report(codes, text, formulation=formulation)
    order = list(Urgency)
    for code in codes:
        assert order.index(result.urgency) <= order.index(SYMPTOMS_BY_CODE[code].urgency)
    assert result.flags_clinician is (result.urgency in (Urgency.EMERGENCY, Urgency.URGENT))


# --- Opioid use and possible opioid overdose -------------------------------------------------------
# The labels: after detox tolerance is lost, and using once the block fades can be fatal (S2); fatal
# overdoses followed use at the end of an injection's interval, after a missed dose or after stopping, and
# attempts to overcome the block can be fatal (S46, S49). So a report of opioid use is urgent, and opioid use
# with sedation or a breathing or waking sign is a possible overdose: an emergency.
_OPIOID_CODES = {"opioid_use", "opioid_overdose_signs"}


@pytest.mark.parametrize("text", [
    "I used heroin after my shot and feel very drowsy",
    "I shot up some dope an hour ago and now I keep nodding off",
    "we smoked fent and she's barely breathing",
    "snorted a couple lines of oxy and I'm so drowsy I can't keep my eyes open",
    "I injected heroin and passed out for a bit",
    "My husband took a few percs and he is really sleepy",
    "I missed my dose and used gear, now I can't stay awake",
    "Stopped naltrexone last month, had some heroin tonight and feel very groggy",
    "I'm high on heroin and my pupils are pinned",
    "my friend relapsed with fentanyl and is nodding out on the couch",
    "took my usual amount of oxycodone and I'm falling asleep",
    "I took 2 tramadol and now I'm very drowsy",
    "i used herion after my vivitrol and im really sleepy",
    "I popped some pain pills and feel super sleepy",
    "He took fentanyl. He's not breathing.",
    "My friend used heroin and now he won't wake up",
    "I've been clean for a year but last night I used heroin again and I feel really out of it",
    "Is it normal to feel this sleepy? I used heroin about an hour ago",
    "I took co-codamol and I'm sleepy",
    "I took some pills and now I can't stay awake",  # unnamed pills count with overdose signs
    "I used heroin on top of my naltrexone and can't breathe properly",
    # A question about someone in that state right now gets the same advice (over-triage when ambiguous).
    "What should I do if someone used heroin and is very drowsy?",
    "What if my friend took fentanyl and won't wake up?",
])
def test_opioid_use_with_sedation_is_a_possible_overdose(text: str) -> None:
    result = triage_text(text)
    assert result.urgency is Urgency.EMERGENCY
    assert result.codes[0] == "opioid_overdose_signs"
    assert "opioid_use" not in result.codes and "sleepiness" not in result.codes  # folded into the emergency
    assert result.advice[0].startswith("This may be an opioid overdose: call 911 now.")


@pytest.mark.parametrize("text", [
    "I used heroin last night",
    "I relapsed on fentanyl last night",
    "I took oxycodone after my dental work",
    "Been using fentanyl since my shot wore off",
    "I smoked some dope last weekend",
    "I've been taking oxy for my back since stopping the tablets",
    "Relapsed on heroin two days ago",
    "I did heroin again",
    "He used opiates last night after missing his tablets",
    "I used heroin but I'm not sleepy at all",  # sedation negated: use alone
    "I used heroin last night, is that dangerous on the shot?",  # a report inside a question
    "No heroin, but I took some oxy yesterday",  # the negation stops at "but"
    "I took some pressed pills last night",
])
def test_a_report_of_opioid_use_is_urgent(text: str) -> None:
    result = triage_text(text)
    assert result.urgency is Urgency.URGENT
    assert "opioid_use" in result.codes


@pytest.mark.parametrize(("text", "urgency"), [
    # Negations.
    ("I have not used heroin since my shot", Urgency.NONE),
    ("no opioids since starting naltrexone", Urgency.NONE),
    ("I haven't touched fentanyl in months", Urgency.NONE),
    ("I never took oxy", Urgency.NONE),
    ("I didn't use any dope and I feel sleepy", Urgency.ROUTINE),
    # History, not use now.
    ("I used heroin for 10 years before starting", Urgency.NONE),
    ("I used heroin for 10 years before starting and now I feel drowsy all the time", Urgency.ROUTINE),
    ("Years ago I took a lot of oxycodone", Urgency.NONE),
    ("I had a history of using heroin in my twenties", Urgency.NONE),
    ("Before I started naltrexone I used fentanyl daily", Urgency.NONE),
    ("I used heroin 20 years ago but now I'm on the shot and very sleepy", Urgency.ROUTINE),
    ("Day 30 on the shot. I used to use heroin every day for years. Now I'm clean. Sleepy in the afternoons.",
     Urgency.ROUTINE),
    # Stopping, or only thinking about it.
    ("I stopped taking methadone three weeks ago and feel drowsy", Urgency.ROUTINE),
    ("I stopped using heroin before I started the shot", Urgency.NONE),
    ("I'm scared of using heroin again", Urgency.NONE),
    ("I'm thinking about using fentanyl", Urgency.NONE),
    # Questions, not reports.
    ("can I take codeine on naltrexone?", Urgency.NONE),
    ("how long after heroin can I start?", Urgency.NONE),
    ("How long after I used heroin can I start naltrexone?", Urgency.NONE),
    ("What happens if I use heroin on naltrexone?", Urgency.NONE),
    ("Is it dangerous to take oxycodone while on the shot?", Urgency.NONE),
    ("Will I overdose if I use fentanyl after the shot wears off?", Urgency.NONE),
    ("Has anyone used heroin on vivitrol?", Urgency.NONE),
    ("Can taking oxycodone make you drowsy on naltrexone?", Urgency.NONE),
    ("Naltrexone vs methadone, which is better?", Urgency.NONE),
    # Not an opioid, or an everyday word that is also a street name.
    ("I took my naltrexone tablet and feel drowsy", Urgency.ROUTINE),
    ("very drowsy after the pill", Urgency.ROUTINE),
    ("I took two pills and feel sleepy", Urgency.ROUTINE),
    ("I had subs for lunch and feel sleepy", Urgency.ROUTINE),
    ("My gym gear is in the car and I feel sleepy", Urgency.ROUTINE),
    ("I'm dope sick and can't sleep", Urgency.ROUTINE),
    ("I took some pills for my headache", Urgency.ROUTINE),  # unnamed pills alone are not opioid use
    # A treatment named after the medicine.
    ("I did a methadone detox last spring", Urgency.NONE),
    ("I'm doing a bupe taper", Urgency.NONE),
    ("I took an opioid-free painkiller and feel sleepy", Urgency.ROUTINE),
    ("I used an opioid blocker today", Urgency.NONE),  # naltrexone itself
    ("I did opioid addiction treatment last month", Urgency.NONE),
])
def test_negations_history_questions_and_everyday_words_are_not_opioid_use(text: str, urgency: Urgency) -> None:
    result = triage_text(text)
    assert _OPIOID_CODES.isdisjoint(result.codes)
    assert result.urgency is urgency


def test_overdose_advice_says_what_to_do_now_and_invents_no_naloxone_dosing() -> None:
    result = triage_text("I used heroin after my shot and feel very drowsy", country="GB")
    assert result.advice[0] == ("This may be an opioid overdose: call 999 now. If it is you, call now and do not "
                                "stay alone; if it is someone else, stay with them until help arrives.")
    assert any("Do not take any more opioids" in step for step in result.advice)
    assert any("Tell the emergency team which opioid was used" in step and "naltrexone" in step
               for step in result.advice)
    assert not any("naloxone" in step.lower() or "narcan" in step.lower() for step in result.advice)
    assert {"S46", "S49", "S2", "gb:nhs-999"} <= set(result.sources)


def test_urgent_opioid_use_advice_explains_the_lost_tolerance_and_when_to_call() -> None:
    result = triage_text("I relapsed on fentanyl last night", country="AU")
    assert result.advice[0].startswith("Contact your prescriber or clinic today.")
    text = " ".join(result.advice)
    assert "fatal overdose" in text and "end of an injection's month" in text and "stopping or missing" in text
    assert "call 000 now" in text  # what to do if it turns into an emergency
    assert {"S2", "S46", "S49", "au:000"} <= set(result.sources)


def test_a_possible_overdose_with_crisis_language_keeps_the_plain_call_first_then_the_overdose_steps() -> None:
    """The forum's crisis card shows the numbers itself and then advice[1:], so advice[0] is the call."""
    result = triage_text("I want to end it all. I took a lot of heroin and I'm nodding off")
    assert result.urgency is Urgency.EMERGENCY and result.is_crisis
    assert set(result.codes) >= {"self_harm", "opioid_overdose_signs"}
    assert result.advice[0] == ("This is an emergency: call 911 now. If it is someone else, stay with them until "
                                "help arrives.")
    assert any(step.startswith("This may be an opioid overdose") for step in result.advice[1:])
    assert any("988" in step for step in result.advice[1:])
    assert any("Tell the emergency team which opioid" in step for step in result.advice[1:])


@pytest.mark.parametrize(("symptoms", "urgency"), [
    ({"opioid_use"}, Urgency.URGENT),
    ({"opioid_overdose_signs"}, Urgency.EMERGENCY),
    ({"opioid_use", "nausea"}, Urgency.URGENT),
])
def test_the_opioid_checklist_items_flag_the_clinician(symptoms: set[str], urgency: Urgency) -> None:
    result = triage_report(symptoms, formulation="injection", country="US")
    assert result.urgency is urgency and result.flags_clinician
    assert "911" in " ".join(result.next_steps)


def test_every_opioid_name_naltrack_knows_is_read_as_an_opioid() -> None:
    """The medicines table (analgesics, treatment, illicit, cough remedies) and the street names."""
    for name in (*OPIOID_NAMES, *OPIOID_AMBIGUOUS_NAMES):
        assert triage_text(f"I used {name} last night").codes == ("opioid_use",), name
        assert triage_text(f"I used {name} last night and I can't stay awake").codes[0] == "opioid_overdose_signs"


@settings(max_examples=400, deadline=None)
@given(opioid_overdose_reports())
def test_any_report_of_opioid_use_with_sedation_is_an_emergency(text: str) -> None:
    result = triage_text(text)
    assert result.urgency is Urgency.EMERGENCY and "opioid_overdose_signs" in result.codes, text


@settings(max_examples=400, deadline=None)
@given(opioid_use_reports())
def test_any_report_of_opioid_use_is_at_least_urgent_and_negating_it_removes_it(text: str) -> None:
    assert triage_text(text).is_urgent, text
    assert "opioid_use" in triage_text(text).codes, text
    for negated in (text.replace(" used ", " have not used ", 1), text.replace(" took ", " never took ", 1)):
        if negated != text:
            assert _OPIOID_CODES.isdisjoint(triage_text(negated).codes), negated


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(OPIOID_QUESTION_TEMPLATES), st.sampled_from(OPIOID_NAMES))
def test_a_plain_question_about_an_opioid_is_not_urgent(template: str, name: str) -> None:
    text = template.format(name=name)
    assert triage_text(text).urgency is Urgency.NONE, text


@settings(max_examples=300, deadline=None)
@given(triage_texts())
def test_adding_drowsiness_to_a_report_of_opioid_use_makes_it_an_emergency(text: str) -> None:
    if "opioid_use" in triage_text(text).codes:
        result = triage_text(text + ". I feel very drowsy.")
        assert result.urgency is Urgency.EMERGENCY and "opioid_overdose_signs" in result.codes
