"""Learn services: ask the guide (rate-limited), search it. Nothing here writes to the database.

Questions are not stored or logged: a question about naltrexone can say a lot about the person
asking it. The rate limit keeps only a counter per visitor and time window in Django's cache.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from naltrack.knowledge import Answer, Passage, answer_question, search_passages
from naltrack.web.accounts.models import Membership

from . import content

# Ask rate limits: (questions, window in seconds). Anonymous visitors are counted per network
# address, signed-in users per account. Override with settings.NALTRACK_ASK_RATE_LIMIT /
# NALTRACK_ASK_RATE_LIMIT_SIGNED_IN (a (count, seconds) pair) — see docs/learn-pages.md.
ANONYMOUS_LIMIT = (20, 10 * 60)
SIGNED_IN_LIMIT = (200, 10 * 60)

QUESTION_MAX_CHARS = 500
QUERY_MAX_CHARS = 200
SEARCH_LIMIT = 10


class AskRateLimited(Exception):
    """Too many questions from one visitor in the current window."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"Too many questions for now. Please try again in {_minutes(retry_after_s)}.")
        self.retry_after_s = retry_after_s


def _minutes(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _now() -> float:
    """The clock the rate limit reads (tests replace it)."""
    return time.time()


@dataclass(frozen=True)
class PassageView:
    """A passage as the pages show it: where it comes from, a link to it, its text and score."""

    article: str
    title: str
    heading: str
    text: str
    url: str
    score: float
    kind: str


@dataclass(frozen=True)
class AskResult:
    """An answer and what the Ask page shows with it."""

    answer: Answer
    passages: tuple[PassageView, ...]
    sources: tuple[content.SourceLink, ...]

    @property
    def is_not_covered(self) -> bool:
        """The guide has nothing on this question (and it is not urgent)."""
        return not self.answer.is_covered and not self.answer.is_urgent

    @property
    def guide_text(self) -> str:
        """The answer's sentences quoted from the guide (after any urgent advice)."""
        if not self.answer.is_covered:
            return ""
        advice = " ".join(self.answer.advice)
        text = self.answer.answer
        return text[len(advice):].strip() if advice and text.startswith(advice) else text


def asker_key(request: HttpRequest) -> tuple[str, tuple[int, int]]:
    """Who is asking, for the rate limit: the account, else the network address (hashed)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}", tuple(getattr(settings, "NALTRACK_ASK_RATE_LIMIT_SIGNED_IN", SIGNED_IN_LIMIT))
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # Behind naltrack's own proxy (NALTRACK_BEHIND_PROXY) the last X-Forwarded-For entry is the
        # address that proxy saw; earlier entries are whatever the client chose to send.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            address = forwarded[-1]
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"ip:{digest}", tuple(getattr(settings, "NALTRACK_ASK_RATE_LIMIT", ANONYMOUS_LIMIT))


def take_ask_allowance(key: str, limit: tuple[int, int]) -> None:
    """Count one question for ``key``; raise AskRateLimited past ``limit`` (count, seconds) per window."""
    count, period_s = int(limit[0]), max(1, int(limit[1]))
    now = _now()
    window = int(now // period_s)
    cache_key = f"learn:ask:{key}:{window}"
    cache.add(cache_key, 0, timeout=period_s + 5)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period_s + 5)
        used = 1
    if used > count:
        raise AskRateLimited(max(1, math.ceil((window + 1) * period_s - now)))


def country_for(request: HttpRequest) -> str | None:
    """Whose emergency numbers an answer gives: the patient's country (else their clinic's), the staff
    member's clinic's, else None: the reader's country is unknown, so urgent advice says "your local
    emergency number" with examples from naltrack.clinical.emergency (never one country's number)."""
    from naltrack.web.accounts.access import own_patient

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    patient = own_patient(user)
    if patient is not None:
        return patient.country or patient.clinic.country or None
    membership = (
        Membership.objects.filter(user=user, is_active=True).select_related("clinic").order_by("id").first()
    )
    return (membership.clinic.country or None) if membership else None


def passage_view(passage: Passage, score: float = 0.0) -> PassageView:
    heading = passage.heading if passage.heading != passage.title else ""
    return PassageView(
        article=passage.article,
        title=passage.title,
        heading=heading,
        text=passage.text,
        url=content.passage_url(passage),
        score=round(score, 3),
        kind=passage.kind,
    )


def ask(request: HttpRequest, question: str) -> AskResult:
    """Answer a visitor's question from the guide, after counting it against their rate limit."""
    key, limit = asker_key(request)
    take_ask_allowance(key, limit)
    answer = answer_question(question, country=country_for(request))
    return AskResult(
        answer=answer,
        passages=tuple(passage_view(scored.passage, scored.score) for scored in answer.passages),
        sources=tuple(content.describe_sources(answer.sources)),
    )


def search(query: str, limit: int = SEARCH_LIMIT) -> list[PassageView]:
    """The guide passages that best match a search query, best first."""
    if not query.strip():
        return []
    return [passage_view(passage) for passage in search_passages(query, limit)]
