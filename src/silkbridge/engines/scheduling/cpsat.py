"""The CP-SAT time model: which meeting goes to which slot, with each participant's breaks as booleans.

A break is an idle slot that follows a busy one and precedes a later busy one on the
same day, so per participant only "busy" and "busy later" booleans are needed.
Tables are a separate, later step (see greedy.assign_tables): with interchangeable
tables the only coupling is "at most so many meetings per slot".
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .model import MUST, Id
from .rules import Index

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "unknown",
    cp_model.UNKNOWN: "unknown",
}


@dataclass
class Result:
    status: str
    slot_of: dict[Id, int]
    objective: int
    bound: int
    placement_value: int


def _neg(v):
    return (1 - v) if isinstance(v, int) else v.Not()


class TimeModel:
    """CP-SAT model over ``free`` meetings; ``frozen`` meetings keep their slot and act as constants."""

    def __init__(
        self,
        ix: Index,
        free: list[Id],
        *,
        frozen: dict[Id, int] | None = None,
        optional: set[Id] | None = None,
        previous: dict[Id, int] | None = None,
        placement_floor: int | None = None,
    ):
        self.ix = ix
        self.model = m = cp_model.CpModel()
        frozen = frozen or {}
        optional = optional or set()
        previous = previous or {}
        self.free = free
        free_set = set(free)
        n_slots = len(ix.slots)

        frozen_busy: set[tuple[Id, int]] = set()
        frozen_free_use = [0] * n_slots
        frozen_host_use: dict[tuple[Id, int], int] = defaultdict(int)
        frozen_count: dict[Id, int] = defaultdict(int)
        for mid, pos in frozen.items():
            mt = ix.meeting[mid]
            for p in mt.participants:
                frozen_busy.add((p, pos))
                frozen_count[p] += 1
            h = ix.host_table(mt)
            if h is None:
                frozen_free_use[pos] += 1
            else:
                frozen_host_use[(h, pos)] += 1

        before_of: dict[Id, list[Id]] = defaultdict(list)
        for pr in ix.problem.precedences:
            before_of[pr.after].append(pr.before)

        # x[mid][pos]
        self.x: dict[Id, dict[int, cp_model.IntVar]] = {}
        self.place: dict[Id, object] = {}
        for mid in free:
            mt = ix.meeting[mid]
            dom = [t for t in ix.allowed_positions(mt)
                   if not any((p, t) in frozen_busy for p in mt.participants)]
            for q in before_of.get(mid, ()):
                if q in frozen:
                    dom = [t for t in dom if t > frozen[q]]
            for pr in ix.problem.precedences:
                if pr.before == mid and pr.after in frozen:
                    dom = [t for t in dom if t < frozen[pr.after]]
            xs = {t: m.new_bool_var(f"x{mid}_{t}") for t in dom}
            self.x[mid] = xs
            if mid in optional:
                pl = m.new_bool_var(f"p{mid}")
                m.add(sum(xs.values()) == pl)
                self.place[mid] = pl
            else:
                m.add_exactly_one(xs.values()) if xs else m.add_bool_or([])
                self.place[mid] = 1

        # Tables per slot: meetings at a stand use that stand, the others share the free tables.
        per_slot: list[list] = [[] for _ in range(n_slots)]
        per_host: dict[tuple[Id, int], list] = defaultdict(list)
        for mid in free:
            h = ix.host_table(ix.meeting[mid])
            for t, v in self.x[mid].items():
                (per_slot[t] if h is None else per_host[(h, t)]).append(v)
        for t in range(n_slots):
            cap = len(ix.free_tables) - frozen_free_use[t]
            if len(per_slot[t]) > cap:
                m.add(sum(per_slot[t]) <= cap)
        for key, vs in per_host.items():
            if len(vs) > 1 or frozen_host_use[key]:
                m.add(sum(vs) <= 1 - frozen_host_use[key])

        # busy[p][t]: 0, 1 or a literal.
        touched: dict[Id, None] = {}
        for mid in free:
            for p in ix.meeting[mid].participants:
                touched[p] = None
        self.touched = list(touched)
        terms: dict[tuple[Id, int], list] = defaultdict(list)
        for mid in free:
            for p in dict.fromkeys(ix.meeting[mid].participants):
                for t, v in self.x[mid].items():
                    terms[(p, t)].append(v)
        self.busy: dict[Id, list] = {}
        for p in self.touched:
            row: list = []
            for t in range(n_slots):
                if (p, t) in frozen_busy:
                    row.append(1)
                    continue
                vs = terms.get((p, t), [])
                if not vs:
                    row.append(0)
                elif len(vs) == 1:
                    row.append(vs[0])
                else:
                    b = m.new_bool_var(f"b{p}_{t}")
                    m.add(sum(vs) == b)
                    row.append(b)
            self.busy[p] = row
            cap = ix.cap(p)
            if cap is not None:
                mine = [self.place[mid] for mid in ix.meetings_of[p] if mid in free_set]
                if len(mine) + frozen_count[p] > cap:
                    m.add(sum(mine) <= cap - frozen_count[p])

        # Precedences between two free meetings: forbid every wrongly ordered pair of slots.
        for pr in ix.problem.precedences:
            if pr.before in free_set and pr.after in free_set:
                xb, xa = self.x[pr.before], self.x[pr.after]
                for ta, va in xa.items():
                    for tb, vb in xb.items():
                        if tb >= ta:
                            m.add_bool_or([va.Not(), vb.Not()])

        # Breaks: g[t] marks an idle slot t that follows a busy slot and precedes a later busy one
        # on the same day. "At most k breaks" is then a cardinality constraint over the g literals;
        # the suffix "busy later" literals form a monotone chain that propagates well.
        self.breaks_expr: dict[Id, object] = {}
        self.breaks_ub: dict[Id, int] = {}
        self.gap_lits: list = []
        for p in self.touched:
            row = self.busy[p]
            gaps: list = []
            ub = 0
            for day in ix.days:
                vals = [row[t] for t in day]
                if all(isinstance(v, int) and v == 0 for v in vals):
                    continue
                suf: list = [0] * (len(day) + 1)
                for i in range(len(day) - 1, -1, -1):
                    suf[i] = self._or(vals[i], suf[i + 1], f"u{p}_{day[i]}")
                for i in range(1, len(day) - 1):
                    g = self._and3(vals[i - 1], _neg(vals[i]), suf[i + 1], f"g{p}_{day[i]}")
                    if not isinstance(g, int) or g:
                        gaps.append(g)
                ub += max(0, (len(day) - 1) // 2)
            self.gap_lits.extend(g for g in gaps if not isinstance(g, int))
            self.breaks_expr[p] = sum(gaps) if gaps else 0
            self.breaks_ub[p] = ub

        self._add_span_reasoning(free, frozen, optional)
        self.total_breaks = sum(self.breaks_expr.values())
        self.breaks_upper = sum(self.breaks_ub.values())

        # Fairness applies to everyone with a meeting, so untouched participants enter as constants.
        # Its constraints hang on one literal so that a first schedule can be searched without them.
        d = ix.problem.fairness
        self.fair = None
        self.excess: list = []
        if d is not None:
            self.fair = fair = m.new_bool_var("fair")
            const_breaks = [v for v in _frozen_breaks(ix, frozen, set(self.touched)).values()]
            surely_zero = 0 in const_breaks or any(
                len(ix.meetings_of[p]) == 1 and isinstance(self.place.get(ix.meetings_of[p][0]), int)
                for p in ix.meetings_of)
            maxv = m.new_int_var(0, n_slots, "maxbreaks")
            minv = m.new_int_var(0, n_slots, "minbreaks")
            for v in const_breaks:
                m.add(maxv >= v).only_enforce_if(fair)
                m.add(minv <= v).only_enforce_if(fair)
            for p in self.touched:
                e = self.breaks_expr[p]
                if surely_zero:
                    # Breaks above d, for searches that approach a fair schedule from an unfair one.
                    ex = m.new_int_var(0, n_slots, f"ex{p}")
                    m.add(ex >= e - d)
                    self.excess.append(ex)
                m.add(maxv >= e).only_enforce_if(fair)
                if surely_zero:
                    # Someone has no break at all, so nobody may have more than d.
                    m.add(e <= d).only_enforce_if(fair)
                has_any = self._has_any(p, frozen_count[p])
                if isinstance(has_any, int):
                    m.add(minv <= e).only_enforce_if(fair)
                else:
                    m.add(minv <= e).only_enforce_if([fair, has_any])
            m.add(maxv - minv <= d).only_enforce_if(fair)

        # Placement value: must meetings outweigh every wanted meeting together.
        n_wanted = sum(1 for mid in free if ix.meeting[mid].priority != MUST)
        self.w_must = n_wanted + 1
        self.placement = sum(
            (self.w_must if ix.meeting[mid].priority == MUST else 1) * self.place[mid] for mid in free
        )
        self.placement_max = sum(self.w_must if ix.meeting[mid].priority == MUST else 1 for mid in free)
        if placement_floor is not None:
            m.add(self.placement >= placement_floor)

        self.moves = 0
        for mid, pos in previous.items():
            if mid in self.x:
                v = self.x[mid].get(pos)
                self.moves += 1 - v if v is not None else 1

    def _add_span_reasoning(self, free, frozen, optional):
        """Implied constraints from each participant's span: idle slots inside it bound the breaks.

        With n meetings between the first slot f and the last slot l, the l - f + 1 - n idle
        slots hold at least one break when there are any and at most that many breaks; and no
        two meetings of one participant share a slot (an all-different with Hall reasoning).
        """
        ix, m = self.ix, self.model
        self.first: dict[Id, object] = {}
        if len(ix.days) != 1 or optional:
            return
        n_slots = len(ix.slots)
        free_set = set(free)
        self.start_of = {}
        for mid in free:
            xs = self.x[mid]
            if not xs:
                continue
            v = m.new_int_var_from_domain(cp_model.Domain.from_values(sorted(xs)), f"t{mid}")
            m.add(sum(t * b for t, b in xs.items()) == v)
            self.start_of[mid] = v
        for p in self.touched:
            mine = [self.start_of[mid] for mid in ix.meetings_of[p] if mid in self.start_of]
            fixed_pos = [pos for mid, pos in frozen.items() if p in ix.meeting[mid].participants]
            n = len(mine) + len(fixed_pos)
            if n < 2 or len(mine) != len([mid for mid in ix.meetings_of[p] if mid in free_set]):
                continue
            terms = mine + [m.new_constant(pos) for pos in fixed_pos]
            m.add_all_different(terms)
            first = m.new_int_var(0, n_slots - 1, f"first{p}")
            last = m.new_int_var(0, n_slots - 1, f"last{p}")
            m.add_min_equality(first, terms)
            m.add_max_equality(last, terms)
            m.add(last - first + 1 >= n)
            idle = last - first + 1 - n
            br = self.breaks_expr[p]
            m.add(br <= idle)
            m.add(idle <= (n_slots - n) * br)
            self.first[p] = first

    def _or(self, a, b, name):
        if isinstance(a, int):
            return 1 if a else b
        if isinstance(b, int):
            return 1 if b else a
        v = self.model.new_bool_var(name)
        self.model.add_bool_or([a.Not(), v])
        self.model.add_bool_or([b.Not(), v])
        self.model.add_bool_or([a, b, v.Not()])
        return v

    def _and3(self, a, b, c, name):
        lits = []
        for x in (a, b, c):
            if isinstance(x, int):
                if not x:
                    return 0
            else:
                lits.append(x)
        if not lits:
            return 1
        if len(lits) == 1:
            return lits[0]
        v = self.model.new_bool_var(name)
        for x in lits:
            self.model.add_implication(v, x)
        self.model.add_bool_or([x.Not() for x in lits] + [v])
        return v

    def _has_any(self, p, n_frozen):
        if n_frozen:
            return 1
        lits = [self.place[mid] for mid in self.ix.meetings_of[p] if mid in self.place]
        if any(isinstance(v, int) and v == 1 for v in lits):
            return 1
        h = self.model.new_bool_var(f"any{p}")
        self.model.add_bool_or(lits).only_enforce_if(h)
        for v in lits:
            self.model.add_implication(v, h)
        return h

    def hint(self, slot_of: dict[Id, int]) -> None:
        """Hint a placement; when it is complete and feasible, hint every auxiliary variable too,
        because CP-SAT often fails to complete a partial hint on this model."""
        self.model.clear_hints()
        for mid, xs in self.x.items():
            pos = slot_of.get(mid)
            for t, v in xs.items():
                self.model.add_hint(v, t == pos)
        for mid, xs in self.x.items():
            pos = slot_of.get(mid)
            if pos not in xs and not (pos is None and not isinstance(self.place[mid], int)):
                return
        self.model.clear_objective()
        solver = cp_model.CpSolver()
        solver.parameters.fix_variables_to_their_hinted_value = True
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 5.0
        code = solver.solve(self.model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return
        values = list(solver.response_proto.solution)
        self.model.clear_hints()
        proto = self.model.proto
        skip = self.fair.index if self.fair is not None else -1
        for i in range(len(proto.variables)):
            if i != skip:
                self.model.add_hint(self.model.get_int_var_from_proto_index(i), values[i])

    def decide(self, expr, k: int, *, time_limit: float, seed: int = 0, fair: bool = True) -> Result:
        """Is there a schedule with ``expr <= k``? A pure feasibility question, which CP-SAT
        answers far faster than the optimisation when the optimum is small."""
        self.model.clear_objective()
        ct = self.model.add(expr <= k)
        try:
            return self._solve(None, False, time_limit, 1, seed, lp=False, fair=fair)
        finally:
            ct.proto.clear_linear()

    def feasible(self, *, time_limit: float, seed: int = 0, fair: bool = True) -> Result:
        self.model.clear_objective()
        return self._solve(None, False, time_limit, 1, seed, lp=False, fair=fair)

    def run(self, objective, *, maximize: bool, time_limit: float, workers: int = 2, seed: int = 0,
            lp: bool = True, fair: bool = True, presolve: bool = True) -> Result:
        self.presolve = presolve
        if maximize:
            self.model.maximize(objective)
        else:
            self.model.minimize(objective)
        return self._solve(objective, maximize, time_limit, workers, seed, lp=lp, fair=fair)

    def _solve(self, objective, maximize, time_limit, workers, seed, *, lp: bool, fair: bool = True) -> Result:
        ct = self.model.add_bool_or([self.fair]) if fair and self.fair is not None else None
        try:
            return self._solve_now(objective, maximize, time_limit, workers, seed, lp=lp)
        finally:
            if ct is not None:
                ct.proto.clear_bool_or()

    def _solve_now(self, objective, maximize, time_limit, workers, seed, *, lp: bool) -> Result:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        if not getattr(self, "presolve", True):
            # Neighbourhood models are tiny: CP-SAT's presolve would cost more than the search.
            solver.parameters.cp_model_presolve = False
        if not lp:
            # The LP relaxation of this model is weak and slows the search down tenfold.
            solver.parameters.linearization_level = 0
        code = solver.solve(self.model)
        status = _STATUS.get(code, "unknown")
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Result(status, {}, 0, 0, 0)
        if objective is None:
            slot_of = {mid: t for mid, xs in self.x.items() for t, v in xs.items() if solver.boolean_value(v)}
            return Result(status, slot_of, 0, 0, 0)
        slot_of = {}
        for mid, xs in self.x.items():
            for t, v in xs.items():
                if solver.boolean_value(v):
                    slot_of[mid] = t
                    break
        bound = solver.best_objective_bound
        return Result(
            status,
            slot_of,
            int(round(solver.objective_value)),
            int(-(-bound // 1)) if not maximize else int(bound // 1),
            int(round(solver.value(self.placement))) if not isinstance(self.placement, int) else self.placement,
        )


def _frozen_breaks(ix: Index, frozen: dict[Id, int], touched: set[Id]) -> dict[Id, int]:
    pos: dict[Id, list[int]] = defaultdict(list)
    for mid, t in frozen.items():
        for p in ix.meeting[mid].participants:
            if p not in touched:
                pos[p].append(t)
    return {p: ix.breaks_of(ts) for p, ts in pos.items()}
