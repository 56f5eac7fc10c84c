"""Benchmark of the B2B meeting scheduler: published instances and synthetic forums, printed as one table.

usage: python bench/bench_scheduling.py [--quick] [--time-limit S] [--crafted-time-limit S]
       [--instances DIR] [--large-time-limit S] [--skip-large] [--originals-only] [--crafted-only]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pysat.examples.genhard import PHP
from pysat.solvers import Solver

from silkbridge.engines.scheduling import Meeting, Participant, Problem, Slot, solve, validate
from silkbridge.engines.scheduling.dzn import load_dzn

INSTANCES = Path("/work/shared/bench/b2b-instances")
CHECKER = Path("/work/shared/tools/check_b2b_schedule.py")

# Paper's Table 3 (Bofill et al., JAIR 2022): optimum breaks at d = 2 and the UWrMaxSat time in seconds.
PUBLISHED = {
    "forum-13": (0, 2.5), "forum-13crafb": (6, 23.3), "forum-13crafc": (1, 2.3), "forum-14": (2, 5.1),
    "forumt-14": (5, 0.5), "forumt-14crafc": (5, 0.9), "forumt-14crafd": (4, 0.4), "forumt-14crafe": (5, 0.6),
    "tic-12": (0, 0.1), "tic-12crafc": (0, 0.3), "tic-13": (0, 0.4), "tic-13crafb": (0, 0.4),
    "tic-13crafc": (4, 5.8), "tic-14crafa": (0, 1.0), "tic-14crafc": (0, 0.8), "tic-14crafd": (0, 0.8),
    "ticf-13crafa": (0, 2.2), "ticf-13crafb": (3, 22.3), "ticf-13crafc": (1, 3.7), "ticf-14crafa": (0, 7.6),
}
QUICK = ["tic-12", "tic-12crafc", "forum-13", "forumt-14"]


def check_independently(path: Path, schedule, fairness: int) -> str:
    """Run the shared checker on the schedule; 'valid', 'INVALID' or '-' when the checker is absent."""
    if not CHECKER.exists():
        return "-"
    data = {"meetings": [{"id": a.meeting_id, "slot": a.slot, "table": a.table} for a in schedule.assignments]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(data, fh)
    try:
        done = subprocess.run([sys.executable, str(CHECKER), str(path), fh.name, "--fairness", str(fairness)],
                              capture_output=True, text=True)
    finally:
        os.unlink(fh.name)
    return "valid" if done.returncode == 0 else "INVALID"


def run_originals(directory: Path, names: list[str], time_limit: float) -> list[str]:
    rows = ["instance | status | breaks | bound | s | CPU s | published opt | MaxSAT s | checker",
            "---|---|---|---|---|---|---|---|---"]
    total = 0.0
    total_cpu = 0.0
    proven = 0
    for name in names:
        path = directory / f"{name}.original.dzn"
        problem = load_dzn(path, fairness=2)
        cpu0 = _cpu_seconds()
        schedule = solve(problem, time_limit=time_limit)
        cpu = _cpu_seconds() - cpu0
        total += schedule.seconds
        total_cpu += cpu
        proven += schedule.status == "optimal"
        opt, maxsat = PUBLISHED[name]
        rows.append(f"{name} | {schedule.status} | {schedule.breaks} | {schedule.bound} | {schedule.seconds:.1f}"
                    f" | {cpu:.1f} | {opt} | {maxsat} | {check_independently(path, schedule, 2)}")
        print(rows[-1], file=sys.stderr, flush=True)
    published = sum(PUBLISHED[n][1] for n in names)
    rows.append(f"**total** | {proven}/{len(names)} optimal | | | {total:.1f} | {total_cpu:.1f} | | {published:.1f} |")
    return rows


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the solver's helper processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_crafted(directory: Path, time_limit: float, limit: int | None) -> list[str]:
    paths = sorted(p for p in directory.glob("*.dzn") if ".original." not in p.name)
    if limit is not None:
        paths = paths[:limit]
    solved = proven = valid = 0
    seconds = 0.0
    worst = []
    for path in paths:
        problem = load_dzn(path, fairness=2)
        schedule = solve(problem, time_limit=time_limit)
        seconds += schedule.seconds
        ok = schedule.status in ("optimal", "feasible") and validate(problem, schedule, complete=True) == []
        solved += ok
        proven += schedule.status == "optimal"
        valid += ok and check_independently(path, schedule, 2) != "INVALID"
        if schedule.status != "optimal":
            worst.append(f"{path.stem}:{schedule.status}:{schedule.breaks}/{schedule.bound}")
        print(f"{path.stem} {schedule.status} {schedule.breaks} {schedule.bound} {schedule.seconds:.1f}",
              file=sys.stderr, flush=True)
    rows = [f"crafted variants ({len(paths)}, {time_limit:g} s each, d = 2): {solved} solved with a valid schedule,"
            f" {proven} proven optimal, {valid} accepted by the independent checker, {seconds:.0f} s in all"]
    if worst:
        rows.append("not proven: " + ", ".join(worst[:12]) + (" ..." if len(worst) > 12 else ""))
    return rows


def synthetic_forum(n_participants: int, n_meetings: int, n_tables: int, *, days: int = 2, slots_per_day: int = 16,
                    seed: int = 7) -> Problem:
    """A forum whose requests favour a few popular participants (Zipf-like), as real forums do."""
    rng = random.Random(seed)
    ids = list(range(1, n_participants + 1))
    popularity = [1.0 / (rank ** 0.9) for rank in range(1, n_participants + 1)]
    rng.shuffle(popularity)
    cap = days * slots_per_day
    load = {p: 0 for p in ids}
    pairs: set[tuple[int, int]] = set()
    meetings = []
    while len(meetings) < n_meetings:
        a = rng.choice(ids)
        b = rng.choices(ids, weights=popularity)[0]
        key = (min(a, b), max(a, b))
        if a == b or key in pairs or load[a] >= cap or load[b] >= cap:
            continue
        pairs.add(key)
        load[a] += 1
        load[b] += 1
        r = rng.random()
        session = "morning" if r < 0.15 else "afternoon" if r < 0.3 else "any"
        meetings.append(Meeting(id=len(meetings) + 1, participants=(a, b),
                                priority="must" if rng.random() < 0.3 else "wanted", session=session))
    slots = tuple(
        Slot(id=d * slots_per_day + t + 1, day=f"day {d + 1}", session="morning" if t < slots_per_day // 2 else "afternoon")
        for d in range(days) for t in range(slots_per_day)
    )
    last_afternoon = frozenset(s.id for s in slots if s.day == f"day {days}" and s.session == "afternoon")
    participants = tuple(
        Participant(id=p, forbidden_slots=last_afternoon if rng.random() < 0.1 else frozenset()) for p in ids
    )
    return Problem(participants=participants, slots=slots, tables=n_tables, meetings=tuple(meetings))


def run_synthetic(label: str, problem: Problem, time_limit: float) -> str:
    t0 = time.monotonic()
    schedule = solve(problem, time_limit=time_limit)
    wall = time.monotonic() - t0
    violations = validate(problem, schedule)
    must = sum(1 for m in problem.meetings if m.priority == "must")
    priority = {m.id: m.priority for m in problem.meetings}
    placed_must = sum(1 for a in schedule.assignments if priority[a.meeting_id] == "must")
    capacity = len(problem.tables) * len(problem.slots)
    return (f"{label}: {len(problem.participants)} participants, {len(problem.meetings)} requested ({must} must),"
            f" {len(problem.slots)} slots x {len(problem.tables)} tables = {capacity} table-slots |"
            f" {schedule.status}, placed {len(schedule.assignments)} ({placed_must}/{must} must),"
            f" breaks {schedule.breaks} (bound {schedule.bound}), {wall:.1f} s,"
            f" {'valid' if not violations else f'{len(violations)} violations'}")


def reference_speed() -> str:
    """A fixed SAT workload whose search does not vary (Glucose 4 proving that 9 pigeons do not fit
    into 8 holes): its seconds say how fast this machine runs the solver today, so that runs on
    different days, or a shared machine under load, can be compared."""
    began = time.perf_counter()
    with Solver(name="glucose4", bootstrap_with=PHP(8).clauses) as solver:
        solver.solve()
        conflicts = solver.accum_stats()["conflicts"]
    return (f"reference workload: Glucose 4 on pigeonhole 9 into 8, {conflicts:,} conflicts in"
            f" {time.perf_counter() - began:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 originals, 6 crafted variants, small synthetic forum")
    parser.add_argument("--instances", type=Path, default=INSTANCES)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per original instance")
    parser.add_argument("--crafted-time-limit", type=float, default=5.0, help="seconds per crafted variant")
    parser.add_argument("--large-time-limit", type=float, default=300.0, help="seconds for the 2,000-participant forum")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--originals-only", action="store_true", help="only the 20 published forums")
    parser.add_argument("--crafted-only", action="store_true", help="only the 120 crafted variants")
    parser.add_argument("--synthetic-only", action="store_true", help="only the synthetic forums (400 and 2,000)")
    args = parser.parse_args(argv)

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores,"
          f" load average {os.getloadavg()[0]:.1f} at start; python {platform.python_version()}")
    print(reference_speed())
    names = QUICK if args.quick else list(PUBLISHED)
    if args.crafted_only:
        print("\n".join(run_crafted(args.instances, args.crafted_time_limit, 6 if args.quick else None)))
        print(f"load average {os.getloadavg()[0]:.1f} at the end of the crafted variants")
        return 0
    if args.instances.exists() and not args.synthetic_only:
        print(f"\n20 published forums at fairness d = 2 ({args.time_limit:g} s limit each)\n")
        print("\n".join(run_originals(args.instances, names, args.time_limit)))
        print(f"load average {os.getloadavg()[0]:.1f} at the end of the published forums")
        if args.originals_only:
            return 0
        print()
        print("\n".join(run_crafted(args.instances, args.crafted_time_limit, 6 if args.quick else None)))
    elif not args.synthetic_only:
        print(f"instances not found in {args.instances}: skipped")
    print()
    if args.quick:
        print(run_synthetic("synthetic (quick)", synthetic_forum(100, 500, 15), 20.0))
    else:
        print(run_synthetic("synthetic 400", synthetic_forum(400, 2100, 60), 60.0))
        if not args.skip_large:
            print(run_synthetic("synthetic 2000", synthetic_forum(2000, 10000, 400, seed=11), args.large_time_limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
