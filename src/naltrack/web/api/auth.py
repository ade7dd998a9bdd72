"""API authentication: the browser session (with CSRF) or a personal bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from naltrack.web.accounts.services import authenticate_api_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer nlt_<prefix>_<secret>`` from the account page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_api_token(token)
        if user is None:
            return None
        request.user = user
        request.naltrack_via = "api"  # type: ignore[attr-defined]
        return user


AUTH = [TokenAuth(), django_auth]
