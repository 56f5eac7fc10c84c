"""match_all over 2,000 synthetic organisations assembled from the evaluation set's texts.

Each synthetic profile takes a random country (China or a CEE country), kind,
1–3 sectors and 1–3 needs / offers / description texts drawn from the evaluation
set, so every text is already in the embedding cache after one pass and the table
times chunking-lookup and scoring, not the encoder.

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
