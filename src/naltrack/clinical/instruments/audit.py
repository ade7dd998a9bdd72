"""AUDIT and AUDIT-C: the WHO alcohol screening questionnaire and its three consumption items.

Items 1–8 score 0–4 and items 9–10 only 0, 2 or 4, so the AUDIT total runs 0–40 (S98–S100). Totals
fall into risk zones I–IV (S103, S104); a person moves up one zone when any of items 4–6 scores 2 or
more (signs of dependence) or item 9 or 10 scores 4 (harm in the past year) (S103). Interview skip
rules send some people past items they were not asked (S102); those items are entered as 0.

AUDIT-C is items 1–3, total 0–12; a positive screen is 4 or more for men and 3 or more for women
(S105, S106), with lower-risk, at-risk and high-risk bands (S107). Without a sex the band and flags
say which cut-off the total meets (see ``score``'s documentation in docs/clinical-measures.md).
"""

from __future__ import annotations

from naltrack.clinical.drinking import Sex
from naltrack.clinical.instruments._model import Band, Instrument, Item, band_for, scored_options
from naltrack.clinical.sources import cite

_ITEM_SCORES = (cite("S98"), cite("S99"), cite("S100"))
_ZONES = (cite("S103"), cite("S104"))
_MOVE_UP = cite("S103")

_HOW_OFTEN = scored_options(
    (0, "never"), (1, "less often than monthly"), (2, "about monthly"), (3, "about weekly"),
    (4, "every day or nearly"),
)
_HARM = scored_options((0, "no"), (2, "yes, but not in the past year"), (4, "yes, in the past year"))

ITEMS: tuple[Item, ...] = (
    Item(1, "How often any alcohol is drunk", scored_options(
        (0, "never"), (1, "once a month or less"), (2, "two to four times a month"),
        (3, "two or three times a week"), (4, "four or more times a week"))),
    Item(2, "Drinks on a usual drinking day", scored_options(
        (0, "one or two"), (1, "three or four"), (2, "five or six"), (3, "seven to nine"),
        (4, "ten or more"))),
    Item(3, "How often six or more drinks are had on one occasion", _HOW_OFTEN),
    Item(4, "How often, once started, drinking could not be stopped", _HOW_OFTEN),
    Item(5, "How often drinking got in the way of what was expected", _HOW_OFTEN),
    Item(6, "How often a morning drink was needed after a heavy session", _HOW_OFTEN),
    Item(7, "How often guilt or remorse followed drinking", _HOW_OFTEN),
    Item(8, "How often the night before could not be remembered because of drinking", _HOW_OFTEN),
    Item(9, "Whether anyone has been injured because of the drinking", _HARM),
    Item(10, "Whether someone close or a health worker has been worried or urged cutting down", _HARM),
)

ZONES: tuple[Band, ...] = (
    Band("zone_i", 0, 7, "Zone I: alcohol education", _ZONES),
    Band("zone_ii", 8, 15, "Zone II: simple advice", _ZONES),
    Band("zone_iii", 16, 19, "Zone III: simple advice, brief counselling and continued monitoring", _ZONES),
    Band("zone_iv", 20, 40, "Zone IV: referral to a specialist for assessment and treatment", _ZONES),
)

DEPENDENCE_ITEMS = (4, 5, 6)
DEPENDENCE_ITEM_POINTS = 2
HARM_ITEMS = (9, 10)
HARM_ITEM_POINTS = 4


def interpret_audit(points: tuple[int, ...], total: int, sex: Sex | None) -> tuple[Band, tuple[str, ...]]:
    """Zone from the total, moved up one zone on dependence or past-year harm answers (S103)."""
    flags: list[str] = []
    if any(points[number - 1] >= DEPENDENCE_ITEM_POINTS for number in DEPENDENCE_ITEMS):
        flags.append("dependence_items")
    if any(points[number - 1] == HARM_ITEM_POINTS for number in HARM_ITEMS):
        flags.append("past_year_harm_items")
    zone = band_for(ZONES, total)
    if flags and zone is not ZONES[-1]:
        zone = ZONES[ZONES.index(zone) + 1]
        flags.append("zone_moved_up")
    return zone, tuple(flags)


AUDIT = Instrument("audit", "Alcohol Use Disorders Identification Test (AUDIT)", ITEMS, ZONES,
                   (*_ITEM_SCORES, *_ZONES), interpret_audit)


# --- AUDIT-C ---------------------------------------------------------------------------------------

_SCREEN = (cite("S105"), cite("S106"))
_AUDIT_C_BANDS = (cite("S107"),)
POSITIVE_SCREEN_TOTAL: dict[Sex, int] = {Sex.MALE: 4, Sex.FEMALE: 3}

# A total of 0 means item 1 was "never": no alcohol use reported (S101's item 1 options).
_NO_USE = Band("no_alcohol_use", 0, 0, "No alcohol use reported", (cite("S101"),))
_HIGH = Band("high_risk", 8, 12, "High risk", _AUDIT_C_BANDS)

AUDIT_C_BANDS_BY_SEX: dict[Sex, tuple[Band, ...]] = {
    Sex.MALE: (
        _NO_USE,
        Band("lower_risk", 1, 3, "Lower risk (men 1–3)", _AUDIT_C_BANDS),
        Band("at_risk", 4, 7, "At risk; positive screen for men (4 or more)", (*_AUDIT_C_BANDS, *_SCREEN)),
        _HIGH,
    ),
    Sex.FEMALE: (
        _NO_USE,
        Band("lower_risk", 1, 2, "Lower risk (women 1–2)", _AUDIT_C_BANDS),
        Band("at_risk", 3, 7, "At risk; positive screen for women (3 or more)", (*_AUDIT_C_BANDS, *_SCREEN)),
        _HIGH,
    ),
}
# Sex not given: both cut-offs are reported; a total of 3 is at risk for women and lower risk for men.
AUDIT_C_BANDS_SEX_UNKNOWN: tuple[Band, ...] = (
    _NO_USE,
    Band("lower_risk", 1, 2, "Lower risk for women and men", _AUDIT_C_BANDS),
    Band("at_risk_if_female", 3, 3, "At risk for women (positive screen), lower risk for men",
         (*_AUDIT_C_BANDS, *_SCREEN)),
    Band("at_risk", 4, 7, "At risk for women and men (positive screen)", (*_AUDIT_C_BANDS, *_SCREEN)),
    _HIGH,
)


def interpret_audit_c(points: tuple[int, ...], total: int, sex: Sex | None) -> tuple[Band, tuple[str, ...]]:
    """Sex-specific AUDIT-C band and positive screen; without a sex, both cut-offs (S105–S107)."""
    flags: list[str] = []
    if sex is None:
        band = band_for(AUDIT_C_BANDS_SEX_UNKNOWN, total)
        if total >= max(POSITIVE_SCREEN_TOTAL.values()):
            flags.append("positive_screen")
        elif total >= POSITIVE_SCREEN_TOTAL[Sex.FEMALE]:
            flags.append("positive_screen_if_female")
    else:
        band = band_for(AUDIT_C_BANDS_BY_SEX[sex], total)
        if total >= POSITIVE_SCREEN_TOTAL[sex]:
            flags.append("positive_screen")
    # Every point from item 1 (how often) suggests drinking within limits, but worth a review (S106).
    if total > 0 and points[1] == 0 and points[2] == 0:
        flags.append("all_points_from_item_1")
    return band, tuple(flags)


AUDIT_C = Instrument("audit-c", "AUDIT-C (AUDIT consumption items 1–3)", ITEMS[:3],
                     AUDIT_C_BANDS_SEX_UNKNOWN, (*_ITEM_SCORES, *_SCREEN, *_AUDIT_C_BANDS),
                     interpret_audit_c)
