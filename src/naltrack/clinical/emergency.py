"""Emergency numbers and crisis lines by country, each with the official source that publishes it.

Countries are ISO 3166-1 alpha-2 codes ("US", "GB"; "UK" is accepted for GB). EU member states without
a listed crisis line get 112, the single European emergency number. Any other country gets a safe
fallback: "your local emergency number" and "a local crisis line", never a wrong number.

A reader whose country is not known at all (``contacts_for(None)``: an anonymous visitor of the Learn
pages) gets "your local emergency number" followed by examples built from the listed services ("for
example 911 in the US and Canada, 999 in the UK, ..."), so the numbers stay in this one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from naltrack.clinical.sources import cite


@dataclass(frozen=True, slots=True)
class EmergencyContacts:
    """Who to call in one country: the emergency number and, where known, a suicide/crisis line."""

    country: str  # ISO 3166-1 alpha-2, or "" for the fallback
    emergency_number: str  # e.g. "911"; the fallback is the phrase "your local emergency number"
    crisis_line_name: str
    crisis_line_number: str  # "" when naltrack knows no national line for the country
    crisis_line_how: str  # how to reach it, e.g. "call or text 988"
    sources: tuple[str, ...]
    # For a reader whose country is unknown: numbers elsewhere, e.g. ("911 in the US and Canada", ...).
    emergency_examples: tuple[str, ...] = ()
    crisis_examples: tuple[str, ...] = ()  # e.g. ("call or text 988 in the US and Canada", ...)

    @property
    def is_known(self) -> bool:
        return bool(self.country)

    @property
    def has_crisis_line(self) -> bool:
        return bool(self.crisis_line_number)

    def emergency_phrase(self) -> str:
        """'call 911' for a known country, 'call your local emergency number' otherwise (with examples
        when the reader's country is unknown)."""
        if self.emergency_examples:
            return f"call {self.emergency_number} (for example {_join(self.emergency_examples)})"
        return f"call {self.emergency_number}"

    def crisis_phrase(self) -> str:
        """How to reach the crisis line in plain words, or a general pointer when none is listed."""
        if not self.has_crisis_line:
            if self.crisis_examples:
                return f"contact a local crisis line or your doctor (for example {_join(self.crisis_examples)})"
            return "contact a local crisis line or your doctor"
        if self.crisis_line_name in self.crisis_line_how:
            return f"{self.crisis_line_how}, free, any time"
        return f"{self.crisis_line_how} ({self.crisis_line_name}), free, any time"


FALLBACK_EMERGENCY_NUMBER = "your local emergency number"

_US_988 = ("988 Suicide & Crisis Lifeline", "988", "call or text 988")

CONTACTS: dict[str, EmergencyContacts] = {
    "US": EmergencyContacts("US", "911", *_US_988, (cite("us:911"), cite("us:988-lifeline"))),
    "CA": EmergencyContacts("CA", "911", "9-8-8 Suicide Crisis Helpline", "988", "call or text 988",
                            (cite("ca:911"), cite("ca:988"))),
    "GB": EmergencyContacts("GB", "999", "Samaritans", "116 123", "call Samaritans on 116 123",
                            (cite("gb:nhs-999"), cite("samaritans:116123"))),
    "IE": EmergencyContacts("IE", "112 or 999", "Samaritans", "116 123", "call Samaritans on 116 123",
                            (cite("eu:112"), cite("samaritans:116123"))),
    "AU": EmergencyContacts("AU", "000", "Lifeline", "13 11 14", "call Lifeline on 13 11 14",
                            (cite("au:000"), cite("au:lifeline"))),
    "NZ": EmergencyContacts("NZ", "111", "1737 Need to talk?", "1737", "call or text 1737",
                            (cite("nz:111"), cite("nz:1737"))),
}

# EU member states: 112 reaches the emergency services everywhere (eu:112).
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})

_ALIASES = {"UK": "GB", "EL": "GR"}

FALLBACK = EmergencyContacts("", FALLBACK_EMERGENCY_NUMBER, "", "", "", ())

# How the examples for a reader of unknown country name the places of the table above.
_PLACE_NAMES = {"US": "the US", "CA": "Canada", "GB": "the UK", "IE": "Ireland", "AU": "Australia",
                "NZ": "New Zealand", "EU": "the EU"}


def _join(items: tuple[str, ...]) -> str:
    return ", ".join(items)


def _places(codes: list[str]) -> str:
    names = [_PLACE_NAMES.get(code, code) for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _examples_anywhere() -> EmergencyContacts:
    """The fallback plus examples from the table: each number once, with the places it serves."""
    emergency: dict[str, list[str]] = {}
    crisis: dict[str, list[str]] = {}
    sources: list[str] = []
    for code, contacts in CONTACTS.items():
        if code in EU_MEMBER_STATES:  # Ireland: its 112 stands for the EU's (eu:112)
            emergency.setdefault("112", []).append("EU")
            sources.append(cite("eu:112"))
            continue
        emergency.setdefault(contacts.emergency_number, []).append(code)
        sources.extend(contacts.sources)
    for code, contacts in CONTACTS.items():
        if contacts.has_crisis_line:
            crisis.setdefault(contacts.crisis_line_how, []).append(code)
    return EmergencyContacts(
        "", FALLBACK_EMERGENCY_NUMBER, "", "", "", tuple(dict.fromkeys(sources)),
        emergency_examples=tuple(f"{number} in {_places(codes)}" for number, codes in emergency.items()),
        crisis_examples=tuple(f"{how} in {_places(codes)}" for how, codes in crisis.items()),
    )


# For a reader whose country naltrack does not know (an anonymous visitor): see the module docstring.
ANYWHERE = _examples_anywhere()


def contacts_for(country: str | None) -> EmergencyContacts:
    """The emergency number and crisis line for a country code (US, CA, GB/UK, IE, AU, NZ, EU states).

    Sources: us:911, us:988-lifeline, ca:911, ca:988, gb:nhs-999, samaritans:116123, eu:112, au:000,
    au:lifeline, nz:111, nz:1737. None (the reader's country is not known) gets "your local emergency
    number" with examples from this table (ANYWHERE); a code naltrack does not list ("", "JP") gets the
    safe fallback without examples, since a number from elsewhere would be wrong there.
    """
    if country is None:
        return ANYWHERE
    code = (country or "").strip().upper()
    code = _ALIASES.get(code, code)
    if code in CONTACTS:
        return CONTACTS[code]
    if code in EU_MEMBER_STATES or code == "EU":
        return EmergencyContacts(code, "112", "", "", "", (cite("eu:112"),))
    return FALLBACK
