"""Benchmark: the Ask engine, warm and cold, with the safety layer included.

- warm: questions per second on one core through ``Engine.answer`` (clinical triage first, then
  BM25, coverage and sentence extraction), over a few hundred generated questions: paraphrase
  templates crossed with guide topics, off-topic questions and red-flag symptom reports. The
  same questions are also timed through the triage alone, to show the safety layer's share.
- cold: wall time of ``naltrack ask --json "..."`` in a fresh process through the installed
  script, median of 5 runs with the index cache in place, plus one first-use run that builds it.
- index: time to build the index from the guide (median of 5) and to load it from the cache.

Goals (docs/performance.md, DESIGN.md): warm >= 500 questions/s on one core; cold < 1 s.
Output: JSON on stdout and in bench/results/ask.json.

Usage: python bench/bench_ask.py [--passes N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "ask.json"
GOAL_WARM_QPS = 500.0
GOAL_COLD_S = 1.0
SEED = 20240601
COLD_RUNS = 5

TEMPLATES = (
    "What is {t}?",
    "Tell me about {t}",
    "how does {t} work",
    "Is {t} safe?",
    "Can I drink alcohol with {t}?",
    "What are the side effects of {t}?",
    "{t} and my liver",
    "How long does {t} last?",
    "Do I need a prescription for {t}?",
    "what should I know about {t} before I start",
    "Is {t} addictive?",
    "{t}??",
    "my doctor mentioned {t}, what does it mean",
    "is it ok to stop {t} suddenly",
    "{t} while pregnant",
    "how much does {t} cost",
    "what happens if I miss {t}",
    "can {t} cause depression",
    "{t} vs methadone",
    "who can prescribe {t}",
)
TOPICS = (
    "naltrexone",
    "the monthly shot",
    "Vivitrol",
    "the tablet",
    "LDN",
    "the Sinclair method",
    "acamprosate",
    "Antabuse",
    "buprenorphine",
    "methadone",
    "naloxone",
    "opioid withdrawal",
    "liver tests",
    "pregnancy",
    "surgery",
    "support groups",
    "cravings",
    "an overdose",
)
OFF_TOPIC = (
    "What is the capital of France?",
    "How do I fix my car's brakes?",
    "best pizza in town",
    "What is the weather like?",
    "Who won the football?",
    "how long does pasta take to cook",
    "Where can I buy cheap flights?",
    "How many legs does a spider have?",
)
RED_FLAGS = (
    "my skin and eyes have gone yellow",
    "I have swelling of my face and trouble breathing",
    "my urine is dark and my belly hurts on the right",
    "the injection site is red, hot and oozing pus",
    "I used heroin on top of my naltrexone and can't breathe properly",
    "I want to kill myself",
)


def generate_questions(count: int = 400) -> list[str]:
    """A reproducible mix: templated paraphrases, off-topic questions and red-flag reports."""
    rng = random.Random(SEED)
    paraphrases = [template.format(t=topic) for template in TEMPLATES for topic in TOPICS]
    rng.shuffle(paraphrases)
    questions = paraphrases[: count - len(OFF_TOPIC) * 3 - len(RED_FLAGS) * 3]
    questions += list(OFF_TOPIC) * 3 + list(RED_FLAGS) * 3
    rng.shuffle(questions)
    return questions


def pin_to_one_core() -> str:
    """Run on a single CPU so the figure is per core; returns which one (or why not)."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"cpu {cpu}"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity)"


def measure_warm(questions: list[str], passes: int) -> dict[str, Any]:
    from naltrack.clinical.triage import triage_text
    from naltrack.knowledge.engine import default_engine

    engine = default_engine()
    for question in questions:  # warm-up: caches, lazily analysed passages
        engine.answer(question)
    latencies: list[float] = []
    start = time.perf_counter()
    for _ in range(passes):
        for question in questions:
            began = time.perf_counter()
            engine.answer(question)
            latencies.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - start
    triage_start = time.perf_counter()
    for _ in range(passes):
        for question in questions:
            triage_text(question, country="US")
    triage_elapsed = time.perf_counter() - triage_start
    answered = len(questions) * passes
    latencies.sort()
    covered = sum(engine.answer(q).is_covered for q in questions)
    urgent = sum(engine.answer(q).is_urgent for q in questions)
    return {
        "questions": len(questions),
        "distinct_questions": len(set(questions)),
        "covered": covered,
        "urgent": urgent,
        "passes": passes,
        "questions_per_second": round(answered / elapsed, 1),
        "latency_ms_p50": round(latencies[len(latencies) // 2] * 1000, 3),
        "latency_ms_p99": round(latencies[int(len(latencies) * 0.99)] * 1000, 3),
        "safety_layer_share": round(triage_elapsed / elapsed, 3),
    }


def measure_index() -> dict[str, Any]:
    from naltrack.knowledge.engine import build_index, default_inputs, load_index

    inputs = default_inputs()
    builds = []
    for _ in range(5):
        began = time.perf_counter()
        index = build_index(inputs)
        builds.append(time.perf_counter() - began)
    with tempfile.TemporaryDirectory() as folder:
        load_index(inputs, cache=Path(folder))
        began = time.perf_counter()
        load_index(inputs, cache=Path(folder))
        loaded = time.perf_counter() - began
        size = sum(path.stat().st_size for path in Path(folder).iterdir())
    return {
        "passages": len(index.passages),
        "terms": len(index.idf),
        "build_s_median": round(statistics.median(builds), 4),
        "cache_load_s": round(loaded, 4),
        "cache_bytes": size,
    }


def measure_cold() -> dict[str, Any]:
    script = Path(sys.executable).parent / "naltrack"
    command = [str(script), "ask", "--json", "How often is the Vivitrol shot given?"]
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, NALTRACK_CACHE_DIR=folder)

        def timed() -> float:
            began = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            return time.perf_counter() - began

        first_use = timed()  # builds and saves the index
        runs = [timed() for _ in range(COLD_RUNS)]
    return {
        "command": " ".join(command[1:]),
        "runs_s": [round(run, 3) for run in runs],
        "median_s": round(statistics.median(runs), 3),
        "first_use_with_index_build_s": round(first_use, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=5, help="timed passes over the questions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["NALTRACK_CACHE_DIR"] = cache  # never touch the user's own cache
        pinned = pin_to_one_core()
        questions = generate_questions()
        warm = measure_warm(questions, args.passes)
        index = measure_index()
    cold = measure_cold()
    result = {
        "benchmark": "ask",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "pinned": pinned},
        "load_average_1min": round(os.getloadavg()[0], 2),
        "warm": warm,
        "cold": cold,
        "index": index,
        "goals": {"warm_questions_per_second": GOAL_WARM_QPS, "cold_s": GOAL_COLD_S},
        "meets_goals": {
            "warm": warm["questions_per_second"] >= GOAL_WARM_QPS,
            "cold": cold["median_s"] < GOAL_COLD_S,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(
        f"warm {warm['questions_per_second']} q/s on one core (goal >= {GOAL_WARM_QPS:g}); "
        f"cold {cold['median_s']} s (goal < {GOAL_COLD_S:g} s); index build {index['build_s_median']} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
