"""The Ask page: cited answers, urgent advice first, honest "not covered", refusals and the rate limit."""

from __future__ import annotations

import re

import pytest

from naltrack.knowledge import NOT_COVERED, answer_question
from naltrack.web.learn import services

from .conftest import COVERED_QUESTION, UNCOVERED_QUESTION, URGENT_QUESTION

pytestmark = pytest.mark.django_db


def ask(client, question, **headers):
    return client.post("/learn/ask/", {"question": question}, **headers)


@pytest.mark.parametrize("persona", ["anonymous", "patient", "prescriber", "foreign_prescriber"])
def test_anyone_may_ask_and_gets_the_cited_answer(persona, request, client, as_user):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client = as_user(user.user if persona == "patient" else user)
    response = ask(client, COVERED_QUESTION)
    html = response.content.decode()
    expected = answer_question(COVERED_QUESTION)
    assert response.status_code == 200
    assert expected.answer.replace("'", "&#x27;") in html
    # Each cited passage links to its article section.
    for scored in expected.passages:
        passage = scored.passage
        if passage.kind == "guide":
            assert f'href="/learn/{passage.article}/#{passage.anchor}"' in html or \
                   f'href="/learn/{passage.article}/"' in html
    assert "Where this comes from" in html
    assert html.count('class="card passage"') == len(expected.passages)
    assert "Sources (" in html and expected.sources[0] in html


def test_an_urgent_answer_leads_with_what_to_do_now(client):
    response = ask(client, URGENT_QUESTION)
    html = response.content.decode()
    expected = answer_question(URGENT_QUESTION, country=None)  # an anonymous reader: country unknown
    assert expected.is_urgent and expected.passages  # the case this test is about
    advice_at = html.index('class="notice danger urgent-advice" role="alert"')
    assert expected.advice[0].replace("'", "&#x27;") in html[advice_at:]
    assert advice_at < html.index("What the guide says") < html.index("Where this comes from")
    # The urgent advice comes before any guide sentence.
    assert html.index(expected.advice[0][:30]) < html.index('class="answer-text"')


def test_an_urgent_question_answered_for_a_british_patient_gives_the_uk_number(as_user, other_clinic, make_patient):
    patient = make_patient(other_clinic)  # GB clinic, patient.country == "GB"
    html = ask(as_user(patient.user), "I want to kill myself").content.decode()
    assert "call 999" in html and "call 911" not in html


def _every_listed_emergency_number() -> set[str]:
    """The emergency numbers naltrack lists (naltrack.clinical.emergency), Ireland's pair aside."""
    from naltrack.clinical.emergency import CONTACTS

    return {contacts.emergency_number for contacts in CONTACTS.values() if " " not in contacts.emergency_number}


def test_an_anonymous_reader_is_told_to_call_the_local_number_with_examples_from_the_table(client):
    """No clinic, so no country: never one country's number, but the listed numbers as examples."""
    html = ask(client, "I used heroin after my shot and feel very drowsy").content.decode()
    box = html[html.index('class="notice danger urgent-advice"'):]
    box = box[:box.index("</div>")]
    first = re.search(r"<p>(.*?)</p>", box).group(1)
    assert first.startswith("This may be an opioid overdose: call your local emergency number (for example ")
    for number in _every_listed_emergency_number() | {"112"}:
        assert number in first
    assert "call 911" not in box


def test_a_signed_in_patient_keeps_their_own_countrys_number(as_user, patient):
    html = ask(as_user(patient.user), "I used heroin after my shot and feel very drowsy").content.decode()
    assert "This may be an opioid overdose: call 911 now." in html
    assert "your local emergency number (for example" not in html


def test_the_opioid_overdose_report_leads_the_answer_on_the_ask_page(client):
    html = ask(client, "I took some oxy and I'm nodding off").content.decode()
    assert html.index("This may be an opioid overdose") < html.index("Tell the emergency team which opioid")
    assert "The guide does not cover this question." not in html


def test_an_uncovered_question_is_answered_honestly(client):
    html = ask(client, UNCOVERED_QUESTION).content.decode()
    assert "The guide does not cover this question." in html
    assert NOT_COVERED.replace("'", "&#x27;") in html
    assert "Where this comes from" not in html
    assert 'href="/learn/search/?q=What%20is%20the%20capital%20of%20France%3F"' in html


def test_a_hostile_question_is_escaped(client):
    html = ask(client, "<script>alert(1)</script> naltrexone liver").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; naltrexone liver" in html


@pytest.mark.parametrize(("question", "message"), [
    ("", "Please type a question."),
    ("   ", "Please type a question."),
    ("x" * 501, "Please keep your question under 500 characters (it has 501)."),
])
def test_an_empty_or_overlong_question_is_refused_with_a_message(client, question, message):
    response = ask(client, question)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Where this comes from" not in response.content.decode()


def test_the_page_without_a_question_offers_examples_and_prefills_from_the_address(client):
    html = client.get("/learn/ask/?question=liver%20tests").content.decode()
    assert re.search(r'name="question"[^>]*>\s*liver tests</textarea>', html)
    assert "Questions people ask" in html
    assert 'src="/static/learn/learn.js"' in html
    assert "<script>" not in html  # no inline script (CSP)


def test_the_script_asks_for_only_the_result_part(client):
    response = ask(client, COVERED_QUESTION, HTTP_X_REQUESTED_WITH="fetch")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert 'id="answer-h"' in html


def test_the_script_gets_form_errors_in_the_result_part(client):
    response = ask(client, "", HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400
    assert '<div class="notice error" role="alert"><p>Please type a question.</p></div>' in response.content.decode()


# --- rate limit -------------------------------------------------------------------------------


def test_anonymous_visitors_are_limited_per_address_and_told_when_to_retry(client, ask_limit, clock):
    for _ in range(3):
        assert ask(client, COVERED_QUESTION).status_code == 200
    refused = ask(client, COVERED_QUESTION)
    assert refused.status_code == 429
    assert "Too many questions for now. Please try again in 10 minutes." in refused.content.decode()
    assert refused["Retry-After"] == "600"
    assert "Where this comes from" not in refused.content.decode()
    # Another address has its own allowance.
    assert ask(client, COVERED_QUESTION, REMOTE_ADDR="203.0.113.9").status_code == 200
    # The next window starts afresh.
    clock.advance(600)
    assert ask(client, COVERED_QUESTION).status_code == 200


def test_signed_in_users_have_their_own_more_generous_limit(as_user, patient, ask_limit, settings):
    settings.NALTRACK_ASK_RATE_LIMIT_SIGNED_IN = (5, 600)
    client = as_user(patient.user)
    statuses = [ask(client, COVERED_QUESTION).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_invalid_questions_do_not_use_up_the_allowance(client, ask_limit):
    for _ in range(5):
        ask(client, "")
    assert ask(client, COVERED_QUESTION).status_code == 200


def test_take_ask_allowance_counts_per_key_and_window(clock):
    for _ in range(2):
        services.take_ask_allowance("k1", (2, 60))
    with pytest.raises(services.AskRateLimited) as refused:
        services.take_ask_allowance("k1", (2, 60))
    assert refused.value.retry_after_s == 60
    services.take_ask_allowance("k2", (2, 60))
    clock.advance(59)
    with pytest.raises(services.AskRateLimited) as refused:
        services.take_ask_allowance("k1", (2, 60))
    assert refused.value.retry_after_s == 1
    clock.advance(1)
    services.take_ask_allowance("k1", (2, 60))


def test_behind_the_proxy_the_address_the_proxy_saw_is_counted(rf, settings):
    from django.contrib.auth.models import AnonymousUser

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = rf.post("/learn/ask/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    request.user = AnonymousUser()
    spoofed = rf.post("/learn/ask/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7")
    spoofed.user = AnonymousUser()
    behind_proxy = services.asker_key(request)[0]
    assert behind_proxy == services.asker_key(spoofed)[0]
    # Without a proxy the header is the client's own claim: only the connection's address counts.
    settings.SECURE_PROXY_SSL_HEADER = None
    direct = rf.post("/learn/ask/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    direct.user = AnonymousUser()
    assert services.asker_key(direct)[0] != behind_proxy
    assert services.asker_key(direct)[0] == services.asker_key(request)[0]


# --- the service directly ---------------------------------------------------------------------


def test_the_ask_service_separates_urgent_advice_from_the_guide_sentences(rf, clock):
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/learn/ask/")
    request.user = AnonymousUser()
    result = services.ask(request, URGENT_QUESTION)
    assert result.answer.is_urgent
    assert result.answer.answer.startswith(" ".join(result.answer.advice))
    assert result.guide_text and not result.guide_text.startswith(result.answer.advice[0])
    assert all(p.url.startswith("/learn/") for p in result.passages if p.kind != "clinic")
    assert [s.key for s in result.sources] == list(result.answer.sources)


def test_country_for_staff_is_their_clinics(rf, foreign_prescriber):
    request = rf.get("/")
    request.user = foreign_prescriber
    assert services.country_for(request) == "GB"


def test_country_for_a_patient_is_their_own(rf, other_clinic, make_patient):
    request = rf.get("/")
    request.user = make_patient(other_clinic).user
    assert services.country_for(request) == "GB"


def test_country_for_a_reader_without_a_clinic_is_unknown(rf, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert services.country_for(request) is None
    request.user = django_user_model.objects.create(username="reader")  # signed in, no clinic, no record
    assert services.country_for(request) is None
