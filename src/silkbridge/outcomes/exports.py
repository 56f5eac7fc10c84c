"""A report as an XLSX workbook: a summary sheet and one sheet per breakdown, numbers as numbers."""
from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from silkbridge.directory.tabular import neutralise
from silkbridge.outcomes.reports import Report, Row

ROW_HEADER = ("key", "name", "agreements", "of which MoUs", "investment projects", "investment USD",
              "city partnerships", "delegation visits")


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        # Names come from imported files: keep a name like "=HYPERLINK(…)" inert in a spreadsheet.
        return neutralise(value)
    return value


def _sheet(book: Workbook, title: str, header, rows) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", (12, 40, 12, 14, 18, 18, 16, 16)):
        sheet.column_dimensions[column].width = width


def _rows(rows: tuple[Row, ...]):
    return ((r.key, r.label, r.agreements, r.mous, r.investments, r.usd, r.relations, r.visits) for r in rows)


def report_xlsx(report: Report) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    t = report.totals
    lines = [
        ("Report", report.title),
        *((f"scope: {k}", v) for k, v in report.scope.items()),
        ("Agreements", report.agreements), ("of which memoranda of understanding", report.mous),
        *((f"agreements: {k}", n) for k, n in report.agreements_by_kind.items()),
        ("Investment projects", report.investments),
        ("Investment total, USD", t.usd), ("Investment total, CNY", t.cny), ("Investment total, EUR", t.eur),
        ("Projects with an amount", t.with_amount), ("Projects whose amount could not be converted", t.unconverted),
        ("Projects without an amount", t.without_amount),
        ("City partnerships", report.relations), ("City partnerships with no known start", report.relations_undated),
        ("Delegation visits", report.visits),
    ]
    for label, value in lines:
        summary.append([label, _cell(value)])
    summary.column_dimensions["A"].width = 46
    summary.column_dimensions["B"].width = 40
    _sheet(book, "By year", ROW_HEADER, _rows(report.by_year))
    _sheet(book, "By country", ROW_HEADER, _rows(report.by_country))
    _sheet(book, "By sector", ROW_HEADER, _rows(report.by_sector))
    _sheet(book, "City partnerships", ("country", "name", "partnerships"),
           ((r.key, r.label, r.relations) for r in report.relations_by_country))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
