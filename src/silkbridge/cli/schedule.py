"""`silkbridge schedule`: solve and check B2B meeting schedules for benchmark .dzn instances (no database)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from silkbridge.cli import CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser("schedule", help="solve or validate a B2B meeting schedule (.dzn instance)")
    sub = parser.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)

    p = sub.add_parser("solve", help="schedule the requested meetings of an instance")
    p.add_argument("instance", type=Path, help="MiniZinc .dzn instance")
    p.add_argument("--fairness", type=int, default=None, metavar="D",
                   help="break counts of any two participants differ by at most D")
    p.add_argument("--time-limit", type=float, default=10.0, metavar="S", help="seconds (default 10)")
    p.add_argument("--json", action="store_true", help="print the schedule as JSON")
    p.set_defaults(func=solve_command)

    v = sub.add_parser("validate", help="check a schedule (JSON) against an instance")
    v.add_argument("instance", type=Path)
    v.add_argument("schedule", type=Path)
    v.add_argument("--fairness", type=int, default=None, metavar="D")
    v.set_defaults(func=validate_command)


def _load(path: Path, fairness: int | None):
    from silkbridge.engines.scheduling.dzn import load_dzn

    if not path.is_file():
        raise CommandError(f"no such instance file: {path}")
    try:
        return load_dzn(path, fairness=fairness)
    except (ValueError, KeyError, IndexError) as exc:
        raise CommandError(f"{path} is not a valid instance: {exc}") from None


def solve_command(args: argparse.Namespace) -> int:
    from silkbridge.engines.scheduling import solve

    if args.time_limit <= 0:
        raise CommandError("--time-limit must be positive")
    problem = _load(args.instance, args.fairness)
    schedule = solve(problem, time_limit=args.time_limit)
    if args.json:
        print(json.dumps({
            "status": schedule.status,
            "breaks": schedule.breaks,
            "bound": schedule.bound,
            "seconds": round(schedule.seconds, 3),
            "meetings": [{"id": a.meeting_id, "slot": a.slot, "table": a.table} for a in schedule.assignments],
        }))
    else:
        print(f"{args.instance.name}: {schedule.status}, {schedule.breaks} breaks (lower bound {schedule.bound}),"
              f" {len(schedule.assignments)} of {len(problem.meetings)} meetings placed in {schedule.seconds:.1f} s")
        for reason in schedule.reasons:
            print(f"  - {reason}")
        worst = sorted(schedule.breaks_by_participant, key=lambda kv: -kv[1])[:5]
        if worst and worst[0][1]:
            print("  most breaks: " + ", ".join(f"participant {p}: {b}" for p, b in worst if b))
    return 0 if schedule.status in ("optimal", "feasible") else 1


def validate_command(args: argparse.Namespace) -> int:
    from silkbridge.engines.scheduling import Assignment, participant_breaks, validate

    problem = _load(args.instance, args.fairness)
    try:
        data = json.loads(args.schedule.read_text(encoding="utf-8"))
        assignments = tuple(
            Assignment(int(item["id"]), int(item["slot"]), int(item.get("table", 0)))
            for item in data["meetings"]
        )
    except FileNotFoundError:
        raise CommandError(f"no such schedule file: {args.schedule}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise CommandError(f"{args.schedule} is not a schedule: expected {{\"meetings\": [{{\"id\", \"slot\", \"table\"}}]}} ({exc})") from None
    violations = validate(problem, assignments, complete=True)
    for v in violations:
        print(v)
    if violations:
        print(f"INVALID ({len(violations)} violations)")
        return 1
    print(f"valid breaks={sum(participant_breaks(problem, assignments).values())}")
    return 0
