"""Learn pages: the guide, its glossary, the medicines comparison, support groups, search and Ask.

These pages are public: they hold no patient data, and the guide is useful to people who are
still considering treatment. Nothing here opens a patient record, so nothing is audited; Ask
is rate-limited (services.take_ask_allowance) and questions are not stored.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import content, rendering, services
from .forms import AskForm, SearchForm, SupportFilterForm

# Example questions offered on an empty Ask page.
EXAMPLE_QUESTIONS = (
    "Can I drink alcohol while taking naltrexone?",
    "How long after my last opioid can I start naltrexone?",
    "What happens if I miss a dose?",
)


def guide_index(request: HttpRequest) -> HttpResponse:
    """The guide's index, grouped by section."""
    return render(request, "learn/index.html", {
        "sections": content.index_sections(),
        "search_form": SearchForm(), "learn_page": "index",
    })


def article(request: HttpRequest, article_id: str) -> HttpResponse:
    """One guide article with its glossary terms linked and its sources."""
    found = content.guide().article(article_id)
    rendered = rendering.rendered_article(article_id)
    if found is None or rendered is None:
        raise Http404("No such article.")
    return render(request, "learn/article.html", {
        "article": found,
        "rendered": rendered,
        "audience": content.audience_label(found),
        "reviewed_on": content.reviewed_on(found),
        "sources": content.describe_sources(found.sources),
        # The editorial rules put the care-team sentence at the top of every article; show
        # our own reminder only where an article lacks it.
        "carries_reminder": "does not replace" in found.intro,
        "learn_page": "index",
    })


def glossary(request: HttpRequest) -> HttpResponse:
    """Every glossary term, A to Z."""
    letters = [
        (letter, [(term, rendering.render_inline(term.definition)) for term in terms])
        for letter, terms in content.glossary_by_letter()
    ]
    return render(request, "learn/glossary.html", {"letters": letters, "learn_page": "glossary"})


def compare(request: HttpRequest) -> HttpResponse:
    """The medicines comparison table."""
    table = content.comparison()
    sources = [(medicine, content.describe_sources(medicine.sources)) for medicine in table.medicines]
    return render(request, "learn/compare.html", {"table": table, "sources": sources, "learn_page": "compare"})


def support(request: HttpRequest) -> HttpResponse:
    """The support-group directory, filterable by who a group is for."""
    form = SupportFilterForm(request.GET or None)
    serving = form.cleaned_data["serving"] if form.is_valid() else ""
    return render(request, "learn/support.html", {
        "form": form,
        "groups": content.support_groups(serving),
        "serving": content.GROUP_AUDIENCES.get(serving, ""),
        "learn_page": "support",
    })


def search(request: HttpRequest) -> HttpResponse:
    """Guide passages matching ?q=, with the matching words highlighted."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = [(hit, rendering.highlight(hit.text, query)) for hit in services.search(query)] if query else []
    return render(request, "learn/search.html", {"form": form, "query": query, "results": results,
                                                    "learn_page": "search"},
                  status=200 if form.is_bound is False or form.is_valid() else 400)


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """The Ask page: a question box; on POST the guide's answer with its passages and sources.

    learn.js posts the same form with ``X-Requested-With: fetch`` and gets only the result part.
    """
    result = None
    retry_after_s = 0
    if request.method == "POST":
        form = AskForm(request.POST)
        if form.is_valid():
            try:
                result = services.ask(request, form.cleaned_data["question"])
            except services.AskRateLimited as exc:
                form.add_error(None, str(exc))
                retry_after_s = exc.retry_after_s
    else:
        form = AskForm(initial={"question": request.GET.get("question", "")[: services.QUESTION_MAX_CHARS]})
    is_partial = request.headers.get("X-Requested-With") == "fetch"
    status = 429 if retry_after_s else 400 if form.errors else 200
    response = render(request, "learn/_ask_result.html" if is_partial else "learn/ask.html", {
        "form": form, "result": result, "examples": EXAMPLE_QUESTIONS, "is_partial": is_partial,
        "learn_page": "ask",
    }, status=status)
    if retry_after_s:
        response["Retry-After"] = str(retry_after_s)
    return response
