"""`silkbridge forum …`: list forums, run the meeting scheduler, publish, and write a participant's agenda."""
from __future__ import annotations

import argparse
import json
import sys

from silkbridge.cli import CommandError, _django


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forum", help="B2B meeting forums: list, schedule, publish, agenda")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)

    v = verbs.add_parser("list", help="list forums with their status and counts")
    v.add_argument("--json", action="store_true", help="print JSON")
    v.set_defaults(func=cmd_list)

    v = verbs.add_parser("schedule", help="place the accepted meeting requests in slots and tables (not published)")
    v.add_argument("forum", metavar="FORUM", help="forum slug or id")
    v.add_argument("--time-limit", type=float, default=10.0, metavar="S", help="solver time limit in seconds (10)")
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    v.set_defaults(func=cmd_schedule)

    v = verbs.add_parser("publish", help="publish the current schedule and e-mail the new agendas to who must get one")
    v.add_argument("forum", metavar="FORUM", help="forum slug or id")
    v.add_argument("--no-mail", action="store_true", help="publish without e-mailing the agendas")
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    v.set_defaults(func=cmd_publish)

    v = verbs.add_parser("agenda", help="a participant's agenda as an iCalendar file or a printable page")
    v.add_argument("forum", metavar="FORUM", help="forum slug or id")
    v.add_argument("participant", metavar="PARTICIPANT", help="the organisation's id in the directory")
    kind = v.add_mutually_exclusive_group(required=True)
    kind.add_argument("--ics", action="store_true", help="iCalendar (.ics)")
    kind.add_argument("--pdf", action="store_true",
                      help="printable agenda as PDF, rendered by a headless Chromium (chromium must be installed)")
    kind.add_argument("--html", action="store_true", help="printable agenda as print-styled HTML")
    v.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    v.set_defaults(func=cmd_agenda)


def _forum(key: str):
    from silkbridge.forums import services

    try:
        return services.find_forum(key)
    except services.ForumError as exc:
        raise CommandError(str(exc), status=2) from exc


def cmd_list(args: argparse.Namespace) -> int:
    _django.setup()
    from django.db.models import Count, Q

    from silkbridge.forums.models import Forum

    forums = Forum.objects.annotate(
        n_participants=Count("participants", filter=Q(participants__status="approved"), distinct=True),
        n_meetings=Count("meetings", distinct=True)).order_by("starts_on", "pk")
    rows = [{"id": f.pk, "slug": f.slug, "name": f.name, "starts_on": f.starts_on.isoformat(), "days": f.days,
             "status": f.status, "participants": f.n_participants, "meetings": f.n_meetings} for f in forums]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("no forums")
    else:
        for r in rows:
            print(f"{r['id']:>4}  {r['slug']:<40} {r['starts_on']}  {r['status']:<9} "
                  f"{r['participants']:>4} participants {r['meetings']:>5} meetings  {r['name']}")
    return 0


def cmd_schedule(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums import services

    forum = _forum(args.forum)
    if args.time_limit <= 0:
        raise CommandError("--time-limit must be positive", status=2)

    def progress(fraction: float, message: str) -> None:
        print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)

    try:
        result = services.schedule_forum(forum, time_limit=args.time_limit, progress=progress)
    except services.ForumError as exc:
        raise CommandError(str(exc), status=1) from exc
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"{forum.slug}: {result.placed} meetings placed, {result.unplaced} not placed, {result.breaks} breaks "
              f"({result.status}, {result.seconds:.1f} s, {result.moved} moved)")
        for line in result.reasons + result.warnings:
            print(f"  ! {line}")
        if result.notify:
            print(f"  agendas changed for {len(result.notify)} organisations; run `silkbridge forum publish {forum.slug}`")
    # A schedule that leaves requested meetings out is a result, but not a full success.
    return 0 if result.unplaced == 0 else 1


def cmd_publish(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums import agendas, services

    forum = _forum(args.forum)
    try:
        version = services.publish_schedule(forum, by=None, mail=False)
    except services.ForumError as exc:
        raise CommandError(str(exc), status=2) from exc
    out = {"forum": forum.slug, "version": version.number, "meetings": len(version.assignments),
           "notify": version.notify}
    if not args.no_mail and version.notify:
        # In this process, not in the background: a command-line run ends before a background thread would.
        mailed = agendas.send_agendas(version)
        out |= {"mailed": list(mailed.sent), "without_address": list(mailed.without_address)}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"{forum.slug}: published version {version.number} with {out['meetings']} meetings")
        if version.notify:
            print(f"notify {len(version.notify)}: {', '.join(version.notify)}")
        if out.get("mailed"):
            print(f"agendas e-mailed to the delegates of {len(out['mailed'])} participants")
        if out.get("without_address"):
            print(f"no e-mail address, tell them another way: {', '.join(out['without_address'])}")
    return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums import agendas, services

    forum = _forum(args.forum)
    try:
        participant = services.find_participant(forum, args.participant)
    except services.ForumError as exc:
        raise CommandError(str(exc), status=2) from exc
    if args.ics:
        data = agendas.agenda_ics(participant)
    elif args.html:
        data = agendas.agenda_print_html(participant).encode("utf-8")
    else:
        try:
            data = print_to_pdf(agendas.agenda_print_html(participant))
        except RuntimeError as exc:
            raise CommandError(str(exc), status=2) from exc
    if args.output:
        with open(args.output, "wb") as handle:
            handle.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def find_chromium() -> str | None:
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    return None


def print_to_pdf(html: str, *, timeout: float = 60.0) -> bytes:
    """The page printed to PDF by a headless Chromium, as its print stylesheet lays it out."""
    import subprocess
    import tempfile
    from pathlib import Path

    browser = find_chromium()
    if browser is None:
        raise RuntimeError("--pdf needs Chromium to render the agenda (apt-get install chromium); "
                           "or use --html for the print-styled page")
    with tempfile.TemporaryDirectory() as tmp:
        page, pdf = Path(tmp) / "agenda.html", Path(tmp) / "agenda.pdf"
        page.write_text(html, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                   f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"Chromium did not finish printing within {timeout:.0f} s") from exc
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise RuntimeError(f"Chromium could not print the agenda: {done.stderr.decode(errors='replace')[-300:]}")
        return pdf.read_bytes()
