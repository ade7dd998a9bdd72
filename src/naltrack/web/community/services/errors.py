"""The one domain error of the forum; pages show its message, the API maps it to HTTP."""

from __future__ import annotations


class CommunityError(Exception):
    """An action the forum refuses, with a message for the person who tried it."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RateLimited(CommunityError):
    """Too many posts or reports in a short time."""

    status_code = 429


class NotAllowed(CommunityError):
    """A suspended member posting, a reply to a locked topic, a report of one's own post."""

    status_code = 403
