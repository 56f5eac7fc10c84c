"""Ranks each evaluation organisation's intended partner among all candidates: MRR and recall@1 per split.

    python bench/bench_matching_eval.py [--rule groups|different_country] [--calibrate] [--verbose]
                                        [--data PATH[,PATH...]]...

``--data`` (repeatable, or a comma list) evaluates any jsonl files in the format of
``data/matching_eval/orgs.jsonl``; all their organisations are prepared together
(each one is a candidate for every query) and MRR / R@1 are reported per ``split``
value found in the files. Without it, ``orgs.jsonl`` is used.

``--calibrate`` prints percentiles of the hub-corrected need→supply margins (and of
profile cosines) for intended pairs and for all other pairs, on the splits named by
``--calibrate-splits`` (default: ``tuning,heldout``, the development data), from
which the constants in ``Calibration`` were chosen.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

from silkbridge.engines.matching import CN_CEE, MatchConfig, Matcher, Profile, default_encoder

DATA = os.path.join(os.path.dirname(__file__), "data", "matching_eval", "orgs.jsonl")


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rule", default="groups", choices=["groups", "different_country", "any"])
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--calibrate-splits", default="tuning,heldout")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--data", action="append", metavar="PATH[,PATH...]",
                    help="jsonl file(s) to evaluate (repeatable or a comma list); default: orgs.jsonl")
    args = ap.parse_args(argv)
    paths = [p for d in args.data for p in d.split(",") if p.strip()] if args.data else [DATA]
    profiles, meta = load(paths)
    config = MatchConfig(cross_border=args.rule, country_groups=CN_CEE)
    matcher = Matcher(default_encoder(), config=config)
    t = time.perf_counter()
    report = matcher.prepare(profiles)
    print(f"{len(profiles)} organisations, {report.chunks} chunks embedded in {time.perf_counter() - t:.1f} s")
    if args.calibrate:
        calibration_report(matcher, meta, set(args.calibrate_splits.split(",")))
    print(f"rule: {args.rule}")
    print(f"{'split':<10}{'queries':>8}{'MRR':>8}{'R@1':>8}{'>distractor':>13}")
    t = time.perf_counter()
    for split in splits_of(meta):
        r = evaluate(matcher, meta, split)
        print(f"{split:<10}{r['n']:>8}{r['mrr']:>8.3f}{r['r1']:>8.3f}{r['beats']:>13.3f}")
        if args.verbose:
            for qid, rank, top_id, top_score, p_score in r["rows"]:
                flag = "" if rank == 1 else f"  <- top {top_id} {top_score}"
                print(f"    {qid:<28} rank {rank} score {p_score}{flag}")
    print(f"ranked in {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
