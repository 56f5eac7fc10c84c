"""A bare .xlsx written straight into a zip, row by row: millions of rows in seconds, any declared dimension."""
from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_raw_xlsx(path: Path, header: list[str], rows: Iterable[list[str]], *, dimension: str | None = None,
                   shared_strings: Iterable[str] = (), numbered: bool = True) -> Path:
    """Cells are inline strings; ``dimension`` (e.g. "A1:N3000001") is declared as given, true or not.

    Rows without numbers (``numbered=False``, which the format allows) are identical bytes, so
    millions of them pack a thousand to one, as a zip bomb does.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as handle:
            handle.write(b'<?xml version="1.0" encoding="UTF-8"?>'
                         b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for text in shared_strings:
                handle.write(f"<si><t>{_escape(text)}</t></si>".encode())
            handle.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            handle.write(b'<?xml version="1.0" encoding="UTF-8"?>'
                         b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            if dimension:
                handle.write(f'<dimension ref="{dimension}"/>'.encode())
            handle.write(b"<sheetData>")
            buffer = [_row(1, header)]
            for number, cells in enumerate(rows, start=2):
                buffer.append(_row(number if numbered else None, cells))
                if len(buffer) >= 10_000:
                    handle.write("".join(buffer).encode())
                    buffer.clear()
            handle.write("".join(buffer).encode())
            handle.write(b"</sheetData></worksheet>")
    return path


def _row(number: int | None, cells: list[str]) -> str:
    inner = "".join(f'<c t="inlineStr"><is><t>{_escape(c)}</t></is></c>' for c in cells if c != "")
    return f'<row r="{number}">{inner}</row>' if number else f"<row>{inner}</row>"
