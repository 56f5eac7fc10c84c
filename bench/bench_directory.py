"""Directory benchmark: import N organisations from CSV (rows/s, peak memory), then search latency.

Runs against SQLite (a fresh file in a temporary data dir) and, when reachable, PostgreSQL
(a fresh database `silkbridge_bench`). Each generated organisation (fixed seed) carries four
real profile sentences, in their own language, from the demo's 148 organisations; the queries
are words drawn from those texts by frequency band (frequent, middling, rare), word prefixes,
two-word queries and misses, so hit counts are spread as in a real directory.

    .venv/bin/python bench/bench_directory.py --rows 100000
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from silkbridge.directory.columns import COLUMNS

COUNTRIES = ["CN", "RS", "HU", "PL", "CZ", "SK", "HR", "RO", "BG", "GR", "SI", "BA", "ME", "MK", "AL", "LT", "LV", "EE"]
KINDS = ["company"] * 8 + ["university", "research_institute", "chamber", "agency", "city", "government"]
SECTORS = ["26", "46", "72", "85", "10", "01", "52", "29", "35", "62", "55", "79", "21", "28", "41", "medical devices", "logistika"]


def corpus() -> list[tuple[str, list[str]]]:
    """Real profile sentences in many languages (the demo's), as (language, sentences) pairs."""
    from silkbridge.demo import organisations

    out = []
    for org in organisations():
        for p in org.get("profiles", []):
            parts = re.split(r"(?<=[.!?。])\s*|\n", " ".join([p.get("description", ""), p.get("offers", ""), p.get("needs", "")]))
            sentences = [x.strip() for x in parts if len(x.strip()) > 8]
            if sentences:
                out.append((p["language"], sentences))
    return out


def make_csv(path: Path, rows: int, seed: int = 7) -> list[str]:
    """Write `rows` organisations whose profiles mix real sentences; return search queries drawn from their words."""
    rng = random.Random(seed)
    texts = corpus()
    header = list(COLUMNS)
    words: dict[str, int] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(rows):
            language, sentences = rng.choice(texts)
            picked = [rng.choice(sentences) for _ in range(4)]
            if i < 2000:
                for w in re.findall(r"\w{4,}", " ".join(picked)):
                    words[w.lower()] = words.get(w.lower(), 0) + 1
            name = " ".join(rng.choice(picked).split()[:3]).strip(".,;:") + f" {i}"
            writer.writerow([
                f"bench-{i}", name, rng.choice(KINDS), rng.choice(COUNTRIES), "", ";".join(rng.sample(SECTORS, 2)),
                f"https://org{i}.example.com", language, " ".join(picked[:2]), picked[2], picked[3],
                f"Person {i}", "Manager", f"person{i}@org{i}.example.com",
            ])
    # Queries as people type them: frequent, middling and rare words, word prefixes, two-word queries, misses.
    ranked = sorted(words, key=lambda w: -words[w])
    qrng = random.Random(seed + 1)
    bands = [ranked[:50], ranked[50:500], ranked[500:]]
    queries = [qrng.choice(band) for band in bands for _ in range(4)]
    queries += [w[:4] for w in (qrng.choice(bands[1]) for _ in range(3))]
    queries += [f"{qrng.choice(bands[0])} {qrng.choice(bands[1])}" for _ in range(3)]
    queries += ["zzzz-nothing", "qqq"]
    return queries


WORKER = r"""
import json, os, resource, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "silkbridge.web.settings"
import django; django.setup()
from django.core.management import call_command
from silkbridge.directory.services import load_reference_data, import_organisations
from silkbridge.directory.queries import filtered
call_command("migrate", verbosity=0)
load_reference_data()
t = time.perf_counter()
cpu = time.process_time()
report = import_organisations(sys.argv[1])
elapsed = time.perf_counter() - t
cpu = time.process_time() - cpu
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
queries = json.loads(sys.argv[2])
latencies = []
for _ in range(int(sys.argv[3])):
    for q in queries:
        t0 = time.perf_counter()
        qs = filtered(q=q).order_by("name", "id")
        count = qs.count()
        page = list(qs[:20])
        latencies.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"imported": report.imported, "rejected": len(report.rejected), "seconds": elapsed, "cpu": cpu,
                  "peak_mb": peak_mb, "latencies": latencies}))
"""


def run(database_url: str | None, csv_path: Path, queries: list[str], repeats: int) -> dict:
    import json

    env = {**os.environ, "SILKBRIDGE_DATA_DIR": tempfile.mkdtemp(prefix="sb-bench-")}
    env.pop("SILKBRIDGE_DATABASE_URL", None)
    if database_url:
        env["SILKBRIDGE_DATABASE_URL"] = database_url
    out = subprocess.run([sys.executable, "-c", WORKER, str(csv_path), json.dumps(queries), str(repeats)],
                         env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def postgres_database(base: str) -> str | None:
    import psycopg

    try:
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS silkbridge_bench")
            conn.execute("CREATE DATABASE silkbridge_bench")
    except Exception as exc:  # no server: the table says so
        print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
        return None
    return base + "/silkbridge_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7, help="rounds over the query list")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL, '' to skip")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "orgs.csv"
        queries = make_csv(csv_path, args.rows)
        results = [("SQLite", run(None, csv_path, queries, args.repeats))]
        pg = postgres_database(args.postgres) if args.postgres else None
        if pg:
            results.append(("PostgreSQL", run(pg, csv_path, queries, args.repeats)))
    print(f"\nDirectory benchmark: {args.rows:,} organisations, {len(queries)} queries x {args.repeats}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("| database | imported | rows/s | rows per CPU-s (client) | peak memory MB | search p50 ms | search p95 ms | goal |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results:
        lat = sorted(r["latencies"])
        p50 = statistics.median(lat)
        p95 = lat[max(0, int(round(0.95 * len(lat))) - 1)]
        print(f"| {name} | {r['imported']:,} | {r['imported'] / r['seconds']:,.0f} | {r['imported'] / r['cpu']:,.0f} | "
              f"{r['peak_mb']:,.0f} | "
              f"{p50:.1f} | {p95:.1f} | import ≥ 2,000 rows/s, p95 ≤ 100 ms |")


if __name__ == "__main__":
    main()
