"""The optional re-ranker, evaluated by time split on judged or simulated meeting decisions.

    python bench/bench_matching_rerank.py [--judged] [--top 5] [--train-share 0.7] [--rule groups]

``--judged`` (the figure to quote) uses ``data/matching_eval/judged_requests.jsonl``: 320
meeting requests among the development sets' organisations (80 organisations, chosen at
random, each asking its engine's three best candidates and one other allowed organisation
drawn at random), answered one by one by people who read the two profiles as the
recipient would and saw neither the engine's scores nor the sets' intended partners
(123 accepted, 197 declined, each with a few words of why). The requests are numbered in a
random order, which is their time: the re-ranker is fitted on the first ``--train-share``
and scores the rest, beside the engine's own score. Decisions are judgements made for
this check, not a real forum's, and the requests came from an earlier engine's suggestions.

Without ``--judged``, decisions are simulated from the sets' labels:

What the decisions are made from: the five development files are prepared as one
directory (228 organisations, China ↔ CEE rule). Each organisation with an intended
partner sends a meeting request to each of the engine's ``--top`` best candidates, and
to its intended partner and its distractors where they are not among them. The
recipient accepts exactly the request from its intended partner (the set's label) and
declines every other. Decisions are dated in the order of the files and their lines
(``orgs.jsonl``, ``heldout2``, ``heldout3``, ``dev_partners``, then ``heldout4``), as five
forums held one after the other. The re-ranker is fitted on the earlier forums'
decisions (by default all but the last) and scores the last one's; the baseline is the
engine's own score. It prints the AUC over the later decisions and the MRR of the
intended partner among every allowed candidate of the later forum, with the engine
alone and re-ranked by the model fitted on the earlier decisions. The engine's shares
were chosen on these same sets, so its baseline is in-sample: the figures say whether
the re-ranker learns the decisions' pattern from the parts, not how it would do on a
new forum; and the simulated decisions are the sets' labels, not people's judgements.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _embed_cache import DiskCache  # noqa: E402
from bench_matching_eval import DEV_FILES, HERE, load  # noqa: E402

from silkbridge.engines.matching import (  # noqa: E402
    CN_CEE,
    Decision,
    MatchConfig,
    Matcher,
    default_encoder,
    rerank,  # noqa: E402
)
from silkbridge.engines.matching.scoring import FEATURES  # noqa: E402


def decisions(matcher: Matcher, meta: dict[str, dict], top: int) -> list[Decision]:
    out: list[Decision] = []
    for at, o in enumerate(meta.values()):
        if not o["partner"]:
            continue
        asked = [m.id for m in matcher.match_one(o["id"], top=top)]
        asked += [x for x in (o["partner"], *o["distractors"]) if x not in asked]
        out += [Decision(o["id"], b, b == o["partner"], float(at)) for b in asked]
    return out


JUDGED = os.path.join(HERE, "judged_requests.jsonl")


def judged(path: str = JUDGED) -> list[Decision]:
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [Decision(r["from"], r["to"], bool(r["accepted"]), float(r["at"])) for r in rows]


def main_judged(matcher: Matcher, train_share: float) -> int:
    ds = judged()
    X = matcher.pair_features([(d.a, d.b) for d in ds])
    report = rerank.fit(X, ds, train_share=train_share)
    s = report.time_split
    print(f"{len(ds)} judged decisions ({report.accepted} accepted, {report.declined} declined)")
    print(f"time split: fit on the first {s.train}, test on the last {s.test} ({s.test_accepted} accepted)")
    print(f"{'':<22}{'AUC':>7}")
    print(f"{'engine score alone':<22}{s.auc_engine:>7.3f}")
    print(f"{'re-ranker':<22}{s.auc_reranker:>7.3f}   accuracy at p=0.5: {s.accuracy:.3f}")
    for f in FEATURES[:-1]:
        test = np.argsort([d.at for d in ds], kind="stable")[s.train:]
        y = np.array([ds[k].accepted for k in test])
        print(f"{'  part ' + f + ' alone':<22}{rerank.auc(X[test, FEATURES.index(f)], y):>7.3f}")
    if report.model:
        m = report.model
        print("model fitted on all decisions: " + ", ".join(f"{f} {c:+.2f}" for f, c in zip(FEATURES, m.coef))
              + f", intercept {m.intercept:+.2f}")
    else:
        print(f"no model on all decisions: fewer than {report.minimum} of one kind")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--judged", action="store_true", help=f"decisions judged by people ({os.path.basename(JUDGED)})")
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--train-share", type=float, default=None,
                    help="share of the earliest decisions to fit on (default: all before the last file's)")
    ap.add_argument("--rule", default="groups", choices=["groups", "different_country", "any"])
    args = ap.parse_args(argv)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    # The judged requests were drawn among the organisations of the first six files (280).
    profiles, meta = load(DEV_FILES[:6] if args.judged else DEV_FILES[:5])
    matcher = Matcher(default_encoder(), DiskCache(), MatchConfig(cross_border=args.rule, country_groups=CN_CEE))
    matcher.prepare(profiles)
    if args.judged:
        return main_judged(matcher, 0.7 if args.train_share is None else args.train_share)
    t = time.perf_counter()
    ds = decisions(matcher, meta, args.top)
    X = matcher.pair_features([(d.a, d.b) for d in ds])
    if args.train_share is None:
        last = {o["id"] for o in load(DEV_FILES[4])[1].values()}
        args.train_share = sum(d.a not in last for d in ds) / len(ds)
    report = rerank.fit(X, ds, train_share=args.train_share)
    s = report.time_split
    cut_at = sorted(d.at for d in ds)[s.train - 1] if s else None
    last_train = list(meta.values())[int(cut_at)]["split"] if s else "-"
    print(f"{len(ds)} decisions ({report.accepted} accepted, {report.declined} declined) "
          f"from {len(profiles)} organisations in {time.perf_counter() - t:.1f} s")
    print(f"time split: fit on the first {s.train} (up to split {last_train}), test on the last {s.test} "
          f"({s.test_accepted} accepted)")
    print(f"{'':<22}{'AUC':>7}")
    print(f"{'engine score alone':<22}{s.auc_engine:>7.3f}")
    print(f"{'re-ranker':<22}{s.auc_reranker:>7.3f}   accuracy at p=0.5: {s.accuracy:.3f}")
    m = report.model
    print("model fitted on all decisions: " + ", ".join(f"{f} {c:+.2f}" for f, c in zip(FEATURES, m.coef))
          + f", intercept {m.intercept:+.2f}")
    # The re-ranked engine on the later forum: MRR of the intended partner among every allowed
    # candidate, with the model fitted on the earlier decisions only, beside the engine alone.
    cut = sorted(d.at for d in ds)[s.train - 1]
    early = [k for k, d in enumerate(ds) if d.at <= cut]
    earlier = rerank.fit(X[early], [ds[k] for k in early], minimum=1).model
    later = [o for k, o in enumerate(meta.values()) if k > cut and o["partner"]]
    config = MatchConfig(cross_border=args.rule, country_groups=CN_CEE)
    reranked = Matcher(default_encoder(), DiskCache(), dataclasses.replace(config, reranker=earlier))
    reranked.prepare(profiles)
    for name, m in (("engine score alone", matcher), ("re-ranker", reranked)):
        rr = []
        for o in later:
            ids = [x.id for x in m.match_one(o["id"], top=len(meta))]
            rr.append(1.0 / (ids.index(o["partner"]) + 1) if o["partner"] in ids else 0.0)
        print(f"later forum ({len(later)} queries), {name:<20} MRR {np.mean(rr):.3f}  R@1 {np.mean(np.array(rr) == 1):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
