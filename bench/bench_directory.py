"""Directory benchmark: import N organisations from CSV (rows/s, peak memory), then search latency.

Runs against SQLite (a fresh file in a temporary data dir) and, when reachable, PostgreSQL
(a fresh database `silkbridge_bench`). The CSV is generated with a fixed seed from words in
several languages; search queries are drawn from the same vocabularies but chosen independently
of the rows (prefixes, two-word queries, Cyrillic, Chinese, misses).

    .venv/bin/python bench/bench_directory.py --rows 100000
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["CN", "RS", "HU", "PL", "CZ", "SK", "HR", "RO", "BG", "GR", "SI", "BA", "ME", "MK", "AL", "LT", "LV", "EE"]
KINDS = ["company"] * 8 + ["university", "research_institute", "chamber", "agency", "city", "government"]
SECTORS = ["26", "46", "72", "85", "10", "01", "52", "29", "35", "62", "55", "79", "21", "28", "41", "medical devices", "logistika"]
WORDS = {
    "en": "precision machining logistics warehouse cold chain distribution medical devices ultrasound software "
          "cloud robotics battery solar wind turbine food processing dairy wine tourism hotel university research "
          "laboratory export import partner investment industrial park automotive parts textile furniture".split(),
    "sr-latn": "distribucija logistika skladište hladni lanac medicinska oprema softver turizam vino poljoprivreda "
               "istraživanje univerzitet izvoz uvoz partner investicija industrijska zona automobilski delovi".split(),
    "sr-cyrl": "дистрибуција логистика складиште хладни ланац медицинска опрема софтвер туризам вино пољопривреда "
               "истраживање универзитет извоз увоз партнер инвестиција индустријска зона аутомобилски делови".split(),
    "pl": "dystrybucja logistyka magazyn chłodnia urządzenia medyczne oprogramowanie turystyka wino rolnictwo "
          "badania uczelnia eksport import partner inwestycja strefa przemysłowa części samochodowe".split(),
    "hu": "forgalmazás logisztika raktár hűtőlánc orvostechnikai eszközök szoftver turizmus bor mezőgazdaság "
          "kutatás egyetem export import partner befektetés ipari park autóalkatrészek".split(),
    "zh-hans": "医疗器械 超声 物流 冷链 仓储 软件 旅游 葡萄酒 农业 研究 大学 出口 进口 合作伙伴 投资 工业园区 汽车零部件 电池 光伏".split(),
}
LANG_OF = {"CN": "zh-hans", "RS": "sr-cyrl", "HU": "hu", "PL": "pl"}
QUERIES = ["logist", "medicinska oprema", "медицинска", "医疗", "冷链 物流", "ultrasound", "hűtőlánc", "wino",
           "investicija", "zzzz-nothing", "battery", "universit", "partner export", "dystrybucja", "аутомобилски"]


def sentence(rng: random.Random, language: str, n: int) -> str:
    words = WORDS[language]
    joiner = "" if language == "zh-hans" else " "
    return joiner.join(rng.choice(words) for _ in range(n)).capitalize() + ("。" if language == "zh-hans" else ".")


def make_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    header = ["id", "name", "kind", "country", "city", "sectors", "website", "language", "description", "offers",
              "needs", "contact_name", "contact_title", "contact_email"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(rows):
            country = rng.choice(COUNTRIES)
            language = LANG_OF.get(country, rng.choice(["en", "sr-latn", "pl", "hu"]))
            name = f"{sentence(rng, 'en', 2)[:-1]} {i}"
            writer.writerow([
                f"bench-{i}", name, rng.choice(KINDS), country, "", ";".join(rng.sample(SECTORS, 2)),
                f"https://org{i}.example.com", language, sentence(rng, language, 25), sentence(rng, language, 8),
                sentence(rng, language, 8), f"Person {i}", "Manager", f"person{i}@org{i}.example.com",
            ])


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


def run(database_url: str | None, csv_path: Path, repeats: int) -> dict:
    import json

    env = {**os.environ, "SILKBRIDGE_DATA_DIR": tempfile.mkdtemp(prefix="sb-bench-")}
    env.pop("SILKBRIDGE_DATABASE_URL", None)
    if database_url:
        env["SILKBRIDGE_DATABASE_URL"] = database_url
    out = subprocess.run([sys.executable, "-c", WORKER, str(csv_path), json.dumps(QUERIES), str(repeats)],
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
        make_csv(csv_path, args.rows)
        results = [("SQLite", run(None, csv_path, args.repeats))]
        pg = postgres_database(args.postgres) if args.postgres else None
        if pg:
            results.append(("PostgreSQL", run(pg, csv_path, args.repeats)))
    print(f"\nDirectory benchmark: {args.rows:,} organisations, {len(QUERIES)} queries x {args.repeats}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print(f"| database | imported | rows/s | rows per CPU-s (client) | peak memory MB | search p50 ms | search p95 ms | goal |")
    print(f"|---|---|---|---|---|---|---|---|")
    for name, r in results:
        lat = sorted(r["latencies"])
        p50 = statistics.median(lat)
        p95 = lat[max(0, int(round(0.95 * len(lat))) - 1)]
        print(f"| {name} | {r['imported']:,} | {r['imported'] / r['seconds']:,.0f} | {r['imported'] / r['cpu']:,.0f} | "
              f"{r['peak_mb']:,.0f} | "
              f"{p50:.1f} | {p95:.1f} | import ≥ 2,000 rows/s, p95 ≤ 100 ms |")


if __name__ == "__main__":
    main()
