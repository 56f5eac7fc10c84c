"""A report as an XLSX workbook: a summary sheet and one sheet per breakdown, numbers as numbers.

Written by the one spreadsheet writer (`directory.tabular`), which keeps names such as
"=HYPERLINK(…)" from imported files inert.
"""
from __future__ import annotations

from silkbridge.directory.tabular import Sheet, xlsx_bytes
from silkbridge.outcomes.reports import Report, Row

ROW_HEADER = ("key", "name", "agreements", "of which MoUs", "investment projects", "investment USD",
              "city partnerships", "delegation visits")
WIDTHS = (12, 40, 12, 14, 18, 18, 16, 16)


def _rows(rows: tuple[Row, ...]):
    return ((r.key, r.label, r.agreements, r.mous, r.investments, r.usd, r.relations, r.visits) for r in rows)


def report_xlsx(report: Report) -> bytes:
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
    return xlsx_bytes([
        Sheet("Summary", None, lines, widths=(46, 40)),
        Sheet("By year", ROW_HEADER, _rows(report.by_year), WIDTHS),
        Sheet("By country", ROW_HEADER, _rows(report.by_country), WIDTHS),
        Sheet("By sector", ROW_HEADER, _rows(report.by_sector), WIDTHS),
        Sheet("City partnerships", ("country", "name", "partnerships"),
              ((r.key, r.label, r.relations) for r in report.relations_by_country), (12, 40, 16)),
    ])
