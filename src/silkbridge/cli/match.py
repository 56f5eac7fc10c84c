"""`silkbridge match`: recommended partners of one organisation, or the whole table computed in batch."""
from __future__ import annotations

import argparse
import json
import sys

from silkbridge.cli import CommandError, _django
from silkbridge.cli.progress import ProgressLine


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("match", help="recommended partners, with the reasons for each",
                       description="Recommended partners of ORG_ID (an organisation's id in the directory), or of "
                                   "every organisation with --all (stored for the site). Missing embeddings are "
                                   "computed first. The cross-border rule comes from the MATCH_CROSS_BORDER setting. "
                                   "`match fit-reranker` fits the optional re-ranker on accepted and declined "
                                   "meeting requests and prints its time-split figures (earlier decisions fit, "
                                   "later ones test); SILKBRIDGE_MATCH_RERANKER=true puts it to use.")
    p.add_argument("org", nargs="?", metavar="ORG_ID",
                   help="the organisation's id in the directory, or fit-reranker")
    p.add_argument("--all", action="store_true", help="every organisation, computed in batch and stored")
    p.add_argument("--top", type=int, default=10, metavar="N", help="partners per organisation (10)")
    p.add_argument("--json", action="store_true", help="print JSON: {\"results\": [{\"organisation\", \"matches\"}]}")
    p.set_defaults(func=cmd_match)


class _Stages:
    """One progress line per stage (embedding, matching) on standard error."""

    def __init__(self) -> None:
        self.lines: dict[str, ProgressLine] = {}
        self.last: dict[str, tuple[int, int]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.last.get(stage) == (done, total):
            return  # the engine reports the final count twice
        self.last[stage] = (done, total)
        if stage not in self.lines:
            for line in self.lines.values():
                line.close()
            self.lines[stage] = ProgressLine(stage)
        self.lines[stage](done, total)

    def close(self) -> None:
        for line in self.lines.values():
            line.close()


def _print_text(payload: dict) -> None:
    for result in payload["results"]:
        print(f"{result['organisation']}:")
        if not result["matches"]:
            print("  no partner allowed by the cross-border rule")
        for rank, m in enumerate(result["matches"], start=1):
            print(f"  {rank:>2}. {m['score']:5.1f}  {m['name']} ({m['country']})  [{m['id']}]")
            for reason in m["reasons"]:
                print(f"        - {reason}")


def cmd_fit_reranker(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums.decisions import meeting_decisions
    from silkbridge.matching import services

    report = services.fit_reranker(meeting_decisions())
    payload = services.reranker_as_json(report)
    payload["stored"] = report.model is not None
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"decisions: {report.accepted} accepted, {report.declined} declined "
          f"(at least {report.minimum} of each are needed)")
    s = report.time_split
    if s:
        print(f"time split: fitted on the earliest {s.train}, tested on the latest {s.test} ({s.test_accepted} accepted)")
        print(f"  AUC re-ranker {s.auc_reranker:.3f}, engine score alone {s.auc_engine:.3f}; "
              f"accuracy {s.accuracy:.3f}")
    else:
        print("time split: the earlier decisions lack accepted or declined ones; no figures yet")
    if report.model is None:
        print("not enough decisions: no re-ranker stored; recommendations keep the engine's order")
    else:
        print("re-ranker stored" + ("" if services.active_reranker() else
                                     "; set SILKBRIDGE_MATCH_RERANKER=true to use it"))
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    if args.org == "fit-reranker":
        if args.all:
            raise CommandError("fit-reranker takes no --all", status=2)
        return cmd_fit_reranker(args)
    if args.all == bool(args.org):
        raise CommandError("give either ORG_ID or --all", status=2)
    if args.top < 1:
        raise CommandError("--top must be at least 1", status=2)
    _django.setup()
    from silkbridge.directory.models import Organisation
    from silkbridge.matching import services

    progress = _Stages()
    try:
        if args.all:
            results = services.compute_matches(None, args.top, progress=progress)
        else:
            org = Organisation.objects.filter(external_id=args.org).first()
            if org is None:
                raise CommandError(f"no organisation with id {args.org!r} in the directory", status=2)
            results = {org.pk: services.matches_for(org, args.top, progress=progress)}
    finally:
        progress.close()
    payload = services.results_as_json(results)
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        _print_text(payload)
    return 0
