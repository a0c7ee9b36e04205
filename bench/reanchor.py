"""Re-anchor 1,000 claims of a long article after an edit: how long it takes.

    python -m bench.reanchor [--claims 1000] [--paragraphs 400]

The article has `paragraphs` paragraphs of about 500 characters; the edit inserts a lead,
rewrites a sentence in every tenth paragraph and deletes every fiftieth. Printed: the median
of five runs, and how many claims were kept, anchored, moved and orphaned.
"""

from __future__ import annotations

import argparse
import collections
import random
import statistics
import time

from app.text.anchoring import Reanchorer
from app.text.offsets import context

WORDS = [
    "residents",
    "camp",
    "liberty",
    "officials",
    "said",
    "plan",
    "relocation",
    "albania",
    "iraq",
    "buses",
    "airport",
    "group",
    "statement",
    "week",
    "month",
    "government",
    "refugees",
    "agency",
    "process",
    "families",
    "road",
    "night",
    "dark",
]


def build(paragraphs: int, rng: random.Random) -> list[str]:
    return [
        " ".join(rng.choice(WORDS) for _ in range(80)).capitalize() + "." for _ in range(paragraphs)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--paragraphs", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(1)
    paras = build(args.paragraphs, rng)
    old = "\n\n".join(paras)
    claims = []
    for _ in range(args.claims):
        start = rng.randrange(0, len(old) - 60)
        end = start + rng.randrange(10, 60)
        prefix, suffix = context(old, start, end)
        claims.append((start, end, old[start:end], prefix, suffix))
    edited = []
    for i, p in enumerate(paras):
        if i % 50 == 0:
            continue
        if i % 10 == 0:
            p = p.replace(" said ", " told reporters ", 1)
        edited.append(p)
    new = "Update, 9 September: the last group has left.\n\n" + "\n\n".join(edited)
    times, counts = [], collections.Counter()
    for _ in range(5):
        started = time.perf_counter()
        engine = Reanchorer(old, new)
        counts = collections.Counter(engine.anchor(*c).status for c in claims)
        times.append(time.perf_counter() - started)
    print(
        f"{args.claims} claims on {len(old):,} characters: median {statistics.median(times):.3f} s "
        f"(5 runs); " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )


if __name__ == "__main__":
    main()
