"""Pages reached by a private link, with no login: the reminder feed and a support person's notices.

A wrong or revoked token answers 404. Nothing here is audited as staff access: no staff are involved.
"""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import services

MAX_TOKEN_LENGTH = 100


def _no_store(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
@never_cache
def reminder_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The patient's reminder calendar (iCalendar): upcoming doses and injection appointments."""
    patient = services.patient_for_feed(token) if len(token) <= MAX_TOKEN_LENGTH else None
    if patient is None:
        raise Http404("No such feed.")
    feed_id = hashlib.sha256(token.encode()).hexdigest()[:16]  # stable per address, reveals nothing
    body = services.reminder_calendar(patient, services.patient_today(patient), feed_id=feed_id)
    return _no_store(HttpResponse(body, content_type="text/calendar; charset=utf-8"))


@require_GET
@never_cache
def support_notices(request: HttpRequest, token: str) -> HttpResponse:
    """What a support person sees: missed-dose and missed-injection notices of the last 14 days, nothing else."""
    person = services.support_person_for_token(token) if len(token) <= MAX_TOKEN_LENGTH else None
    if person is None:
        raise Http404("No such link.")
    notices = services.missed_notices(person.patient, services.patient_today(person.patient))
    return _no_store(render(request, "care/support_notices.html", {"person": person, "notices": notices,
                                                                   "token": token}))


@require_GET
@never_cache
def support_notices_feed(request: HttpRequest, token: str) -> HttpResponse:
    person = services.support_person_for_token(token) if len(token) <= MAX_TOKEN_LENGTH else None
    if person is None:
        raise Http404("No such link.")
    body = services.notices_calendar(person, services.patient_today(person.patient))
    return _no_store(HttpResponse(body, content_type="text/calendar; charset=utf-8"))
