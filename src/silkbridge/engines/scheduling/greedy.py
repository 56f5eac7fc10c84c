"""Fast constructive placement and table assignment: starting points for the solver and the tables of its answer."""
from __future__ import annotations

import random
import time
from collections import defaultdict

from .model import MUST, Id
from .rules import Index


class Occupancy:
    """Who is busy where; shared by the greedy placement and the neighbourhood search."""

    def __init__(self, ix: Index):
        self.ix = ix
        self.busy: set[tuple[Id, int]] = set()
        self.free_left = [len(ix.free_tables)] * len(ix.slots)
        self.host_used: set[tuple[Id, int]] = set()
        self.count: dict[Id, int] = defaultdict(int)
        self.pos: dict[Id, int] = {}

    def fits(self, mid: Id, pos: int) -> bool:
        ix = self.ix
        m = ix.meeting[mid]
        for p in m.participants:
            if (p, pos) in self.busy:
                return False
            cap = ix.cap(p)
            if cap is not None and self.count[p] >= cap:
                return False
        h = ix.host_table(m)
        if h is None:
            return self.free_left[pos] > 0
        return (h, pos) not in self.host_used

    def precedence_ok(self, mid: Id, pos: int, before: dict, after: dict) -> bool:
        for q in before.get(mid, ()):
            if q in self.pos and not self.pos[q] < pos:
                return False
        for q in after.get(mid, ()):
            if q in self.pos and not pos < self.pos[q]:
                return False
        return True

    def place(self, mid: Id, pos: int) -> None:
        m = self.ix.meeting[mid]
        for p in m.participants:
            self.busy.add((p, pos))
            self.count[p] += 1
        h = self.ix.host_table(m)
        if h is None:
            self.free_left[pos] -= 1
        else:
            self.host_used.add((h, pos))
        self.pos[mid] = pos

    def remove(self, mid: Id) -> None:
        pos = self.pos.pop(mid)
        m = self.ix.meeting[mid]
        for p in m.participants:
            self.busy.discard((p, pos))
            self.count[p] -= 1
        h = self.ix.host_table(m)
        if h is None:
            self.free_left[pos] += 1
        else:
            self.host_used.discard((h, pos))


def precedence_maps(ix: Index) -> tuple[dict, dict]:
    before: dict[Id, list[Id]] = defaultdict(list)  # meeting -> meetings that must come earlier
    after: dict[Id, list[Id]] = defaultdict(list)
    for pr in ix.problem.precedences:
        before[pr.after].append(pr.before)
        after[pr.before].append(pr.after)
    return before, after


def greedy_place(ix: Index, *, prefer: dict[Id, int] | None = None, time_budget: float = 0.0,
                 seed: int = 0) -> dict[Id, int]:
    """Place meetings one by one, most constrained first, next to the participants' other meetings.

    When meetings are left over, randomised restarts run for up to ``time_budget`` seconds.
    """
    best = _greedy_once(ix, prefer, None)
    rng = random.Random(seed)
    end = time.monotonic() + time_budget
    while len(best) < len(ix.problem.meetings) and time.monotonic() < end:
        cand = _greedy_once(ix, prefer, rng)
        if len(cand) > len(best):
            best = cand
    return best


def _greedy_once(ix: Index, prefer: dict[Id, int] | None, rng: random.Random | None) -> dict[Id, int]:
    occ = Occupancy(ix)
    before, after = precedence_maps(ix)
    degree = {p: len(ms) for p, ms in ix.meetings_of.items()}
    allowed = {m.id: ix.allowed_positions(m) for m in ix.problem.meetings}
    prefer = prefer or {}

    def key(m):
        return (
            m.id not in ix.fixed,
            m.id not in prefer,
            m.priority != MUST,
            -max(degree[p] for p in m.participants),
            len(allowed[m.id]),
            rng.random() if rng else 0,
        )

    for m in sorted(ix.problem.meetings, key=key):
        cands = [t for t in allowed[m.id] if occ.fits(m.id, t) and occ.precedence_ok(m.id, t, before, after)]
        if not cands:
            continue
        if m.id in prefer and prefer[m.id] in cands:
            occ.place(m.id, prefer[m.id])
            continue

        def score(t: int, m=m) -> tuple:
            adj = 0
            for p in m.participants:
                prev = ix.prev[t]
                if prev is not None and (p, prev) in occ.busy:
                    adj += 1
                if t + 1 < len(ix.slots) and ix.prev[t + 1] == t and (p, t + 1) in occ.busy:
                    adj += 1
            return (-adj, rng.random() if rng else 0, t)

        occ.place(m.id, min(cands, key=score))
    _repair(ix, occ, allowed, before, after)
    return occ.pos


def _repair(ix: Index, occ: Occupancy, allowed: dict, before: dict, after: dict) -> None:
    """Place what the first pass left out by moving one blocking meeting elsewhere (an ejection chain of one)."""
    who_at: dict[tuple[Id, int], Id] = {}
    for mid, pos in occ.pos.items():
        for p in ix.meeting[mid].participants:
            who_at[(p, pos)] = mid
    for m in ix.problem.meetings:
        if m.id in occ.pos:
            continue
        done = False
        for t in allowed[m.id]:
            blockers = {who_at[(p, t)] for p in m.participants if (p, t) in who_at}
            if len(blockers) != 1:
                continue
            b = blockers.pop()
            if b in ix.fixed:
                continue
            occ.remove(b)
            if occ.fits(m.id, t) and occ.precedence_ok(m.id, t, before, after):
                occ.place(m.id, t)
                for t2 in allowed[b]:
                    if t2 != t and occ.fits(b, t2) and occ.precedence_ok(b, t2, before, after):
                        occ.place(b, t2)
                        done = True
                        break
                if not done:
                    occ.remove(m.id)
            if done:
                for p in ix.meeting[b].participants:
                    who_at.pop((p, t), None)
                    who_at[(p, occ.pos[b])] = b
                for p in m.participants:
                    who_at[(p, t)] = m.id
                break
            occ.place(b, t)


def assign_tables(ix: Index, slot_of: dict[Id, int], *, previous: dict[Id, tuple[int, Id]] | None = None) -> dict[Id, Id]:
    """Give each placed meeting a table, keeping participants at the table they used last where possible."""
    previous = previous or {}
    by_pos: dict[int, list[Id]] = defaultdict(list)
    for mid, pos in slot_of.items():
        by_pos[pos].append(mid)
    degree = {p: len(ms) for p, ms in ix.meetings_of.items()}
    home: dict[Id, Id] = {}
    claimed: dict[Id, int] = defaultdict(int)
    out: dict[Id, Id] = {}
    free_set = set(ix.free_tables)
    for pos in sorted(by_pos):
        used: set[Id] = set()
        rest = []
        for mid in by_pos[pos]:
            m = ix.meeting[mid]
            f = ix.fixed.get(mid)
            t = f.table if f is not None and f.table is not None else ix.host_table(m)
            if t is not None:
                out[mid] = t
                used.add(t)
            else:
                rest.append(mid)
        rest.sort(key=lambda mid: (
            not (mid in previous and previous[mid][0] == pos),
            -max(degree[p] for p in ix.meeting[mid].participants),
            str(mid),
        ))
        for mid in rest:
            m = ix.meeting[mid]
            prefs: list[Id] = []
            if mid in previous and previous[mid][0] == pos:
                prefs.append(previous[mid][1])
            for p in sorted(m.participants, key=lambda p: -degree[p]):
                if p in home:
                    prefs.append(home[p])
            choice = next((t for t in prefs if t in free_set and t not in used), None)
            if choice is None:
                choice = min((t for t in ix.free_tables if t not in used), key=lambda t: claimed[t])
            out[mid] = choice
            used.add(choice)
            for p in m.participants:
                if home.get(p) != choice:
                    if p in home:
                        claimed[home[p]] -= 1
                    home[p] = choice
                    claimed[choice] += 1
    return out
