"""Start-up of the engine-only CLI verbs: wall time, time spent importing, and what got loaded.

usage: python bench/bench_cli_startup.py [--runs N] [--src DIR ...]
Each --src is a source tree put first on PYTHONPATH (default: this checkout's src/), so two trees
compare on the same machine in one run. `python -c pass` is printed as the reference workload.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
INSTANCE = Path("/work/shared/bench/b2b-instances/tic-12crafc.original.dzn")
ARTICLE = ("Belgrade, 12 March 2025 - Medivera d.o.o. and Shenzhen Meisheng Medical signed an agreement "
           "worth 2.5 million euros to build ultrasound scanners in Niš.\n")


def verbs(article: Path) -> list[tuple[str, list[str]]]:
    out = [("money convert", ["money", "convert", "1250.50", "EUR", "RSD", "--on", "2024-01-02"])]
    if INSTANCE.exists():
        out.insert(0, ("schedule solve", ["schedule", "solve", str(INSTANCE), "--time-limit", "5"]))
    out.append(("news extract", ["news", "extract", str(article)]))
    return out


def run(src: Path, argv: list[str], importtime: bool = False) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(src))
    flags = ["-X", "importtime"] if importtime else []
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *flags, "-m", "silkbridge", *argv] if argv else [sys.executable, "-c", "pass"],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"silkbridge {' '.join(argv)} failed: {done.stderr[-500:]}")
    return wall, done.stderr


def imports(stderr: str) -> tuple[float, set[str]]:
    """Seconds spent importing (top-level cumulative times) and the names of every module loaded."""
    total, names = 0, set()
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if not cumulative.strip().isdigit():
            continue
        names.add(name.strip())
        if not name.startswith("  "):  # top level: its cumulative time covers what it imported
            total += int(cumulative)
    return total / 1e6, names


def loaded(names: set[str]) -> str:
    engines = sorted({n.split(".")[2] for n in names if n.startswith("silkbridge.engines.") and n.count(".") >= 2})
    apps = sorted({n.split(".")[1] for n in names if n.startswith("silkbridge.") and not n.startswith(
        ("silkbridge.engines", "silkbridge.cli")) and n.count(".") >= 1})
    django = "django" if any(n == "django" or n.startswith("django.") for n in names) else "no django"
    return f"{django}; engines: {', '.join(engines) or '-'}; apps: {', '.join(apps) or '-'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--src", type=Path, action="append", help="source tree (default: this checkout's src/)")
    args = parser.parse_args()
    trees = args.src or [HERE.parent / "src"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    reference = statistics.median(run(trees[0], [])[0] for _ in range(args.runs))
    print(f"reference workload `python -c pass`: {reference:.3f} s (median of {args.runs})\n")
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        print(f"{'verb':<16}{'tree':<28}{'wall s':>8}{'import s':>10}   loaded")
        for label, argv in verbs(article):
            for tree in trees:
                walls = [run(tree, argv)[0] for _ in range(args.runs)]
                seconds, names = imports(run(tree, argv, importtime=True)[1])
                print(f"{label:<16}{str(tree)[-27:]:<28}{statistics.median(walls):>8.2f}{seconds:>10.2f}   {loaded(names)}")


if __name__ == "__main__":
    main()
