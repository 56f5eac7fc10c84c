"""Imports are bounded while they read: a file over a limit is refused early, naming the limit, and stores nothing."""
from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from rawxlsx import write_raw_xlsx  # noqa: E402

from silkbridge.directory import services, tabular  # noqa: E402
from silkbridge.directory.models import Organisation  # noqa: E402

HEADER = ["id", "name", "kind", "country"]


def _rows(n: int, start: int = 0):
    return ([f"org-{i}", f"Organisation {i}", "company", "RS"] for i in range(start, start + n))


def _csv(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_a_csv_past_the_row_limit_is_refused_at_the_first_row_over_it(tmp_path):
    path = _csv(tmp_path / "big.csv", _rows(11))
    with pytest.raises(tabular.TableError) as error:
        tabular.read_table(path, limits=tabular.Limits(max_rows=10))
    assert "more than 10 rows" in str(error.value) and "SILKBRIDGE_MAX_IMPORT_ROWS" in str(error.value)
    assert len(tabular.read_table(path, limits=tabular.Limits(max_rows=11)).rows) == 11


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = _csv(tmp_path / "big.csv", _rows(2000))
    with pytest.raises(tabular.TableError, match="SILKBRIDGE_MAX_UPLOAD_MB"):
        tabular.read_table(path, limits=tabular.Limits(max_bytes=10_000))


def test_too_many_filled_cells_are_refused_naming_the_row(tmp_path):
    path = _csv(tmp_path / "cells.csv", _rows(10))
    with pytest.raises(tabular.TableError) as error:
        tabular.read_table(path, limits=tabular.Limits(max_cells=30))
    assert "more than 30 filled cells" in str(error.value) and "by row 9" in str(error.value)


def test_an_over_long_csv_cell_is_refused_by_the_reader_itself(tmp_path):
    path = _csv(tmp_path / "long.csv", [["a", "x" * 5000, "company", "RS"]])
    with pytest.raises(tabular.TableError) as error:
        tabular.read_table(path, limits=tabular.Limits(max_cell_chars=1000))
    assert "more than 1,000 characters" in str(error.value) and "row 2" in str(error.value)


def test_an_over_long_xlsx_cell_is_refused_naming_row_and_column(tmp_path):
    path = write_raw_xlsx(tmp_path / "long.xlsx", HEADER, [["a", "x" * 5000, "company", "RS"]])
    with pytest.raises(tabular.TableError) as error:
        tabular.read_table(path, limits=tabular.Limits(max_cell_chars=1000))
    assert "row 2, column name" in str(error.value)


def test_an_xlsx_declaring_millions_of_rows_is_refused_before_its_rows_are_read(tmp_path):
    path = write_raw_xlsx(tmp_path / "declared.xlsx", HEADER, _rows(5), dimension="A1:D3000001")
    with pytest.raises(tabular.TableError) as error:
        tabular.read_table(path)
    assert "declares 3,000,000 rows" in str(error.value)


def test_an_xlsx_declaring_too_few_rows_is_still_read_whole_and_counted(tmp_path):
    path = write_raw_xlsx(tmp_path / "lying.xlsx", HEADER, _rows(30), dimension="A1:D2")
    assert len(tabular.read_table(path).rows) == 30
    with pytest.raises(tabular.TableError, match="more than 20 rows"):
        tabular.read_table(path, limits=tabular.Limits(max_rows=20))


def test_an_xlsx_of_a_million_empty_rows_is_refused_as_a_zip_bomb_in_a_second(tmp_path):
    path = write_raw_xlsx(tmp_path / "bomb.xlsx", HEADER, (["x"] for _ in range(1_000_000)), numbered=False)
    assert path.stat().st_size < 1_000_000
    started = time.perf_counter()
    with pytest.raises(tabular.TableError) as error:
        tabular.read_table(path)
    assert time.perf_counter() - started < 1.0
    assert "zip bomb" in str(error.value) and "xl/worksheets/sheet1.xml" in str(error.value)


def test_a_huge_shared_strings_table_is_refused_before_parsing(tmp_path):
    path = write_raw_xlsx(tmp_path / "strings.xlsx", HEADER, _rows(2),
                          shared_strings=(f"string number {i}" for i in range(100_000)))
    with pytest.raises(tabular.TableError, match="shared-strings table is 3.*SILKBRIDGE_MAX_SHARED_STRINGS_MB"):
        tabular.read_table(path, limits=tabular.Limits(max_shared_strings_bytes=1024 * 1024))
    assert len(tabular.read_table(path).rows) == 2


def test_a_workbook_unpacking_past_the_limit_is_refused(tmp_path):
    path = write_raw_xlsx(tmp_path / "wide.xlsx", HEADER, _rows(20_000))
    with pytest.raises(tabular.TableError, match="SILKBRIDGE_MAX_XLSX_UNPACKED_MB"):
        tabular.read_table(path, limits=tabular.Limits(max_unpacked_bytes=100_000))


@pytest.mark.django_db
def test_a_refused_import_stores_nothing(reference, tmp_path, settings):
    settings.IMPORT_LIMITS = {"max_rows": 50}
    path = _csv(tmp_path / "orgs.csv", _rows(51))
    with pytest.raises(tabular.TableError):
        services.import_organisations(path)
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_the_job_row_keeps_the_first_rejected_rows_and_the_rejects_file_all(reference, tmp_path, settings):
    from silkbridge.directory.tasks import import_file, rejects_path
    from silkbridge.jobs.models import Job

    settings.DATA_DIR = tmp_path
    settings.MAX_REPORTED_REJECTS = 3
    (tmp_path / "uploads").mkdir()
    bad = [[f"bad-{i}", f"Bad {i}", "company", "XX"] for i in range(10)]
    path = _csv(tmp_path / "uploads" / "copy.csv", [*_rows(5), *bad])
    job = Job.objects.create(name="import organisations")
    import_file(job.pk, str(path), "members.csv")
    job.refresh_from_db()
    assert (job.status, job.result["imported"], job.result["rejected_total"]) == ("done", 5, 10)
    assert [e["row"] for e in job.result["rejected"]] == [7, 8, 9]
    with rejects_path(job.pk).open(encoding="utf-8-sig") as handle:
        assert [r[0] for r in csv.reader(handle)][1:] == [f"bad-{i}" for i in range(10)]
    assert not path.exists()  # the upload copy is gone once the job has ended


@pytest.mark.django_db
def test_the_upload_form_refuses_a_file_over_the_size_limit(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from silkbridge.directory.forms import ImportForm

    settings.IMPORT_LIMITS = {"max_bytes": 1024 * 1024}
    upload = SimpleUploadedFile("big.csv", b"x" * (2 * 1024 * 1024 + 1))
    form = ImportForm({}, {"file": upload})
    assert not form.is_valid()
    assert form.errors["file"] == ["The file is 2.0 MB; the largest accepted is 1.0 MB. Split it into smaller files."]
