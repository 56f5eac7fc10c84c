"""The scheduling rules, written once: the solver builds its model from them and the validator checks them.

``Index`` compiles a Problem into positions and lookup tables; ``validate`` turns
every broken rule into a sentence an organiser can read.
"""
from __future__ import annotations

from collections import defaultdict

from .model import (
    MUST,
    Assignment,
    Change,
    Id,
    Meeting,
    Problem,
    Schedule,
    ScheduleDiff,
    Violation,
)


class Index:
    """Positions and lookups derived from a Problem; slot positions follow ``Problem.slots`` order."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.slots = problem.slots
        self.slot_pos: dict[Id, int] = {s.id: i for i, s in enumerate(problem.slots)}
        # prev[t] is the slot right before t on the same day; breaks never span two days.
        self.prev: list[int | None] = [
            i - 1 if i > 0 and problem.slots[i - 1].day == s.day else None
            for i, s in enumerate(problem.slots)
        ]
        self.days: list[list[int]] = []
        for i, _s in enumerate(problem.slots):
            if self.prev[i] is None:
                self.days.append([])
            self.days[-1].append(i)
        self.meeting: dict[Id, Meeting] = {m.id: m for m in problem.meetings}
        self.participant = {p.id: p for p in problem.participants}
        self.fixed = {f.meeting_id: f for f in problem.fixed}
        self.tables = problem.tables
        self.table_set = set(problem.tables)
        self.host_of_table: dict[Id, Id] = {}
        for p in problem.participants:
            if p.host_table is not None:
                self.host_of_table.setdefault(p.host_table, p.id)
        self.free_tables = [t for t in problem.tables if t not in self.host_of_table]
        self.meetings_of: dict[Id, list[Id]] = defaultdict(list)
        for m in problem.meetings:
            for p in dict.fromkeys(m.participants):
                self.meetings_of[p].append(m.id)

    def cap(self, participant: Id) -> int | None:
        p = self.participant.get(participant)
        if p is not None and p.max_meetings is not None:
            return p.max_meetings
        return self.problem.max_meetings

    def forbidden(self, participant: Id) -> frozenset[Id]:
        p = self.participant.get(participant)
        return p.forbidden_slots if p is not None else frozenset()

    def in_session(self, meeting: Meeting, pos: int) -> bool:
        return meeting.session == "any" or self.slots[pos].session == meeting.session

    def allowed_positions(self, meeting: Meeting, *, with_fixed: bool = True) -> list[int]:
        """Slot positions where a meeting may go: its session, nobody's forbidden slot, its fixed slot."""
        forbidden = set().union(*(self.forbidden(p) for p in meeting.participants))
        out = [
            i for i, s in enumerate(self.slots)
            if self.in_session(meeting, i) and s.id not in forbidden
        ]
        fixed = self.fixed.get(meeting.id) if with_fixed else None
        if fixed is not None:
            pos = self.slot_pos.get(fixed.slot)
            out = [i for i in out if i == pos]
        return out

    def host_table(self, meeting: Meeting) -> Id | None:
        """The table a meeting must use because one of its participants never leaves their stand."""
        for p in meeting.participants:
            part = self.participant.get(p)
            if part is not None and part.host_table is not None:
                return part.host_table
        return None

    def host_tables(self, meeting: Meeting) -> list[Id]:
        out = []
        for p in meeting.participants:
            part = self.participant.get(p)
            if part is not None and part.host_table is not None:
                out.append(part.host_table)
        return out

    def breaks_of(self, positions: list[int]) -> int:
        """Each gap of one or more idle slots between two consecutive meetings of one day is one break."""
        ps = sorted(positions)
        return sum(
            1 for a, b in zip(ps, ps[1:])
            if self.slots[a].day == self.slots[b].day and b != a + 1
        )


def participant_breaks(problem: Problem, assignments, index: Index | None = None) -> dict[Id, int]:
    """Breaks per participant with at least one placed meeting."""
    ix = index or Index(problem)
    positions: dict[Id, list[int]] = defaultdict(list)
    for a in assignments:
        m = ix.meeting.get(a.meeting_id)
        pos = ix.slot_pos.get(a.slot)
        if m is None or pos is None:
            continue
        for p in dict.fromkeys(m.participants):
            positions[p].append(pos)
    return {p: ix.breaks_of(ps) for p, ps in positions.items()}


def validate(problem: Problem, schedule: Schedule | tuple[Assignment, ...], *, complete: bool = False) -> list[Violation]:
    """Every rule the schedule breaks, as readable sentences; ``[]`` means the schedule is valid.

    With ``complete=True`` a must-meeting left unscheduled is a violation too.
    """
    assignments = schedule.assignments if isinstance(schedule, Schedule) else tuple(schedule)
    ix = Index(problem)
    out: list[Violation] = []
    seen: dict[Id, Assignment] = {}
    valid: list[Assignment] = []
    for a in assignments:
        m = ix.meeting.get(a.meeting_id)
        if m is None:
            out.append(Violation("unknown-meeting", f"meeting {a.meeting_id} is not a requested meeting", meetings=(a.meeting_id,)))
            continue
        if a.meeting_id in seen:
            out.append(Violation("duplicate", f"meeting {a.meeting_id} is scheduled twice", meetings=(a.meeting_id,)))
            continue
        seen[a.meeting_id] = a
        if a.slot not in ix.slot_pos:
            out.append(Violation("unknown-slot", f"meeting {a.meeting_id} is in slot {a.slot}, which does not exist", meetings=(a.meeting_id,)))
            continue
        if a.table not in ix.table_set:
            out.append(Violation("unknown-table", f"meeting {a.meeting_id} is at table {a.table}, which does not exist", meetings=(a.meeting_id,)))
        valid.append(a)

    by_participant_slot: dict[tuple[Id, Id], Id] = {}
    by_table_slot: dict[tuple[Id, Id], Id] = {}
    per_slot: dict[Id, int] = defaultdict(int)
    count: dict[Id, int] = defaultdict(int)
    for a in valid:
        m = ix.meeting[a.meeting_id]
        pos = ix.slot_pos[a.slot]
        slot = ix.slots[pos]
        if not ix.in_session(m, pos):
            out.append(Violation(
                "session", f"meeting {m.id} must be in the {m.session} session but is in slot {a.slot} ({slot.session})",
                participants=m.participants, meetings=(m.id,), slots=(a.slot,)))
        for p in dict.fromkeys(m.participants):
            count[p] += 1
            if a.slot in ix.forbidden(p):
                out.append(Violation(
                    "forbidden", f"meeting {m.id} is in slot {a.slot}, which participant {p} cannot attend",
                    participants=(p,), meetings=(m.id,), slots=(a.slot,)))
            other = by_participant_slot.get((p, a.slot))
            if other is not None:
                out.append(Violation(
                    "double-booked", f"participant {p} has two meetings in slot {a.slot} ({other} and {m.id})",
                    participants=(p,), meetings=(other, m.id), slots=(a.slot,)))
            else:
                by_participant_slot[(p, a.slot)] = m.id
        other = by_table_slot.get((a.table, a.slot))
        if other is not None:
            out.append(Violation(
                "table-shared", f"table {a.table} holds two meetings in slot {a.slot} ({other} and {m.id})",
                meetings=(other, m.id), slots=(a.slot,)))
        else:
            by_table_slot[(a.table, a.slot)] = m.id
        per_slot[a.slot] += 1
        fixed = ix.fixed.get(m.id)
        if fixed is not None and fixed.slot != a.slot:
            out.append(Violation("fixed", f"meeting {m.id} is fixed to slot {fixed.slot} but is in slot {a.slot}",
                                 meetings=(m.id,), slots=(a.slot,)))
        if fixed is not None and fixed.table is not None and fixed.table != a.table:
            out.append(Violation("fixed", f"meeting {m.id} is fixed to table {fixed.table} but is at table {a.table}",
                                 meetings=(m.id,)))
        hosts = ix.host_tables(m)
        if hosts and a.table not in hosts:
            out.append(Violation("host-table", f"meeting {m.id} must be at the stand of its host (table {hosts[0]}) but is at table {a.table}",
                                 participants=m.participants, meetings=(m.id,)))
        owner = ix.host_of_table.get(a.table)
        if owner is not None and owner not in m.participants:
            out.append(Violation("host-table", f"table {a.table} is the stand of participant {owner} but holds meeting {m.id} without them",
                                 participants=(owner,), meetings=(m.id,)))
    for slot_id, n in per_slot.items():
        if n > len(problem.tables):
            out.append(Violation("capacity", f"slot {slot_id} holds {n} meetings for {len(problem.tables)} tables", slots=(slot_id,)))
    for p, n in count.items():
        cap = ix.cap(p)
        if cap is not None and n > cap:
            out.append(Violation("max-meetings", f"participant {p} has {n} meetings, more than their maximum of {cap}", participants=(p,)))
    for pr in problem.precedences:
        a, b = seen.get(pr.before), seen.get(pr.after)
        if a is None or b is None or a.slot not in ix.slot_pos or b.slot not in ix.slot_pos:
            continue
        if not ix.slot_pos[a.slot] < ix.slot_pos[b.slot]:
            out.append(Violation("precedence", f"meeting {pr.before} must come before meeting {pr.after}",
                                 meetings=(pr.before, pr.after)))
    if complete:
        for m in problem.meetings:
            if m.priority == MUST and m.id not in seen:
                out.append(Violation("unscheduled", f"must-meeting {m.id} is not scheduled", participants=m.participants, meetings=(m.id,)))
    if problem.fairness is not None:
        breaks = participant_breaks(problem, valid, ix)
        if breaks:
            hi = max(breaks, key=lambda p: breaks[p])
            lo = min(breaks, key=lambda p: breaks[p])
            spread = breaks[hi] - breaks[lo]
            if spread > problem.fairness:
                out.append(Violation(
                    "fairness",
                    f"participant {hi} has {breaks[hi]} breaks and participant {lo} has {breaks[lo]}: "
                    f"a spread of {spread}, more than the fairness limit {problem.fairness}",
                    participants=(hi, lo)))
    return out


def diff(old: Schedule, new: Schedule) -> ScheduleDiff:
    """What changed between two schedules, meeting by meeting."""
    a = {x.meeting_id: x for x in old.assignments}
    b = {x.meeting_id: x for x in new.assignments}
    added = tuple(Change(m, None, b[m]) for m in b if m not in a)
    removed = tuple(Change(m, a[m], None) for m in a if m not in b)
    moved = tuple(Change(m, a[m], b[m]) for m in a if m in b and a[m].slot != b[m].slot)
    retabled = tuple(Change(m, a[m], b[m]) for m in a if m in b and a[m].slot == b[m].slot and a[m].table != b[m].table)
    return ScheduleDiff(added=added, removed=removed, moved=moved, retabled=retabled)


def affected_participants(problem: Problem, old: Schedule, new: Schedule, *, old_problem: Problem | None = None) -> tuple[Id, ...]:
    """Participants who need a new agenda: any of their meetings was added, removed, moved or changed table."""
    meetings = {m.id: m for m in (old_problem or problem).meetings}
    meetings.update({m.id: m for m in problem.meetings})
    out: dict[Id, None] = {}
    for ch in diff(old, new).changes:
        m = meetings.get(ch.meeting_id)
        if m is not None:
            for p in m.participants:
                out[p] = None
    return tuple(out)
