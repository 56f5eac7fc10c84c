"""Reference data for the directory: ISO countries, Chinese and CEE cities, NACE Rev. 2 sectors.

Pure Python (no Django), so importers, engines and tests can use it without a database.
"""
from __future__ import annotations

import copy
import csv
import functools
import io
import json
import re
from importlib import resources
from typing import Any

from silkbridge.engines.script import name_key

__all__ = [
    "load_countries", "load_cities", "load_nace", "load_sister_cities",
    "find_country", "find_cities", "country_codes", "map_sector", "name_key",
]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# "26", "C26", "C 26", "26.51", "C26.5.1": the two digits name the division.
_CODE = re.compile(r"^([A-Ua-u])?\s*(\d{2})(?:\.\d{1,2})*$")


@functools.cache
def _text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@functools.cache
def _rows(name: str) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(_text(name)))


def _load(name: str) -> list[dict[str, Any]]:
    # Copies, so a caller that edits its rows cannot corrupt anyone else's.
    return copy.deepcopy(list(_rows(name)))


def load_countries() -> list[dict[str, Any]]:
    """All 249 ISO 3166-1 countries: code, name_en, name_zh, name_local, name_local_latn, groups, aliases."""
    return _load("countries.json")


def load_cities() -> list[dict[str, Any]]:
    """Chinese and CEE cities (plus districts, counties and regions twinned with them).

    Each: country, name_en, name_zh, name_local, name_local_latn, aliases, kind
    (city, district, county, region or village).
    """
    return _load("cities.json")


def load_nace() -> list[dict[str, Any]]:
    """NACE Rev. 2: 21 sections and 88 divisions, with multilingual keywords for free-text sectors."""
    return _load("nace.json")


def load_sister_cities() -> list[dict[str, str]]:
    """Twin-town pairs between Chinese and CEE cities, as published: city1, country1, city2, country2.

    Names are as written in the source (English country names, "Tongzhou (Beijing)"); resolve them
    with `find_country` and `find_cities`.
    """
    return list(csv.DictReader(io.StringIO(_text("sister_cities_china_ceec.csv"))))


def _names(row: dict[str, Any]) -> list[str]:
    out = [row.get("name_en"), row.get("name_zh"), row.get("name_local"), row.get("name_local_latn")]
    out.extend(row.get("aliases") or [])
    return [n for n in out if n]


@functools.cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for row in _rows("countries.json"):
        index[row["code"].casefold()] = row["code"]
        for name in _names(row):
            index.setdefault(name_key(name), row["code"])
    return index


def find_country(name: str) -> dict[str, Any] | None:
    """The country with this ISO code or name in any listed language or alias ("Macedonia" -> MK)."""
    code = _country_index().get(name.strip().casefold()) or _country_index().get(name_key(name))
    if code is None:
        return None
    return copy.deepcopy(next(row for row in _rows("countries.json") if row["code"] == code))


def country_codes(group: str) -> list[str]:
    """ISO codes, in alphabetical order, of the countries in a group such as "ceec", "eu", "western_balkans"."""
    return sorted(row["code"] for row in _rows("countries.json") if group in row["groups"])


@functools.cache
def _city_index() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, row in enumerate(_rows("cities.json")):
        for key in dict.fromkeys(name_key(n) for n in _names(row)):
            index.setdefault(key, []).append(i)
    return {k: tuple(v) for k, v in index.items()}


def find_cities(name: str, country: str | None = None) -> list[dict[str, Any]]:
    """Cities whose name in any script or alias matches `name`; several when a name is shared (Yichun)."""
    hits = _city_index().get(name_key(name), ())
    rows = _rows("cities.json")
    return [copy.deepcopy(rows[i]) for i in hits if country is None or rows[i]["country"] == country.upper()]


_VOWELS = "aeiouy"


@functools.cache
def _sector_index() -> tuple[dict[str, str], dict[str, str], dict[str, str], tuple[tuple[str, str], ...],
                             dict[str, str], int]:
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    keywords: dict[str, str] = {}
    for row in _rows("nace.json"):
        codes[row["code"]] = row.get("parent") or row["code"]
        names.setdefault(name_key(row["name_en"]), row["code"])
        names.setdefault(name_key(row["name_zh"]), row["code"])
        for kw in row.get("keywords", ()):
            keywords.setdefault(name_key(kw), row["code"])
    # Chinese is written without spaces, so its keywords are found as substrings, longest first
    # ("汽车零部件" before "汽车"); other keywords are found as whole-word phrases.
    cjk = tuple(sorted(((k.replace(" ", ""), c) for k, c in keywords.items() if _CJK.search(k)),
                       key=lambda kc: (-len(kc[0]), kc[1])))
    # Slavic and Hungarian words inflect ("elektronika" -> "elektroniky", "energetikai"), so one-word
    # keywords also match by their stem; a stem shared by two sectors says nothing and is dropped.
    stems: dict[str, str] = {}
    clashing: set[str] = set()
    for k, c in keywords.items():
        if " " in k or _CJK.search(k):
            continue
        stem = k.rstrip(_VOWELS)
        if len(stem) < 4:
            continue
        if stems.setdefault(stem, c) != c:
            clashing.add(stem)
    for stem in clashing:
        del stems[stem]
    longest = max(len(k.split()) for k in keywords)
    return codes, names, keywords, cjk, stems, longest


def map_sector(text: str) -> str | None:
    """The NACE code (section letter or two-digit division) best matching a free-text sector, or None.

    Tries, in order: a code ("26", "C26", "62.01", "C"), an exact English or Chinese NACE
    name, an exact keyword; then keywords inside the text (whole-word phrases, word stems,
    Chinese substrings), preferring a division to a section and then the longest match.
    """
    raw = text.strip()
    if not raw:
        return None
    codes, names, keywords, cjk, stems, longest = _sector_index()
    m = _CODE.match(raw)
    if m:
        letter, division = m.group(1), m.group(2)
        if division not in codes or (letter and codes[division] != letter.upper()):
            return None
        return division
    if len(raw) == 1 and raw.upper() in codes:
        return raw.upper()
    key = name_key(raw)
    if not key:
        return None
    if key in names:
        return names[key]
    if key in keywords:
        return keywords[key]
    found: list[tuple[str, int]] = []
    words = key.split()
    for n in range(min(longest, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i:i + n])
            if phrase in keywords:
                found.append((keywords[phrase], len(phrase)))
    for word in words:
        for end in range(len(word), 3, -1):
            code = stems.get(word[:end])
            if code is not None and len(word) - end <= 4:
                # A stem match is weaker evidence than the same length of exact text.
                found.append((code, end - 1))
                break
    if _CJK.search(key):
        joined = key.replace(" ", "")
        found.extend((code, len(kw)) for kw, code in cjk if kw in joined)
    if not found:
        return None
    # A division is more specific than its section: "výroba elektroniky" is 26, not C.
    code, _ = max(found, key=lambda cl: (cl[0].isdigit(), cl[1]))
    return code
