"""`silkbridge news extract`: engine-only, prints the documented JSON shape."""
from __future__ import annotations

import json

from silkbridge.cli import _django, main

ARTICLE = """Czech firms sign tram contract in Chengdu

PRAGUE, Nov. 18, 2023 /PRNewswire/ -- Skoda Transportation signed a contract with Chengdu Rail Transit Group (CRTG) for the supply of 20 trams worth 95 million euros on Friday.

Jan Rafaj, president of the Confederation of Industry of the Czech Republic, said Czech firms would attend an exhibition in Chengdu in April.

Share
"""


def test_news_extract_json_has_the_documented_shape(tmp_path, capsys):
    path = tmp_path / "czech_trams.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["news", "extract", "--json", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["articles"] and list(out["articles"]) == ["czech_trams.txt"]
    art = out["articles"]["czech_trams.txt"]
    assert list(art) == ["title", "published", "language", "organizations", "people", "places", "amounts", "counts", "events"]
    assert (art["title"], art["published"], art["language"]) == ("Czech firms sign tram contract in Chengdu", "2023-11-18", "en")
    assert {"name": "Chengdu Rail Transit Group", "aliases": ["CRTG"]} in art["organizations"]
    assert art["people"] == [{"name": "Jan Rafaj", "title": "president", "affiliation": "Confederation of Industry of the Czech Republic"}]
    assert {"name": "Chengdu", "country": "CN"} in art["places"]
    assert art["amounts"] == [{"value": 95000000, "currency": "EUR", "text": "95 million euros"}]
    assert art["counts"] == [{"value": 20, "what": "trams"}]
    assert [(e["type"], e["date"]) for e in art["events"]] == [("agreement", "2023-11-17"), ("exhibition", "2024-04")]
    assert set(art["events"][0]) == {"type", "date", "place", "parties", "text"}
    assert "Share" not in json.dumps(art)


def test_news_extract_needs_no_database(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("The Croatian Chamber of Economy (HGK) opened an office in Shanghai.", encoding="utf-8")
    was_ready = _django._ready
    assert main(["news", "extract", str(path)]) == 0
    assert _django._ready == was_ready
    assert "organisation  Croatian Chamber of Economy  (HGK)" in capsys.readouterr().out


def test_news_extract_missing_file_is_a_user_error(tmp_path, capsys):
    assert main(["news", "extract", str(tmp_path / "nope.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
