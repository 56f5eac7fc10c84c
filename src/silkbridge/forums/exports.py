"""The forum's schedule as a spreadsheet (CSV or XLSX) for organisers; every app keeps its file exports in `exports`."""
from __future__ import annotations

import csv
import io

from django.utils import timezone

from silkbridge.forums.models import Forum
from silkbridge.forums.services import ForumError

EXPORT_HEADER = ["day", "start", "end", "slot", "table", "organisation_a", "country_a", "delegates_a",
                 "organisation_b", "country_b", "delegates_b", "attendance"]


def export_rows(forum: Forum) -> list[list[str]]:
    tz = timezone.get_current_timezone()
    rows = [EXPORT_HEADER]
    meetings = (forum.meetings.select_related("slot", "table", "participant_a__organisation",
                                              "participant_b__organisation")
                .prefetch_related("participant_a__delegates__person", "participant_a__delegates__user",
                                  "participant_b__delegates__person", "participant_b__delegates__user")
                .order_by("slot__number", "table__number"))
    for m in meetings:
        a, b = m.participant_a, m.participant_b
        rows.append([str(m.slot.day), m.slot.start.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                     m.slot.end.astimezone(tz).strftime("%H:%M"), str(m.slot.number), str(m.table.number),
                     a.organisation.name, a.organisation.country_id, "; ".join(d.name for d in a.delegates.all()),
                     b.organisation.name, b.organisation.country_id, "; ".join(d.name for d in b.delegates.all()),
                     m.attendance])
    return rows


def export_schedule(forum: Forum, fmt: str = "csv") -> bytes:
    """The schedule as CSV (UTF-8 with BOM, so spreadsheet programs read the scripts right) or XLSX."""
    rows = export_rows(forum)
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "schedule"
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ForumError(f"unknown export format {fmt!r} (csv or xlsx)")
