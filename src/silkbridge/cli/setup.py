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
    p.add_argument("--workers", type=int, default=1,
                   help="processes: 1 (default) serves from this process with waitress, on any system; "
                        "more run gunicorn's pre-forked workers (Linux, macOS), about 2 per CPU core")
    p.add_argument("--threads", type=int, default=8, help="threads per process (default 8)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run a Celery worker for background tasks (needs SILKBRIDGE_BROKER_URL)")
    p.add_argument("--concurrency", type=int, default=2)
    p.set_defaults(func=cmd_worker)


def init(verbose: bool = True) -> dict[str, int]:
    _django.setup()
    _django.check_data_dir()
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


def serve(host: str, port: int, threads: int = 8, workers: int = 1) -> int:
    """One process (waitress: portable, and background tasks without a broker stay in the one process that
    started them) or several pre-forked gunicorn workers sharing the listening socket."""
    _django.setup()
    _django.check_data_dir()
    from silkbridge.jobs.recovery import Watchdog
    from silkbridge.web.wsgi import application

    # Jobs left running by a server or worker that died are failed with a reason, now and every few seconds;
    # with gunicorn each worker sweeps (a thread and its connection must not cross the fork).
    if workers <= 1:
        from waitress import serve as waitress_serve

        Watchdog().start()
        waitress_serve(application, host=host, port=port, threads=threads, ident="silkbridge")
        return 0
    from django.db import connections

    Watchdog().sweep()
    connections.close_all()  # no connection may cross the fork into the workers
    _gunicorn(application, {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "post_fork": lambda _server, _worker: Watchdog().start(),
        # A worker only restarts when it stops answering its master for this long (not per request).
        "timeout": 120,
        "graceful_timeout": 30,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "proc_name": "silkbridge",
        # gunicorn's control socket sits at one fixed path per user: two installations on one machine would collide.
        "control_socket_disable": True,
    }).run()
    return 0


def _gunicorn(application, options: dict):
    """gunicorn run from Python (not its command line), serving the already set-up Django application."""
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    return Application()


def cmd_serve(args: argparse.Namespace) -> int:
    from silkbridge.cli import CommandError

    _django.setup()
    _django.check_data_dir()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if args.workers < 1 or args.threads < 1:
        raise CommandError("--workers and --threads must be at least 1")
    processes = f"{args.workers} worker processes" if args.workers > 1 else "1 process"
    print(f"serving on http://{args.host}:{args.port}/ ({processes}, {args.threads} threads each)", flush=True)
    return serve(args.host, args.port, args.threads, args.workers)


def cmd_worker(args: argparse.Namespace) -> int:
    _django.setup()
    from django.conf import settings

    from silkbridge.cli import CommandError

    if not settings.BROKER_URL:
        raise CommandError("SILKBRIDGE_BROKER_URL is not set: background tasks run inside `silkbridge serve`")
    _django.check_data_dir()
    from silkbridge.jobs.celery import app
    from silkbridge.jobs.recovery import Watchdog

    Watchdog().start()
    app.worker_main(["worker", "--loglevel=INFO", f"--concurrency={args.concurrency}"])
    return 0
