"""/api/v1/learn/: public endpoints, the exact `naltrack ask --json` contract, clear 422s, the rate limit."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from naltrack.knowledge import answer_question, load_guide

from .conftest import COVERED_QUESTION, URGENT_QUESTION

pytestmark = pytest.mark.django_db


def test_ask_by_post_returns_exactly_the_cli_contract(client):
    response = client.post("/api/v1/learn/ask", {"question": COVERED_QUESTION}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body == answer_question(COVERED_QUESTION).to_json()
    assert list(body) == ["question", "answer", "urgent", "passages", "sources"]
    assert set(body["passages"][0]) == {"article", "title", "text", "score"}


def test_ask_matches_the_command_line_output():
    """The API and `naltrack ask --json` share one engine and one contract."""
    cli = subprocess.run([sys.executable, "-m", "naltrack.cli", "ask", "--json", COVERED_QUESTION],
                         capture_output=True, text=True, timeout=60, check=True)
    from django.test import Client

    api = Client().get("/api/v1/learn/ask", {"question": COVERED_QUESTION}).json()
    assert api == json.loads(cli.stdout)


def test_ask_by_get_works_for_signed_in_users_too(as_user, patient):
    body = as_user(patient.user).get("/api/v1/learn/ask", {"question": URGENT_QUESTION}).json()
    assert body["urgent"] is True
    assert body["answer"].startswith("This is an emergency")


def test_the_anonymous_api_gives_the_local_number_with_examples_not_one_countrys(client):
    from naltrack.clinical.emergency import contacts_for

    body = client.get("/api/v1/learn/ask", {"question": "I used heroin after my shot and feel very drowsy"}).json()
    assert body["urgent"] is True
    assert body["answer"].startswith(f"This may be an opioid overdose: {contacts_for(None).emergency_phrase()} now.")
    assert "call 911" not in body["answer"]
    assert set(contacts_for(None).sources) <= set(body["sources"])


def test_the_api_gives_a_signed_in_patient_their_countrys_number(as_user, other_clinic, make_patient):
    british = make_patient(other_clinic)
    body = as_user(british.user).post("/api/v1/learn/ask", {"question": "I relapsed on fentanyl last night"},
                                      content_type="application/json").json()
    assert body["urgent"] is True
    assert "call 999 now" in body["answer"] and "911" not in body["answer"]


@pytest.mark.parametrize("payload", [{"question": ""}, {"question": "   "}, {"question": "x" * 501}, {},
                                     {"question": 42}, {"question": ["a"]}])
def test_a_bad_question_gets_a_clear_422(client, payload):
    response = client.post("/api/v1/learn/ask", payload, content_type="application/json")
    assert response.status_code == 422
    assert "question" in json.dumps(response.json())


def test_a_question_of_500_characters_is_accepted(client):
    question = ("naltrexone liver " * 40)[:500]
    assert client.get("/api/v1/learn/ask", {"question": question}).status_code == 200


def test_a_too_long_get_question_gets_a_422_naming_the_limit(client):
    response = client.get("/api/v1/learn/ask", {"question": "y" * 600})
    assert response.status_code == 422
    assert "500" in json.dumps(response.json())


def test_the_api_shares_the_ask_rate_limit(client, ask_limit):
    for _ in range(3):
        assert client.get("/api/v1/learn/ask", {"question": COVERED_QUESTION}).status_code == 200
    refused = client.post("/api/v1/learn/ask", {"question": COVERED_QUESTION}, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too many questions for now. Please try again in 10 minutes."}
    assert refused["Retry-After"] == "600"
    assert client.post("/learn/ask/", {"question": COVERED_QUESTION}).status_code == 429


def test_search_returns_passages_with_links(client):
    body = client.get("/api/v1/learn/search", {"q": "liver tests", "limit": 3}).json()
    assert len(body) == 3
    assert body[0]["url"].startswith("/learn/liver-safety-and-blood-tests/")
    assert set(body[0]) == {"article", "title", "heading", "text", "url"}


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "a" * 201}, {"q": "liver", "limit": 0},
                                    {"q": "liver", "limit": 10_000}, {"q": "liver", "limit": "many"}])
def test_bad_search_parameters_get_a_422(client, params):
    assert client.get("/api/v1/learn/search", params).status_code == 422


def test_articles_are_listed_in_navigation_order(client):
    body = client.get("/api/v1/learn/articles").json()
    guide = load_guide()
    assert {item["id"] for item in body} == {article.id for article in guide.articles}
    assert body[0]["id"] == "what-is-naltrexone" and body[0]["section"] == "Basics"
    assert body[0]["url"] == "/learn/what-is-naltrexone/"


def test_one_article_has_markdown_html_sections_and_sources(client):
    body = client.get("/api/v1/learn/articles/what-is-naltrexone").json()
    article = load_guide().article("what-is-naltrexone")
    assert body["markdown"] == article.body
    assert 'class="glossary-term"' in body["html"]
    assert [s["anchor"] for s in body["sections"]] == [s.anchor for s in article.sections]
    assert [s["key"] for s in body["source_details"]] == list(article.sources)


def test_an_unknown_article_is_404(client):
    response = client.get("/api/v1/learn/articles/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_learn_operations_are_public_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/learn/ask", "/api/v1/learn/search", "/api/v1/learn/articles",
                 "/api/v1/learn/articles/{article_id}"):
        for operation in schema["paths"][path].values():
            assert not operation.get("security"), path
    assert schema["paths"]["/api/v1/me"]["get"].get("security")  # the rest stays private
