"""`silkbridge news ...`: reading news articles; `extract` runs the extraction engine on files and needs no database."""
from __future__ import annotations

import argparse
import json
import os
import sys

from silkbridge.cli import CommandError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("news", help="news intelligence: extract facts from articles")
    news = parser.add_subparsers(dest="news_command", metavar="SUBCOMMAND", required=True)
    ext = news.add_parser("extract", help="print organisations, people, places, money, counts and events found in article files")
    ext.add_argument("files", nargs="+", metavar="FILE", help="plain-text or HTML article files")
    ext.add_argument("--json", action="store_true", help="print one JSON object keyed by file name")
    ext.set_defaults(func=extract_command)
    ing = news.add_parser("ingest", help="store articles (text, HTML, RSS or Atom files, or a folder of them) for review")
    ing.add_argument("path", metavar="PATH", help="a file or a folder")
    ing.add_argument("--json", action="store_true", help="print the summary as JSON")
    ing.set_defaults(func=ingest_command)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc


def extract_command(args: argparse.Namespace) -> int:
    from silkbridge.engines.extraction import Article, extract, to_json

    texts = {path: _read(path) for path in args.files}
    results = {}
    for path, text in texts.items():
        results[os.path.basename(path)] = to_json(extract(Article(text=text)))
    if args.json:
        json.dump({"articles": results}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for name, r in results.items():
        print(f"== {name}: {r['title'] or '(untitled)'} [{r['language']}, {r['published'] or 'undated'}]")
        for o in r["organizations"]:
            print(f"  organisation  {o['name']}" + (f"  ({', '.join(o['aliases'])})" if o["aliases"] else ""))
        for p in r["people"]:
            role = ", ".join(x for x in (p["title"], p["affiliation"]) if x)
            print(f"  person        {p['name']}" + (f"  — {role}" if role else ""))
        for p in r["places"]:
            print(f"  place         {p['name']}  [{p['country'] or '--'}]")
        for a in r["amounts"]:
            print(f"  amount        {a['value']} {a['currency']}  \"{a['text']}\"")
        for c in r["counts"]:
            print(f"  count         {c['value']} {c['what']}")
        for e in r["events"]:
            print(f"  event         {e['type']:<16}{e['date'] or '?':<11}{e['place'] or ''}")
    return 0


def ingest_command(args: argparse.Namespace) -> int:
    from silkbridge.cli import _django
    from silkbridge.cli.progress import ProgressLine

    _django.setup()
    from silkbridge.news.services import ingest_path

    progress = ProgressLine("news ingest")
    try:
        report = ingest_path(args.path, progress=progress)
    except FileNotFoundError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        progress.close()
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"{report.new} new article(s), {report.duplicates} duplicate(s), {report.candidates} candidate(s) to review")
        for error in report.errors:
            print(f"  skipped {error}", file=sys.stderr)
    return 1 if report.errors else 0
