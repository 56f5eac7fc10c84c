"""`silkbridge import …` and `silkbridge export …`: spreadsheets in and out of the database."""
from __future__ import annotations

import argparse
import json
import sys

from silkbridge.cli import CommandError, _django
from silkbridge.cli.progress import ProgressLine

IMPORT_KINDS: dict[str, str] = {  # kind: help
    "orgs": "organisations (.csv or .xlsx)",
    "sister-cities": "sister/partner-city pairs (.csv or .xlsx)",
    "investments": "investment deals (.csv or .xlsx)",
}


def add_import_options(parser: argparse.ArgumentParser, *, dry_run: str = "validate and count, store nothing") -> None:
    """FILE, --dry-run, --rejects and --json: the options every spreadsheet import shares."""
    parser.add_argument("file", metavar="FILE", help=".csv (UTF-8, BOM or not) or .xlsx")
    parser.add_argument("--dry-run", action="store_true", help=dry_run)
    parser.add_argument("--rejects", metavar="OUT.csv", help="write the rejected rows with an error column")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import a spreadsheet: orgs, sister-cities, investments")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, help_text in IMPORT_KINDS.items():
        k = kinds.add_parser(kind, help=f"import {help_text}")
        add_import_options(k)
        k.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export to a spreadsheet: orgs")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    k = kinds.add_parser("orgs", help="export organisations to FILE.csv or FILE.xlsx (the import's columns)")
    k.add_argument("file", metavar="FILE")
    k.add_argument("--country", help="only organisations of this country (ISO code)")
    k.set_defaults(func=cmd_export)


def _import_function(kind: str):
    """The service that imports ``kind``; imported here, after Django is set up."""
    from silkbridge.directory.services import import_organisations
    from silkbridge.outcomes.services import import_investments, import_sister_cities

    return {"orgs": import_organisations, "sister-cities": import_sister_cities,
            "investments": import_investments}[kind]


def cmd_import(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.directory.services import ImportStopped
    from silkbridge.directory.tabular import TableError

    progress = ProgressLine(f"import {args.kind}")
    try:
        report = _import_function(args.kind)(args.file, dry_run=args.dry_run, progress=progress, rejects=args.rejects)
    except TableError as exc:
        raise CommandError(str(exc), status=2) from exc
    except ImportStopped as exc:
        raise CommandError(f"the import stopped: {exc}", status=2) from exc
    finally:
        progress.close()
    return print_report(args, report)


def print_report(args: argparse.Namespace, report, extra: str = "") -> int:
    """An import's report: JSON or lines on stdout, notes (``extra`` first) on stderr; returns the exit status."""
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        verb = "would import" if args.dry_run else "imported"
        print(f"{verb} {report.imported} rows: {report.created} created, {report.updated} updated, "
              f"{report.unchanged} unchanged; {len(report.rejected)} rejected")
        for e in report.rejected:
            print(f"  row {e.row} (id {e.id or '-'}) {e.field}: {e.error}")
    if extra:
        print(extra, file=sys.stderr)
    if report.unknown_columns:
        print(f"ignored unknown column(s): {', '.join(report.unknown_columns)}", file=sys.stderr)
    if args.rejects and report.rejected:
        print(f"rejected rows written to {args.rejects}", file=sys.stderr)
    return report.exit_status


def cmd_export(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.directory import exports
    from silkbridge.directory.models import Organisation
    from silkbridge.directory.tabular import TableError

    queryset = Organisation.objects.all()
    if args.country:
        queryset = queryset.filter(country_id=args.country.upper())
    try:
        count = exports.export_organisations(args.file, queryset)
    except (TableError, OSError) as exc:
        raise CommandError(f"cannot write {args.file}: {exc}", status=2) from exc
    print(f"exported {count} organisations to {args.file}")
    return 0
