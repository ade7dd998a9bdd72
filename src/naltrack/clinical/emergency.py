"""Emergency numbers and crisis lines by country, each with the official source that publishes it.

Countries are ISO 3166-1 alpha-2 codes ("US", "GB"; "UK" is accepted for GB). EU member states without
a listed crisis line get 112, the single European emergency number. Any other country gets a safe
fallback: "your local emergency number" and "a local crisis line", never a wrong number.
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

    @property
    def is_known(self) -> bool:
        return bool(self.country)

    @property
    def has_crisis_line(self) -> bool:
        return bool(self.crisis_line_number)

    def emergency_phrase(self) -> str:
        """'call 911' for a known country, 'call your local emergency number' otherwise."""
        return f"call {self.emergency_number}"

    def crisis_phrase(self) -> str:
        """How to reach the crisis line in plain words, or a general pointer when none is listed."""
        if not self.has_crisis_line:
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


def contacts_for(country: str | None) -> EmergencyContacts:
    """The emergency number and crisis line for a country code (US, CA, GB/UK, IE, AU, NZ, EU states).

    Sources: us:911, us:988-lifeline, ca:911, ca:988, gb:nhs-999, samaritans:116123, eu:112, au:000,
    au:lifeline, nz:111, nz:1737. Unknown or missing codes get the safe fallback.
    """
    code = (country or "").strip().upper()
    code = _ALIASES.get(code, code)
    if code in CONTACTS:
        return CONTACTS[code]
    if code in EU_MEMBER_STATES or code == "EU":
        return EmergencyContacts(code, "112", "", "", "", (cite("eu:112"),))
    return FALLBACK
