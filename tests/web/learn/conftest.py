"""Fixtures of the Learn tests: a clean rate-limit cache and a fixed clock for the Ask limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache

URGENT_QUESTION = "I have hives and my throat is swelling after the naltrexone injection"
COVERED_QUESTION = "Can I drink alcohol while taking naltrexone?"
UNCOVERED_QUESTION = "What is the capital of France?"
# 2026-12-01T09:00:00Z, a fixed instant for the rate-limit windows.
FIXED_NOW = 1_796_115_600.0


@pytest.fixture(autouse=True)
def clean_cache():
    """Each test starts with no Ask counters (the cache is per process and outlives a test)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The rate limit's clock, fixed; ``clock.advance(seconds)`` moves it on."""
    from naltrack.web.learn import services

    class Clock:
        now = FIXED_NOW

        def advance(self, seconds: float) -> None:
            self.now += seconds

    fixed = Clock()
    monkeypatch.setattr(services, "_now", lambda: fixed.now)
    return fixed


@pytest.fixture
def ask_limit(settings, clock):
    """A small anonymous Ask limit: 3 questions per 10 minutes."""
    settings.NALTRACK_ASK_RATE_LIMIT = (3, 600)
    return settings.NALTRACK_ASK_RATE_LIMIT
