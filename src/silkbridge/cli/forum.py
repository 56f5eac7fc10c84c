"""`silkbridge forum …`: set forums up, bring participants and pairings in, schedule, publish, remind, and write agendas."""
from __future__ import annotations

import argparse
import json
import sys

from silkbridge.cli import CommandError, _django
from silkbridge.cli.transfer import add_import_options, print_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forum", help="B2B meeting forums: create, import, schedule, publish, remind, agenda")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    from silkbridge.cli.forum_privacy import add_verbs as privacy_verbs

    privacy_verbs(verbs)

    v = verbs.add_parser("create", help="set up a new forum: days, sessions, slots and tables in its time zone")
    v.add_argument("slug", metavar="SLUG", help="short name used in addresses and commands")
    _setup_options(v, required=True)
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    v.set_defaults(func=cmd_create)

    v = verbs.add_parser("edit", help="change a forum's set-up; slots holding meetings are never removed")
    v.add_argument("forum", metavar="FORUM", help="forum slug or id")
    _setup_options(v, required=False)
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    v.set_defaults(func=cmd_edit)

    v = verbs.add_parser("organisers", help="list, add or remove a forum's organisers (by e-mail address)")
    v.add_argument("forum", metavar="FORUM", help="forum slug or id")
    v.add_argument("--add", action="append", default=[], metavar="EMAIL", help="make this user an organiser")
    v.add_argument("--remove", action="append", default=[], metavar="EMAIL", help="no longer an organiser")
    v.add_argument("--json", action="store_true", help="print JSON")
    v.set_defaults(func=cmd_organisers)

    v = verbs.add_parser("hosts", help="host stands: a participant who receives every meeting at their own table")
    v.add_argument("forum", metavar="FORUM", help="forum slug or id")
    v.add_argument("stands", metavar="TABLE=ORG", nargs="*", help="table number and the host's organisation id "
                                                                   "(TABLE= with no id frees the table)")
    v.add_argument("--json", action="store_true", help="print JSON")
    v.set_defaults(func=cmd_hosts)

    v = verbs.add_parser("participants", help="bring participants and their delegates in from a spreadsheet")
    what = v.add_subparsers(dest="what", metavar="VERB", required=True)
    w = what.add_parser("import", help="organisations (the columns of `import orgs`) plus delegate_name, "
                                       "delegate_email, delegate_title, delegate_language; one row per delegate")
    w.add_argument("forum", metavar="FORUM", help="forum slug or id")
    add_import_options(w, dry_run="validate and count, store nothing, invite nobody")
    w.set_defaults(func=cmd_participants_import)

    v = verbs.add_parser("requests", help="the organisers' own pairings, accepted on import")
    what = v.add_subparsers(dest="what", metavar="VERB", required=True)
    w = what.add_parser("import", help="columns from, to (organisation ids), priority (must|normal), message")
    w.add_argument("forum", metavar="FORUM", help="forum slug or id")
    add_import_options(w)
    w.set_defaults(func=cmd_requests_import)

    v = verbs.add_parser("remind", help="remind those with unanswered requests, within 48 hours of the deadline "
                                        "(once per person and deadline: safe to run from cron every hour)")
    v.add_argument("forum", metavar="FORUM", nargs="?", help="forum slug or id (all forums when left out)")
    v.add_argument("--json", action="store_true", help="print JSON")
    v.set_defaults(func=cmd_remind)

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


# Where SetupError.field points, by the option that set it.
OPTIONS = {"slug": "SLUG", "name": "--name", "starts_on": "--starts", "days": "--days", "time_zone": "--timezone",
           "sessions": "--sessions", "slot_minutes": "--slot-minutes", "tables": "--tables", "city": "--city",
           "venue": "--venue", "request_deadline": "--deadline", "max_meetings": "--max-meetings"}


def _setup_options(v: argparse.ArgumentParser, *, required: bool) -> None:
    v.add_argument("--name", required=required, help="the forum's full name")
    v.add_argument("--starts", required=required, metavar="YYYY-MM-DD", help="first day")
    v.add_argument("--days", type=int, default=1 if required else None, metavar="N", help="number of days (1)")
    v.add_argument("--timezone", required=required, metavar="TZ", help="IANA time zone, e.g. Asia/Shanghai")
    v.add_argument("--sessions", required=required, metavar="HH:MM-HH:MM[,…]",
                   help="sessions of each day; the gaps between them are pauses")
    v.add_argument("--slot-minutes", type=int, required=required, metavar="M", help="length of a meeting slot")
    v.add_argument("--tables", required=required, metavar="N|NAMES", help="number of tables, or their names comma-separated")
    v.add_argument("--city", metavar="NAME", help="city (an unknown one is added: 'Name, CC' names its country)")
    v.add_argument("--venue", metavar="TEXT", help="venue")
    v.add_argument("--deadline", metavar="YYYY-MM-DDTHH:MM", help="meeting-request deadline, forum's local time")
    v.add_argument("--max-meetings", type=int, metavar="N", help="maximum meetings per participant")
    v.add_argument("--participant-list", choices=("public", "private"),
                   help="who sees the participant list: everyone (public, the default) or those taking part")


def _setup_from_args(args: argparse.Namespace, base=None):
    from dataclasses import replace
    from datetime import date, datetime

    from silkbridge.forums import setup

    def when(text: str, option: str, parse):
        try:
            return parse(text)
        except ValueError:
            raise CommandError(f"{option}: {text!r} is not a valid date/time", status=2) from None

    changes = {}
    if args.name is not None:
        changes["name"] = args.name
    if args.starts is not None:
        changes["starts_on"] = when(args.starts, "--starts", date.fromisoformat)
    if args.days is not None:
        changes["days"] = args.days
    if args.timezone is not None:
        changes["time_zone"] = args.timezone
    if args.sessions is not None:
        try:
            changes["sessions"] = tuple(setup.parse_sessions(args.sessions))
        except setup.SetupError as exc:
            raise CommandError(f"--sessions: {exc}", status=2) from exc
    if args.slot_minutes is not None:
        changes["slot_minutes"] = args.slot_minutes
    if args.tables is not None:
        changes["tables"] = args.tables
    if args.city is not None:
        changes["city"] = args.city
    if args.venue is not None:
        changes["venue"] = args.venue
    if args.deadline is not None:
        changes["request_deadline"] = when(args.deadline, "--deadline",
                                           lambda t: datetime.strptime(t, "%Y-%m-%dT%H:%M"))
    if args.max_meetings is not None:
        changes["max_meetings"] = args.max_meetings
    if args.participant_list:
        changes["public_participants"] = args.participant_list == "public"
    if base is None:
        return setup.ForumSetup(slug=args.slug, **changes)
    if "time_zone" in changes and "request_deadline" not in changes and base.request_deadline:
        # The deadline keeps its wall-clock time when the forum moves to another zone.
        changes["request_deadline"] = base.request_deadline.astimezone(base_zone(base)).replace(tzinfo=None)
    return replace(base, **changes)


def base_zone(base):
    from zoneinfo import ZoneInfo

    return ZoneInfo(base.time_zone)


def _setup_result(forum) -> dict:
    return {"forum": forum.slug, "timezone": forum.time_zone, "slots": forum.slots.count(),
            "tables": forum.tables.count()}


def _print_setup(forum, args: argparse.Namespace, verb: str) -> None:
    out = _setup_result(forum)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"{verb} {out['forum']}: {out['slots']} slots and {out['tables']} tables, times in {out['timezone']}")


def cmd_create(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums import setup

    try:
        forum = setup.create(_setup_from_args(args))
    except setup.SetupError as exc:
        raise CommandError(f"{OPTIONS.get(exc.field, exc.field)}: {exc}", status=2) from exc
    _print_setup(forum, args, "created")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums import setup

    forum = _forum(args.forum)
    try:
        forum = setup.update(forum, _setup_from_args(args, setup.setup_of(forum)))
    except setup.SetupError as exc:
        raise CommandError(f"{OPTIONS.get(exc.field, exc.field)}: {exc}", status=2) from exc
    _print_setup(forum, args, "changed")
    return 0


def cmd_hosts(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums import services, setup

    forum = _forum(args.forum)
    for stand in args.stands:
        number, sep, org = stand.partition("=")
        if not sep or not number.strip().isdigit():
            raise CommandError(f"{stand!r}: write TABLE=ORG, e.g. 3=cn-cangzhou-pipe", status=2)
        try:
            setup.set_host(forum, int(number), org.strip() or None)
        except services.ForumError as exc:
            raise CommandError(f"{stand}: {exc}", status=2) from exc
    current = setup.hosts(forum)
    if args.json:
        print(json.dumps({"forum": forum.slug, "hosts": {str(k): v for k, v in current.items()}}, ensure_ascii=False))
    else:
        print("\n".join(f"table {k}: {v}" for k, v in current.items()) or "no host stands")
    return 0


def cmd_organisers(args: argparse.Namespace) -> int:
    _django.setup()
    from django.contrib.auth import get_user_model

    from silkbridge.forums import setup

    forum = _forum(args.forum)
    users = get_user_model().objects

    def user(email: str):
        found = users.filter(email__iexact=email.strip()).order_by("pk").first()
        if found is None:
            raise CommandError(f"no user with the e-mail address {email!r}", status=2)
        return found

    add, remove = [user(e) for e in args.add], [user(e) for e in args.remove]
    setup.add_organisers(forum, add)
    for u in remove:
        setup.remove_organiser(forum, u)
    emails = sorted(forum.organisers.values_list("email", flat=True))
    if args.json:
        print(json.dumps({"forum": forum.slug, "organisers": emails}, ensure_ascii=False))
    else:
        print("\n".join(emails) or "no organisers named (staff organise every forum)")
    return 0


def _forum(key: str):
    from silkbridge.forums import services

    try:
        return services.find_forum(key)
    except services.ForumError as exc:
        raise CommandError(str(exc), status=2) from exc


def cmd_participants_import(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.cli.progress import ProgressLine
    from silkbridge.directory.tabular import TableError
    from silkbridge.forums import imports

    forum = _forum(args.forum)
    progress = ProgressLine("import participants")
    try:
        # Invitations are sent here, in this process, so they are out by the time the command ends.
        report, invited = imports.import_participants(forum, args.file, dry_run=args.dry_run, progress=progress,
                                                      rejects=args.rejects)
    except TableError as exc:
        raise CommandError(str(exc), status=2) from exc
    finally:
        progress.close()
    return print_report(args, report, "" if args.dry_run else f"invitations sent: {invited}")


def cmd_requests_import(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.directory.tabular import TableError
    from silkbridge.forums import imports

    forum = _forum(args.forum)
    try:
        report = imports.import_pairings(forum, args.file, dry_run=args.dry_run, rejects=args.rejects)
    except TableError as exc:
        raise CommandError(str(exc), status=2) from exc
    return print_report(args, report)


def cmd_remind(args: argparse.Namespace) -> int:
    _django.setup()
    from silkbridge.forums import notifications

    if args.forum:
        forum = _forum(args.forum)
        sent = {forum.slug: notifications.remind_deadline(forum)}
    else:
        sent = notifications.remind_all()
    if args.json:
        print(json.dumps({"reminded": sent}, ensure_ascii=False))
    else:
        print("\n".join(f"{slug}: {n} reminders sent" for slug, n in sent.items()) or "no deadline within 48 hours")
    return 0


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
