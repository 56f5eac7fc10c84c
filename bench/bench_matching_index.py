"""Vector index at 10k / 100k / 1M vectors: single-query latency, recall@10 against exact search, memory per vector.

Synthetic unit vectors drawn around 2,000 random centres (embeddings of real
profiles are clustered, not uniform on the sphere); queries are fresh draws from
the same mixture, not copies of indexed vectors.

Latency columns are CPU milliseconds per query (single-threaded search); the last
column is the wall-clock median, which includes waiting for a busy machine.

    python bench/bench_matching_index.py [--sizes 10000,100000,1000000] [--queries 200]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from silkbridge.engines.matching import VectorIndex

DIM = 384


def mixture(n: int, rng: np.random.Generator, centres: np.ndarray, spread: float = 0.9) -> np.ndarray:
    out = np.empty((n, DIM), dtype=np.float32)
    for i in range(0, n, 100_000):
        m = min(100_000, n - i)
        v = centres[rng.integers(0, len(centres), m)] + spread * rng.standard_normal((m, DIM)).astype(np.float32) / np.sqrt(DIM)
        out[i : i + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def latencies(index: VectorIndex, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Per-query CPU time of this thread (searches run single-threaded), so other
    processes on a shared machine do not inflate the figure; wall time is also kept."""
    times, walls, ids = [], [], []
    for q in queries:
        t, w = time.thread_time(), time.perf_counter()
        got, _ = index.search(q, k)
        times.append(time.thread_time() - t)
        walls.append(time.perf_counter() - w)
        ids.append(got)
    latencies.wall_p50 = float(np.percentile(walls, 50) * 1000)
    return np.array(times) * 1000, np.stack(ids)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((2000, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    print(f"machine: {os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f}")
    print(f"{'vectors':>9} {'index':>6} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7} {'recall@10':>9} {'bytes/vec':>9} {'wall p50':>9}")
    for n in (int(s) for s in args.sizes.split(",")):
        data = mixture(n, rng, centres)
        queries = mixture(args.queries, rng, centres)
        exact = VectorIndex(DIM, kind="exact")
        t = time.perf_counter()
        exact.add(np.arange(n), data)
        build_exact = time.perf_counter() - t
        lat_e, truth = latencies(exact, queries)
        print(f"{n:>9} {'exact':>6} {build_exact:>8.1f} {np.percentile(lat_e, 50):>7.2f} {np.percentile(lat_e, 95):>7.2f} "
              f"{1.0:>9.3f} {exact.memory_bytes() / n:>9.0f} {latencies.wall_p50:>9.2f}", flush=True)
        del exact
        hnsw = VectorIndex(DIM, kind="hnsw")
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, n, 50_000):
            hnsw.add(np.arange(i, min(n, i + 50_000)), data[i : i + 50_000])
        build, build_cpu = time.perf_counter() - t, time.process_time() - c
        lat_h, got = latencies(hnsw, queries)
        recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth)])
        print(f"{n:>9} {'hnsw':>6} {build:>8.1f} {np.percentile(lat_h, 50):>7.2f} {np.percentile(lat_h, 95):>7.2f} "
              f"{recall:>9.3f} {hnsw.memory_bytes() / n:>9.0f} {latencies.wall_p50:>9.2f}  (build {build_cpu:.0f} cpu s)", flush=True)
        del hnsw, data
    return 0


if __name__ == "__main__":
    sys.exit(main())
