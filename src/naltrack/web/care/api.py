"""API endpoints of the care capability, mounted under /api/v1/care/."""

from ninja import Router

router = Router(tags=["care"])
