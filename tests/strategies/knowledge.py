"""Reusable question sets and Hypothesis strategies for the Ask engine's tests and benchmark."""

from __future__ import annotations

from hypothesis import strategies as st

# Questions the guide answers, in everyday words (none of them from the eval file).
COVERED_QUESTIONS = (
    "Can naltrexone damage my liver?",
    "Will naltrexone make me feel sick?",
    "How does naltrexone block opioids?",
    "Can I drink alcohol while taking naltrexone?",
    "What happens if I use heroin on naltrexone?",
    "Is the injection painful?",
    "Where is the monthly injection given?",
    "Can I get pregnant while on naltrexone?",
    "What is the Sinclair method?",
    "How long does the injection last?",
    "What if I miss a dose?",
    "Can I stop taking naltrexone suddenly?",
    "Does naltrexone help with cravings?",
    "What is the difference between naltrexone and buprenorphine?",
    "Why do I need liver blood tests?",
    "What is LDN?",
    "Can naltrexone cause depression?",
    "Is there a risk of overdose after stopping naltrexone?",
    "Should I carry a wallet card?",
    "What is Antabuse?",
    "How do I get naltrexone?",
    "Can my family get support too?",
    "What is precipitated withdrawal?",
    "How soon after methadone can I start naltrexone?",
    "Can I take painkillers with naltrexone?",
    "Will naltrexone show up on a drug test?",
    "What is a naloxone challenge?",
    "Does naltrexone work for alcohol use disorder?",
    "is vivitrol the same as naltrexone",
    "booze and naltrexone",
)

# Questions the guide answers but the engine cannot yet match: "hurt" appears nowhere in the
# guide or its vocabulary, so these are honestly "not covered" until the vocabulary maps it.
VOCABULARY_GAPS = (
    "Can naltrexone hurt my liver?",
    "Does the jab hurt?",
)

# Questions the guide does not cover, several sharing one generic word with it.
UNCOVERED_QUESTIONS = (
    "What is the capital of France?",
    "How do I fix my car's brakes?",
    "best pizza in town",
    "What is the weather like?",
    "Who won the football?",
    "how long does pasta take to cook",
    "What time does the bank open?",
    "How do I reset my wifi password?",
    "Recommend a good book to read on holiday",
    "What is the tallest mountain in the world?",
    "How many legs does a spider have?",
    "Can you translate hello into Spanish?",
    "What is the square root of 144?",
    "Where can I buy cheap flights to Spain?",
    "How do I grow tomatoes in my garden?",
    "Who painted the Mona Lisa?",
    "What is a good name for a cat?",
    "how do I change a flat tyre",
    "When does the next train leave?",
    "What should I cook for dinner tonight?",
    "Is it going to rain tomorrow?",
    "Which phone has the best camera?",
    "How long should I boil an egg?",
    "What are the rules of cricket?",
    "How do I knit a scarf?",
    "What year did the Titanic sink?",
)

# Arbitrary text, including control characters, emoji, other scripts and very long strings.
any_text = st.text(max_size=400)
