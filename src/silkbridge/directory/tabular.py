"""Reading and writing spreadsheets (CSV in UTF-8, XLSX) as rows of strings.

No Django here: the directory, outcomes and any other import share these readers.
Cells that a spreadsheet would run as formulas are neutralised on the way out and
restored on the way in, so export -> import keeps every character.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SUPPORTED_SUFFIXES = (".csv", ".xlsx")


class TableError(Exception):
    """The file as a whole cannot be read (missing, wrong format, broken, no header)."""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: Sequence[tuple[int, dict[str, str]]]  # (row number in the file, header=1; cells by column)


def neutralise(value: str) -> str:
    """Prefix a quote to a cell a spreadsheet would evaluate ("=1+1", "@SUM", "-2+3")."""
    if value.lstrip("'").startswith(FORMULA_PREFIXES) and (value.startswith(FORMULA_PREFIXES) or value.startswith("'")):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo `neutralise`: drop the one quote it added."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _cell_to_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # Spreadsheets store 1001 as 1001.0; an id or a year must come back as "1001".
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


def read_table(path: str | Path, *, required: Iterable[str] = ()) -> Table:
    path = Path(path)
    if not path.exists():
        raise TableError(f"{path}: no such file")
    if path.is_dir():
        raise TableError(f"{path}: is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise TableError(f"{path}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")
    try:
        raw_rows = _read_xlsx(path) if suffix == ".xlsx" else _read_csv(path)
        header_cells = next(raw_rows, None)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise TableError(f"{path}: cannot be read: {_describe(exc)}") from exc
    if not header_cells or not any(c.strip() for c in header_cells):
        raise TableError(f"{path}: the file is empty (no header row)")
    header = tuple(c.strip().lower() for c in header_cells)
    missing = [c for c in required if c not in header]
    if missing:
        raise TableError(f"{path}: header row lacks the column(s) {', '.join(missing)}")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for number, cells in enumerate(raw_rows, start=2):
            if not any(c.strip() for c in cells):
                continue  # blank lines are not rows anyone meant to import
            cells = list(cells) + [""] * (len(header) - len(cells))
            rows.append((number, {h: restore(c) for h, c in zip(header, cells) if h}))
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as exc:
        raise TableError(f"{path}: cannot be read after row {len(rows) + 1}: {_describe(exc)}") from exc
    return Table(header=header, rows=rows)


def _describe(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8"
    return str(exc) or type(exc).__name__


def _read_csv(path: Path) -> Iterator[list[str]]:
    # utf-8-sig strips the BOM that Excel writes in "CSV UTF-8".
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from csv.reader(handle, dialect)


def _read_xlsx(path: Path) -> Iterator[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError("not a valid .xlsx workbook") from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_to_text(v) for v in row]
    finally:
        workbook.close()


def write_table(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write rows to .csv (UTF-8 with BOM, so Excel reads the scripts right) or .xlsx; returns the count."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise TableError(f"{path}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")
    count = 0
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([neutralise(str(c)) for c in row])
                count += 1
        return count
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(header))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(str(value)))
            cell.data_type = "s"  # never let openpyxl turn text into a formula
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count


def to_csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(str(c)) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
