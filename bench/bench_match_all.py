"""`silkbridge match --all` end to end through the Django layer once embeddings exist, on a generated directory.

    python bench/bench_match_all.py [--orgs 2000] [--top 10] [--runs 2] [--data-dir DIR]

Organisations are assembled from the demo's own texts: each takes the country, kind,
sectors and author language of a demo organisation, one description of that
language, and one offer line and one need line of that language drawn at random
(fixed seed). Every field is an existing text, so the number of distinct texts
(and the one-off embedding time) stays bounded by the demo's, while the matrices
that ``match --all`` works on have one row per organisation's chunk, as in a real
directory of that size. The timed command runs in a fresh process: Django start,
reading every vector from the ``Embedding`` table, preparing, scoring, storing the
table and writing JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def generate(n: int, seed: int) -> list[dict[str, str]]:
    from silkbridge.demo import organisations

    demo = organisations()
    pools: dict[str, dict[str, list[str]]] = {}
    bases = []
    for item in demo:
        author = next((p for p in item.get("profiles", []) if p.get("origin") == "author"), None)
        if not author:
            continue
        pool = pools.setdefault(author["language"], {"description": [], "offers": [], "needs": []})
        if author.get("description"):
            pool["description"].append(author["description"])
        for field in ("offers", "needs"):
            pool[field] += [line.strip() for line in author.get(field, "").splitlines() if line.strip()]
        bases.append((item, author["language"]))
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        item, language = bases[i % len(bases)]
        pool = pools[language]
        pick = lambda field, pool=pool: rng.choice(pool[field]) if pool[field] else ""  # noqa: E731
        rows.append({
            "id": f"bench-{i:05d}", "name": f"{item['name']} {i}", "kind": item.get("kind", "company"),
            "country": item["country"], "sectors": ";".join(item.get("sectors", [])), "language": language,
            "description": pick("description"), "offers": pick("offers"), "needs": pick("needs"),
        })
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orgs", type=int, default=2000)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", help="keep the database here (re-used when it exists: embeddings are then cached)")
    args = ap.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="silkbridge-bench-match-")
    os.environ["SILKBRIDGE_DATA_DIR"] = data_dir
    os.environ.pop("SILKBRIDGE_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silkbridge.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from silkbridge.directory import services as directory
    from silkbridge.directory.models import Organisation
    from silkbridge.directory.signals import organisations_changed
    from silkbridge.matching import services
    from silkbridge.matching.models import Embedding

    # The benchmark embeds explicitly below; no background re-embed threads meanwhile.
    organisations_changed.disconnect(dispatch_uid="matching.reembed")
    call_command("migrate", verbosity=0)
    directory.load_reference_data()
    if Organisation.objects.filter(external_id__startswith="bench-").count() != args.orgs:
        lookups = directory.Lookups()
        records = []
        for number, row in enumerate(generate(args.orgs, args.seed), start=1):
            record, errors = directory.validate_row(row, lookups, number=number)
            if errors:
                raise SystemExit(f"generated row {number}: {errors}")
            records.append((number, record))
        t = time.perf_counter()
        directory.upsert(records, lookups=lookups)
        print(f"imported {args.orgs} organisations in {time.perf_counter() - t:.1f} s", flush=True)

    t = time.perf_counter()
    report = services.sync(lambda stage, done, total: print(f"  {stage} {done}/{total}", file=sys.stderr, flush=True))
    embed_s = time.perf_counter() - t
    print(f"embedding: {report.encoded} texts encoded, {report.cached} cached, {report.chunks} chunks, "
          f"{embed_s:.1f} s; {Embedding.objects.count()} rows in the cache", flush=True)

    cmd = [sys.executable, "-m", "silkbridge", "match", "--all", "--top", str(args.top), "--json"]
    rows = []
    for run in range(1, args.runs + 1):
        t = time.perf_counter()
        with open(os.path.join(data_dir, "match_all.json"), "w", encoding="utf-8") as out:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
        wall = time.perf_counter() - t
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        payload = json.loads(Path(data_dir, "match_all.json").read_text(encoding="utf-8"))
        n_results = len(payload["results"])
        n_matches = sum(len(r["matches"]) for r in payload["results"])
        rows.append((run, wall, n_results, n_matches, usage.ru_maxrss / 1024))
    print()
    print(f"silkbridge match --all --top {args.top} --json   ({args.orgs} organisations, {report.chunks} chunks, "
          f"{os.cpu_count()} CPUs, SQLite in {data_dir})")
    print(f"{'run':>4} {'wall s':>8} {'results':>8} {'matches':>8} {'peak MB':>8}")
    for run, wall, n_results, n_matches, peak in rows:
        print(f"{run:>4} {wall:>8.1f} {n_results:>8} {n_matches:>8} {peak:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
