"""API endpoints of the learn capability, mounted under /api/v1/learn/.

Every endpoint here is public (``auth=None`` on each operation): the guide holds no patient
data. /ask answers with exactly the ``naltrack ask --json`` contract and is rate-limited like
the Ask page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, field_validator

from naltrack.knowledge import Article

from . import content, rendering, services

router = Router(tags=["learn"])


class Error(Schema):
    detail: str


class AskIn(Schema):
    """A question: 1 to 500 characters, not only spaces."""

    question: str = Field(..., min_length=1, max_length=services.QUESTION_MAX_CHARS)

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question must not be blank")
        return value.strip()


class PassageOut(Schema):
    article: str
    title: str
    text: str
    score: float


class AskOut(Schema):
    """The ``naltrack ask --json`` contract."""

    question: str
    answer: str
    urgent: bool
    passages: list[PassageOut]
    sources: list[str]


class SearchIn(Schema):
    q: str = Field(..., min_length=1, max_length=services.QUERY_MAX_CHARS)
    limit: int = Field(services.SEARCH_LIMIT, ge=1, le=20)

    @field_validator("q")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("q must not be blank")
        return value.strip()


class SearchHit(Schema):
    article: str
    title: str
    heading: str
    text: str
    url: str


class SourceOut(Schema):
    key: str
    title: str
    urls: list[str]


class ArticleSummary(Schema):
    id: str
    title: str
    section: str | None
    order: int | None
    audience: list[str]
    last_reviewed: str
    summary: str
    sources: list[str]
    url: str


class SectionOut(Schema):
    heading: str
    anchor: str


class ArticleDetail(ArticleSummary):
    markdown: str
    html: str
    sections: list[SectionOut]
    source_details: list[SourceOut]


def _ask(request: HttpRequest, response: HttpResponse, question: str) -> Status[object]:
    try:
        result = services.ask(request, question)
    except services.AskRateLimited as exc:
        response["Retry-After"] = str(exc.retry_after_s)
        return Status(429, Error(detail=str(exc)))
    return Status(200, result.answer.to_json())


@router.get("/ask", auth=None, response={200: AskOut, 422: Error, 429: Error}, url_name="learn_ask")
def ask_get(request: HttpRequest, response: HttpResponse, params: Query[AskIn]) -> Status[object]:
    """Answer a question (``?question=``) from the guide: the `naltrack ask --json` contract."""
    return _ask(request, response, params.question)


@router.post("/ask", auth=None, response={200: AskOut, 422: Error, 429: Error})
def ask_post(request: HttpRequest, response: HttpResponse, payload: AskIn) -> Status[object]:
    """Answer a question (``{"question": ...}``) from the guide: the `naltrack ask --json` contract."""
    return _ask(request, response, payload.question)


@router.get("/search", auth=None, response=list[SearchHit])
def search(request: HttpRequest, params: Query[SearchIn]) -> list[SearchHit]:
    """Guide passages matching ``?q=``, best first."""
    return [
        SearchHit(article=hit.article, title=hit.title, heading=hit.heading, text=hit.text, url=hit.url)
        for hit in services.search(params.q, params.limit)
    ]


def _summary_fields(article: Article) -> dict[str, object]:
    from django.urls import reverse

    return {
        "id": article.id,
        "title": article.title,
        "section": article.section,
        "order": article.order,
        "audience": list(article.audience),
        "last_reviewed": article.last_reviewed,
        "summary": article.summary,
        "sources": list(article.sources),
        "url": reverse("learn:article", args=[article.id]),
    }


@router.get("/articles", auth=None, response=list[ArticleSummary])
def list_articles(request: HttpRequest) -> list[ArticleSummary]:
    """Every guide article, in navigation order (section, then order)."""
    return [
        ArticleSummary(**_summary_fields(article))  # type: ignore[arg-type]
        for section in content.index_sections()
        for article in section.articles
    ]


@router.get("/articles/{article_id}", auth=None, response={200: ArticleDetail, 404: Error})
def get_article(request: HttpRequest, article_id: str) -> ArticleDetail:
    """One article: metadata, its Markdown, its HTML (glossary linked) and its sources."""
    article = content.guide().article(article_id)
    rendered = rendering.rendered_article(article_id)
    if article is None or rendered is None:
        raise Http404
    return ArticleDetail(
        **_summary_fields(article),  # type: ignore[arg-type]
        markdown=article.body,
        html=str(rendered.html),
        sections=[SectionOut(heading=s.heading, anchor=s.anchor) for s in article.sections],
        source_details=[SourceOut(key=s.key, title=s.title, urls=list(s.urls)) for s in
                        content.describe_sources(article.sources)],
    )
