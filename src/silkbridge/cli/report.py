"""`silkbridge report forum FORUM` and `silkbridge report programme`: outcome reports as text or JSON."""
from __future__ import annotations

import argparse
import json
from decimal import Decimal

from silkbridge.cli import CommandError, _django


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="outcome reports: one forum, or the programme over years")
    verbs = parser.add_subparsers(dest="report_command", metavar="KIND", required=True)

    forum = verbs.add_parser("forum", help="agreements, projects, investment and partnerships of one forum")
    forum.add_argument("forum", metavar="FORUM", help="the forum's short name (slug) or number")
    forum.add_argument("--json", action="store_true", help="print the report as JSON")
    forum.add_argument("--xlsx", metavar="FILE.xlsx", help="also write the report as a spreadsheet")
    forum.set_defaults(func=forum_command)

    programme = verbs.add_parser("programme", help="all outcomes by year, country and sector")
    programme.add_argument("--from", dest="from_year", type=int, metavar="YEAR", help="first year included")
    programme.add_argument("--to", dest="to_year", type=int, metavar="YEAR", help="last year included")
    programme.add_argument("--json", action="store_true", help="print the report as JSON")
    programme.add_argument("--xlsx", metavar="FILE.xlsx", help="also write the report as a spreadsheet")
    programme.set_defaults(func=programme_command)


def forum_command(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums.models import Forum
    from silkbridge.outcomes import reports

    key = str(args.forum)
    forum = Forum.objects.filter(slug=key).first() or (Forum.objects.filter(pk=int(key)).first() if key.isdigit() else None)
    if forum is None:
        raise CommandError(f"no forum with short name or number {key!r}", status=2)
    return _emit(reports.forum_report(forum), args)


def programme_command(args: argparse.Namespace) -> int:
    if args.from_year is not None and args.to_year is not None and args.from_year > args.to_year:
        raise CommandError(f"--from {args.from_year} is after --to {args.to_year}", status=2)
    _django.setup()
    from silkbridge.outcomes import reports

    return _emit(reports.programme_report(args.from_year, args.to_year), args)


def _emit(report, args: argparse.Namespace) -> int:
    if args.xlsx:
        from silkbridge.outcomes.exports import report_xlsx

        try:
            with open(args.xlsx, "wb") as handle:
                handle.write(report_xlsx(report))
        except OSError as exc:
            raise CommandError(f"cannot write {args.xlsx}: {exc}", status=2) from exc
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(text(report))
    return 0


def _money(value: Decimal) -> str:
    return f"{value:,.0f}"


def text(report) -> str:
    """The report as plain text for a terminal."""
    t = report.totals
    lines = [
        report.title,
        "=" * len(report.title),
        f"agreements           {report.agreements} ({report.mous} memoranda of understanding)",
        f"investment projects  {report.investments}",
        f"city partnerships    {report.relations} ({report.relations_undated} with no known start year)",
        f"delegation visits    {report.visits}",
        "",
        f"investment total     USD {_money(t.usd)} | CNY {_money(t.cny)} | EUR {_money(t.eur)}",
    ]
    if t.unconverted:
        lines.append(f"                     not in the totals: {t.unconverted} project(s) whose amount could not be converted")
    if t.without_amount:
        lines.append(f"                     {t.without_amount} project(s) without an amount")
    for heading, rows in (("by year", report.by_year), ("by country", report.by_country[:15]),
                          ("by sector", report.by_sector[:15]), ("city partnerships by country",
                                                                 report.relations_by_country[:15])):
        if not rows:
            continue
        lines += ["", heading, f"  {'':32} {'agr':>5} {'proj':>5} {'USD million':>12} {'cities':>6} {'visits':>6}"]
        for r in rows:
            lines.append(f"  {r.label[:32]:32} {r.agreements:>5} {r.investments:>5} {_money(r.usd / 1_000_000):>12} "
                         f"{r.relations:>6} {r.visits:>6}")
    return "\n".join(lines)
