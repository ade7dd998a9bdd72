"""API endpoints of the learn capability, mounted under /api/v1/learn/."""

from ninja import Router

router = Router(tags=["learn"])
