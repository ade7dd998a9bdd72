"""API endpoints of the safety capability, mounted under /api/v1/safety/."""

from ninja import Router

router = Router(tags=["safety"])
