"""Solving and rescheduling: necessary checks, a greedy start, CP-SAT in lexicographic stages, tables last.

Objective order: (1) placed must-meetings, then wanted ones; (2) with a previous
schedule, as few moved meetings as possible; (3) fewest breaks; (4) tables that
keep participants in place (heuristic, after the time assignment).
Forums where every meeting is a must and fits are solved exactly by SAT (``satpath``);
large problems by a large-neighbourhood search over the CP-SAT model.
"""
from __future__ import annotations

import random
import time
from collections import defaultdict
from typing import TYPE_CHECKING

from .checks import must_overload, structural_problems
from .greedy import assign_tables, greedy_place
from .model import MUST, Assignment, Id, Problem, Schedule
from .rules import Index, participant_breaks
from .satpath import sat_applicable, solve_sat, unplaceable_reason

if TYPE_CHECKING:
    from .cpsat import Result, TimeModel

# Above this many (meeting, slot) pairs one CP-SAT model is too slow to improve on two cores,
# so the neighbourhood search takes over (measured: 2,100 meetings x 32 slots made no progress in 60 s).
LARGE_MODEL = 20_000
# Share of the time limit for the exact SAT search; the rest improves its schedule if no proof came.
SAT_SHARE = 0.75


def solve(problem: Problem, *, time_limit: float = 10.0, previous: Schedule | None = None,
          workers: int = 2, seed: int = 0) -> Schedule:
    """Schedule the requested meetings; with ``previous``, move as few of its meetings as possible.

    ``status`` is "infeasible" when not every must-meeting can be placed (``reasons`` says
    why; ``assignments`` then still hold the best partial schedule), "optimal" when the
    placement and the break count are both proven best, "feasible" when a schedule was
    found without that proof, and "unknown" when none was found in time.
    """
    start = time.monotonic()
    deadline = start + time_limit
    ix = Index(problem)
    all_ids = tuple(m.id for m in problem.meetings)
    fatal = structural_problems(problem, ix)
    if fatal:
        return Schedule(status="infeasible", unplaced=all_ids, reasons=tuple(fatal),
                        seconds=time.monotonic() - start)
    reasons = must_overload(problem, ix)
    placement_impossible = False
    prev_pos: dict[Id, int] = {}
    prev_table: dict[Id, tuple[int, Id]] = {}
    if previous is not None:
        for a in previous.assignments:
            if a.meeting_id in ix.meeting:
                # A meeting whose slot was removed has to move: position -1 matches no slot.
                prev_pos[a.meeting_id] = ix.slot_pos.get(a.slot, -1)
                if a.slot in ix.slot_pos:
                    prev_table[a.meeting_id] = (ix.slot_pos[a.slot], a.table)
    size = sum(len(ix.allowed_positions(m)) for m in problem.meetings)
    if previous is None and size <= LARGE_MODEL and sat_applicable(problem):
        # Exact and much faster than CP-SAT on break minimisation (measured on the published
        # instances); CP-SAT stays for partial placement, moves and wanted meetings.
        sat = solve_sat(ix, start + SAT_SHARE * time_limit)
        if sat.status == "feasible":
            # No proof in time: the SAT bound stands, and neighbourhood search improves the schedule.
            slot_of, breaks = _polish(ix, sat.slot_of, deadline, workers, seed)
            status = "optimal" if breaks <= sat.bound else "feasible"
            return _finish(ix, problem, slot_of, prev_pos, prev_table, start, reasons,
                           status=status, bound=sat.bound, proven_placement=True)
        if sat.status == "optimal":
            return _finish(ix, problem, sat.slot_of, prev_pos, prev_table, start, reasons,
                           status=sat.status, bound=sat.bound, proven_placement=True)
        if sat.status == "unfair":
            return _finish(ix, problem, sat.slot_of, prev_pos, prev_table, start,
                           reasons + ["the fairness limit cannot hold with every meeting placed"],
                           status="infeasible", bound=None, proven_placement=True)
        if sat.status == "unplaceable":
            # Proven: not every meeting fits. Say why where the input's own rules are the cause.
            placement_impossible = True
            if not reasons:
                why = unplaceable_reason(ix, min(deadline, time.monotonic() + max(1.0, 0.1 * time_limit)))
                reasons.append(why or "not every meeting can be placed: the sessions, forbidden slots and"
                                      " tables leave no room for all of them (checked exhaustively)")
        # "unplaceable" or out of time: the CP-SAT stages below place as many meetings as possible.
    # OR-Tools (and the pandas it loads) takes about a second to import: only forums the SAT path
    # does not settle pay for it.
    from .cpsat import TimeModel

    start_pos = greedy_place(ix, prefer=prev_pos, time_budget=min(1.0, 0.05 * time_limit), seed=seed)
    if size > LARGE_MODEL:
        slot_of, proven = _lns(ix, start_pos, prev_pos, deadline, workers, seed)
        # Every table-slot used by a placed meeting: nobody can place more.
        proven = proven or len(slot_of) == len(problem.tables) * len(problem.slots)
        return _finish(ix, problem, slot_of, prev_pos, prev_table, start, reasons,
                       status="feasible", bound=None, proven_placement=proven)

    all_fit = len(start_pos) == len(problem.meetings)
    placement_proven = all_fit
    floor = None
    hint = start_pos
    hard_model = None
    if not all_fit and not placement_impossible:
        # Most forums fit completely; a plain feasibility question settles that quickly.
        hard_model = TimeModel(ix, list(all_ids), previous=prev_pos)
        # Placement does not depend on fairness, so the probe leaves it out: it is much faster.
        probe = hard_model.feasible(time_limit=0.5 * (deadline - time.monotonic()), seed=seed, fair=False)
        if probe.slot_of:
            all_fit = placement_proven = True
            hint = start_pos = probe.slot_of
        elif probe.status != "infeasible":
            hard_model = None
    if not all_fit:
        # Stage 1: how many meetings (must first) can be placed at all.
        tm = TimeModel(ix, list(all_ids), optional=set(all_ids))
        tm.hint(start_pos)
        res = tm.run(tm.placement, maximize=True, time_limit=0.4 * (deadline - time.monotonic()),
                     workers=workers, seed=seed)
        if not res.slot_of and res.status != "optimal":
            # The necessary checks already prove that some must-meeting cannot be placed.
            proven_infeasible = res.status == "infeasible" or bool(reasons)
            if res.status == "infeasible" and not reasons:
                reasons.append("the fixed meetings, precedences and fairness limit cannot all hold at once")
            # Hand back the greedy placement: partial, but a start an organiser can work from.
            slot_of = start_pos
            if res.status != "infeasible":
                reasons.append(f"only {len(start_pos)} of {len(all_ids)} meetings could be placed in the time given")
            return _finish(ix, problem, slot_of, prev_pos, prev_table, start, reasons,
                           status="infeasible" if proven_infeasible else "unknown", bound=None,
                           proven_placement=False)
        placement_proven = res.status == "optimal"
        floor = res.objective
        hint = res.slot_of
        all_fit = floor == tm.placement_max
    # Stage 2: fewest moves, then fewest breaks, with the placement of stage 1 kept.
    if all_fit and hard_model is not None:
        tm = hard_model
    else:
        tm = TimeModel(ix, list(all_ids), optional=None if all_fit else set(all_ids),
                       previous=prev_pos, placement_floor=None if all_fit else floor)
    tm.hint(hint)
    weight = tm.breaks_upper + 1
    objective = tm.moves * weight + tm.total_breaks if prev_pos else tm.total_breaks
    if prev_pos or not all_fit:
        res = tm.run(objective, maximize=False, time_limit=deadline - time.monotonic(), workers=workers, seed=seed)
    else:
        res = _fewest_breaks(ix, tm, hint, deadline, workers, seed)
    if res.status == "unknown" and res.slot_of:
        return _finish(ix, problem, res.slot_of, prev_pos, prev_table, start,
                       reasons + ["no schedule within the fairness limit was found in time;"
                                  " this one places every meeting but breaks that limit"],
                       status="unknown", bound=res.bound, proven_placement=placement_proven)
    if not res.slot_of:
        if res.status == "infeasible" and all_fit and not reasons:
            reasons.append("the fairness limit cannot hold with every meeting placed")
        fallback = hint
        return _finish(ix, problem, fallback, prev_pos, prev_table, start, reasons,
                       status="infeasible" if res.status == "infeasible" else "unknown",
                       bound=None, proven_placement=placement_proven)
    status = "optimal" if res.status == "optimal" and placement_proven else "feasible"
    bound = res.bound
    if prev_pos:
        moved = sum(1 for mid, pos in prev_pos.items() if res.slot_of.get(mid) != pos)
        bound = max(0, res.bound - moved * weight)
    return _finish(ix, problem, res.slot_of, prev_pos, prev_table, start, reasons,
                   status=status, bound=bound, proven_placement=placement_proven)


def _fewest_breaks(ix: Index, tm: TimeModel, hint: dict[Id, int], deadline: float, workers: int, seed: int) -> Result:
    """Minimise breaks: improve a schedule by neighbourhood search, then ask "at most k breaks?"
    for k = 0, 1, 2, ... until the answer is yes (optimal) or time runs out (each "no" raises the bound).

    CP-SAT settles these small yes/no questions far faster than it closes the optimisation gap
    on this model, and the optima of real forums are small.
    """
    from .cpsat import Result

    d = ix.problem.fairness
    best: dict[Id, int] | None = None
    best_val = None

    def consider(slot_of: dict[Id, int]) -> None:
        nonlocal best, best_val
        per = _breaks_now(ix, slot_of)
        if d is not None and per and max(per.values()) - min(per.values()) > d:
            return
        val = sum(per.values())
        if best_val is None or val < best_val:
            best, best_val = slot_of, val

    current = hint
    lower = 0
    if len(hint) == len(ix.problem.meetings):
        consider(hint)
        # Most real forums admit a schedule without breaks: ask that first.
        tm.hint(hint)
        ans = tm.decide(tm.total_breaks, 0, time_limit=0.3 * (deadline - time.monotonic()), seed=seed)
        if ans.slot_of:
            consider(ans.slot_of)
        elif ans.status == "infeasible":
            lower = 1
        if best_val is None or best_val > lower:
            budget = 0.4 * (deadline - time.monotonic())
            current = _improve(ix, hint, {}, time.monotonic() + budget, workers, seed,
                               stop_at_zero=True, on_better=consider)
            consider(current)
    while best_val is None or lower < best_val:
        left = deadline - time.monotonic()
        if left <= 0.05:
            break
        tm.hint(best or current)
        ans = tm.decide(tm.total_breaks, lower, time_limit=left, seed=seed)
        if ans.status == "infeasible":
            lower += 1
            if best is None and lower > tm.breaks_upper:
                return Result("infeasible", {}, 0, lower, 0)
        elif ans.slot_of:
            consider(ans.slot_of)
        else:
            break
    if best is None:
        # No schedule within the fairness limit yet: hand back the closest one, marked unknown.
        return Result("unknown", current if len(current) == len(ix.problem.meetings) else {}, 0, lower, 0)
    status = "optimal" if lower >= best_val else "feasible"
    return Result(status, best, best_val, min(lower, best_val), tm.placement_max)


def reschedule(problem: Problem, previous: Schedule, *, time_limit: float = 10.0,
               workers: int = 2, seed: int = 0) -> Schedule:
    """Adapt a published schedule to a changed problem, moving as few meetings as possible."""
    return solve(problem, time_limit=time_limit, previous=previous, workers=workers, seed=seed)


def _finish(ix: Index, problem: Problem, slot_of: dict[Id, int], prev_pos, prev_table, start, reasons,
            *, status: str, bound: int | None, proven_placement: bool) -> Schedule:
    tables = assign_tables(ix, slot_of, previous=prev_table)
    assignments = tuple(
        Assignment(mid, ix.slots[slot_of[mid]].id, tables[mid])
        for mid in (m.id for m in problem.meetings) if mid in slot_of
    )
    unplaced = tuple(m.id for m in problem.meetings if m.id not in slot_of)
    per = participant_breaks(problem, assignments, ix)
    breaks = sum(per.values())
    unplaced_must = sum(1 for mid in unplaced if ix.meeting[mid].priority == MUST)
    if unplaced_must and status in ("optimal", "feasible"):
        if proven_placement or reasons:
            status = "infeasible"
            if not reasons:
                reasons = [f"at most {len(assignments)} of the {len(problem.meetings)} meetings fit"
                           f" ({unplaced_must} must-meetings cannot be placed)"]
        else:
            status = "feasible"
    d = problem.fairness
    if d is not None and per and max(per.values()) - min(per.values()) > d and status in ("optimal", "feasible"):
        status = "unknown"
        reasons = list(reasons) + [f"no schedule within the fairness limit {d} was found in time"]
    moved = tuple(mid for mid, pos in prev_pos.items() if slot_of.get(mid) != pos)
    return Schedule(
        status=status,  # type: ignore[arg-type]
        assignments=assignments,
        unplaced=unplaced,
        breaks=breaks,
        bound=breaks if status == "optimal" else (bound if bound is not None else 0),
        objective=(unplaced_must, len(unplaced) - unplaced_must, len(moved), breaks),
        seconds=time.monotonic() - start,
        reasons=tuple(reasons),
        moved=moved,
        breaks_by_participant=tuple(sorted(per.items(), key=lambda kv: str(kv[0]))),
    )


def _lns(ix: Index, start_pos: dict[Id, int], prev_pos: dict[Id, int], deadline: float,
         workers: int, seed: int) -> tuple[dict[Id, int], bool]:
    current = _improve(ix, start_pos, prev_pos, deadline, workers, seed)
    return current, len(current) == len(ix.problem.meetings)


def _improve(ix: Index, start_pos: dict[Id, int], prev_pos: dict[Id, int], deadline: float,
             workers: int, seed: int, *, stop_at_zero: bool = False, on_better=None) -> dict[Id, int]:
    """Large-neighbourhood search: free the meetings of a few participants, re-solve them exactly, keep improvements.

    Fairness is left to the caller: the neighbourhoods only lower breaks, which rarely widens the spread.
    """
    from .cpsat import TimeModel

    rng = random.Random(seed)
    current = dict(start_pos)
    all_ids = [m.id for m in ix.problem.meetings]
    participants = [p.id for p in ix.problem.participants if ix.meetings_of.get(p.id)]
    partners: dict[Id, set[Id]] = defaultdict(set)
    for m in ix.problem.meetings:
        a, b = m.participants
        partners[a].add(b)
        partners[b].add(a)
    # Meetings per neighbourhood: small enough to solve in about a second.
    target = max(20, min(120, len(all_ids) // 10))
    while time.monotonic() < deadline - 0.2:
        per = _breaks_now(ix, current)
        unplaced_people = {p for mid in all_ids if mid not in current for p in ix.meeting[mid].participants}
        weights = [1 + 3 * per.get(p, 0) + (5 if p in unplaced_people else 0) for p in participants]
        seed_p = rng.choices(participants, weights=weights)[0]
        chosen: dict[Id, None] = {seed_p: None}
        frontier = list(partners[seed_p])
        rng.shuffle(frontier)
        n_meet = len(ix.meetings_of[seed_p])
        while frontier and n_meet < target:
            q = frontier.pop()
            if q in chosen:
                continue
            chosen[q] = None
            n_meet += len(ix.meetings_of[q])
            extra = list(partners[q])
            rng.shuffle(extra)
            frontier.extend(extra[:3])
        free = [mid for p in chosen for mid in ix.meetings_of[p]]
        free = list(dict.fromkeys(free))
        free_set = set(free)
        frozen = {mid: pos for mid, pos in current.items() if mid not in free_set}
        optional = {mid for mid in free if mid not in current}
        tm = TimeModel(ix, free, frozen=frozen, optional=optional,
                       previous={mid: pos for mid, pos in prev_pos.items() if mid in free_set})
        tm.hint(current)
        before = _score(ix, current, prev_pos)
        # Lexicographic weights built from the bottom, keeping only the terms that can vary,
        # so the numbers stay small enough for CP-SAT to reason with.
        objective = tm.total_breaks
        scale = tm.breaks_upper + 1
        if tm.excess:
            objective += scale * sum(tm.excess)
            scale *= tm.breaks_upper + 1
        if prev_pos:
            objective += scale * tm.moves
            scale *= len(free) + 1
        if optional:
            objective -= scale * tm.placement
        budget = min(3.0, deadline - time.monotonic() - 0.1)
        if budget <= 0.1:
            break
        res = tm.run(objective, maximize=False, time_limit=budget, workers=workers,
                     seed=rng.randrange(1 << 30), lp=False, fair=False)
        if not res.slot_of:
            continue
        candidate = dict(frozen)
        candidate.update(res.slot_of)
        after = _score(ix, candidate, prev_pos)
        if after <= before:
            current = candidate
            if after < before and on_better is not None:
                on_better(current)
            if stop_at_zero and after == (0, 0, 0, 0, 0):
                break
    return current


def _polish(ix: Index, slot_of: dict[Id, int], deadline: float, workers: int, seed: int) -> tuple[dict[Id, int], int]:
    """Neighbourhood search from a complete fair schedule; keeps only fair improvements."""
    d = ix.problem.fairness
    best = dict(slot_of)
    best_val = sum(_breaks_now(ix, best).values())

    def consider(candidate: dict[Id, int]) -> None:
        nonlocal best, best_val
        per = _breaks_now(ix, candidate)
        if d is not None and per and max(per.values()) - min(per.values()) > d:
            return
        if sum(per.values()) < best_val:
            best, best_val = dict(candidate), sum(per.values())

    if deadline - time.monotonic() > 0.5:
        consider(_improve(ix, slot_of, {}, deadline, workers, seed, stop_at_zero=True, on_better=consider))
    return best, best_val


def _breaks_now(ix: Index, slot_of: dict[Id, int]) -> dict[Id, int]:
    pos: dict[Id, list[int]] = defaultdict(list)
    for mid, t in slot_of.items():
        for p in ix.meeting[mid].participants:
            pos[p].append(t)
    return {p: ix.breaks_of(ts) for p, ts in pos.items()}


def _score(ix: Index, slot_of: dict[Id, int], prev_pos: dict[Id, int]) -> tuple[int, int, int, int, int]:
    """Lexicographic: unplaced must, unplaced wanted, moved, breaks above the fairness limit, breaks."""
    unplaced = [m for m in ix.problem.meetings if m.id not in slot_of]
    must = sum(1 for m in unplaced if m.priority == MUST)
    moved = sum(1 for mid, pos in prev_pos.items() if slot_of.get(mid) != pos)
    per = _breaks_now(ix, slot_of)
    d = ix.problem.fairness
    excess = sum(max(0, b - d) for b in per.values()) if d is not None else 0
    return (must, len(unplaced) - must, moved, excess, sum(per.values()))



