"""Learn pages: public, the same for every persona, with the guide's content and nothing unescaped."""

from __future__ import annotations

import re

import pytest

from naltrack.knowledge import load_guide

PAGES = ["/learn/", "/learn/what-is-naltrexone/", "/learn/glossary/", "/learn/compare/", "/learn/support/",
         "/learn/search/?q=liver", "/learn/ask/"]
PERSONAS = ["anonymous", "patient", "prescriber", "foreign_prescriber", "moderator", "outsider"]


def _client(persona, request, client, as_user):
    if persona == "anonymous":
        return client
    user = request.getfixturevalue(persona)
    return as_user(user.user if persona == "patient" else user)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", PAGES)
def test_every_learn_page_is_public_and_the_same_for_everyone(url, persona, request, client, as_user):
    """The guide holds no patient data: anyone, signed in or not, of any clinic, may read it."""
    response = _client(persona, request, client, as_user).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "naltrack supports, and does not replace, your care team" in html


@pytest.mark.django_db
def test_the_index_groups_articles_by_section_in_order_with_their_summaries(client):
    html = client.get("/learn/").content.decode()
    guide = load_guide()
    headings = re.findall(r'<h2 id="section-[^"]+">([^<]+)</h2>', html)
    assert headings == ["Basics", "Treatment", "Safety", "Getting help"]
    for article in guide.articles:
        assert f'href="/learn/{article.id}/"' in html
    # Within Basics, articles follow their `order`.
    basics = sorted((a for a in guide.articles if a.section == "Basics"), key=lambda a: a.order)
    positions = [html.index(f'href="/learn/{a.id}/"') for a in basics]
    assert positions == sorted(positions)
    first = basics[0]
    assert first.summary.replace("'", "&#x27;") in html
    for link in ('href="/learn/glossary/"', 'href="/learn/compare/"', 'href="/learn/support/"',
                 'href="/learn/ask/"'):
        assert link in html


@pytest.mark.django_db
def test_an_article_shows_its_audience_review_date_sources_and_the_care_team_reminder(client):
    response = client.get("/learn/liver-safety-and-blood-tests/")
    html = response.content.decode()
    article = load_guide().article("liver-safety-and-blood-tests")
    assert f"<h1 id=\"article-title\">{article.title}</h1>" in html
    assert "Written for" in html
    assert f'<time datetime="{article.last_reviewed}">' in html
    # Sources are listed at the end with titles and links from naltrack.clinical.sources.
    from naltrack.clinical.sources import SOURCES

    sources = html[html.index('id="sources-h"'):]
    for key in article.sources:
        assert f"({key})" in sources
    known = [key for key in article.sources if SOURCES[key].url.startswith("https://")]
    assert known and SOURCES[known[0]].url.split(" ;")[0] in sources
    # The care-team sentence opens the article (the editorial rule), so no second notice repeats it.
    body = html[html.index('class="card article-body"'):]
    assert re.match(r'class="card article-body">\s*<p>naltrack supports your care team and does not replace it\.', body)
    assert "care-team-reminder" not in html
    # Every ## section has the id the Ask passages link to.
    for section in article.sections:
        assert f'<h2 id="{section.anchor}">' in html


@pytest.mark.django_db
def test_an_article_links_glossary_terms_with_their_definition(client):
    html = client.get("/learn/what-is-naltrexone/").content.decode()
    link = re.search(r'<a href="/learn/glossary/#term-antagonist"[^>]*>', html).group(0)
    assert 'class="glossary-term"' in link
    assert 'title="A drug that attaches to a receptor without switching it on' in link
    assert 'aria-describedby="define-antagonist"' in link
    assert '<dd id="define-antagonist">' in html  # the describedby target exists on the page
    # First occurrence only: one link to the term per article.
    assert html.count('href="/learn/glossary/#term-antagonist" class="glossary-term"') == 1


@pytest.mark.django_db
def test_an_unknown_article_is_404(client):
    assert client.get("/learn/no-such-article/").status_code == 404


@pytest.mark.django_db
def test_the_glossary_lists_every_term_a_to_z_with_anchors(client):
    html = client.get("/learn/glossary/").content.decode()
    terms = [entry.term for entry in load_guide().glossary]
    for term in terms:
        slug = re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")
        assert f'id="term-{slug}"' in html
    shown = re.findall(r'<div class="glossary-entry" id="[^"]+">\s*<dt>([^<]+)</dt>', html)
    assert len(shown) == len(terms)
    # A to Z, with terms that start with a digit ("6-beta-naltrexol") gathered under "#" at the end.
    assert shown == sorted(shown, key=lambda term: (not term[0].isalpha(), term.lower()))
    assert 'href="#letter-a"' in html and 'id="letter-a"' in html
    assert "Also called:" in html


@pytest.mark.django_db
def test_the_comparison_table_has_every_medicine_and_field_with_caption_and_scopes(client):
    html = client.get("/learn/compare/").content.decode()
    assert "<caption" in html
    for name in ("Naltrexone tablet", "Naltrexone monthly injection", "Methadone", "Buprenorphine",
                 "Disulfiram", "Acamprosate"):
        assert re.search(rf'<th scope="col" id="[^"]+">{name}', html), name
    assert html.count('<th scope="row">') == len(load_guide().comparison["fields"])
    assert '<th scope="row">Can drink alcohol on it</th>' in html
    # Where the sources are silent the cell says so, styled as such.
    assert '<td class="not-covered">Not covered in our sources.</td>' in html


@pytest.mark.django_db
def test_support_groups_filter_by_who_they_are_for(client):
    everyone = client.get("/learn/support/").content.decode()
    families = client.get("/learn/support/?serving=families").content.decode()
    alcohol = client.get("/learn/support/?serving=alcohol").content.decode()
    assert "Al-Anon Family Groups" in everyone and "Alcoholics Anonymous (AA)" in everyone
    assert "Al-Anon Family Groups" in families and "Alcoholics Anonymous (AA)" not in families
    assert "Alcoholics Anonymous (AA)" in alcohol and "SMART Recovery" in alcohol  # "all" groups serve alcohol too
    assert "Narcotics Anonymous (NA)" not in alcohol and "Al-Anon Family Groups" not in alcohol
    assert 'rel="external noopener noreferrer"' in everyone


@pytest.mark.django_db
def test_an_unknown_support_filter_is_refused_with_a_message_and_shows_all_groups(client):
    response = client.get("/learn/support/?serving=<b>bogus</b>")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please choose one of the listed options." in html
    assert "<b>bogus</b>" not in html
    assert "Al-Anon Family Groups" in html and "Alcoholics Anonymous (AA)" in html


@pytest.mark.django_db
def test_search_links_passages_to_their_articles_and_highlights_the_words(client):
    html = client.get("/learn/search/?q=liver+tests").content.decode()
    assert 'href="/learn/liver-safety-and-blood-tests/#' in html
    assert "<mark>liver</mark>" in html.lower()
    assert "<mark>tests</mark>" in html.lower() or "<mark>test</mark>" in html.lower()


@pytest.mark.django_db
def test_a_hostile_search_query_is_escaped_everywhere(client):
    response = client.get("/learn/search/", {"q": "<script>alert(1)</script> liver"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; liver" in html


@pytest.mark.django_db
def test_an_overlong_search_is_refused_with_a_message(client):
    response = client.get("/learn/search/", {"q": "liver " * 100})
    assert response.status_code == 400
    assert "Please keep your search under 200 characters." in response.content.decode()


@pytest.mark.django_db
def test_an_empty_search_shows_the_box_without_results(client):
    response = client.get("/learn/search/")
    assert response.status_code == 200
    assert "search-results" not in response.content.decode()


@pytest.mark.django_db
def test_signed_in_users_get_learn_and_ask_in_the_menu(as_user, patient, prescriber):
    for user in (patient.user, prescriber):
        html = as_user(user).get("/learn/").content.decode()
        nav = html[html.index('aria-label="Main"'):html.index("</nav>", html.index('aria-label="Main"'))]
        assert '<a href="/learn/"' in nav and '<a href="/learn/ask/"' in nav


@pytest.mark.django_db
def test_anonymous_visitors_get_the_guide_menu_and_a_log_in_link(client):
    html = client.get("/learn/").content.decode()
    assert 'aria-label="Main"' not in html
    assert 'aria-label="Guide"' in html and 'href="/login/"' in html


def test_nav_items_are_empty_for_anonymous_visitors(rf):
    from django.contrib.auth.models import AnonymousUser

    from naltrack.web.learn.nav import items

    request = rf.get("/")
    request.user = AnonymousUser()
    assert items(request) == []


@pytest.fixture
def hostile_guide(monkeypatch):
    """The guide with one extra article whose content tries to inject markup."""
    from naltrack.knowledge import Guide
    from naltrack.knowledge.articles import parse_article
    from naltrack.web.learn import content, rendering

    real = content.guide()
    hostile = parse_article(
        "---\nid: hostile\ntitle: <b>Bold</b> title\naudience: everyone\nlast_reviewed: not a date\n"
        "sources: [S1, made-up-key]\nsummary: <img src=x onerror=alert(1)>\n---\n\n"
        "<script>alert(1)</script>\n\n## About naltrexone\n\n"
        "Read [naltrexone facts](https://example.org) and [bad](javascript:alert(1)). "
        "Naltrexone is then linked once; naltrexone again is not.\n"
    )
    guide = Guide(articles=(*real.articles, hostile), glossary=real.glossary, comparison=real.comparison,
                  support_groups=real.support_groups, vocabulary=real.vocabulary)
    rendering.rendered_article.cache_clear()
    monkeypatch.setattr(content, "guide", lambda: guide)
    yield hostile
    rendering.rendered_article.cache_clear()


@pytest.mark.django_db
def test_hostile_article_content_is_escaped_and_gets_the_care_team_notice(client, hostile_guide):
    response = client.get("/learn/hostile/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>Bold</b>" not in html
    assert 'href="javascript' not in html
    assert '<h2 id="about-naltrexone">About naltrexone</h2>' in html  # the term in the heading stays plain
    assert html.count('href="/learn/glossary/#term-naltrexone" class="glossary-term"') == 1
    assert 'rel="external noopener noreferrer">naltrexone facts</a>' in html  # not linked inside a link
    assert "care-team-reminder" in html  # this article lacks the sentence, so the page adds it
    assert "Not recorded" in html and "(made-up-key)" in html
