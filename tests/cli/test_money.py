"""`silkbridge money convert` and `silkbridge money parse`: output shape and exit statuses."""
import json

from silkbridge.cli import main


def test_convert_prints_the_json_shape(capsys):
    status = main(["money", "convert", "100", "EUR", "USD", "--on", "1999-01-04", "--json"])
    assert status == 0
    assert json.loads(capsys.readouterr().out) == {
        "amount": "117.89", "currency": "USD", "rate": "1.1789",
        "rate_date": "1999-01-04", "source": "ECB 1999-01-04",
    }


def test_convert_rounds_the_amount_but_keeps_the_full_rate(capsys):
    assert main(["money", "convert", "1000", "rsd", "pln", "--on", "2021-03-04", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"amount": "38.60", "currency": "PLN", "rate": "0.0386",
                   "rate_date": "2021-03-03", "source": "NBP table B 2021-03-03"}
    assert main(["money", "convert", "100", "EUR", "RSD", "--on", "2021-03-04", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["amount"] == "11759.84"
    assert out["rate"] == "117.5984455958549222797927461"


def test_convert_prints_a_readable_line_without_json(capsys):
    assert main(["money", "convert", "100", "EUR", "USD", "--on", "1999-01-04"]) == 0
    assert capsys.readouterr().out == "100 EUR = 117.89 USD\nrate 1.1789 on 1999-01-04 (ECB 1999-01-04)\n"


def test_convert_exits_2_naming_an_unknown_currency(capsys):
    assert main(["money", "convert", "5", "EUR", "XYZ"]) == 2
    assert "'XYZ'" in capsys.readouterr().err


def test_convert_exits_2_naming_a_date_out_of_range(capsys):
    assert main(["money", "convert", "5", "EUR", "USD", "--on", "1990-01-01"]) == 2
    assert "1990-01-01" in capsys.readouterr().err


def test_convert_exits_2_on_a_malformed_amount_or_date(capsys):
    assert main(["money", "convert", "five", "EUR", "USD"]) == 2
    assert "'five'" in capsys.readouterr().err
    assert main(["money", "convert", "5", "EUR", "USD", "--on", "4 March"]) == 2
    assert "'4 March'" in capsys.readouterr().err


def test_parse_lists_amounts_as_json(capsys):
    assert main(["money", "parse", "人民币1684.58亿元和$50bn", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"amount": "168458000000", "currency": "CNY", "start": 0, "end": 12, "text": "人民币1684.58亿元"},
        {"amount": "50000000000", "currency": "USD", "start": 13, "end": 18, "text": "$50bn"},
    ]


def test_parse_prints_one_line_per_amount(capsys):
    assert main(["money", "parse", "150 miliona evra i 3,2 mld zł"]) == 0
    assert capsys.readouterr().out == (
        "0-16\t150000000 EUR\t150 miliona evra\n19-29\t3200000000 PLN\t3,2 mld zł\n")


def test_money_commands_do_not_set_up_django(monkeypatch, capsys):
    from silkbridge.cli import _django

    calls = []
    monkeypatch.setattr(_django, "setup", lambda: calls.append("setup"))
    assert main(["money", "parse", "$5"]) == 0
    assert main(["money", "convert", "5", "EUR", "USD", "--on", "2021-03-04"]) == 0
    assert calls == []


def test_convert_accepts_english_thousands_commas_but_refuses_a_decimal_comma(capsys):
    assert main(["money", "convert", "1,000", "EUR", "USD", "--on", "1999-01-04", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["amount"] == "1178.90"
    assert main(["money", "convert", "1,5", "EUR", "USD"]) == 2
    assert "'1,5'" in capsys.readouterr().err
