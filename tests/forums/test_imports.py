"""`silkbridge forum participants import`: organisations, participants, delegates' accounts and one invitation each."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core import mail

from silkbridge.cli import main
from silkbridge.forums import imports
from silkbridge.forums.models import Delegate, Participant

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEADER = ("id,name,kind,country,city,sectors,website,language,description,offers,needs,"
          "delegate_name,delegate_email,delegate_title,delegate_language\n")


@pytest.fixture
def forum(make_forum, reference):
    return make_forum("Cangzhou", slots=3, tables=2)


def write(tmp_path, rows: str, name: str = "participants.csv") -> str:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return str(path)


ROWS = (
    "cn-pipe,Cangzhou Steel Pipe,company,CN,Cangzhou,24,,zh-hans,钢管,无缝钢管,分销,王伟,wang@pipe.example.cn,经理,\n"
    "cn-pipe,Cangzhou Steel Pipe,company,CN,Cangzhou,24,,zh-hans,钢管,无缝钢管,分销,Li Na,li@pipe.example.cn,Engineer,en\n"
    "rs-food,Novi Sad Food,company,RS,Novi Sad,10,,sr-latn,Hrana,Voće,Kupci,Marko Petrović,marko@food.example.rs,,sr-latn\n"
    ",No Country,company,,,,,,,,,Ana,ana@example.org,,\n"
    "hu-agro,Szeged Agro,company,HU,Szeged,01,,en,Grain,Seeds,Machines,Anna Kovács,not-an-address,,\n"
    "pl-tex,Lodz Textile,company,PL,Lodz,13,,en,Textiles,Fabric,Fibre,Piotr,piotr@tex.example.pl,,klingon\n"
)


def test_each_row_brings_in_the_organisation_the_participant_and_the_delegate_with_one_invitation(
        forum, tmp_path, capsys):
    assert main(["forum", "participants", "import", "cangzhou", write(tmp_path, ROWS), "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "imported": 3, "created": 2, "updated": 0, "unchanged": 0, "rejected": [
            {"row": 5, "id": "", "field": "country", "error": "missing country"},
            {"row": 6, "id": "hu-agro", "field": "delegate_email", "error": "invalid e-mail address 'not-an-address'"},
            {"row": 7, "id": "pl-tex", "field": "delegate_language",
             "error": "unknown language 'klingon'; use one of en, zh-hans, sr, sr-latn"},
        ]}
    assert sorted(forum.participants.values_list("organisation__external_id", "status")) == [
        ("cn-pipe", "approved"), ("rs-food", "approved")]
    delegates = Delegate.objects.filter(participant__forum=forum).order_by("user__email")
    assert [(d.user.email, d.person.title, d.user.account.language) for d in delegates] == [
        ("li@pipe.example.cn", "Engineer", "en"), ("marko@food.example.rs", "", "sr-latn"),
        ("wang@pipe.example.cn", "经理", "zh-hans")]
    # The invitations are out when the command returns, each in the delegate's language.
    assert sorted(m.to[0] for m in mail.outbox) == ["li@pipe.example.cn", "marko@food.example.rs",
                                                    "wang@pipe.example.cn"]
    wang = next(m for m in mail.outbox if m.to == ["wang@pipe.example.cn"])
    assert "Cangzhou" in wang.body and "/zh-hans/" in wang.body


def test_importing_the_same_file_twice_invites_nobody_twice(forum, tmp_path, capsys):
    path = write(tmp_path, ROWS)
    main(["forum", "participants", "import", "cangzhou", path])
    sent = len(mail.outbox)
    capsys.readouterr()
    assert main(["forum", "participants", "import", "cangzhou", path, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["imported"], report["created"], report["unchanged"]) == (3, 0, 2)
    assert len(mail.outbox) == sent == 3
    assert Delegate.objects.filter(participant__forum=forum).count() == 3


def test_a_dry_run_stores_nothing_and_invites_nobody(forum, tmp_path, capsys):
    assert main(["forum", "participants", "import", "cangzhou", write(tmp_path, ROWS), "--dry-run", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["imported"] == 3
    assert (Participant.objects.count(), len(mail.outbox)) == (0, 0)


def test_an_unreadable_file_exits_2(forum, tmp_path, capsys):
    path = tmp_path / "people.txt"
    path.write_text("x")
    assert main(["forum", "participants", "import", "cangzhou", str(path)]) == 2
    assert "unsupported file type .txt" in capsys.readouterr().err


def test_the_example_files_import_cleanly(make_forum, reference, capsys):
    forum = make_forum("Example", slots=6, tables=3)
    report, invited = imports.import_participants(forum, EXAMPLES / "participants.csv")
    assert (report.rejected, report.imported, invited) == ([], 7, 7)
    report = imports.import_pairings(forum, EXAMPLES / "pairings.csv")
    assert (report.rejected, report.created) == ([], 5)


def test_an_xlsx_upload_reads_like_the_csv(forum, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(ROWS.splitlines()[2].split(","))
    path = tmp_path / "participants.xlsx"
    book.save(path)
    report, invited = imports.import_participants(forum, path)
    assert (report.as_dict()["rejected"], report.created, invited) == ([], 1, 1)
