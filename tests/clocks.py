"""A clock the tests set and move by hand (patched in where code asks for the time)."""

from __future__ import annotations

import datetime as dt


class FrozenClock:
    """Callable like ``timezone.now``; ``advance`` moves it. Shared with a live server thread (same process)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)
