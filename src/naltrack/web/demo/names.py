"""Name parts for fictional demo people (combined at random; no real person is described)."""

GIVEN_NAMES = [
    "Alex", "Amara", "Ben", "Bea", "Carmen", "Cal", "Dana", "Dev", "Eli", "Esme", "Farah", "Finn",
    "Gus", "Gemma", "Hana", "Hugo", "Ines", "Ivan", "Jade", "Jon", "Kai", "Kira", "Leo", "Lina", "Maya",
    "Milo", "Nadia", "Noor", "Oscar", "Olive", "Priya", "Pete", "Quinn", "Rosa", "Ravi", "Sam", "Sara",
    "Theo", "Tara", "Uma", "Vic", "Vera", "Wes", "Wren", "Xena", "Yusuf", "Yara", "Zoe", "Zane", "Ada",
    "Arlo", "Bo", "Cleo", "Dmitri", "Edie", "Felix", "Gwen", "Hal", "Ida",
]
FAMILY_NAMES = [
    "Abbot", "Ashdown", "Baird", "Brightwell", "Calder", "Corran", "Dalby", "Dunmore", "Elston",
    "Everly", "Fairholm", "Fenwick", "Garside", "Greaves", "Hallam", "Hartigan", "Ingleby", "Irvine",
    "Jessop", "Kellaway", "Kinross", "Lachlan", "Lowther", "Maddox", "Marwood", "Nettleton", "Norwood",
    "Oakhurst", "Ormsby", "Pendle", "Prescot", "Quarry", "Radley", "Rowntree", "Salter", "Sheldrake",
    "Thackeray", "Tolland", "Underhill", "Vance", "Varley", "Wadsworth", "Whitlock", "Yardley",
    "Yelland", "Zeller", "Blackwood", "Cresswell",
]
PSEUDONYM_WORDS = [
    "River", "Cedar", "Harbour", "Lantern", "Meadow", "Ember", "Willow", "Summit", "Beacon", "Compass",
    "Juniper", "Falcon", "Heron", "Maple", "Pebble", "Thistle", "Aurora", "Birch", "Canyon", "Drift",
    "Fern", "Glacier", "Hazel", "Indigo", "Kestrel", "Lark", "Moss", "Nova", "Orchid", "Quill", "Rowan",
    "Sable", "Tide", "Vale", "Wren", "Zephyr", "Acorn", "Brook", "Clover", "Dune",
]
