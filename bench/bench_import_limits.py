"""Bounded imports: how fast, and in how much memory, a 3-million-row spreadsheet is refused.

Builds the files once into a folder (default /tmp/silkbridge-bench-limits), then runs each import
in a fresh process (Django set up, as the server or `silkbridge import` would) and prints the time
to the refusal, the process's peak resident memory, and the message. Goal: under 5 s and 300 MB.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "directory"))
from rawxlsx import write_raw_xlsx  # noqa: E402

HEADER = ["id", "name", "kind", "country", "city", "sectors", "website", "language", "description", "offers",
          "needs", "contact_name", "contact_title", "contact_email"]
ROWS = 3_000_000

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silkbridge.web.settings")
import django
django.setup()
from silkbridge.directory import services, tabular
from silkbridge.cli.setup import init
init(verbose=False)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    report = services.import_organisations(sys.argv[1], dry_run=True)
    outcome = f"imported {report.imported} (dry run)"
except tabular.TableError as exc:
    outcome = str(exc).replace(sys.argv[1], "FILE")
print(json.dumps({"seconds": time.perf_counter() - started, "rss_before_mb": before / 1024,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "outcome": outcome}))
"""


def reference_speed() -> str:
    """A fixed workload (zlib level 6 over 32 MB of fixed text, then the csv module over 300,000 rows):
    its seconds say how fast this machine runs today's reading code, so runs on different days compare."""
    text = ("".join(f"{i},Organisation {i},company,RS,Beograd\n" for i in range(300_000))).encode()
    began = time.perf_counter()
    packed = zlib.compress((text * 3)[: 32 * 1024 * 1024], 6)
    rows = sum(1 for _ in csv.reader(text.decode().splitlines()))
    return (f"reference workload: zlib over 32 MB -> {len(packed) / 2**20:.1f} MB and csv over {rows:,} rows in"
            f" {time.perf_counter() - began:.2f} s")


def build(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        # The probe's file: 3 million identical, nearly empty rows (a row number is optional in the format).
        "xlsx, 3M unnumbered empty-ish rows": (folder / "bomb.xlsx",
                                               lambda p: write_raw_xlsx(p, HEADER, (["x"] for _ in range(ROWS)), numbered=False)),
        # Numbered rows pack only ~8:1, so the zip check passes them; the sheet declares its size.
        "xlsx, 3M numbered rows, dimension declared": (folder / "declared.xlsx",
                                                       lambda p: write_raw_xlsx(p, HEADER, (["x"] for _ in range(ROWS)),
                                                                                dimension=f"A1:N{ROWS + 1}")),
        # No dimension: only the row count while streaming stops it.
        "xlsx, 3M numbered rows, no dimension": (folder / "streamed.xlsx",
                                                 lambda p: write_raw_xlsx(p, HEADER, (["x"] for _ in range(ROWS)))),
        "csv, 3M rows (30 MB)": (folder / "rows.csv", _csv),
        "csv, 3M one-letter rows (6 MB)": (folder / "short.csv", _short_csv),
    }
    out = {}
    for label, (path, make) in files.items():
        if not path.exists():
            began = time.perf_counter()
            make(path)
            print(f"built {path.name}: {path.stat().st_size / 2**20:.1f} MB in {time.perf_counter() - began:.0f} s",
                  file=sys.stderr)
        out[label] = path
    return out


def _csv(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        for i in range(ROWS):
            handle.write(f"o{i},x\n")


def _short_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("name\n")
        handle.write("x\n" * ROWS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/silkbridge-bench-limits"))
    args = parser.parse_args(argv)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores,"
          f" load average {os.getloadavg()[0]:.1f} at start; python {platform.python_version()}")
    print(reference_speed())
    files = build(args.folder)
    env = dict(os.environ, SILKBRIDGE_DATA_DIR=str(args.folder / "data"), PYTHONPATH=str(ROOT / "src"))
    env.pop("SILKBRIDGE_DATABASE_URL", None)
    print("\nlimits: the defaults (20 MB, 200,000 rows); each import in a fresh process on SQLite\n")
    print("| file | size MB | refused in s | peak RSS MB (Django alone) | message |")
    print("|---|---|---|---|---|")
    for label, path in files.items():
        out = subprocess.run([sys.executable, "-c", CHILD, str(path)], env=env, capture_output=True, text=True)
        if out.returncode:
            print(f"| {label} | failed: {out.stderr.strip().splitlines()[-1]} |")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {label} | {path.stat().st_size / 2**20:.1f} | {r['seconds']:.2f} | {r['peak_mb']:.0f} "
              f"({r['rss_before_mb']:.0f}) | {r['outcome'][:110]} |")
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
