"""Exact break minimisation with SAT (PySAT), for forums where every meeting must be placed.

Time assignment only: tables are a count per slot and are assigned afterwards. The encoding follows
the MaxSAT model of Bofill et al. (JAIR 2022) with implied constraints: exactly n busy slots per
participant, at most 2 x tables busy participants per slot, and "two meetings n or more slots apart
mean a break". Per fairness level the optimum comes from core-guided MaxSAT (RC2), whose cores give
the lower bounds; a helper process races it with CaDiCaL on a second model, asking for a schedule
with exactly the latest lower bound of breaks. Before the core-guided search starts, this process's
CaDiCaL asks whether a schedule without breaks exists. Optimality is only claimed when proven.
"""
from __future__ import annotations

import multiprocessing
import threading
import time
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.examples.rc2 import RC2
from pysat.formula import WCNF, IDPool
from pysat.solvers import Solver

from .model import MUST, Id, Problem
from .rules import Index

SAT_SOLVER = "cadical195"
# Oracle of the core-guided search (RC2): it must be interruptible, so that the clock can stop it.
CORE_SOLVER = "glucose4"
# "core": core-guided MaxSAT (RC2, OLL with totalizers) per fairness level; "linear": "at most k?" for
# k = 0, 1, ... over one totalizer.
STRATEGY = "core"
# RC2 options: at-most-one detection among break indicators, core exhaustion, core minimisation, trimming.
CORE_ADAPT = True
CORE_EXHAUST = True
CORE_MINZ = True
CORE_TRIM = 5
# Race a CaDiCaL helper process against the core-guided search on models with at least this many
# (meeting, slot) variables: the published instances have 1,200 to 6,600; tiny forums are solved
# in milliseconds, faster than a process starts.
PARALLEL = True
RACE_MIN_SIZE = 1_000
# Share of the time left kept back, when the core-guided search runs out of time, to find some fair schedule.
FALLBACK_SHARE = 0.1
# The helper's model: measured on the seven slowest originals (4 x 2 cores), the implied constraints
# with the busy capacity as a modulo totalizer beat both the plain model and the sequential counter
# (which stalls forum-13crafc and ticf-13crafc for 50 s and more).
HELPER_IMPLIED = True
HELPER_BCAP_ENC = "mtotalizer"
# Conflicts per CaDiCaL call between two looks at the clock (a fraction of a second on the published
# models); in this process a slice is cut to the time left (``_sliced``).
CONFLICT_SLICE = 5_000
# Seconds per conflict assumed before a first slice has shown the pace: under assumptions that fix every
# break, CaDiCaL's first 1,200 conflicts took 4 s on ticf-14crafa.forb0003 and overran a 5 s limit.
SLOW_PACE = 0.005
# Redundant encodings: measured on forum-14 (d = 2), windows cost the proof (none in 40 s vs 38 s
# without) while the right-hand break count halves it (17 s).
WINDOWS = False
RIGHT_BREAKS = True
# Implied: every busy participant holds one seat at one table, so at most 2 x tables participants are
# busy in a slot (the table limit restated over busy slots; finding a schedule without breaks on
# tic-14crafc went from 16-45 s to under 1 s).
BUSY_CAPACITY = True
# Implied: the busy participants of a slot pair up, so their number is even (an XOR chain per slot).
BUSY_PARITY = False
BCAP_ENC = "seqcounter"
# Implied: two meetings of one participant n or more slots apart (n = their meeting count) mean a break.
SPAN = True
# Before the core-guided search, ask this process's CaDiCaL for a schedule without breaks (the optimum of
# 11 of the 20 published forums): on ticf-14crafa it answers in 6-10 s where the core-guided search's
# first call (Glucose) takes over 80 s. Without a helper the probe gets this share of the time left.
ZERO_PROBE = True
ZERO_SHARE = 0.25
# CaDiCaL cannot be interrupted, and its first slice under these assumptions can take seconds: with less
# time than this left the probe is skipped and the core-guided search (interruptible) goes first.
ZERO_MIN_SECONDS = 10.0


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

    def __init__(self, ix: Index, *, right_breaks: bool | None = None, implied: bool = True):
        self.ix = ix
        self.right = RIGHT_BREAKS if right_breaks is None else right_breaks
        # The implied constraints below (busy capacity, parity, span) are left out with implied=False.
        self.implied = implied
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
        for (_mid, t), v in self.x.items():
            by_slot[t].append(v)
        n_tables = len(ix.problem.tables)
        for lits in by_slot.values():
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
        if self.implied and (BUSY_CAPACITY or BUSY_PARITY):
            self._busy_per_slot(n_tables)

    def _busy_per_slot(self, n_tables: int) -> None:
        """Implied by the table limit and by every meeting having two distinct participants."""
        per_slot: dict[int, list[int]] = {}
        for (_, t), b in self.busy.items():
            per_slot.setdefault(t, []).append(b)
        for t, lits in sorted(per_slot.items()):
            if BUSY_CAPACITY and len(lits) > 2 * n_tables:
                self._card(lits, 2 * n_tables, "atmost", getattr(EncType, BCAP_ENC))
            if BUSY_PARITY and len(lits) > 1:
                acc = lits[0]
                for lit in lits[1:]:
                    y = self.pool.id(("xor", t, lit))
                    self.clauses += [[-y, acc, lit], [-y, -acc, -lit], [y, -acc, lit], [y, acc, -lit]]
                    acc = y
                self.clauses.append([-acc])

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
            if pr.before in self.allowed and pr.after in self.allowed:
                self.clauses += _precedence_clauses(pr, self.allowed, self.x)

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
        if self.implied and SPAN and breaks:
            # Without a break the meetings of a day fill one window of at most k slots.
            has_break = self.pool.id(("hasbrk", p))
            self.clauses.append([-has_break] + breaks)
            self.clauses += [[-v, has_break] for v in breaks]
            for day in ix.days:
                mine = [t for t in day if t in busy]
                for i, t in enumerate(mine):
                    for u in mine[i + 1:]:
                        if u - t >= k:
                            self.clauses.append([has_break, -busy[t], -busy[u]])
        # The same breaks counted from the right (a break ends at t: busy at t, idle at t+1, busy
        # later that day), so that placing late meetings first propagates a break as early.
        for day in ix.days if self.right else ():
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

    def __init__(self, ix: Index, *, solver: str = SAT_SOLVER, right_breaks: bool | None = None,
                 implied: bool = True):
        self.ix = ix
        # The core-guided search counts breaks once; the right-hand count only helps the linear one.
        if right_breaks is None:
            right_breaks = RIGHT_BREAKS and STRATEGY != "core"
        self.enc = _Encoding(ix, right_breaks=right_breaks, implied=implied)
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
        return _sliced(self.solver, assumptions, deadline)

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
            if STRATEGY == "core":
                # Keep a little time to find some fair schedule if no optimum comes in time.
                reserve = FALLBACK_SHARE * max(0.0, deadline - time.monotonic())
                out = self._core_level(level, deadline - reserve)
                if out is None:
                    continue
                status, slot_of, cost = out
                if status == "timeout" and not slot_of and best is None:
                    got = self._ask([] if level is None else self._fair(level), deadline)
                    if got:
                        slot_of = self._slot_of()
                if slot_of:
                    val, _ = self._breaks(slot_of)
                    if best_val is None or val < best_val:
                        best, best_val = slot_of, val
                if status == "timeout":
                    # Unsettled levels above this one: each of their schedules has at least their floor.
                    above = None if level is None or d is None or level == levels[-1] else (level + 1 - d) * n_people
                    current = max(floor, cost) if above is None else min(max(floor, cost), above)
                    return self._partial(best, best_val, low, current)
                low = cost if low is None else min(low, cost)
                continue
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

    def _core_level(self, level: int | None, deadline: float):
        """Fewest breaks at one fairness level by core-guided MaxSAT: ("optimal", schedule, optimum),
        ("timeout", schedule or {}, proven lower bound), or None when no schedule keeps this level.

        Each new lower bound goes to a helper process (on models of RACE_MIN_SIZE placement variables
        or more) that looks for a schedule with exactly that many breaks using a different model and
        solver; whichever finds the optimum first wins. Finding the optimal schedule
        once the bound is known is the slow, erratic part on the published instances.
        """
        fair = self._fair_clauses(level)
        if [] in fair:
            return None
        # Filled directly rather than clause by clause (WCNF.append costs 0.4 s on forum-14's 360,000
        # clauses); RC2 reads these lists and does not change them. The fairness clauses take their
        # auxiliary variables from the pool too, so its top is the highest variable.
        hard = WCNF()
        hard.hard = self.enc.clauses + fair
        hard.soft = [[-b] for b in self.enc.all_breaks]
        hard.wght = [1] * len(hard.soft)
        hard.topw = len(hard.soft) + 1
        hard.nv = self.enc.pool.top
        helper = None
        if PARALLEL and len(self.enc.x) >= RACE_MIN_SIZE:
            # Started here, from the calling thread (forking from a timer thread is asking for trouble).
            helper = _Helper(self.ix, level, deadline)
            helper.tell(0)
        d = self.ix.problem.fairness
        zero_possible = d is None or level is None or level <= d
        if ZERO_PROBE and zero_possible and deadline - time.monotonic() >= ZERO_MIN_SECONDS:
            zero = self._zero_probe(level, deadline, helper)
            if zero is not None:
                if helper is not None:
                    helper.stop()
                return zero
        rc2 = _DeadlineRC2(hard, deadline, helper, solver=CORE_SOLVER, adapt=CORE_ADAPT, exhaust=CORE_EXHAUST,
                           minz=CORE_MINZ, trim=CORE_TRIM)
        try:
            rc2.oracle.set_phases([-b for b in self.enc.all_breaks])
            model = rc2.compute()
        except _OutOfTime:
            if helper is not None and helper.solution is not None:
                return "optimal", helper.solution, self._breaks(helper.solution)[0]
            return "timeout", {}, max(rc2.cost, helper.lower if helper is not None else 0)
        finally:
            rc2.delete()
            if helper is not None:
                helper.stop()
        if model is None:
            return None
        truth = set(v for v in model if v > 0)
        slot_of = {mid: t for (mid, t), v in self.enc.x.items() if v in truth}
        return "optimal", slot_of, rc2.cost

    def _zero_probe(self, level: int | None, deadline: float, helper: _Helper | None):
        """Is there a fair schedule without any break? Asked of this process's CaDiCaL while the helper
        asks it on its own model: ("optimal", schedule, breaks) when either finds one, ("timeout", {}, 0)
        at the deadline, None when there is none or the probe gives way to the core-guided search."""
        assumptions = ([] if level is None else self._fair(level)) + [-b for b in self.enc.all_breaks]
        # Alone, the probe may take part of the time only: proving "no" can be slow, and the
        # core-guided search proves it as its first core.
        give_way = deadline if helper is not None else time.monotonic() + ZERO_SHARE * (deadline - time.monotonic())
        answer = _sliced(self.solver, assumptions, give_way,
                         stop=lambda: helper is not None and (helper.solution is not None or helper.lower > 0))
        if answer:
            slot_of = self._slot_of()
            return "optimal", slot_of, self._breaks(slot_of)[0]
        if answer is False:
            if helper is not None:
                helper.tell(1)
            return None
        if helper is not None and helper.solution is not None:
            return "optimal", helper.solution, self._breaks(helper.solution)[0]
        if helper is not None and helper.lower > 0:
            return None
        return None if time.monotonic() < deadline else ("timeout", {}, 0)

    def _fair_clauses(self, level: int | None) -> list[list[int]]:
        """Hard clauses for "every participant has at most ``level`` and at least ``level - d`` breaks"."""
        d = self.ix.problem.fairness
        if d is None or level is None:
            return []
        out: list[list[int]] = []
        for p in self.enc.people:
            lits = self.enc.breaks_of[p]
            if len(lits) > level:
                out += CardEnc.atmost(lits=lits, bound=level, vpool=self.enc.pool, encoding=EncType.seqcounter).clauses
            low = level - d
            if low > 0:
                if len(lits) < low:
                    return [[]]
                out += CardEnc.atleast(lits=lits, bound=low, vpool=self.enc.pool, encoding=EncType.seqcounter).clauses
        return out

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


class _OutOfTime(Exception):
    """The deadline passed, or the helper process found the optimum, during a core-guided search."""


class _DeadlineRC2(RC2):
    """RC2 whose oracle calls stop at a deadline or when the helper has the optimum (raising
    _OutOfTime); ``cost`` stays a proven lower bound, and every rise of it goes to the helper."""

    def __init__(self, formula, deadline: float, helper: _Helper | None, **kwargs):
        self.deadline = deadline
        self.helper = helper
        super().__init__(formula, **kwargs)
        if helper is not None:
            helper.oracle = self.oracle

    def _call_oracle(self, assumptions=[], expect_interrupt=False):  # noqa: B006 - RC2's own signature
        left = self.deadline - time.monotonic()
        helper = self.helper
        if helper is not None:
            if helper.solution is not None:
                raise _OutOfTime
            helper.tell(self.cost)
        if left <= 0:
            raise _OutOfTime
        timer = threading.Timer(left, self.oracle.interrupt)
        timer.start()
        try:
            answer = self.oracle.solve_limited(assumptions=assumptions, expect_interrupt=True)
        finally:
            timer.cancel()
        if answer is None:
            self.oracle.clear_interrupt()
            if time.monotonic() >= self.deadline or (helper is not None and helper.solution is not None):
                raise _OutOfTime
        return answer


class _Helper:
    """A second process that asks CaDiCaL "a schedule with at most LB breaks?" for the latest lower
    bound LB of the core-guided search (and proves bounds of its own); a yes is an optimal schedule.

    A listener thread collects its answers and interrupts the core-guided oracle when the optimum
    arrives. Without processes (a daemon worker,
    no fork) it stays off and the core-guided search runs alone.
    """

    def __init__(self, ix: Index, level: int | None, deadline: float):
        self.ix = ix
        self.level = level
        self.deadline = deadline
        self.started = False
        self.dead = False
        self.solution: dict[Id, int] | None = None
        self.lower = 0
        self.oracle = None
        self.lock = threading.Lock()
        self.conn = None
        self.proc = None
        self.listener: threading.Thread | None = None

    def tell(self, lower: int) -> None:
        with self.lock:
            if self.dead:
                return
            if not self.started:
                self.started = True
                if not self._start():
                    self.dead = True
                    return
            if lower > self.lower:
                self.lower = lower
                try:
                    self.conn.send(("lb", lower))
                except (OSError, ValueError):
                    pass

    def _start(self) -> bool:
        try:
            if multiprocessing.current_process().daemon:
                return False
            ctx = multiprocessing.get_context("fork")
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_helper_main, args=(theirs, self.ix, self.level, self.deadline, self.lower),
                               daemon=True)
            proc.start()
        except Exception:  # no fork on this platform, a daemon worker, no resources: run alone
            return False
        theirs.close()
        self.conn, self.proc = mine, proc
        self.listener = threading.Thread(target=self._listen, daemon=True)
        self.listener.start()
        return True

    def _listen(self) -> None:
        while True:
            try:
                msg = self.conn.recv()
            except (EOFError, OSError):
                return
            if msg[0] == "lb":
                with self.lock:
                    self.lower = max(self.lower, msg[1])
            elif msg[0] == "sol":
                self.solution = msg[1]
                with self.lock:
                    self.lower = max(self.lower, msg[2])
                if self.oracle is not None:
                    self.oracle.interrupt()
                return

    def stop(self) -> None:
        with self.lock:
            self.dead = True
            proc, conn = self.proc, self.conn
        if proc is not None:
            proc.terminate()
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        if conn is not None:
            conn.close()
        if self.listener is not None:
            self.listener.join(timeout=5)


def _helper_main(conn, ix: Index, level: int | None, deadline: float, lower: int) -> None:
    """The helper process: linear search upwards from the best known lower bound."""
    # A different model on a different solver: the plain encoding with the right-hand break count
    # (implied constraints that speed the core-guided search up slow some instances down a lot).
    global BCAP_ENC
    BCAP_ENC = HELPER_BCAP_ENC  # this process only
    sched = SatScheduler(ix, solver=SAT_SOLVER, right_breaks=RIGHT_BREAKS, implied=HELPER_IMPLIED)
    fair = [] if level is None else sched._fair(level)
    k = lower
    while time.monotonic() < deadline:
        while conn.poll():
            msg = conn.recv()
            if msg[0] == "lb":
                k = max(k, msg[1])
        sched._budget(k + 1)
        sched.solver.conf_budget(CONFLICT_SLICE)
        answer = sched.solver.solve_limited(assumptions=fair + sched._at_most(k))
        if answer is None:
            continue
        if answer:
            slot_of = sched._slot_of()
            val, _ = sched._breaks(slot_of)
            conn.send(("sol", slot_of, val))
            return
        k += 1
        conn.send(("lb", k))


def solve_sat(ix: Index, deadline: float, *, solver: str = SAT_SOLVER) -> SatResult:
    sched = SatScheduler(ix, solver=solver)
    try:
        return sched.minimise(deadline)
    finally:
        sched.close()


def _precedence_clauses(pr, allowed: dict[Id, list[int]], x: dict[tuple[Id, int], int]) -> list[list[int]]:
    """``pr.before`` in an earlier slot than ``pr.after``: no pair of their slots in the wrong order."""
    return [[-x[pr.after, t], -x[pr.before, u]] for t in allowed[pr.after] for u in allowed[pr.before] if u >= t]


def _sliced(solver: Solver, assumptions: list[int], deadline: float, stop=None) -> bool | None:
    """One SAT call on a solver that cannot be interrupted (CaDiCaL): conflict-budget slices, which keep
    the learnt clauses, with a look at the clock (and at ``stop``) in between. A slice is CONFLICT_SLICE
    conflicts (smaller slices slow CaDiCaL down a lot: ticf-14crafa went unanswered in 60 s), cut to what
    the time left allows at the pace seen so far. None when the deadline comes or ``stop`` says so first."""
    pace = SLOW_PACE
    while not (stop is not None and stop()):
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        budget = max(50, min(CONFLICT_SLICE, int(left / pace)))
        solver.conf_budget(budget)
        began = time.monotonic()
        answer = solver.solve_limited(assumptions=assumptions)
        if answer is not None:
            return answer
        pace = max(1e-6, (time.monotonic() - began) / budget)
    return None


def unplaceable_reason(ix: Index, deadline: float, *, limit: int = 8) -> str | None:
    """Why not every meeting fits, once the SAT model has proved it: a small set of precedences and fixed
    meetings that cannot all hold together (a minimised unsatisfiable core, found by switching each of
    them on with its own selector). None when sessions, forbidden slots and tables alone rule the
    placement out, or when no answer comes before the deadline."""
    problem = ix.problem
    pool = IDPool()
    x: dict[tuple[Id, int], int] = {}
    clauses: list[list[int]] = []
    by_slot: dict[int, list[int]] = {}
    by_person: dict[tuple[Id, int], list[int]] = {}
    allowed = {m.id: ix.allowed_positions(m, with_fixed=False) for m in problem.meetings}
    if not all(allowed.values()):
        return None  # a meeting with no possible slot at all: the necessary checks name it
    for m in problem.meetings:
        lits = [pool.id(("x", m.id, t)) for t in allowed[m.id]]
        for t, v in zip(allowed[m.id], lits):
            x[m.id, t] = v
            by_slot.setdefault(t, []).append(v)
            for p in m.participants:
                by_person.setdefault((p, t), []).append(v)
        clauses += CardEnc.equals(lits=lits, bound=1, vpool=pool, encoding=EncType.seqcounter).clauses
    for lits in by_person.values():
        if len(lits) > 1:
            clauses += CardEnc.atmost(lits=lits, bound=1, vpool=pool, encoding=EncType.seqcounter).clauses
    n_tables = len(problem.tables)
    for lits in by_slot.values():
        if len(lits) > n_tables:
            clauses += CardEnc.atmost(lits=lits, bound=n_tables, vpool=pool, encoding=EncType.seqcounter).clauses
    what: dict[int, str] = {}
    for f in problem.fixed:
        pos = ix.slot_pos.get(f.slot)
        if f.meeting_id not in allowed or (f.meeting_id, pos) not in x:
            continue  # the structural checks report these
        sel = pool.id(("fixed", f.meeting_id))
        what[sel] = f"meeting {f.meeting_id} fixed to slot {f.slot}"
        clauses.append([-sel, x[f.meeting_id, pos]])
    for pr in problem.precedences:
        if pr.before not in allowed or pr.after not in allowed:
            continue
        sel = pool.id(("prec", pr.before, pr.after))
        what[sel] = f"meeting {pr.before} before meeting {pr.after}"
        early, late = allowed[pr.before], allowed[pr.after]
        if min(early) >= max(late):
            what[sel] += (f" (meeting {pr.before} can only be in {_slots(ix, early)},"
                          f" meeting {pr.after} only in {_slots(ix, late)})")
        clauses += [[-sel] + cl for cl in _precedence_clauses(pr, allowed, x)]
    with Solver(name=SAT_SOLVER, bootstrap_with=clauses) as solver:
        def holds(assumptions: list[int]) -> bool | None:
            return _sliced(solver, assumptions, deadline)

        if holds(list(what)) is not False:
            return None
        core = [s for s in solver.get_core() or [] if s in what]
        if not core:
            return None
        # Deletion-based minimisation: drop each item whose removal still leaves no placement.
        i = 0
        while i < len(core) and time.monotonic() < deadline:
            rest = core[:i] + core[i + 1:]
            if holds(rest) is False:
                smaller = set(solver.get_core() or [])
                core = [s for s in rest if s in smaller]
            else:
                i += 1
    items = [what[s] for s in core]
    shown = "; ".join(items[:limit]) + (f"; and {len(items) - limit} more" if len(items) > limit else "")
    return f"not every meeting can be placed: these cannot all hold together: {shown}"


def _slots(ix: Index, positions: list[int]) -> str:
    first, last = ix.slots[min(positions)].id, ix.slots[max(positions)].id
    return f"slot {first}" if first == last else f"slots {first} to {last}"
