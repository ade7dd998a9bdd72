"""API endpoints of the community capability, mounted under /api/v1/community/."""

from ninja import Router

router = Router(tags=["community"])
