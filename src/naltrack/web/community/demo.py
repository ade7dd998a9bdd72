"""Demo-clinic stage of the community capability."""

from __future__ import annotations

from naltrack.web.demo import DemoContext


def build(context: DemoContext) -> None:
    """Add this capability's fictional history to the demo clinic."""
