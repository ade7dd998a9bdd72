"""Opioid-medicine check: which of a person's medicines naltrexone blocks or interacts with.

Naltrexone blocks opioid analgesics, opioid cough and cold remedies and opioid antidiarrhoeals (S30, S143);
people taking opioid analgesics or dependent on opioids (methadone, buprenorphine) must not start it
(S1, S4, S46). Section 8 of the clinical reference adds thioridazine (lethargy and somnolence; S143,
S146), disulfiram and other hepatotoxic drugs (S143, S146, S147). Facts the reference marks "from memory,
unverified" carry ``certainty=FROM_MEMORY`` so staff know to check them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from naltrack.clinical.sources import cite


class Category(enum.StrEnum):
    OPIOID_ANALGESIC = "opioid_analgesic"
    OPIOID_TREATMENT = "opioid_treatment"  # methadone, buprenorphine
    ILLICIT_OPIOID = "illicit_opioid"
    OPIOID_COUGH_COLD = "opioid_cough_cold"
    OPIOID_ANTIDIARRHOEAL = "opioid_antidiarrhoeal"
    INTERACTION = "interaction"  # not an opioid: a section 8 interaction


class Level(enum.StrEnum):
    """How much the finding matters for naltrexone."""

    DO_NOT_COMBINE = "do_not_combine"  # contraindicated with naltrexone
    BLOCKED = "blocked"  # naltrexone stops it working
    CAUTION = "caution"  # an interaction to weigh


class Certainty(enum.StrEnum):
    VERIFIED = "verified"  # seen in the cited source
    FROM_MEMORY = "from memory, unverified"  # the reference's own tag: check before relying on it


@dataclass(frozen=True, slots=True)
class Medicine:
    """One ingredient naltrack knows about, with the names it goes by."""

    name: str
    category: Category
    source: str
    certainty: Certainty
    aliases: tuple[str, ...] = ()  # brand names and other spellings of this single ingredient


@dataclass(frozen=True, slots=True)
class Product:
    """A combination product (co-codamol, Percocet) and the ingredients it contains."""

    name: str
    ingredients: tuple[str, ...]
    use: Category | None = None  # e.g. a cough remedy: its opioid is then reported as a cough remedy


@dataclass(frozen=True, slots=True)
class MedicationWarning:
    """What one listed medicine means for naltrexone, in words for staff and for the patient."""

    query: str  # the name as it was given
    medicine: str  # the ingredient found
    category: Category
    level: Level
    staff_message: str
    patient_message: str
    source: str
    certainty: Certainty


_V, _M = Certainty.VERIFIED, Certainty.FROM_MEMORY
_S144 = cite("S144")  # GoodRx: heroin, morphine, codeine, hydrocodone, oxycodone, fentanyl, tramadol,
# buprenorphine
_S145 = cite("S145")
_LABEL = cite("S1")  # contraindication: opioid analgesics, methadone, buprenorphine dependence
_BLOCKS = cite("S143")  # naltrexone antagonises opioid cough/cold, antidiarrhoeal and analgesic products
_HEPATOTOXIC = cite("S147")

MEDICINES: tuple[Medicine, ...] = (
    # Opioid analgesics (names verified in S144/S145 where listed there).
    Medicine("morphine", Category.OPIOID_ANALGESIC, _S144, _V,
             ("ms contin", "mst continus", "oramorph", "sevredol", "kadian", "kapanol", "zomorph")),
    Medicine("codeine", Category.OPIOID_ANALGESIC, _S144, _V, ("codeine phosphate",)),
    Medicine("hydrocodone", Category.OPIOID_ANALGESIC, _S144, _V, ("hysingla", "zohydro")),
    Medicine("oxycodone", Category.OPIOID_ANALGESIC, _S144, _V,
             ("oxycontin", "roxicodone", "oxynorm", "endone", "xtampza", "oxy ir")),
    Medicine("fentanyl", Category.OPIOID_ANALGESIC, _S144, _V,
             ("duragesic", "durogesic", "actiq", "fentora", "abstral", "sublimaze")),
    Medicine("tramadol", Category.OPIOID_ANALGESIC, _S144, _V, ("ultram", "zydol", "tramal", "conzip")),
    Medicine("tapentadol", Category.OPIOID_ANALGESIC, _LABEL, _M, ("nucynta", "palexia")),
    Medicine("hydromorphone", Category.OPIOID_ANALGESIC, _LABEL, _M, ("dilaudid", "jurnista", "palladone")),
    Medicine("oxymorphone", Category.OPIOID_ANALGESIC, _LABEL, _M, ("opana",)),
    Medicine("pethidine", Category.OPIOID_ANALGESIC, _LABEL, _M, ("meperidine", "demerol")),
    Medicine("dihydrocodeine", Category.OPIOID_ANALGESIC, _LABEL, _M, ("df118", "df 118")),
    Medicine("levorphanol", Category.OPIOID_ANALGESIC, _LABEL, _M),
    Medicine("pentazocine", Category.OPIOID_ANALGESIC, _LABEL, _M, ("talwin",)),
    Medicine("butorphanol", Category.OPIOID_ANALGESIC, _LABEL, _M),
    Medicine("nalbuphine", Category.OPIOID_ANALGESIC, _LABEL, _M, ("nubain",)),
    Medicine("dextropropoxyphene", Category.OPIOID_ANALGESIC, _LABEL, _M, ("propoxyphene", "darvon")),
    # Opioid treatment (label: maintenance on methadone or buprenorphine is a contraindication).
    Medicine("methadone", Category.OPIOID_TREATMENT, _LABEL, _V,
             ("methadose", "physeptone", "dolophine", "biodone")),
    Medicine("buprenorphine", Category.OPIOID_TREATMENT, _S144, _V,
             ("subutex", "sublocade", "buvidal", "brixadi", "butrans", "belbuca", "norspan", "temgesic")),
    # Illicit opioids.
    Medicine("heroin", Category.ILLICIT_OPIOID, _S144, _V, ("diamorphine",)),
    # Cough and cold remedies: the opioid in them is blocked (S30, S143); the products are memory-based.
    Medicine("pholcodine", Category.OPIOID_COUGH_COLD, _BLOCKS, _M),
    # Antidiarrhoeals.
    Medicine("diphenoxylate", Category.OPIOID_ANTIDIARRHOEAL, _BLOCKS, _M, ("co-phenotrope",)),
    Medicine("loperamide", Category.OPIOID_ANTIDIARRHOEAL, _BLOCKS, _M, ("imodium",)),
    Medicine("opium tincture", Category.OPIOID_ANTIDIARRHOEAL, _BLOCKS, _M, ("paregoric", "laudanum")),
    # Section 8 interactions.
    Medicine("thioridazine", Category.INTERACTION, cite("S146"), _V, ("mellaril",)),
    Medicine("disulfiram", Category.INTERACTION, cite("S143"), _V, ("antabuse",)),
    Medicine("paracetamol", Category.INTERACTION, _HEPATOTOXIC, _V,
             ("acetaminophen", "tylenol", "panadol", "calpol")),
    Medicine("ibuprofen", Category.INTERACTION, _HEPATOTOXIC, _V, ("advil", "motrin", "nurofen", "brufen")),
    Medicine("naproxen", Category.INTERACTION, _HEPATOTOXIC, _V, ("aleve", "naprosyn")),
    Medicine("diclofenac", Category.INTERACTION, _HEPATOTOXIC, _V, ("voltaren", "voltarol")),
    Medicine("celecoxib", Category.INTERACTION, _HEPATOTOXIC, _V, ("celebrex",)),
    Medicine("ketoconazole", Category.INTERACTION, _HEPATOTOXIC, _V),
    Medicine("fluconazole", Category.INTERACTION, _HEPATOTOXIC, _V, ("diflucan",)),
    Medicine("itraconazole", Category.INTERACTION, _HEPATOTOXIC, _V),
    Medicine("voriconazole", Category.INTERACTION, _HEPATOTOXIC, _V),
    Medicine("atorvastatin", Category.INTERACTION, _HEPATOTOXIC, _V, ("lipitor",)),
    Medicine("simvastatin", Category.INTERACTION, _HEPATOTOXIC, _V, ("zocor",)),
    Medicine("rosuvastatin", Category.INTERACTION, _HEPATOTOXIC, _V, ("crestor",)),
    Medicine("pravastatin", Category.INTERACTION, _HEPATOTOXIC, _V),
    Medicine("valproate", Category.INTERACTION, _HEPATOTOXIC, _V,
             ("valproic acid", "sodium valproate", "divalproex", "depakote", "epilim")),
)

MEDICINES_BY_NAME: dict[str, Medicine] = {medicine.name: medicine for medicine in MEDICINES}

_COUGH = Category.OPIOID_COUGH_COLD

# Combination products: each ingredient is reported (co-codamol warns about codeine and paracetamol).
PRODUCTS: tuple[Product, ...] = (
    Product("co-codamol", ("codeine", "paracetamol")),
    Product("tylenol with codeine", ("codeine", "paracetamol")),
    Product("tylenol 3", ("codeine", "paracetamol")),
    Product("tylenol 4", ("codeine", "paracetamol")),
    Product("panadeine", ("codeine", "paracetamol")),
    Product("panadeine forte", ("codeine", "paracetamol")),
    Product("solpadeine", ("codeine", "paracetamol")),
    Product("nurofen plus", ("codeine", "ibuprofen")),
    Product("co-dydramol", ("dihydrocodeine", "paracetamol")),
    Product("percocet", ("oxycodone", "paracetamol")),
    Product("endocet", ("oxycodone", "paracetamol")),
    Product("vicodin", ("hydrocodone", "paracetamol")),
    Product("norco", ("hydrocodone", "paracetamol")),
    Product("lortab", ("hydrocodone", "paracetamol")),
    Product("ultracet", ("tramadol", "paracetamol")),
    Product("zaldiar", ("tramadol", "paracetamol")),
    Product("suboxone", ("buprenorphine",)),  # with naloxone
    Product("zubsolv", ("buprenorphine",)),  # with naloxone
    Product("targin", ("oxycodone",)),  # with naloxone
    Product("targinact", ("oxycodone",)),  # with naloxone
    Product("lomotil", ("diphenoxylate",)),  # with atropine
    Product("codeine linctus", ("codeine",), _COUGH),
    Product("dihydrocodeine linctus", ("dihydrocodeine",), _COUGH),
    Product("robitussin ac", ("codeine",), _COUGH),
    Product("cheratussin ac", ("codeine",), _COUGH),
    Product("codeine cough syrup", ("codeine",), _COUGH),
    Product("promethazine with codeine", ("codeine",), _COUGH),
    Product("hycodan", ("hydrocodone",), _COUGH),
    Product("tussionex", ("hydrocodone",), _COUGH),
)

# What each category means, for staff and for the patient (sources per category).
_MESSAGES: dict[Category, tuple[Level, str, str]] = {
    Category.OPIOID_ANALGESIC: (
        Level.DO_NOT_COMBINE,
        "{name} is an opioid analgesic: naltrexone blocks it, and starting naltrexone while taking it can "
        "bring on sudden withdrawal. Plan non-opioid pain relief or delay naltrexone.",
        "{name} is an opioid pain medicine. Naltrexone stops it working and can cause sudden withdrawal "
        "if you are taking it. Talk to your prescriber before taking both.",
    ),
    Category.OPIOID_TREATMENT: (
        Level.DO_NOT_COMBINE,
        "{name} is opioid treatment: people maintained on it must not start naltrexone (precipitated "
        "withdrawal; allow 7–14 opioid-free days after stopping).",
        "{name} and naltrexone must not be taken together. Your prescriber will plan any switch with you.",
    ),
    Category.ILLICIT_OPIOID: (
        Level.DO_NOT_COMBINE,
        "{name} is an opioid: naltrexone blocks it; using large amounts to overcome the block can be fatal.",
        "Naltrexone blocks {name}. Using more to get past the block can cause a fatal overdose, and after "
        "naltrexone wears off your body is more sensitive to opioids than before.",
    ),
    Category.OPIOID_COUGH_COLD: (
        Level.BLOCKED,
        "{name} is an opioid cough or cold remedy: naltrexone blocks it, so expect little benefit.",
        "{name} contains an opioid. With naltrexone it will probably not work; ask your pharmacist for "
        "an opioid-free remedy.",
    ),
    Category.OPIOID_ANTIDIARRHOEAL: (
        Level.BLOCKED,
        "{name} is an opioid antidiarrhoeal: naltrexone may block it, so expect less benefit.",
        "{name} works on opioid receptors, so naltrexone may stop it working well. Ask your pharmacist.",
    ),
}

_INTERACTIONS: dict[str, tuple[Level, str, str]] = {
    "thioridazine": (
        Level.CAUTION,
        "Thioridazine with naltrexone: lethargy and somnolence have been reported.",
        "Thioridazine together with naltrexone can make you very drowsy. Tell your prescriber you take it.",
    ),
    "disulfiram": (
        Level.CAUTION,
        "Disulfiram with naltrexone: both can harm the liver; combine only if the benefit outweighs the "
        "risk, "
        "with liver monitoring.",
        "Disulfiram and naltrexone can both affect the liver. Your prescriber will decide whether to use "
        "both and check your liver tests.",
    ),
}
_HEPATOTOXIC_MESSAGES = (
    Level.CAUTION,
    "{name} can harm the liver: avoid combining it with naltrexone where possible and watch for signs of "
    "hepatitis.",
    "{name} can affect the liver, like naltrexone at high doses. Keep to the usual dose and tell your "
    "clinic about yellow skin or eyes, dark urine or pain under the right ribs.",
)


def _normalise(text: str) -> str:
    """Lower case, symbols dropped, runs of anything that is not a letter or digit turned into one space."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass(frozen=True, slots=True)
class _Entry:
    ingredients: tuple[str, ...]
    product: str = ""  # the combination product's name, when the match is a product
    use: Category | None = None


def _build_index() -> tuple[re.Pattern[str], dict[str, _Entry]]:
    entries: dict[str, _Entry] = {}
    for medicine in MEDICINES:
        for name in (medicine.name, *medicine.aliases):
            entries[_normalise(name)] = _Entry((medicine.name,))
    for product in PRODUCTS:
        entries[_normalise(product.name)] = _Entry(product.ingredients, product.name, product.use)
    # Hyphenated and spaced names also match written as one word ("cocodamol", "df118").
    for name in list(entries):
        entries.setdefault(name.replace(" ", ""), entries[name])
    names = sorted(entries, key=len, reverse=True)  # longest first: "tylenol with codeine" before "tylenol"
    pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(n) for n in names) + r")(?![a-z0-9])")
    return pattern, entries


_NAME_PATTERN, _ENTRIES = _build_index()


def _warning_for(query: str, medicine: Medicine, entry: _Entry) -> MedicationWarning:
    category = entry.use or medicine.category
    display = medicine.name.capitalize() + (f" (in {entry.product})" if entry.product else "")
    if category is Category.INTERACTION:
        level, staff, patient = _INTERACTIONS.get(medicine.name, _HEPATOTOXIC_MESSAGES)
    else:
        level, staff, patient = _MESSAGES[category]
    source = _BLOCKS if entry.use is Category.OPIOID_COUGH_COLD else medicine.source
    return MedicationWarning(
        query=query, medicine=medicine.name, category=category, level=level,
        staff_message=staff.format(name=display), patient_message=patient.format(name=display),
        source=source, certainty=medicine.certainty)


def _matches(name: str) -> list[tuple[str, _Entry]]:
    found: dict[str, _Entry] = {}
    for match in _NAME_PATTERN.finditer(_normalise(name)):
        entry = _ENTRIES[match.group()]
        for ingredient in entry.ingredients:
            found.setdefault(ingredient, entry)
    return list(found.items())


def find_ingredients(name: str) -> tuple[str, ...]:
    """The known ingredients named in one medicine entry (generic, brand or combination), in order (S143)."""
    return tuple(ingredient for ingredient, _ in _matches(name))


def check_medications(names: Iterable[str]) -> tuple[MedicationWarning, ...]:
    """Warn about each listed medicine that naltrexone blocks or interacts with (S1, S30, S143–S147).

    Matches case-insensitively on generic names, brand names and combination products ("co-codamol",
    "Tylenol with codeine", "Percocet"); a combination gives one warning per relevant ingredient.
    Names naltrack does not recognise give no warning (absence of a warning is not a safety check).
    """
    if isinstance(names, str):
        raise TypeError("check_medications expects a list of names, not one string")
    warnings: list[MedicationWarning] = []
    for query in names:
        if not isinstance(query, str):
            raise TypeError(f"medicine names must be text, got {type(query).__name__}")
        for ingredient, entry in _matches(query):
            warnings.append(_warning_for(query, MEDICINES_BY_NAME[ingredient], entry))
    return tuple(warnings)
