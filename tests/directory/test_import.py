"""Importing and exporting organisations: row-level validation, idempotent upserts, lossless round trips."""
from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from openpyxl import Workbook

from silkbridge.cli import main
from silkbridge.directory import exports, services, tabular
from silkbridge.directory.models import Organisation, Person, ProfileText

HEADER = list(services.COLUMNS)


def write_csv(path, rows, header=HEADER, bom=False):
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def row(**values):
    base = {c: "" for c in HEADER}
    base.update(values)
    return [base[c] for c in HEADER]


GOOD = [
    row(id="rs-medika", name="Медика Дистрибуција д.о.о.", kind="company", country="RS", city="Beograd",
        sectors="46; medical devices", website="https://medika.example.rs", language="sr-cyrl",
        description="Дистрибутер медицинске опреме у Србији.", offers="Регистрација медицинских средстава",
        needs="Произвођачи ултразвучних апарата", contact_name="Јелена Петровић", contact_title="директорка",
        contact_email="jelena@medika.example.rs"),
    row(id="cn-meisheng", name="杭州美声医疗科技有限公司", kind="company", country="CN", city="Hangzhou",
        sectors="26", website="https://meisheng.example.cn", description="我们生产便携式超声诊断设备。",
        offers="便携式超声设备", needs="寻找塞尔维亚医疗器械经销商"),
]


@pytest.mark.django_db
def test_good_rows_are_created_then_a_second_import_changes_nothing(reference, tmp_path):
    path = write_csv(tmp_path / "orgs.csv", GOOD)
    first = services.import_organisations(path)
    assert first.as_dict() == {"imported": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": []}
    second = services.import_organisations(path)
    assert second.as_dict() == {"imported": 2, "created": 0, "updated": 0, "unchanged": 2, "rejected": []}
    assert Organisation.objects.count() == 2
    assert Person.objects.count() == 1
    assert ProfileText.objects.count() == 2


@pytest.mark.django_db
def test_empty_language_is_detected_and_free_text_sectors_map_to_nace(reference, tmp_path):
    services.import_organisations(write_csv(tmp_path / "orgs.csv", GOOD))
    meisheng = Organisation.objects.get(external_id="cn-meisheng")
    assert [p.language for p in meisheng.profiles.all()] == ["zh-hans"]
    medika = Organisation.objects.get(external_id="rs-medika")
    assert sorted(s.code for s in medika.sectors.all()) == sorted({"46", services.Lookups().sector("medical devices") or "46"})
    assert medika.city.name_en == "Belgrade"


@pytest.mark.django_db
def test_a_changed_row_is_updated(reference, tmp_path):
    services.import_organisations(write_csv(tmp_path / "orgs.csv", GOOD))
    changed = [GOOD[0][:], GOOD[1]]
    changed[0][HEADER.index("needs")] = "Нови добављачи"
    report = services.import_organisations(write_csv(tmp_path / "orgs2.csv", changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Organisation.objects.get(external_id="rs-medika").profiles.get().needs == "Нови добављачи"


@pytest.mark.django_db
def test_each_bad_row_is_rejected_with_its_row_field_and_reason(reference, tmp_path):
    rows = [
        GOOD[0],
        row(id="x1", name="", country="RS"),                                   # row 3
        row(id="x2", name="Nowhere Ltd", country="Atlantis"),                  # row 4
        row(id="x3", name="Odd Kind", kind="spaceship", country="PL"),         # row 5
        row(id="x4", name="Bad Mail", country="HU", contact_name="Kovács Anna", contact_email="anna@"),  # row 6
        row(id="x5", name="Ftp Site", country="CZ", website="ftp://files.example.cz"),                  # row 7
        row(id="rs-medika", name="Duplicate", country="RS"),                   # row 8
        GOOD[1],
    ]
    report = services.import_organisations(write_csv(tmp_path / "orgs.csv", rows))
    assert [(e.row, e.id, e.field) for e in report.rejected] == [
        (3, "x1", "name"), (4, "x2", "country"), (5, "x3", "kind"), (6, "x4", "contact_email"),
        (7, "x5", "website"), (8, "rs-medika", "id"),
    ]
    assert report.rejected[0].error == "missing name"
    assert "Atlantis" in report.rejected[1].error
    assert "first occurrence wins" in report.rejected[5].error
    assert report.imported == 2
    assert Organisation.objects.get(external_id="rs-medika").name == "Медика Дистрибуција д.о.о."
    assert report.exit_status == 1


@pytest.mark.django_db
def test_rejects_file_holds_the_bad_rows_and_an_error_column_ready_to_reimport(reference, tmp_path):
    rows = [GOOD[0], row(id="x2", name="Nowhere Ltd", country="Atlantis", city="Somewhere")]
    rejects = tmp_path / "rejects.csv"
    services.import_organisations(write_csv(tmp_path / "orgs.csv", rows), rejects=rejects)
    table = tabular.read_table(rejects)
    assert table.header == tuple(HEADER) + ("error",)
    assert [(n, r["id"], r["city"]) for n, r in table.rows] == [(2, "x2", "Somewhere")]
    assert table.rows[0][1]["error"].startswith("country: unknown country")
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.header)
        writer.writerow([{**table.rows[0][1], "country": "RS"}[h] for h in table.header])
    report = services.import_organisations(fixed)
    assert (report.created, report.unknown_columns) == (1, ["error"])


@pytest.mark.django_db
def test_dry_run_validates_and_counts_but_stores_nothing(reference, tmp_path):
    report = services.import_organisations(write_csv(tmp_path / "orgs.csv", GOOD), dry_run=True)
    assert (report.imported, report.created) == (2, 2)
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_csv_with_bom_and_unknown_columns_is_read(reference, tmp_path):
    header = HEADER + ["member_since"]
    path = write_csv(tmp_path / "orgs.csv", [GOOD[0] + ["2019"]], header=header, bom=True)
    report = services.import_organisations(path)
    assert (report.created, report.unknown_columns) == (1, ["member_since"])


@pytest.mark.django_db
def test_xlsx_cells_holding_numbers_and_dates_are_read_as_text(reference, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    values = row(name="Agro Coop Kft.", kind="company", country="HU", description="Mezőgazdasági szövetkezet.")
    values[0] = 1001  # an id typed as a number
    values[HEADER.index("offers")] = dt.datetime(2024, 5, 17)
    values[HEADER.index("needs")] = 2.5
    sheet.append(values)
    path = tmp_path / "members.xlsx"
    book.save(path)
    report = services.import_organisations(path)
    assert report.created == 1
    org = Organisation.objects.get(external_id="1001")
    profile = org.profiles.get()
    assert (profile.offers, profile.needs) == ("2024-05-17", "2.5")


@pytest.mark.django_db
def test_ten_thousand_character_texts_are_kept_whole(reference, tmp_path):
    long_text = ("Precizna mehanika i CNC obrada. " * 400)[:10_000]
    services.import_organisations(write_csv(tmp_path / "o.csv", [row(id="hr-cnc", name="CNC d.o.o.", country="HR",
                                                                       language="hr", description=long_text)]))
    assert ProfileText.objects.get().description == long_text


@pytest.mark.django_db
def test_export_then_import_is_lossless_and_formulas_are_neutralised(reference, tmp_path):
    formula_row = row(id="pl-formula", name="=HYPERLINK(\"http://evil.example\")", country="PL", language="pl",
                      description="+48 opis", offers="-5% rabatu", needs="@dostawcy", contact_name="Jan Kowalski",
                      contact_title="'=prezes")
    services.import_organisations(write_csv(tmp_path / "in.csv", GOOD + [formula_row]))
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"out{suffix}"
        assert exports.export_organisations(out) == 3
        raw = tabular.read_table(out)
        assert {r["id"]: r for _, r in raw.rows}["pl-formula"]["name"] == formula_row[1]
        report = services.import_organisations(out)
        assert (report.unchanged, report.rejected) == (3, [])
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as handle:
        cells = {r[0]: r for r in csv.reader(handle)}
    assert cells["pl-formula"][1].startswith("'=")
    # The input's "'=prezes" was itself a neutralised cell: it is stored as "=prezes" and exported quoted again.
    assert Person.objects.get(name="Jan Kowalski").title == "=prezes"
    assert cells["pl-formula"][HEADER.index("contact_title")] == "'=prezes"
    assert tabular.restore(tabular.neutralise("'=x")) == "'=x"


@pytest.mark.django_db
def test_cli_import_prints_the_json_report_and_exit_status(reference, tmp_path, capsys):
    path = write_csv(tmp_path / "orgs.csv", [GOOD[0], row(id="x", name="", country="RS")])
    status = main(["import", "orgs", str(path), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 1
    assert out == {"imported": 1, "created": 1, "updated": 0, "unchanged": 0,
                   "rejected": [{"row": 3, "id": "x", "field": "name", "error": "missing name"}]}


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, message", [
    ("missing.csv", None, "no such file"),
    ("members.txt", "id,name\n", "unsupported file type"),
    ("broken.xlsx", "not a zip", "cannot be read"),
    ("latin1.csv", "id,name\n1,Łódź\n".encode("cp1250"), "not UTF-8"),
    ("empty.csv", "", "empty"),
    ("noname.csv", "id,country\n1,RS\n", "lacks the column(s) name"),
])
def test_cli_import_exits_2_with_a_clear_message_for_an_unreadable_file(reference, tmp_path, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main(["import", "orgs", str(path)]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.django_db
def test_search_finds_cyrillic_by_latin_chinese_by_chinese_and_ignores_accents(reference, tmp_path):
    from silkbridge.directory.queries import filtered

    services.import_organisations(write_csv(tmp_path / "orgs.csv", GOOD + [
        row(id="hu-agro", name="Szövetkezet Zrt.", country="HU", language="hu", description="Mezőgazdasági hűtőlánc")]))
    ids = lambda q: sorted(filtered(q=q).values_list("external_id", flat=True))  # noqa: E731
    assert ids("medika distribucija") == ["rs-medika"]
    assert ids("МЕДИКА") == ["rs-medika"]
    assert ids("ultrazvucnih") == ["rs-medika"]
    assert ids("超声") == ["cn-meisheng"]
    assert ids("经销") == ["cn-meisheng"]
    assert ids("mezogazdasagi HUTO") == ["hu-agro"]
    assert ids("nothing-like-this") == []
