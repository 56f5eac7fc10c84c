"""`silkbridge init`, `demo` and `serve`: set up the database, load the demo forum, run the site."""
from __future__ import annotations

import argparse
import sys
import threading
import webbrowser

from silkbridge.cli import _django


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create or upgrade the database and load reference data (idempotent)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="init, load the demo forum once, and serve the site on 127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.add_argument("--no-serve", action="store_true", help="load the demo data and stop")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="serve the site (a production-grade WSGI server, static files included)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--threads", type=int, default=8)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run a Celery worker for background tasks (needs SILKBRIDGE_BROKER_URL)")
    p.add_argument("--concurrency", type=int, default=2)
    p.set_defaults(func=cmd_worker)


def init(verbose: bool = True) -> dict[str, int]:
    _django.setup()
    from django.core.management import call_command

    from silkbridge.directory.services import load_reference_data

    call_command("migrate", interactive=False, verbosity=0)
    counts = load_reference_data()
    if verbose:
        from django.conf import settings

        db = settings.DATABASES["default"]
        print(f"database ready: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
        print("reference data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts


def cmd_init(args: argparse.Namespace) -> int:
    init(verbose=not args.quiet)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    init()
    from silkbridge.demo import DEMO_PASSWORD, DEMO_USER, load_demo

    summary = load_demo(progress=lambda msg: print(msg, flush=True))
    if summary:
        print("demo data: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    if args.no_serve:
        return 0
    url = f"http://127.0.0.1:{args.port}/"
    print(f"\nsilkbridge demo at {url}\nstaff login: {DEMO_USER} / {DEMO_PASSWORD}\n(Ctrl+C stops it)", flush=True)
    if not args.no_browser and sys.stdout.isatty():
        threading.Timer(1.5, lambda: webbrowser.open(url)).start()
    return serve("127.0.0.1", args.port)


def serve(host: str, port: int, threads: int = 8) -> int:
    _django.setup()
    from waitress import serve as waitress_serve

    from silkbridge.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="silkbridge")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(f"serving on http://{args.host}:{args.port}/", flush=True)
    return serve(args.host, args.port, args.threads)


def cmd_worker(args: argparse.Namespace) -> int:
    _django.setup()
    from django.conf import settings

    from silkbridge.cli import CommandError

    if not settings.BROKER_URL:
        raise CommandError("SILKBRIDGE_BROKER_URL is not set: background tasks run inside `silkbridge serve`")
    from silkbridge.jobs.celery import app

    app.worker_main(["worker", "--loglevel=INFO", f"--concurrency={args.concurrency}"])
    return 0
