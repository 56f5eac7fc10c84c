"""Reading and writing spreadsheets (CSV in UTF-8, XLSX): every file the site reads or writes goes through here.

No Django here: the directory, outcomes and any other import share these readers.
Cells that a spreadsheet would run as formulas are neutralised on the way out and
restored on the way in, so export -> import keeps every character.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SUPPORTED_SUFFIXES = (".csv", ".xlsx")


class TableError(Exception):
    """The file as a whole cannot be read (missing, wrong format, broken, no header, over a limit)."""


MB = 1024 * 1024
# A sheet part this big that unpacks more than BOMB_RATIO times its packed size is a zip bomb, not a member list:
# real sheets pack 5 to 20 times; 3 million empty rows pack more than 150 times.
BOMB_MEMBER_BYTES = 10 * MB
BOMB_RATIO = 100


@dataclass(frozen=True)
class Limits:
    """What one import may read; each is checked while reading, before the next row is held."""

    max_bytes: int = 20 * MB
    max_rows: int = 200_000
    max_cells: int = 3_000_000
    max_cell_chars: int = 32_767
    max_unpacked_bytes: int = 400 * MB
    max_shared_strings_bytes: int = 100 * MB


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: Sequence[tuple[int, dict[str, str]]]  # (row number in the file, header=1; cells by column)


class _Rows(Sequence):
    """Rows kept as tuples and handed out as dicts: 200,000 rows of 14 columns in tens of megabytes, not hundreds."""

    def __init__(self, columns: tuple[str, ...]):
        self.columns = columns
        self._rows: list[tuple[int, tuple[str, ...]]] = []

    def append(self, number: int, values: tuple[str, ...]) -> None:
        self._rows.append((number, values))

    def _dict(self, item: tuple[int, tuple[str, ...]]) -> tuple[int, dict[str, str]]:
        return item[0], dict(zip(self.columns, item[1]))

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._dict(item) for item in self._rows[index]]
        return self._dict(self._rows[index])

    def __iter__(self):
        return (self._dict(item) for item in self._rows)


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


def read_table(path: str | Path, *, required: Iterable[str] = (), limits: Limits = Limits()) -> Table:
    path = Path(path)
    if not path.exists():
        raise TableError(f"{path}: no such file")
    if path.is_dir():
        raise TableError(f"{path}: is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise TableError(f"{path}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise TableError(f"{path}: the file is {_mb(size)}; the limit is {_mb(limits.max_bytes)} "
                         f"(SILKBRIDGE_MAX_UPLOAD_MB); split it into smaller files")
    if suffix == ".xlsx":
        check_xlsx(path, limits)
    try:
        raw_rows = _read_xlsx(path, limits) if suffix == ".xlsx" else _read_csv(path, limits)
        header_cells = next(raw_rows, None)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise TableError(f"{path}: cannot be read: {_describe(exc)}") from exc
    if not header_cells or not any(c.strip() for c in header_cells):
        raise TableError(f"{path}: the file is empty (no header row)")
    header = tuple(c.strip().lower() for c in header_cells)
    missing = [c for c in required if c not in header]
    if missing:
        raise TableError(f"{path}: header row lacks the column(s) {', '.join(missing)}")
    columns = tuple(h for h in header if h)
    rows = _Rows(columns)
    cells_read = 0
    number = 1
    try:
        for number, cells in enumerate(raw_rows, start=2):
            if number > limits.max_rows + 1:
                raise TableError(f"{path}: the file has more than {limits.max_rows:,} rows below its header, the limit "
                                 f"(SILKBRIDGE_MAX_IMPORT_ROWS); nothing was imported; split it into smaller files")
            if not any(c.strip() for c in cells):
                continue  # blank lines are not rows anyone meant to import
            cells = list(cells) + [""] * (len(header) - len(cells))
            values = tuple(restore(c) if c else "" for h, c in zip(header, cells) if h)
            for column, value in zip(columns, values):
                if len(value) > limits.max_cell_chars:
                    raise TableError(f"{path}: row {number}, column {column}: the cell holds {len(value):,} characters; "
                                     f"the limit is {limits.max_cell_chars:,} (SILKBRIDGE_MAX_CELL_CHARS); nothing was imported")
            cells_read += sum(1 for v in values if v)
            if cells_read > limits.max_cells:
                raise TableError(f"{path}: the file holds more than {limits.max_cells:,} filled cells, the limit "
                                 f"(SILKBRIDGE_MAX_IMPORT_CELLS), by row {number}; nothing was imported; split it")
            rows.append(number, values)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise TableError(f"{path}: row {number + 1}: a cell holds more than {limits.max_cell_chars:,} characters, "
                             f"the limit (SILKBRIDGE_MAX_CELL_CHARS); nothing was imported") from exc
        raise TableError(f"{path}: cannot be read after row {number}: {_describe(exc)}") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise TableError(f"{path}: cannot be read after row {number}: {_describe(exc)}") from exc
    return Table(header=header, rows=rows)


def check_xlsx(path: Path, limits: Limits = Limits()) -> None:
    """Refuse a workbook from its zip directory alone, before any XML is parsed.

    The sizes checked are the ones the archive declares; Python's zip reader never
    inflates a member past its declared size, so a member that lies is cut short
    (and fails its checksum) rather than filling the memory.
    """
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(path, archive.infolist(), limits)
            sheet = _first_sheet(archive)
            if sheet is not None and sheet in archive.namelist():
                _count_rows(path, archive, sheet, limits)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise TableError(f"{path}: cannot be read: not a valid .xlsx workbook ({_describe(exc)})") from exc


def _check_members(path: Path, members: list, limits: Limits) -> None:
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        raise TableError(f"{path}: the workbook unpacks to {_mb(unpacked)}; the limit is {_mb(limits.max_unpacked_bytes)} "
                         f"(SILKBRIDGE_MAX_XLSX_UNPACKED_MB); nothing was imported")
    for member in members:
        name = member.filename.lower()
        if name.endswith("sharedstrings.xml") and member.file_size > limits.max_shared_strings_bytes:
            raise TableError(f"{path}: the workbook's shared-strings table is {_mb(member.file_size)}; the limit is "
                             f"{_mb(limits.max_shared_strings_bytes)} (SILKBRIDGE_MAX_SHARED_STRINGS_MB); nothing was imported")
        if member.file_size > BOMB_MEMBER_BYTES and member.file_size > BOMB_RATIO * max(member.compress_size, 1):
            raise TableError(f"{path}: {member.filename} unpacks from {_mb(member.compress_size)} to "
                             f"{_mb(member.file_size)}, more than {BOMB_RATIO} times; that is not a member list but a "
                             f"zip bomb (or millions of empty rows); nothing was imported")


def _describe(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8"
    return str(exc) or type(exc).__name__


def _read_csv(path: Path, limits: Limits) -> Iterator[list[str]]:
    # utf-8-sig strips the BOM that Excel writes in "CSV UTF-8".
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        # The sniffer's cost grows with lines times characters: 100 lines tell the delimiter as well as 10,000.
        sample = "".join(line for _, line in zip(range(100), iter(lambda: handle.readline(64 * 1024), "")))
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        # The reader itself stops at an over-long field instead of building it (a per-thread setting).
        previous = csv.field_size_limit(limits.max_cell_chars + 1)
        try:
            yield from csv.reader(handle, dialect)
        finally:
            csv.field_size_limit(previous)


def _read_xlsx(path: Path, limits: Limits) -> Iterator[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError("not a valid .xlsx workbook") from exc
    try:
        sheet = workbook.worksheets[0]
        declared = sheet.max_row
        if declared is not None and declared > limits.max_rows + 1:
            raise TableError(f"{path}: the sheet declares {declared - 1:,} rows below its header; the limit is "
                             f"{limits.max_rows:,} (SILKBRIDGE_MAX_IMPORT_ROWS); nothing was imported; split it")
        # The declared size may be too small: read every row there is (check_xlsx counted them already).
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_to_text(v) for v in row]
    finally:
        workbook.close()


def _first_sheet(archive) -> str | None:
    """The zip member of the workbook's first sheet, the one an import reads (None when it cannot be told)."""
    import posixpath
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            if archive.getinfo(name).file_size > 10 * MB:
                return None
        sheet = ElementTree.fromstring(archive.read("xl/workbook.xml")).find(f"{main}sheets/{main}sheet")
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    if sheet is None:
        return None
    for relation in rels:
        if relation.get("Id") == sheet.get(rel):
            target = relation.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


def _count_rows(path: Path, archive, member: str, limits: Limits) -> None:
    """Count the first sheet's rows in its raw XML, a byte search stopping past the limit: openpyxl itself
    may parse a sheet without a declared size from end to end before yielding its first row."""
    rows, tail = 0, b""
    with archive.open(member) as source:
        head = source.read(64 * 1024)
        declared = re.search(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"', head)
        if declared and int(declared.group(1)) > limits.max_rows + 1:
            raise TableError(f"{path}: the sheet declares {int(declared.group(1)) - 1:,} rows below its header; the limit "
                             f"is {limits.max_rows:,} (SILKBRIDGE_MAX_IMPORT_ROWS); nothing was imported; split it")
        chunk = head
        while chunk:
            rows += (tail + chunk).count(b"<row")
            tail = chunk[-3:]  # a tag cut by the chunk boundary is counted once, in the joined bytes
            if rows > limits.max_rows + 2:  # + the header and one <rowBreaks> tag
                raise TableError(f"{path}: the file has more than {limits.max_rows:,} rows below its header, the limit "
                                 f"(SILKBRIDGE_MAX_IMPORT_ROWS); nothing was imported; split it into smaller files")
            chunk = source.read(1 << 20)


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook the site writes: a bold, frozen header row (or none), rows, column widths."""

    title: str
    header: Sequence[str] | None
    rows: Iterable[Sequence[object]]
    widths: Sequence[float] = ()


def _xlsx_cell(sheet, value: object, *, bold: bool = False):
    """Text is always a text cell, quoted when a spreadsheet would run it; numbers and dates stay typed."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        # Control characters cannot be stored in the XML at all; they are dropped, not the whole file.
        text = ILLEGAL_CHARACTERS_RE.sub("", _cell_to_text(value))
        cell = WriteOnlyCell(sheet, value=neutralise(text))
        cell.data_type = "s"  # never let openpyxl turn text into a formula
    if bold:
        from openpyxl.styles import Font

        cell.font = Font(bold=True)
    return cell


def write_workbook(target, sheets: Iterable[Sheet]) -> int:
    """Write ``sheets`` as one .xlsx to ``target`` (a path or a binary file); returns the rows written.

    The one place the site writes a workbook: organisation exports, the forum's schedule and
    the outcome reports all come through here, so none of them can carry a live formula.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    count = 0
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        for number, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        if spec.header is not None:
            sheet.freeze_panes = "A2"
            sheet.append([_xlsx_cell(sheet, h, bold=True) for h in spec.header])
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
            count += 1
    workbook.save(target)
    return count


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    out = io.BytesIO()
    write_workbook(out, sheets)
    return out.getvalue()


def write_table(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write rows to .csv (UTF-8 with BOM, so Excel reads the scripts right) or .xlsx; returns the count."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise TableError(f"{path}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")
    if suffix == ".csv":
        count = 0
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([neutralise(_cell_to_text(c)) for c in row])
                count += 1
        return count
    # Cells are text here: what was read as text goes back as text, so export -> import keeps every character.
    return write_workbook(path, [Sheet("Sheet1", header, ([str(c) for c in row] for row in rows))])


def to_csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with a BOM, every cell a spreadsheet would run quoted, like the workbooks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(_cell_to_text(c)) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
