"""Extraction benchmark: articles per second through the engine, and micro F1 on the labelled news sets.

usage: python bench/bench_extraction.py [--rounds N] [--set NAME=FOLDER ...] [--scorer PATH]
Each FOLDER holds article files and a gold.json; scores come from the scorer script run as a subprocess.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SETS = [
    f"development={os.environ.get('SILKBRIDGE_NEWS_DEV', '/work/shared/data/news')}",
    f"evaluation={HERE / 'data' / 'news_eval'}",
    f"eval-fresh={HERE / 'data' / 'news_eval' / 'fresh'}",
]
DEFAULT_SCORER = os.environ.get("SILKBRIDGE_NEWS_SCORER", "/work/shared/tools/score_extraction.py")


def articles(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".txt", ".html", ".htm"))


def score(scorer: str, gold: Path, system: dict) -> dict[str, str]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump({"articles": system}, fh, ensure_ascii=False)
        path = fh.name
    try:
        out = subprocess.run([sys.executable, scorer, str(gold), path], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(path)
    result = {}
    for line in out.splitlines():
        m = re.match(r"(organizations|people|places|amounts|events)\s+[\d.]+\s+[\d.]+\s+([\d.]+)", line)
        if m:
            result[m.group(1)] = m.group(2)
        m = re.match(r"micro F1 ([\d.]+) \(precision ([\d.]+), recall ([\d.]+)\)", line)
        if m:
            result.update(micro=m.group(1), precision=m.group(2), recall=m.group(3))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over all articles for the timing")
    parser.add_argument("--set", action="append", dest="sets", metavar="NAME=FOLDER")
    parser.add_argument("--scorer", default=DEFAULT_SCORER)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent / "src"))
    from silkbridge.engines.extraction import Article, extract, to_json
    from silkbridge.engines.extraction.nlp import english

    sets = []
    for spec in args.sets or DEFAULT_SETS:
        name, _, folder = spec.partition("=")
        if Path(folder).is_dir():
            sets.append((name, Path(folder)))
        else:
            print(f"skipping {name}: no folder {folder}", file=sys.stderr)

    t0 = time.perf_counter()
    english()
    load_s = time.perf_counter() - t0
    texts = [(name, p, p.read_text(encoding="utf-8")) for name, folder in sets for p in articles(folder)]
    extract(Article(text=texts[0][2]))  # compiled patterns and caches, not part of steady state

    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for _name, _p, text in texts:
            extract(Article(text=text))
    elapsed = time.perf_counter() - t0
    n = len(texts) * args.rounds
    chars = sum(len(t) for _n, _p, t in texts) * args.rounds

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"spaCy pipeline load: {load_s:.2f} s (once per process)")
    print()
    print(f"{'throughput':<22}{'articles/s':>12}{'ms/article':>12}{'kchars/s':>10}")
    print(f"{'extract()':<22}{n / elapsed:>12.1f}{1000 * elapsed / n:>12.1f}{chars / elapsed / 1000:>10.1f}")
    print()
    if not Path(args.scorer).is_file():
        print(f"no scorer at {args.scorer}: scores skipped")
        return 0
    print(f"{'set':<14}{'articles':>9}{'orgs':>7}{'people':>8}{'places':>8}{'amounts':>9}{'events':>8}{'P':>7}{'R':>7}{'micro F1':>10}")
    for name, folder in sets:
        gold = folder / "gold.json"
        if not gold.is_file():
            continue
        system = {p.name: to_json(extract(Article(text=t))) for set_name, p, t in texts if set_name == name}
        s = score(args.scorer, gold, system)
        print(f"{name:<14}{len(system):>9}{s.get('organizations', '-'):>7}{s.get('people', '-'):>8}{s.get('places', '-'):>8}"
              f"{s.get('amounts', '-'):>9}{s.get('events', '-'):>8}{s.get('precision', '-'):>7}{s.get('recall', '-'):>7}{s.get('micro', '-'):>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
