"""The `silkbridge` command line: a thin layer that parses arguments and calls services or engines.

Each sub-command lives in its own module exposing ``register(subparsers)``; the
module's handler receives the parsed ``argparse.Namespace`` and returns an exit status.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = (
    "setup",      # init, demo, serve
    "transfer",   # import, export
    "match",
    "schedule",
    "forum",
    "money",
    "report",
    "news",
    "backup",     # backup, restore
)


class CommandError(Exception):
    """A user-facing failure: printed without a traceback, exits with ``status``."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


DRAIN_SECONDS = 900  # how long a command waits at its end for the background work it started

LOCKED = 3  # exit status: the database stayed locked (1 means "some rows rejected", 2 "could not read")


def _is_lock(exc: BaseException) -> bool:
    # Engine-only verbs never load Django, so look for its modules instead of importing them.
    locking = sys.modules.get("silkbridge.directory.locking")
    if locking is None:
        return False
    return isinstance(exc, locking.DatabaseLocked) or locking.is_lock_error(exc)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="silkbridge",
        description="Cross-border cooperation: directory, matchmaking, B2B forums, outcomes, news.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"silkbridge.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"silkbridge.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def _drain() -> None:
    """Wait for the background work this command started (re-embedding after an import, notices) to end.

    Without a broker, `jobs.dispatch` runs tasks in threads of this process; they would be cut off
    half-way when it exits. Every command therefore waits for them, for at most `DRAIN_SECONDS`.
    """
    dispatch = sys.modules.get("silkbridge.jobs.dispatch")
    if dispatch is None or not dispatch.running():
        return
    left = dispatch.drain(DRAIN_SECONDS)
    if left:
        print(f"silkbridge: background work still running after {DRAIN_SECONDS} s is cut off: {', '.join(left)} "
              "(embeddings it did not store are computed by the next `silkbridge match`)", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        try:
            return int(args.func(args) or 0)
        finally:
            _drain()
    except CommandError as exc:
        print(f"silkbridge {args.command}: error: {exc}", file=sys.stderr)
        return exc.status
    except Exception as exc:
        if not _is_lock(exc):
            raise
        locking = sys.modules["silkbridge.directory.locking"]
        message = str(exc) if isinstance(exc, locking.DatabaseLocked) else (
            "the database is locked by another writer (another import or a running server holds it past the wait "
            "time); what was stored before stays, the rest was not written")
        print(f"silkbridge {args.command}: error: {message}; run the command again", file=sys.stderr)
        return LOCKED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
