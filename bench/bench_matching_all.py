"""match_all over 2,000 synthetic organisations assembled from the evaluation set's texts.

Each synthetic profile takes a random country (China or a CEE country), kind,
1–3 sectors and 1–3 needs / offers / description texts drawn from the evaluation
set. Needs are all in the embedding cache after one pass; offers and descriptions are read
with each synthetic organisation's kind and sectors in front (``MatchConfig.supply_context``),
so the first rule's ``prepare`` encodes them and the second finds them cached. ``match_all``
times scoring, not the encoder. A fixed reference workload (float32 matrix products, what
scoring spends its time on) is printed beside, as the machine's speed varies from day to day.

    python bench/bench_matching_all.py [--orgs 2000] [--top 10]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time

from bench_matching_eval import load

from silkbridge.engines.matching import CN_CEE, MatchConfig, Matcher, MemoryCache, Profile, default_encoder

KINDS = ["company"] * 8 + ["university", "institute", "chamber", "city"]


def synthetic(n: int, seed: int = 1) -> list[Profile]:
    base, _ = load()
    rng = random.Random(seed)
    needs = [t for p in base for t in p.needs]
    offers = [t for p in base for t in p.offers]
    descriptions = [t for p in base for t in p.description]
    sectors = sorted({s for p in base for s in p.sectors})
    cee = list(CN_CEE[1][1])
    out = []
    for i in range(n):
        out.append(
            Profile(
                id=i, name=f"Organisation {i}", country="CN" if rng.random() < 0.4 else rng.choice(cee),
                kind=rng.choice(KINDS), sectors=tuple(rng.sample(sectors, rng.randint(1, 3))),
                description=tuple(rng.sample(descriptions, rng.randint(0, 1))),
                offers=tuple(rng.sample(offers, rng.randint(1, 3))), needs=tuple(rng.sample(needs, rng.randint(0, 3))),
            )
        )
    return out


def reference_speed() -> str:
    """A fixed workload: 20 products of two fixed 2,000 x 384 float32 matrices (an embedding block against another)."""
    import numpy as np

    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 2000, 384), dtype=np.float32)
    began = time.perf_counter()
    for _ in range(20):
        a @ b.T
    return f"reference workload: 20 float32 products 2,000 x 384 x 2,000 in {time.perf_counter() - began:.2f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orgs", type=int, default=2000)
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args(argv)
    profiles = synthetic(args.orgs)
    cache = MemoryCache()
    encoder = default_encoder()
    t = time.perf_counter()
    Matcher(encoder, cache).prepare(load()[0])  # fills the cache with every evaluation text
    warm = time.perf_counter() - t
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; cache filled in {warm:.1f} s")
    print(reference_speed())
    print(f"{'rule':<18}{'orgs':>6}{'prepare s':>11}{'match_all s':>13}{'cpu s':>8}{'pairs/s':>12}")
    for rule in ("different_country", "groups"):
        matcher = Matcher(encoder, cache, MatchConfig(cross_border=rule, country_groups=CN_CEE, top_n=args.top))
        t = time.perf_counter()
        matcher.prepare(profiles)
        prep = time.perf_counter() - t
        t, c = time.perf_counter(), time.process_time()
        result = matcher.match_all(args.top)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        assert len(result) == args.orgs
        print(f"{rule:<18}{args.orgs:>6}{prep:>11.1f}{wall:>13.1f}{cpu:>8.1f}{args.orgs ** 2 / wall:>12.0f}")
    sample = result[0][0]
    print(f"example: org 0 -> {sample.name} ({sample.country}) {sample.score}: {sample.reasons[0] if sample.reasons else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
