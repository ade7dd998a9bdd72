"""API endpoints of the measures capability, mounted under /api/v1/measures/."""

from ninja import Router

router = Router(tags=["measures"])
