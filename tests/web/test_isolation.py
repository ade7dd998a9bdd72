"""A user of one clinic cannot reach a record of another by changing an id in a URL.

This test walks every URL pattern that takes a patient id (pages and API alike), so each new
view is checked as soon as it exists.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ID_PARAMS = re.compile(r"<(?:int:)?(patient_id)>")


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    routes: list[str] = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


def patient_routes() -> list[str]:
    return sorted({route for route in _patterns(get_resolver()) if ID_PARAMS.search(route)
                   and not route.startswith("django-admin")})


def test_there_are_patient_routes_to_check():
    assert len(patient_routes()) >= 3


@pytest.mark.parametrize("persona", ["foreign_prescriber", "other_patient_user"])
def test_no_patient_url_reveals_another_clinics_or_another_patients_record(persona, request, as_user, patient,
                                                                           other_patient):
    user = other_patient.user if persona == "other_patient_user" else request.getfixturevalue(persona)
    client = as_user(user)
    for route in patient_routes():
        url = "/" + ID_PARAMS.sub(str(patient.id), route).lstrip("^").rstrip("$")
        url = re.sub(r"<(?:int:)?\w+>", "1", url)
        response = client.get(url)
        assert response.status_code in {404, 405}, f"{url} answered {response.status_code} for {persona}"
        if response.status_code == 405:
            response = client.post(url, {})
            assert response.status_code == 404, f"POST {url} answered {response.status_code}"
