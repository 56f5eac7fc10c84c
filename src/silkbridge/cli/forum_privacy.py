"""`silkbridge forum anonymise SLUG`: after a forum, detach its delegates and keep the statistics."""
from __future__ import annotations

import argparse
import json

from silkbridge.cli import CommandError, _django


def add_verbs(verbs: argparse._SubParsersAction) -> None:
    v = verbs.add_parser("anonymise", help="after a forum: remove who its delegates were, keep every count")
    v.add_argument("forum", metavar="FORUM", help="forum slug or id")
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    v.set_defaults(func=cmd_anonymise)


def cmd_anonymise(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums import privacy, services

    try:
        forum = services.find_forum(args.forum)
        report = privacy.anonymise_forum(forum)
    except services.ForumError as exc:
        raise CommandError(str(exc), status=2) from exc
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"{report.forum}: {report.delegates_removed} delegates of {report.participants} participants anonymised, "
              f"{report.messages_cleared} request messages cleared")
    return 0
