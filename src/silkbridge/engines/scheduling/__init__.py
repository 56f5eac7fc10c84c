"""B2B meeting scheduling engine: place requested meetings in slots and tables with few breaks.

Pure Python over PySAT (exact break minimisation) and OR-Tools CP-SAT; no Django. Stable public names:

- ``Problem(participants, slots, tables, meetings, fixed=(), precedences=(), fairness=None, max_meetings=None)``
  with ``Participant(id, name="", host_table=None, forbidden_slots=frozenset(), max_meetings=None)``,
  ``Slot(id, day="1", session="morning")`` (tuple order is time order),
  ``Meeting(id, participants=(a, b), priority="must"|"wanted", session="morning"|"afternoon"|"any")``,
  ``FixedMeeting(meeting_id, slot, table=None)``, ``Precedence(before, after)``;
  ``tables`` is a count or a tuple of table ids.
- ``solve(problem, *, time_limit=10.0, previous=None) -> Schedule`` and
  ``reschedule(problem, previous, *, time_limit=10.0) -> Schedule``.
- ``Schedule(status, assignments, unplaced, breaks, bound, objective, seconds, reasons, moved,
  breaks_by_participant)``; ``Assignment(meeting_id, slot, table)``.
- ``validate(problem, schedule, *, complete=False) -> list[Violation]`` (``str(v)`` is a sentence).
- ``diff(old, new) -> ScheduleDiff``; ``affected_participants(problem, old, new) -> tuple``.
- ``participant_breaks(problem, assignments) -> dict``.
- ``dzn.load_dzn(path, fairness=None) -> Problem`` for the benchmark instances (1-based int ids).

A break is each gap of one or more idle slots between two consecutive meetings of a
participant on the same day (Bofill et al., JAIR 2022); the morning/afternoon boundary
does not end a day, so a gap across it counts, as in the published benchmark.
"""
from .model import (
    Assignment,
    Change,
    FixedMeeting,
    Meeting,
    Participant,
    Precedence,
    Problem,
    Schedule,
    ScheduleDiff,
    Slot,
    Violation,
)
from .rules import affected_participants, diff, participant_breaks, validate
from .solver import reschedule, solve

__all__ = [
    "Assignment", "Change", "FixedMeeting", "Meeting", "Participant", "Precedence", "Problem",
    "Schedule", "ScheduleDiff", "Slot", "Violation", "affected_participants", "diff",
    "participant_breaks", "reschedule", "solve", "validate",
]
