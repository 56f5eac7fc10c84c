"""Value types of the B2B meeting scheduling engine: what a forum asks for and what it gets back.

Ids are plain ``str`` or ``int`` so callers can use their own database keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Id = int | str
Priority = Literal["must", "wanted"]
SessionName = Literal["morning", "afternoon", "any"]
Status = Literal["optimal", "feasible", "infeasible", "unknown"]

MUST: Priority = "must"
WANTED: Priority = "wanted"


@dataclass(frozen=True)
class Participant:
    id: Id
    name: str = ""
    # A participant who stays at their own stand meets everyone at this table.
    host_table: Id | None = None
    forbidden_slots: frozenset[Id] = frozenset()
    max_meetings: int | None = None


@dataclass(frozen=True)
class Slot:
    """One meeting slot; the order of ``Problem.slots`` is the order in time."""

    id: Id
    day: str = "1"
    session: str = "morning"


@dataclass(frozen=True)
class Meeting:
    """A requested meeting between two participants."""

    id: Id
    participants: tuple[Id, Id]
    priority: Priority = MUST
    session: SessionName = "any"


@dataclass(frozen=True)
class FixedMeeting:
    """A meeting pinned to a slot (and optionally to a table) by the organiser."""

    meeting_id: Id
    slot: Id
    table: Id | None = None


@dataclass(frozen=True)
class Precedence:
    """Meeting ``before`` must take place in an earlier slot than meeting ``after``."""

    before: Id
    after: Id


@dataclass(frozen=True)
class Problem:
    participants: tuple[Participant, ...]
    slots: tuple[Slot, ...]
    tables: tuple[Id, ...]
    meetings: tuple[Meeting, ...]
    fixed: tuple[FixedMeeting, ...] = ()
    precedences: tuple[Precedence, ...] = ()
    # Break counts of any two participants (with at least one meeting) differ by at most this.
    fairness: int | None = None
    # Default cap on meetings per participant; Participant.max_meetings overrides it.
    max_meetings: int | None = None

    def __post_init__(self) -> None:
        # Accept lists and a plain table count, but store tuples so the value stays hashable.
        tables = self.tables
        if isinstance(tables, int):
            tables = tuple(range(1, tables + 1))
        object.__setattr__(self, "tables", tuple(tables))
        for name in ("participants", "slots", "meetings", "fixed", "precedences"):
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class Assignment:
    meeting_id: Id
    slot: Id
    table: Id


@dataclass(frozen=True)
class Schedule:
    status: Status
    assignments: tuple[Assignment, ...] = ()
    # Requested meetings that could not be placed.
    unplaced: tuple[Id, ...] = ()
    # Total breaks of the returned schedule, and the best proven lower bound on it.
    breaks: int = 0
    bound: int = 0
    # Lexicographic objective of the returned schedule: (unplaced must, unplaced wanted, moved, breaks).
    objective: tuple[int, ...] = ()
    seconds: float = 0.0
    # Why the problem cannot be solved as asked, in sentences a person can act on.
    reasons: tuple[str, ...] = ()
    # Meetings whose slot changed (or that were dropped) against the previous schedule.
    moved: tuple[Id, ...] = ()
    breaks_by_participant: tuple[tuple[Id, int], ...] = ()

    def slot_of(self) -> dict[Id, Id]:
        return {a.meeting_id: a.slot for a in self.assignments}


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    participants: tuple[Id, ...] = ()
    meetings: tuple[Id, ...] = ()
    slots: tuple[Id, ...] = ()

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Change:
    meeting_id: Id
    old: Assignment | None
    new: Assignment | None

    def __str__(self) -> str:
        if self.old is None and self.new is not None:
            return f"meeting {self.meeting_id} added in slot {self.new.slot} at table {self.new.table}"
        if self.new is None and self.old is not None:
            return f"meeting {self.meeting_id} removed from slot {self.old.slot}"
        assert self.old is not None and self.new is not None
        return (
            f"meeting {self.meeting_id} moved from slot {self.old.slot} table {self.old.table}"
            f" to slot {self.new.slot} table {self.new.table}"
        )


@dataclass(frozen=True)
class ScheduleDiff:
    added: tuple[Change, ...] = field(default=())
    removed: tuple[Change, ...] = field(default=())
    moved: tuple[Change, ...] = field(default=())
    # Same slot, different table.
    retabled: tuple[Change, ...] = field(default=())

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.added + self.removed + self.moved + self.retabled
