"""`silkbridge backup FILE` and `silkbridge restore FILE`: a whole installation to one portable file and back."""
from __future__ import annotations

import argparse

from silkbridge.cli import CommandError, _django


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="write the database and uploads to FILE.zip (a consistent snapshot)")
    p.add_argument("file", metavar="FILE.zip")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="load FILE.zip into an empty database (SQLite or PostgreSQL)")
    p.add_argument("file", metavar="FILE.zip")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_restore)


def _say(args: argparse.Namespace):
    return (lambda _m: None) if args.quiet else (lambda m: print(f"  {m}", flush=True))


def cmd_backup(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.backup import BackupError, backup

    try:
        manifest = backup(args.file, say=_say(args))
    except (BackupError, OSError) as exc:
        raise CommandError(str(exc)) from exc
    if not args.quiet:
        rows = sum(t["rows"] for t in manifest["tables"].values())
        print(f"backed up {rows} rows in {len(manifest['tables'])} tables and {len(manifest['uploads'])} uploaded "
              f"files from {manifest['database']} to {args.file}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.backup import BackupError, restore

    try:
        manifest = restore(args.file, say=_say(args))
    except (BackupError, OSError) as exc:
        raise CommandError(str(exc)) from exc
    if not args.quiet:
        rows = sum(t["rows"] for t in manifest["tables"].values())
        from django.db import connection

        print(f"restored {rows} rows in {len(manifest['tables'])} tables and {len(manifest['uploads'])} uploaded "
              f"files (backed up from {manifest['database']} on {manifest['created_at']}) into {connection.vendor}; "
              f"every table's row count and content hash match the backup")
    return 0
