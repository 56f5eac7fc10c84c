"""Exact break minimisation as a series of SAT questions (PySAT), for forums where every meeting must be placed.

Time assignment only: tables are a count per slot and are assigned afterwards. The encoding follows
the MaxSAT model of Bofill et al. (JAIR 2022) with its implied constraints; the optimum is found by
asking "at most k breaks?" for k = 0, 1, 2, ... so the first yes is optimal and each no is a proof.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool
from pysat.solvers import Solver

from .model import MUST, Id, Problem
from .rules import Index

SAT_SOLVER = "cadical195"
# Conflicts per CaDiCaL call between two looks at the clock (a fraction of a second on these models).
CONFLICT_SLICE = 5_000
# Redundant encodings: measured on forum-14 (d = 2), windows cost the proof (none in 40 s vs 38 s
# without) while the right-hand break count halves it (17 s).
WINDOWS = False
RIGHT_BREAKS = True


@dataclass(frozen=True)
class SatResult:
    # "optimal", "feasible" (no proof in time), "unfair" (every meeting fits but no schedule keeps
    # the fairness limit), "unplaceable" (not every meeting fits), "unknown" (nothing found in time)
    status: str
    slot_of: dict[Id, int] = field(default_factory=dict)
    breaks: int = 0
    bound: int = 0


def sat_applicable(problem: Problem) -> bool:
    """The SAT path covers forums where all meetings are musts and tables are interchangeable."""
    return (
        all(m.priority == MUST for m in problem.meetings)
        and all(p.host_table is None and p.max_meetings is None for p in problem.participants)
        and problem.max_meetings is None
        and all(len(set(m.participants)) == 2 for m in problem.meetings)
    )


class _Encoding:
    """Hard rules as CNF: x[m, t] (meeting m in slot t), busy[p, t], and a break indicator per
    participant and slot where a break can start (left count) and end (right count)."""

    def __init__(self, ix: Index):
        self.ix = ix
        self.pool = IDPool()
        self.clauses: list[list[int]] = []
        n_slots = len(ix.slots)
        self.x: dict[tuple[Id, int], int] = {}
        self.allowed: dict[Id, list[int]] = {}
        for m in ix.problem.meetings:
            self.allowed[m.id] = ix.allowed_positions(m)
            for t in self.allowed[m.id]:
                self.x[m.id, t] = self.pool.id(("x", m.id, t))
        for m in ix.problem.meetings:
            lits = [self.x[m.id, t] for t in self.allowed[m.id]]
            self._card(lits, 1, "equals")
        by_slot: dict[int, list[int]] = {t: [] for t in range(n_slots)}
        for (mid, t), v in self.x.items():
            by_slot[t].append(v)
        n_tables = len(ix.problem.tables)
        for t, lits in by_slot.items():
            if len(lits) > n_tables:
                self._card(lits, n_tables, "atmost", EncType.seqcounter)
        self._precedences()
        self.people = [p.id for p in ix.problem.participants if ix.meetings_of.get(p.id)]
        self.busy: dict[tuple[Id, int], int] = {}
        self.breaks_of: dict[Id, list[int]] = {}
        self.right_breaks: list[int] = []
        for p in self.people:
            self._participant(p)
        self.all_breaks = [b for p in self.people for b in self.breaks_of[p]]

    def _card(self, lits, bound, kind, enc=EncType.seqcounter):
        if bound > len(lits) and kind != "atmost":
            v = self.pool.id(("false",))
            self.clauses += [[v], [-v]]
            return
        if (kind == "atmost" and bound >= len(lits)) or (kind == "atleast" and bound <= 0):
            return
        if kind == "equals" and bound == 1 and len(lits) <= 6:
            enc = EncType.pairwise
        fn = {"equals": CardEnc.equals, "atmost": CardEnc.atmost, "atleast": CardEnc.atleast}[kind]
        cnf = fn(lits=lits, bound=bound, vpool=self.pool, encoding=enc)
        self.clauses.extend(cnf.clauses)
        return cnf.clauses

    def _precedences(self) -> None:
        for pr in self.ix.problem.precedences:
            if pr.before not in self.allowed or pr.after not in self.allowed:
                continue
            for t in self.allowed[pr.after]:
                for u in self.allowed[pr.before]:
                    if u >= t:
                        self.clauses.append([-self.x[pr.after, t], -self.x[pr.before, u]])

    def _participant(self, p: Id) -> None:
        ix = self.ix
        mids = ix.meetings_of[p]
        k = len(mids)
        busy = {}
        for t in range(len(ix.slots)):
            lits = [self.x[mid, t] for mid in mids if (mid, t) in self.x]
            if not lits:
                continue
            b = self.pool.id(("busy", p, t))
            busy[t] = b
            self.busy[p, t] = b
            for v in lits:
                self.clauses.append([-v, b])
            self.clauses.append([-b] + lits)
            if len(lits) > 1:
                self._card(lits, 1, "atmost", EncType.pairwise if len(lits) <= 6 else EncType.seqcounter)
        # Implied: exactly k busy slots, which the per-meeting constraints only say indirectly.
        self._card(list(busy.values()), k, "equals", EncType.seqcounter)
        breaks: list[int] = []
        for day in ix.days:
            # pre[t]: p has a meeting at or before slot t of this day.
            pre: dict[int, int | None] = {}
            last: int | None = None
            for t in day:
                b = busy.get(t)
                if b is None:
                    pre[t] = last
                    continue
                if last is None:
                    pre[t] = b
                else:
                    v = self.pool.id(("pre", p, t))
                    self.clauses += [[-last, v], [-b, v], [-v, last, b]]
                    pre[t] = v
                last = pre[t]
            # A break starts at t when p is busy at t, idle at t-1, and busy earlier that day.
            for i, t in enumerate(day):
                b = busy.get(t)
                if b is None or i < 2:
                    continue
                prev_busy = busy.get(day[i - 1])
                earlier = pre.get(day[i - 2])
                if earlier is None:
                    continue
                v = self.pool.id(("brk", p, t))
                conds = [b, earlier] + ([-prev_busy] if prev_busy is not None else [])
                self.clauses.append([v] + [-c for c in conds])
                for c in conds:
                    self.clauses.append([-v, c])
                breaks.append(v)
        self.breaks_of[p] = breaks
        # The same breaks counted from the right (a break ends at t: busy at t, idle at t+1, busy
        # later that day), so that placing late meetings first propagates a break as early.
        for day in ix.days if RIGHT_BREAKS else ():
            post: dict[int, int | None] = {}
            last = None
            for t in reversed(day):
                b = busy.get(t)
                if b is None:
                    post[t] = last
                    continue
                if last is None:
                    post[t] = b
                else:
                    v = self.pool.id(("post", p, t))
                    self.clauses += [[-last, v], [-b, v], [-v, last, b]]
                    post[t] = v
                last = post[t]
            for i, t in enumerate(day):
                b = busy.get(t)
                if b is None or i + 2 >= len(day):
                    continue
                next_busy = busy.get(day[i + 1])
                later = post.get(day[i + 2])
                if later is None:
                    continue
                v = self.pool.id(("brkR", p, t))
                conds = [b, later] + ([-next_busy] if next_busy is not None else [])
                self.clauses.append([v] + [-c for c in conds])
                for c in conds:
                    self.clauses.append([-v, c])
                self.right_breaks.append(v)
        # Implied (paper): with no break, p's k meetings fill one window of k consecutive slots.
        # Explicit window variables let a single known meeting rule out every window that misses it.
        if WINDOWS and breaks and k > 1 and len(ix.days) == 1:
            nobreak = self.pool.id(("nobrk", p))
            self.clauses.append([nobreak] + breaks)
            for v in breaks:
                self.clauses.append([-nobreak, -v])
            day = ix.days[0]
            windows = []
            for i in range(len(day) - k + 1):
                inside = day[i:i + k]
                if any(u not in busy for u in inside):
                    continue
                w = self.pool.id(("win", p, i))
                windows.append(w)
                inside_set = set(inside)
                for u, b in busy.items():
                    self.clauses.append([-w, b] if u in inside_set else [-w, -b])
            self.clauses.append([-nobreak] + windows)


class SatScheduler:
    """Incremental SAT model: hard rules as clauses, fairness and the break budget as assumptions."""

    def __init__(self, ix: Index, *, solver: str = SAT_SOLVER):
        self.ix = ix
        self.enc = _Encoding(ix)
        self.solver = Solver(name=solver, bootstrap_with=self.enc.clauses)
        self.interruptible = not solver.startswith("cadical")
        # Trying "no break" first steers the search towards compact schedules.
        self.solver.set_phases([-v for v in self.enc.all_breaks])
        self.fair_selector: dict[int, int] = {}
        self.totals: list[ITotalizer] = []

    def close(self) -> None:
        self.solver.delete()
        for tot in self.totals:
            tot.delete()

    def _ask(self, assumptions: list[int], deadline: float) -> bool | None:
        """One SAT call that gives up at the deadline (None)."""
        if self.interruptible:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            timer = threading.Timer(left, self.solver.interrupt)
            timer.start()
            try:
                return self.solver.solve_limited(assumptions=assumptions, expect_interrupt=True)
            finally:
                timer.cancel()
                self.solver.clear_interrupt()
        # CaDiCaL cannot be interrupted from outside: run it in conflict-budget slices, which
        # keep its learnt clauses between slices, and check the clock in between.
        while time.monotonic() < deadline:
            self.solver.conf_budget(CONFLICT_SLICE)
            answer = self.solver.solve_limited(assumptions=assumptions)
            if answer is not None:
                return answer
        return None

    def _fair(self, level: int) -> list[int]:
        """Assumptions for "every participant has at most ``level`` and at least ``level - d`` breaks"."""
        d = self.ix.problem.fairness
        if d is None:
            return []
        if level not in self.fair_selector:
            sel = self.enc.pool.id(("fair", level))
            self.fair_selector[level] = sel
            for p in self.enc.people:
                lits = self.enc.breaks_of[p]
                if len(lits) > level:
                    for cl in CardEnc.atmost(lits=lits, bound=level, vpool=self.enc.pool,
                                             encoding=EncType.seqcounter).clauses:
                        self.solver.add_clause(cl + [-sel])
                low = level - d
                if low > 0:
                    if len(lits) < low:
                        self.solver.add_clause([-sel])
                        break
                    for cl in CardEnc.atleast(lits=lits, bound=low, vpool=self.enc.pool,
                                              encoding=EncType.seqcounter).clauses:
                        self.solver.add_clause(cl + [-sel])
        return [self.fair_selector[level]]

    def _slot_of(self) -> dict[Id, int]:
        model = self.solver.get_model()
        truth = set(v for v in model if v > 0)
        return {mid: t for (mid, t), v in self.enc.x.items() if v in truth}

    def _breaks(self, slot_of: dict[Id, int]) -> tuple[int, dict[Id, int]]:
        per: dict[Id, list[int]] = {}
        for mid, t in slot_of.items():
            for p in self.ix.meeting[mid].participants:
                per.setdefault(p, []).append(t)
        counts = {p: self.ix.breaks_of(ts) for p, ts in per.items()}
        return sum(counts.values()), counts

    def minimise(self, deadline: float) -> SatResult:
        ix = self.ix
        placed = self._ask([], deadline)
        if placed is None:
            return SatResult("unknown")
        if not placed:
            return SatResult("unplaceable")
        placement = self._slot_of()
        d = ix.problem.fairness
        n_people = len(self.enc.people)
        levels: list[int | None] = [None] if d is None else list(range(d, max(d, len(ix.slots) // 2) + 1))
        best: dict[Id, int] | None = None
        best_val: int | None = None
        # Proven lower bound on the breaks of every fair schedule within the levels already settled.
        low: int | None = None
        for level in levels:
            # Beyond the first level every participant has at least level - d breaks.
            floor = 0 if level is None or d is None else (level - d) * n_people
            if best_val is not None and floor >= best_val:
                break
            fair = [] if level is None else self._fair(level)
            got = self._ask(fair, deadline)
            if got is None:
                return self._partial(best, best_val, low, floor)
            if not got:
                continue
            slot_of = self._slot_of()
            val, _ = self._breaks(slot_of)
            if best_val is None or val < best_val:
                best, best_val = slot_of, val
            k = floor
            while k < best_val:
                # A shallow totalizer (just deep enough to say "at most k") propagates best.
                self._budget(k + 1)
                got = self._ask(fair + self._at_most(k), deadline)
                if got is None:
                    return self._partial(best, best_val, low, k)
                if got:
                    slot_of = self._slot_of()
                    val, _ = self._breaks(slot_of)
                    if val < best_val:
                        best, best_val = slot_of, val
                    break
                k += 1
            low = k if low is None else min(low, k)
        if best is None:
            return SatResult("unfair", placement)
        return SatResult("optimal", best, best_val, best_val)

    def _budget(self, upper: int) -> None:
        """Totalizers over the break indicators (left and right counts), deep enough to say "at most upper - 1"."""
        if not self.totals:
            for lits in (self.enc.all_breaks, self.enc.right_breaks):
                # The totalizer numbers its own variables from top_id: keep them clear of the pool's.
                tot = ITotalizer(lits=lits, ubound=upper, top_id=self.enc.pool.top)
                self.enc.pool.top = tot.top_id
                for cl in tot.cnf.clauses:
                    self.solver.add_clause(cl)
                self.totals.append(tot)
        for tot in self.totals:
            if tot.ubound < upper:
                before = len(tot.cnf.clauses)
                tot.increase(ubound=upper, top_id=self.enc.pool.top)
                self.enc.pool.top = tot.top_id
                for cl in tot.cnf.clauses[before:]:
                    self.solver.add_clause(cl)

    def _at_most(self, k: int) -> list[int]:
        return [-tot.rhs[k] for tot in self.totals if k < len(tot.rhs)]

    def _partial(self, best, best_val, low, current) -> SatResult:
        bound = current if low is None else min(low, current)
        if best is None:
            return SatResult("unknown", bound=bound)
        return SatResult("feasible", best, best_val, min(bound, best_val))


def solve_sat(ix: Index, deadline: float, *, solver: str = SAT_SOLVER) -> SatResult:
    sched = SatScheduler(ix, solver=solver)
    try:
        return sched.minimise(deadline)
    finally:
        sched.close()
