"""What an emergency card says to a treating clinician, each statement with its source keys.

This is content (words from the clinical reference's sections 1, 2 and 4), not arithmetic: no
threshold is computed here. Every source key goes through ``cite`` so it must exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from naltrack.clinical.sources import cite, describe


@dataclass(frozen=True)
class CardPoint:
    """One statement on the card and the sources it rests on."""

    heading: str
    text: str
    sources: tuple[str, ...]

    @property
    def source_titles(self) -> list[tuple[str, str]]:
        return [(key, describe(key).title) for key in self.sources]


BLOCKADE = CardPoint(
    "Opioid blocker",
    "This person takes naltrexone, which blocks opioids: opioid pain relief, cough medicines and "
    "antidiarrhoeals will not work at usual doses.",
    (cite("S75"), cite("S67"), cite("S40")),
)
PAIN_RELIEF = CardPoint(
    "Pain relief",
    "Prefer regional anaesthesia, non-opioid pain relief, conscious sedation with a benzodiazepine or "
    "general anaesthesia. Seek specialist advice in an emergency.",
    (cite("S16"), cite("S74")),
)
IF_OPIOIDS_UNAVOIDABLE = CardPoint(
    "If opioids are unavoidable",
    "Larger doses may be needed, and breathing may be depressed more deeply and for longer. Use a "
    "rapid-acting opioid, titrate to need and monitor continuously where resuscitation is available. "
    "Expect non-receptor effects such as facial swelling, itching, redness and bronchospasm.",
    (cite("S16"),),
)
PLANNED_SURGERY = CardPoint(
    "Planned surgery",
    "Stop oral naltrexone 72 hours before elective surgery; after the monthly injection allow 30 days. "
    "After opioid analgesia, be opioid-free for 3–5 days before restarting oral naltrexone.",
    (cite("S73"), cite("S66")),
)
OVERDOSE_RISK = CardPoint(
    "Overdose risk",
    "Tolerance to opioids is reduced after naltrexone is stopped or wears off (for the injection, near "
    "the end of the month or after a missed dose): amounts once tolerated can cause a fatal overdose. "
    "Trying to overcome the block with large doses can also be fatal.",
    (cite("S40"), cite("S46"), cite("S49"), cite("S2")),
)

CARD_POINTS: tuple[CardPoint, ...] = (BLOCKADE, PAIN_RELIEF, IF_OPIOIDS_UNAVOIDABLE, PLANNED_SURGERY,
                                      OVERDOSE_RISK)
