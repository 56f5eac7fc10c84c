"""Ranks each evaluation organisation's intended partner among all candidates, four ways, per set.

    python bench/bench_matching_eval.py [--data PATH[,PATH...]]... [--pooled] [--rule groups|different_country|any]
                                        [--verbose] [--calibrate] [--grid]

Each file is one forum: its organisations are the candidates for its queries (with
``--pooled``, every file's organisations sit in one directory, where sets written apart
often hold look-alikes of each other's partners). For every ``split`` it prints MRR and
recall@1 of

* **naive q / naive p**: the mutual need↔offer baseline on the same encoder and chunks:
  for each direction the best raw cosine between one side's needs and the other's offers,
  the two directions averaged; the texts alone, nothing else. Offers are embedded as e5
  queries (q) or as passages (p);
* **engine**: the shipped configuration (``MatchConfig()``, ``Weights()`` and
  ``Calibration()``), ranked through ``Matcher.match_one``;
* **LOSO**: leave one set out: how offers are embedded (e5 queries, passages, or a mix of
  the two) and whether they are read with the organisation's kind and sectors, the shares
  of the parts, the
  hubness strengths and the popularity temperature are chosen on the development splits
  *other* than the one scored (best pooled MRR over a fixed grid; the simplest choice wins
  ties), then the scored split is ranked with them. The ``all`` row pools every split
  ranked with its own LOSO choice. A split that is not a development split (a new file) is
  scored with the choice made on all development splits, which is the shipped one, so
  there LOSO equals the engine; files that hold only such splits skip the development
  grid unless ``--grid`` asks for the check.

The development splits are those of ``DEV_FILES`` (twenty-seven splits in twenty-six files).
Rounds 1 to 6 also offered the old hand-set table of organisation kinds as a candidate
part, to show whether it earns a place; no fold ever chose it, and round 7 dropped it.
Every choice is ranked once for every development query, one directory per CPU
(``Forums.rank_grid``); each fold's choice is then a sum over splits.

``--data`` (repeatable, or a comma list) evaluates any jsonl files in the format of
``data/matching_eval/orgs.jsonl``. To score a new set with the frozen engine:

    PYTHONPATH=src python bench/bench_matching_eval.py --data bench/data/matching_eval/NEW.jsonl

Embeddings are cached in ``bench/out/embeddings.pkl`` (keyed by model and text hash).
"""
from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import multiprocessing
import os
import platform
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _embed_cache import DiskCache  # noqa: E402

from silkbridge.engines.matching import (  # noqa: E402
    CN_CEE,
    Calibration,
    MatchConfig,
    Matcher,
    Profile,
    Weights,
    default_encoder,
)
from silkbridge.engines.matching.matcher import _top_mean  # noqa: E402
from silkbridge.engines.matching.scoring import allowed_matrix, combine  # noqa: E402

HERE = os.path.join(os.path.dirname(__file__), "data", "matching_eval")
DATA = os.path.join(HERE, "orgs.jsonl")
DEV_FILES = [os.path.join(HERE, f) for f in ("orgs.jsonl", "heldout2.jsonl", "heldout3.jsonl", "dev_partners.jsonl",
                                              "heldout4.jsonl", "heldout5.jsonl", "heldout6.jsonl", "heldout7.jsonl",
                                              "heldout8.jsonl", "heldout9.jsonl", "heldout10.jsonl",
                                              "heldout11.jsonl", "heldout12.jsonl", "heldout13.jsonl", "heldout14.jsonl",
                                              "heldout15.jsonl", "heldout16.jsonl", "heldout17.jsonl", "heldout18.jsonl",
                                              "heldout19.jsonl", "heldout20.jsonl", "heldout21.jsonl", "heldout22.jsonl",
                                              "heldout23.jsonl", "heldout24.jsonl", "heldout25.jsonl")]
DEV_SPLITS = ("tuning", "heldout", "heldout2", "heldout3", "devpartners", "heldout4", "heldout5", "heldout6", "heldout7",
              "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15",
              "heldout16", "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout22", "heldout23",
              "heldout24", "heldout25")

# The grid the LOSO choice searches: how offers are embedded, hubness strength, then the shares of the other parts.
CONTEXT = ("kind_sectors",)
"""What the encoder reads beside each offer (``MatchConfig.supply_context``). ``"none"`` (the
texts alone) was offered on thirteen, nineteen and twenty-three splits and no fold chose it;
round 7 keeps it for the naive baselines only."""
PASSAGE = (0.0, 0.25, 1.0)
"""How offers and descriptions are embedded (``MatchConfig.passage_share``): e5 queries (0),
passages (1), or the normalised mix of the two."""
NEED_CONTEXT = (0.0, 0.3, 0.5, 0.7, 0.85, 1.0)
"""How much of each need is read after its own organisation's kind and sectors
(``MatchConfig.need_context_share``), new in round 7."""
NAIVE = {"query": 0.0, "passage": 1.0}
"""The naive baselines' supply forms."""
HUBNESS = (0.0, 0.5, 1.0)
NEED = ((0.0, 10), (0.5, 10), (1.0, 10), (1.0, 3), (1.5, 10), (2.0, 10), (3.0, 10))
"""Need hubness: (strength, neighbours). 4.0 was offered too on nineteen splits and never chosen."""
REACH = ("either", "role")
"""What rivalry weighs offers alike against (``Calibration.rivalry_reach``). The earlier rule,
``"each"``, was compared as a whole: leave one set out with ``("each",)`` here gave MRR
0.975 / 0.943 / 0.950 / 0.988 / 0.712 (tuning, heldout, heldout2, heldout3, devpartners,
mean 0.914), with ``("either",)`` 1.000 / 0.969 / 0.938 / 0.971 / 0.769 (mean 0.929), and
with both offered to every choice 0.975 / 0.943 / 0.938 / 0.971 / 0.712 (mean 0.908)."""
SECTORS = (0.0, 0.1, 0.2, 0.3)
PROFILE = (0.0, 0.1)
RIVALRY = (0.0, 0.1, 0.2, 0.3)
PARTNER = ((0.0, 3), (1.0, 3), (0.5, 10), (1.0, 10), (1.5, 3), (2.0, 3), (3.0, 3))
"""Partner hubness: (strength, neighbours). 4.0 was offered too on nineteen splits and never chosen."""
POPULARITY = (0.0, 2.0, 4.0, 8.0)
"""Temperature of the popularity correction (``Calibration.popularity``; 0: off)."""

def load(path: str | list[str] = DATA) -> tuple[list[Profile], dict[str, dict]]:
    profiles, meta = [], {}
    for one in [path] if isinstance(path, str) else path:
        profiles_, meta_ = _load_one(one)
        clash = set(meta_) & set(meta)
        if clash:
            raise SystemExit(f"{one}: ids already loaded from another file: {', '.join(sorted(clash)[:5])}")
        profiles += profiles_
        meta.update(meta_)
    return profiles, meta


def _load_one(path: str) -> tuple[list[Profile], dict[str, dict]]:
    profiles, meta = [], {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            o = json.loads(line)
            o.setdefault("distractors", [])
            o.setdefault("split", None)
            o.setdefault("partner", None)
            meta[o["id"]] = o
            profiles.append(
                Profile(
                    id=o["id"], name=o["name"], country=o["country"], kind=o["kind"],
                    sectors=tuple(o["sectors"]), languages=tuple(o["languages"]),
                    description=tuple(map(tuple, o["description"])), offers=tuple(map(tuple, o["offers"])),
                    needs=tuple(map(tuple, o["needs"])),
                )
            )
    return profiles, meta


def splits_of(meta: dict[str, dict]) -> list[str]:
    """Split names of the organisations that have an intended partner, in order of appearance."""
    return list(dict.fromkeys(o["split"] for o in meta.values() if o["partner"] and o["split"]))


def evaluate(matcher: Matcher, meta: dict[str, dict], split: str) -> dict:
    rr, hits, beats, rows = [], 0, 0, []
    queries = [o for o in meta.values() if o["split"] == split and o["partner"]]
    for o in queries:
        ranked = matcher.match_one(o["id"], top=len(meta))
        ids = [m.id for m in ranked]
        rank = ids.index(o["partner"]) + 1 if o["partner"] in ids else None
        rr.append(1.0 / rank if rank else 0.0)
        hits += rank == 1
        beats += bool(rank) and all(d not in ids or ids.index(d) + 1 > rank for d in o["distractors"])
        rows.append((o["id"], rank, ranked[0].id, ranked[0].score, ranked[rank - 1].score if rank else None))
    return dict(n=len(queries), mrr=float(np.mean(rr)), r1=hits / len(queries), beats=beats / len(queries), rows=rows)



def calibration_report(matcher: Matcher, meta: dict[str, dict], splits: set[str]) -> None:
    from silkbridge.engines.matching.matcher import margin

    A = matcher._build()
    tuning = [i for i, pid in enumerate(A["ids"]) if meta[pid]["split"] in splits]
    S = margin(A["Q"] @ A["P"].T, A["rq"], A["rp"])
    qo, po = A["q_owner"], A["p_owner"]
    intended, other = [], []
    for qi in range(len(qo)):
        a = A["ids"][qo[qi]]
        if meta[a]["split"] not in splits:
            continue
        for pj in range(len(po)):
            b = A["ids"][po[pj]]
            if a == b:
                continue
            (intended if meta[a]["partner"] == b else other).append(S[qi, pj])
    pct = lambda x: " ".join(f"{np.percentile(x, p):.3f}" for p in (5, 25, 50, 75, 95))  # noqa: E731
    print(f"splits: {', '.join(sorted(splits))}")
    print("need->supply margin  p5 p25 p50 p75 p95")
    print("  intended pairs:", pct(intended))
    print("  other pairs:   ", pct(other))
    V = A["prof"]
    pi, po2 = [], []
    for i in tuning:
        a = A["ids"][i]
        for j in range(len(A["ids"])):
            if j == i or not A["has_prof"][j] or not A["has_prof"][i]:
                continue
            (pi if meta[a]["partner"] == A["ids"][j] else po2).append(float(V[i] @ V[j]))
    print("profile cosine")
    print("  intended pairs:", pct(pi))
    print("  other pairs:   ", pct(po2))




# ----------------------------------------------------------------------------- fast ranking for the grid


@dataclasses.dataclass(frozen=True)
class Choice:
    context: str
    passage: float
    need_context: float
    hubness: float
    need: tuple[float, int]
    reach: str
    sectors: float
    profile: float
    rivalry: float
    partner: tuple[float, int]
    popularity: float

    def complexity(self) -> tuple:
        used = [self.hubness, self.need[0], self.sectors, self.profile, self.rivalry, self.partner[0],
                self.popularity > 0]
        return (sum(x > 0 for x in used), sum(used), self.need[1], self.partner[1], self.reach != REACH[0],
                self.passage != PASSAGE[0], self.need_context, self.context != CONTEXT[0])

    def __str__(self) -> str:
        return (f"{self.context} passage {self.passage:g} need-context {self.need_context:g} hub {self.hubness:g} need {self.need[0]:g}/{self.need[1]} sec {self.sectors:g} prof {self.profile:g} riv {self.rivalry:g}/{self.reach} "
                f"partner {self.partner[0]:g}/{self.partner[1]} pop {self.popularity:g}")


GRID = sorted((Choice(*c) for c in itertools.product(CONTEXT, PASSAGE, NEED_CONTEXT, HUBNESS, NEED, REACH, SECTORS, PROFILE,
                                                     RIVALRY, PARTNER, POPULARITY)
               if c[8] or c[5] == REACH[0]),  # without rivalry, what it reaches does not matter
              key=Choice.complexity)
GRID_INDEX = {c: g for g, c in enumerate(GRID)}


def config_for(rule: str, hubness: float | None = None, need: tuple[float, int] | None = None,
               weights: Weights | None = None, reach: str | None = None, passage: float | None = None,
               context: str | None = None, need_context: float | None = None) -> MatchConfig:
    cal = Calibration()
    if reach is not None:
        cal = dataclasses.replace(cal, rivalry_reach=reach)
    cal = dataclasses.replace(cal, hubness=cal.hubness if hubness is None else hubness)
    if need is not None:
        cal = dataclasses.replace(cal, need_hubness=need[0], need_neighbours=need[1])
    config = MatchConfig(cross_border=rule, country_groups=CN_CEE, weights=weights or Weights(), calibration=cal)
    if context is not None:
        config = dataclasses.replace(config, supply_context=context)
    if need_context is not None:
        config = dataclasses.replace(config, need_context_share=need_context)
    return config if passage is None else dataclasses.replace(config, passage_share=passage)


def sharing(prepared: Matcher, config: MatchConfig) -> Matcher:
    """A matcher with ``config`` over the texts and vectors ``prepared`` holds (same supply form: nothing re-encoded)."""
    m = Matcher(prepared.encoder.encoder, prepared.encoder.cache, config)
    m._profiles, m._chunks, m._vectors, m._languages = (prepared._profiles, prepared._chunks, prepared._vectors,
                                                        prepared._languages)
    return m


class Directory:
    """One prepared directory: every part of every pair, under each hubness strength, to rank any choice fast."""

    def __init__(self, profiles: list[Profile], meta: dict[str, dict], rule: str, encoder, cache):
        self.meta = meta
        self.parts = {}
        for context, passage, need_context in itertools.product(CONTEXT, PASSAGE, NEED_CONTEXT):
            prepared = Matcher(encoder, cache, config_for(rule, passage=passage, context=context,
                                                          need_context=need_context))
            prepared.prepare(profiles)
            for h, need, reach in itertools.product(HUBNESS, NEED, REACH):
                # A rivalry share only so that the matcher computes the part; the grid sets the real share.
                m = sharing(prepared, config_for(rule, h, need, Weights(rivalry=0.1), reach, passage, context,
                                                 need_context))
                A = m._build()
                self.parts[context, passage, need_context, h, need, reach] = m.parts(np.arange(len(A["ids"])))
        self.matcher = m
        self.ids = A["ids"]
        pos = A["pos"]
        n = len(self.ids)
        self.allowed = allowed_matrix(A["countries"], A["countries"], config_for(rule))
        self.allowed[np.arange(n), np.arange(n)] = False
        self.queries = [(pos[o["id"]], pos[o["partner"]], o["split"]) for o in meta.values()
                        if o["partner"] and o["split"]]
        self.naive = {}
        for form, share in NAIVE.items():  # the naive baseline reads the texts alone
            prepared = Matcher(encoder, cache, config_for(rule, passage=share, context="none"))
            prepared.prepare(profiles)
            self.naive[form] = self._naive(prepared)
        self._ranks: dict[Choice, np.ndarray] = {}

    def _naive(self, m: Matcher) -> np.ndarray:
        """Mean over the two directions of the best raw cosine between one side's needs and the other's offers."""
        A = m._build()
        n = len(self.ids)
        Q, P = A["Q"].astype(np.float64), A["P"].astype(np.float64)
        is_offer = np.array([c.source == "offer" for pid in self.ids for c in m._chunks[pid] if c.source != "need"])
        S = Q @ P[is_offer].T
        best = Matcher._segment_max(S, A["p_owner"][is_offer], n, axis=1)
        best = Matcher._segment_max(best, A["q_owner"], n, axis=0)  # best[a, b]: a's needs, b's offers; 0 if none
        return (best + best.T) / 2

    def rank(self, S: np.ndarray) -> np.ndarray:
        """Rank of each query's partner among allowed candidates, ties broken as the engine does (lower position first)."""
        qi = np.array([i for i, _, _ in self.queries])
        qj = np.array([j for _, j, _ in self.queries])
        R = np.where(self.allowed[qi], S[qi], -np.inf)
        pj = R[np.arange(len(qi)), qj][:, None]
        before = np.arange(R.shape[1])[None, :] < qj[:, None]
        ranks = 1 + (R > pj).sum(1) + ((R == pj) & before).sum(1)
        return np.where(self.allowed[qi, qj], ranks, 0)

    def ranks(self, c: Choice) -> np.ndarray:
        if c not in self._ranks:
            self._ranks[c] = self.ranks_uncached(c)
        return self._ranks[c]

    def ranks_uncached(self, c: Choice) -> np.ndarray:
        """Rank of each query's partner under choice ``c``."""
        return self.rank(self._popular(self._partnered(self._combined(c), c.partner), c.popularity))

    def ranks_all(self) -> np.ndarray:
        """``ranks_uncached`` for every grid choice (rows in ``GRID`` order); choices that share a
        combined score, or a partner-corrected one, compute it once."""
        out = np.empty((len(GRID), len(self.queries)), dtype=np.int16)
        combined = partnered = None
        for g in sorted(range(len(GRID)), key=lambda g: _stages(GRID[g])):
            c = GRID[g]
            inputs = _stages(c)[0]
            if combined is None or combined[0] != inputs:
                combined, partnered = (inputs, self._combined(c)), None
            if partnered is None or partnered[0] != c.partner:
                partnered = (c.partner, self._partnered(combined[1], c.partner))
            out[g] = self.rank(self._popular(partnered[1], c.popularity))
        return out

    def _combined(self, c: Choice) -> np.ndarray:
        w = Weights(needs=1.0, sectors=c.sectors, profile=c.profile, rivalry=c.rivalry)
        return combine(self.parts[c.context, c.passage, c.need_context, c.hubness, c.need, c.reach], w)

    def _partnered(self, S: np.ndarray, partner: tuple[float, int]) -> np.ndarray:
        g, k = partner
        if not g:  # as Matcher._score_rows does
            return S
        r = _top_mean(np.where(self.allowed, S, -np.inf), k, axis=1)
        return np.clip(S - g * (0.5 * (r[:, None] + r[None, :]) - r.mean()), 0.0, 100.0)

    def _popular(self, S: np.ndarray, temperature: float) -> np.ndarray:
        if not temperature:  # as Matcher._popularity does
            return S
        X = np.where(self.allowed, S / temperature, -np.inf)
        top = X.max(axis=1, keepdims=True)
        E = np.where(self.allowed, np.exp(X - np.where(np.isfinite(top), top, 0.0)), 0.0)
        attention = (E / np.maximum(E.sum(axis=1, keepdims=True), 1e-300)).sum(axis=0)
        pop = np.zeros(len(attention))
        drawn = attention > 0
        pop[drawn] = np.log(attention[drawn]) - np.log(attention[drawn]).mean()
        return np.clip(S - temperature * (pop[:, None] + pop[None, :]), 0.0, 100.0)

    def mask(self, splits) -> np.ndarray:
        return np.array([s in splits for _, _, s in self.queries])


def reciprocal(ranks: np.ndarray) -> np.ndarray:
    """1 / rank, and 0 where the partner may not be met (rank 0)."""
    return np.where(ranks > 0, 1.0 / np.maximum(ranks, 1), 0.0)


def figures(ranks: np.ndarray) -> tuple[float, float]:
    return float(reciprocal(ranks).mean()), float((ranks == 1).mean())


class Forums:
    """Several directories ranked as one evaluation: each file its own forum (default), or all files in one directory.

    ``ranks``, ``mask`` and ``rank_naive`` run over every directory's queries in turn, so
    a split's MRR pools its queries wherever they sit.
    """

    def __init__(self, paths: list[str], rule: str, encoder, cache, pooled: bool):
        groups = [paths] if pooled else [[p] for p in paths]
        self.directories = [Directory(*load(g), rule, encoder, cache) for g in groups]
        self.engines = []
        for d in self.directories:
            m = Matcher(encoder, cache, config_for(rule))
            m.prepare([d.matcher._profiles[i] for i in d.ids])
            self.engines.append((m, d.meta))
        self.meta = {k: v for d in self.directories for k, v in d.meta.items()}
        self.queries = [q for d in self.directories for q in d.queries]
        self._ranks: dict[Choice, np.ndarray] = {}
        self._table: np.ndarray | None = None
        self._sums: np.ndarray | None = None
        self.splits = list(dict.fromkeys(s for _, _, s in self.queries))

    def __len__(self) -> int:
        return sum(len(d.ids) for d in self.directories)

    def ranks(self, c: Choice) -> np.ndarray:
        if self._table is not None:
            return self._table[GRID_INDEX[c]]
        if c not in self._ranks:
            self._ranks[c] = np.concatenate([d.ranks(c) for d in self.directories])
        return self._ranks[c]

    def rank_grid(self) -> None:
        """Ranks every query's partner under every grid choice, one directory per CPU at a time."""
        global _RANKING
        _RANKING = self.directories
        t, parts = time.perf_counter(), []
        with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
            for k, part in enumerate(pool.imap(_rank_grid, range(len(self.directories)))):
                parts.append(part)
                print(f"  grid: {k + 1} of {len(self.directories)} directories ranked ({time.perf_counter() - t:.0f} s)",
                      file=sys.stderr, flush=True)
        self._table = np.concatenate(parts, axis=1)
        _RANKING = []
        self._sums = np.zeros((len(GRID), len(self.splits)))  # reciprocal ranks summed per split
        for k, split in enumerate(self.splits):
            self._sums[:, k] = reciprocal(self._table[:, self.mask({split})]).sum(axis=1)

    def choose(self, splits) -> Choice:
        """The grid point with the best pooled MRR on ``splits`` (the simplest of those within 1e-12 of the best)."""
        if self._sums is None:
            self.rank_grid()
        cols = [k for k, s in enumerate(self.splits) if s in splits]
        mrr = self._sums[:, cols].sum(axis=1) / self.mask(splits).sum()
        return GRID[int(np.argmax(mrr >= mrr.max() - 1e-12))]

    def rank_naive(self, form: str) -> np.ndarray:
        return np.concatenate([d.rank(d.naive[form]) for d in self.directories])

    def mask(self, splits) -> np.ndarray:
        return np.array([s in splits for _, _, s in self.queries])

    def barred(self) -> list[str]:
        return [d.ids[i] for d in self.directories for i, j, _ in d.queries if not d.allowed[i, j]]

    def evaluate(self, split: str) -> dict:
        """The split through ``Matcher.match_one`` in the directory that holds it."""
        parts = [evaluate(m, meta, split) for m, meta in self.engines
                 if any(o["split"] == split and o["partner"] for o in meta.values())]
        n = sum(r["n"] for r in parts)
        return dict(n=n, mrr=sum(r["mrr"] * r["n"] for r in parts) / n, r1=sum(r["r1"] * r["n"] for r in parts) / n,
                    rows=[row for r in parts for row in r["rows"]])


_RANKING: list[Directory] = []
"""The directories the forked workers of ``Forums.rank_grid`` rank (set just before the pool starts)."""


def _stages(c: Choice) -> tuple:
    """What ``Directory.ranks_all`` computes once for many choices: the combined score's inputs, then the partner correction."""
    return ((c.context, c.passage, c.need_context, c.hubness, c.need, c.reach, c.sectors, c.profile, c.rivalry),
            c.partner, c.popularity)


def _rank_grid(k: int) -> np.ndarray:
    return _RANKING[k].ranks_all()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rule", default="groups", choices=["groups", "different_country", "any"])
    ap.add_argument("--pooled", action="store_true",
                    help="rank all files' organisations in one directory (default: each file is its own forum)")
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--calibrate-splits", default="tuning,heldout")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--grid", action="store_true",
                    help="with --data files that hold no development split: run the development grid all the same")
    ap.add_argument("--data", action="append", metavar="PATH[,PATH...]",
                    help="jsonl file(s) to evaluate (repeatable or a comma list); default: the development files")
    args = ap.parse_args(argv)
    paths = [p for d in args.data for p in d.split(",") if p.strip()] if args.data else DEV_FILES
    encoder, cache = default_encoder(), DiskCache()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          f"encoder {encoder.name}; rule {args.rule}; "
          + ("all files in one directory" if args.pooled else "each file its own forum"))
    t = time.perf_counter()
    target = Forums(paths, args.rule, encoder, cache, args.pooled)
    same = sorted(map(os.path.abspath, paths)) == sorted(map(os.path.abspath, DEV_FILES))
    meta = target.meta
    new_only = not set(splits_of(meta)) & set(DEV_SPLITS)
    dev = target if same else None if new_only and not args.grid else Forums(DEV_FILES, args.rule, encoder, cache,
                                                                             args.pooled)
    print(f"{len(target)} organisations prepared (and every part of every pair under "
          f"{len(CONTEXT) * len(PASSAGE) * len(NEED_CONTEXT) * len(HUBNESS) * len(NEED) * len(REACH)} settings) in {time.perf_counter() - t:.1f} s; "
          f"grid of {len(GRID)} choices")
    if args.calibrate:
        engine = Matcher(encoder, cache, config_for(args.rule))
        engine.prepare(load(paths)[0])
        calibration_report(engine, meta, set(args.calibrate_splits.split(",")))
    cal, w = Calibration(), Weights()
    config = MatchConfig()
    shipped = Choice(config.supply_context, config.passage_share, config.need_context_share, cal.hubness,
                     (cal.need_hubness, cal.need_neighbours), cal.rivalry_reach if w.rivalry else REACH[0], w.sectors,
                     w.profile, w.rivalry, (cal.partner_hubness, cal.partner_neighbours), cal.popularity)
    print(f"shipped: {shipped}")
    if dev is None:
        print("new splits only: scored with the shipped engine, whose choice LOSO would repeat "
              "(--grid runs the development grid to check that it is the choice on all development splits)")
    else:
        on_all = dev.choose(DEV_SPLITS)
        print(f"chosen on all development splits: {on_all}" + ("  (= shipped)" if on_all == shipped else "  (differs!)"))
    naive_ranks = {form: target.rank_naive(form) for form in NAIVE}
    barred = target.barred()
    if barred:
        print(f"warning: {len(barred)} intended partners are not allowed under --rule {args.rule} and count as misses "
              f"(e.g. {', '.join(barred[:3])}); a set beyond China <-> CEE needs --rule different_country")
    print()
    print("naive: mutual best raw cosine of needs and offers, offers embedded as e5 queries (q) or passages (p)")
    print(f"{'split':<12}{'queries':>7}{'naive q':>9}{'R@1':>6}{'naive p':>9}{'R@1':>6}{'engine':>8}{'R@1':>6}"
          f"{'LOSO':>7}{'R@1':>6}  LOSO choice (chosen without the split)")
    loso_ranks = np.zeros(len(target.queries), dtype=np.int64)

    def row(name: str, n: int, mask: np.ndarray, engine_fig, loso_fig, note: str = "") -> None:
        nq, np_ = figures(naive_ranks["query"][mask]), figures(naive_ranks["passage"][mask])
        print(f"{name:<12}{n:>7}{nq[0]:>9.3f}{nq[1]:>6.3f}{np_[0]:>9.3f}{np_[1]:>6.3f}{engine_fig[0]:>8.3f}"
              f"{engine_fig[1]:>6.3f}{loso_fig[0]:>7.3f}{loso_fig[1]:>6.3f}  {note}")

    for split in splits_of(meta):
        mask = target.mask({split})
        r = target.evaluate(split)
        fast = figures(target.ranks(shipped)[mask])
        if abs(fast[0] - r["mrr"]) > 1e-9:
            print(f"  note: fast ranking {fast[0]:.3f} differs from match_one {r['mrr']:.3f} on {split}")
        choice = dev.choose([s for s in DEV_SPLITS if s != split]) if dev else shipped
        loso_ranks[mask] = target.ranks(choice)[mask]
        row(split, r["n"], mask, (r["mrr"], r["r1"]), figures(loso_ranks[mask]), str(choice))
        if args.verbose:
            for qid, rank, top_id, top_score, p_score in r["rows"]:
                flag = "" if rank == 1 else f"  <- top {top_id} {top_score}"
                print(f"    {qid:<28} rank {rank} score {p_score}{flag}")
    mask = target.mask(set(splits_of(meta)))
    row("all", int(mask.sum()), mask, figures(target.ranks(shipped)[mask]), figures(loso_ranks[mask]),
        "pooled: every split ranked with its own LOSO choice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
