"""The Learn pages in a real browser: asking a question, an article and the comparison on a phone."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from .conftest import PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "harbour-lantern-quiet-73"
QUESTION = "Can I drink alcohol while taking naltrexone?"
URGENT = "I have hives and my throat is swelling after the naltrexone injection"


@pytest.fixture(autouse=True)
def clean_ask_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def patient_with_login(clinic, make_patient):
    patient = make_patient(clinic, given_name="Robin", family_name="Ashdown", display_name="HarbourFinch3")
    patient.user.set_password(PASSWORD)
    patient.user.save()
    return patient


def test_a_patient_asks_a_question_and_reads_the_cited_answer(page_for, screenshot, patient_with_login):
    page = page_for()
    log_in(page, patient_with_login.user.username, PASSWORD)
    page.get_by_role("link", name="Ask", exact=True).click()
    assert page.get_by_role("heading", name="Ask the guide").is_visible()
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Ask", exact=True).click()
    heading = page.get_by_role("heading", name=f"Answer to “{QUESTION}”")
    heading.wait_for()
    # learn.js put the answer in place without a reload and moved focus to it.
    assert page.url.endswith("/learn/ask/")
    assert page.evaluate("document.activeElement.id") == "answer-h"
    assert page.locator(".answer-text").inner_text().startswith("Drinking while taking naltrexone")
    passages = page.locator(".passage")
    assert passages.count() >= 3
    screenshot(page, "learn-ask-answer")
    passages.first.get_by_role("link").click()
    page.wait_for_load_state()
    assert "/learn/" in page.url and "#" in page.url
    assert page.locator("h1").count() == 1


def test_an_urgent_question_leads_with_what_to_do_now_without_javascript(browser, live_server, screenshot):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/learn/ask/")
        page.get_by_label("Your question").fill(URGENT)
        page.get_by_role("button", name="Ask", exact=True).click()
        page.wait_for_load_state()
        alert = page.locator(".urgent-advice")
        assert alert.is_visible()
        assert "This is an emergency" in alert.inner_text()
        box = alert.bounding_box()
        answer = page.locator(".answer-card").bounding_box()
        assert box["y"] < answer["y"]
        assert box["y"] + 60 < PHONE["height"]  # the advice is on the first screen, no scrolling needed
        screenshot(page, "learn-ask-urgent-phone")
    finally:
        context.close()


def test_an_article_reads_well_on_a_phone_with_glossary_links(page_for, screenshot):
    page = page_for(PHONE)
    page.goto("/learn/")
    assert page.get_by_role("heading", name="The naltrexone guide").is_visible()
    screenshot(page, "learn-index-phone")
    page.get_by_role("link", name="What naltrexone is").click()
    assert page.get_by_role("heading", level=1, name="What naltrexone is").is_visible()
    term = page.locator("a.glossary-term").first
    assert term.get_attribute("title")
    described_by = term.get_attribute("aria-describedby")
    assert page.locator(f"#{described_by}").count() == 1
    # Nothing wider than the phone: no sideways scrolling of the page itself.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "learn-article-phone")


def test_the_comparison_table_scrolls_sideways_on_a_phone_with_a_sticky_first_column(page_for, screenshot):
    page = page_for(PHONE)
    page.goto("/learn/compare/")
    table = page.locator(".compare-wrap")
    assert page.get_by_role("table", name="Medicines for alcohol and opioid use disorder compared").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first_cell = page.locator(".compare-table tbody th").first
    before = first_cell.bounding_box()["x"]
    table.evaluate("element => { element.scrollLeft = 400; }")
    assert table.evaluate("element => element.scrollLeft") > 0
    assert abs(first_cell.bounding_box()["x"] - before) < 1  # the row headings stay in place
    table.evaluate("element => { element.scrollLeft = 0; }")
    screenshot(page, "learn-compare-phone")


def test_search_highlights_and_escapes_in_the_browser(page_for, screenshot):
    page = page_for()
    page.goto("/learn/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+liver+tests")
    assert page.locator("mark").count() > 0
    assert page.locator("script:not([src])").count() == 0
    assert page.get_by_role("heading", name="Search the guide").is_visible()
    screenshot(page, "learn-search")
