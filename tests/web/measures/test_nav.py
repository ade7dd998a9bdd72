"""Menu entries: Progress and Drinks for patients, Cohort for clinicians who view charts."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("persona, expected, absent", [
    ("patient", ["Progress", "Drinks"], ["Cohort"]),
    ("nurse", ["Cohort"], ["Progress", "Drinks"]),
    ("moderator", [], ["Cohort", "Progress", "Drinks"]),
    ("clinic_admin", [], ["Cohort", "Progress", "Drinks"]),
])
def test_menu_entries_by_persona(rf, request, persona, expected, absent):
    from naltrack.web.measures.nav import items

    user = request.getfixturevalue(persona)
    http = rf.get("/")
    http.user = user.user if persona == "patient" else user
    shown = [item.label for item in items(http)]
    assert all(label in shown for label in expected)
    assert not any(label in shown for label in absent)
