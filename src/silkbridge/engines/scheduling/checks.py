"""Necessary conditions checked before solving, so an impossible request gets a reason a person can act on."""
from __future__ import annotations

from collections import Counter, defaultdict

from .model import MUST, Id, Problem
from .rules import Index


def structural_problems(problem: Problem, ix: Index) -> list[str]:
    """Errors that make the problem meaningless or that no placement choice can repair."""
    out: list[str] = []
    if len({m.id for m in problem.meetings}) != len(problem.meetings):
        dup = [k for k, n in Counter(m.id for m in problem.meetings).items() if n > 1]
        out.append(f"meeting ids are not unique: {', '.join(map(str, dup[:5]))}")
    for m in problem.meetings:
        for p in m.participants:
            if p not in ix.participant:
                out.append(f"meeting {m.id} names participant {p}, who is not registered")
        if m.participants[0] == m.participants[1]:
            out.append(f"meeting {m.id} is between participant {m.participants[0]} and themself")
    hosts = defaultdict(list)
    for p in problem.participants:
        if p.host_table is not None:
            hosts[p.host_table].append(p.id)
            if p.host_table not in ix.table_set:
                out.append(f"participant {p.id} hosts at table {p.host_table}, which does not exist")
    for table, owners in hosts.items():
        if len(owners) > 1:
            out.append(f"table {table} is the stand of {len(owners)} participants ({', '.join(map(str, owners))})")
    for f in problem.fixed:
        m = ix.meeting.get(f.meeting_id)
        if m is None:
            out.append(f"fixed meeting {f.meeting_id} is not a requested meeting")
            continue
        if f.slot not in ix.slot_pos:
            out.append(f"meeting {m.id} is fixed to slot {f.slot}, which does not exist")
        elif not ix.allowed_positions(m):
            out.append(f"meeting {m.id} is fixed to slot {f.slot}, outside its session or forbidden for a participant")
    fixed_at: dict[tuple[Id, Id], list[Id]] = defaultdict(list)
    per_slot: Counter = Counter()
    for f in problem.fixed:
        m = ix.meeting.get(f.meeting_id)
        if m is None:
            continue
        per_slot[f.slot] += 1
        for p in m.participants:
            fixed_at[(p, f.slot)].append(m.id)
    for (p, slot), ms in fixed_at.items():
        if len(ms) > 1:
            out.append(f"participant {p} has {len(ms)} meetings fixed to slot {slot} ({', '.join(map(str, ms))})")
    for slot, n in per_slot.items():
        if n > len(problem.tables):
            out.append(f"slot {slot} has {n} fixed meetings but only {len(problem.tables)} tables")
    out.extend(_precedence_cycles(problem, ix))
    return out


def _precedence_cycles(problem: Problem, ix: Index) -> list[str]:
    after: dict[Id, list[Id]] = defaultdict(list)
    for pr in problem.precedences:
        if pr.before not in ix.meeting or pr.after not in ix.meeting:
            return [f"precedence {pr.before} before {pr.after} names a meeting that is not requested"]
        after[pr.before].append(pr.after)
    state: dict[Id, int] = {}
    for start in list(after):
        if state.get(start):
            continue
        stack = [(start, iter(after[start]))]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [f"the precedences form a cycle through meeting {nxt}"]
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(after[nxt])))
    return []


def must_overload(problem: Problem, ix: Index) -> list[str]:
    """Reasons why not every must-meeting can be placed (necessary conditions only)."""
    out: list[str] = []
    must = [m for m in problem.meetings if m.priority == MUST]
    for m in must:
        if not ix.allowed_positions(m):
            out.append(f"meeting {m.id} (participants {m.participants[0]} and {m.participants[1]}) has no possible slot:"
                       f" its {m.session} session is fully forbidden for them")
    by_p: dict[Id, list] = defaultdict(list)
    for m in must:
        for p in m.participants:
            by_p[p].append(m)
    sessions = sorted({s.session for s in problem.slots})
    for p, ms in by_p.items():
        free = [i for i, s in enumerate(problem.slots) if s.id not in ix.forbidden(p)]
        if len(ms) > len(free):
            out.append(f"participant {p} has {len(ms)} must-meetings but {len(free)} free slots")
        else:
            for sess in sessions:
                k = sum(1 for m in ms if m.session == sess)
                n = sum(1 for i in free if problem.slots[i].session == sess)
                if k > n:
                    out.append(f"participant {p} has {k} must-meetings in the {sess} session but {n} free slots there")
        cap = ix.cap(p)
        if cap is not None and len(ms) > cap:
            out.append(f"participant {p} has {len(ms)} must-meetings but may attend at most {cap}")
    n_tables = len(problem.tables)
    if len(must) > n_tables * len(problem.slots):
        out.append(f"there are {len(must)} must-meetings but only {n_tables * len(problem.slots)} table-slots"
                   f" ({n_tables} tables x {len(problem.slots)} slots)")
    for sess in sessions:
        k = sum(1 for m in must if m.session == sess)
        n = n_tables * sum(1 for s in problem.slots if s.session == sess)
        if k > n:
            out.append(f"there are {k} must-meetings in the {sess} session but only {n} table-slots in it")
    return out
