"""Resolving names read in news to directory organisations, people and cities, across scripts and languages.

A name is compared by keys of decreasing certainty: the same name in any script (Cyrillic and
Latin Serbian fold alike), the name without its legal form, pinyin of a Chinese name, a person's
name in the other order, the part before a dash or comma, a distinctive part of a longer name,
and an organisation's initials. A key that fits two records links neither: a reviewer decides
instead of a guess.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from silkbridge.engines.extraction import Gazetteer, GazetteerEntry
from silkbridge.engines.script import is_cyrillic, name_key, serbian_to_cyrillic, serbian_to_latin

# Confidence of each way a name can match; the first that fits one record wins.
SAME = 1.0
TRANSLITERATED = 0.95
WITHOUT_LEGAL_FORM = 0.9
PINYIN = 0.85
OTHER_ORDER = 0.8
MAIN_PART = 0.75
PART_OF_NAME = 0.65
INITIALS = 0.6

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CJK_LEGAL = re.compile(r"(?:股份)?有限(?:责任)?公司$|集团$")
# Legal forms as they fold (`name_key` turns "d.o.o." into "d o o"), longest first.
_LEGAL = sorted((tuple(form.split()) for form in (
    "co ltd", "co limited", "company limited", "ltd", "limited", "llc", "inc", "plc", "jsc", "corp", "co",
    "d o o", "doo", "dooel", "a d", "ad", "d d", "dd", "s a", "sa", "ae", "a e", "s r o", "sro", "a s", "as",
    "sp z o o", "s r l", "srl", "kft", "zrt", "nyrt", "bt", "gmbh", "ag", "ood", "eood", "ead", "oy", "ou", "uab",
    "sia", "sh p k", "shpk", "sh a",
)), key=len, reverse=True)
_LEGAL_SET = frozenset(_LEGAL)
_LEGAL_SIZES = sorted({len(f) for f in _LEGAL}, reverse=True)
_LEADING_LEGAL = {("uab",), ("sia",), ("ab",)}
_MINOR_WORDS = frozenset("of and the for in at on de di da za i u na a und et".split())
# "Ningbo Foreign Affairs Office, International Cooperation Division": the office is named before the comma.
_UNIT = re.compile(r"\s+[–—-]\s+|,\s+(?=\w{4,})")
# "City of Niš", "Grad Niš", "Municipality of Bar" name the city itself when a city is meant.
_CITY_OF = re.compile(r"^(?:the\s+)?(?:city|town|municipality|grad|град|opština|општина|miasto|město|mesto)\s+(?:of\s+)?",
                      re.I)
# Directories hold Serbian, Bosnian, Montenegrin and Macedonian names in either script.
_BOTH_SCRIPTS = {"RS", "BA", "ME", "MK"}


@dataclass(frozen=True)
class Link:
    """A directory record a name was resolved to, how, and how sure that is."""

    kind: str  # "organisation", "person" or "city"
    id: int
    label: str
    confidence: float
    how: str


@dataclass(frozen=True)
class Named:
    """One directory record with every name it is known by."""

    id: int
    label: str
    names: tuple[str, ...]
    country: str | None = None


@functools.lru_cache(maxsize=65536)
def strip_legal_form(name: str) -> str:
    """The folded name without a trailing (or leading) legal form: "medivera balkan" for "Медивера Балкан д.о.о."."""
    text = _CJK_LEGAL.sub("", name.strip())
    tokens = name_key(text).split()
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for size in _LEGAL_SIZES:
            if len(tokens) > size and tuple(tokens[-size:]) in _LEGAL_SET:
                tokens = tokens[:-size]
                changed = True
                break
        if len(tokens) > 1 and (tokens[0],) in _LEADING_LEGAL:
            tokens = tokens[1:]
            changed = True
    return " ".join(tokens)


def pinyin_keys(name: str, *, person: bool) -> tuple[str, ...]:
    """Space-less pinyin of a Chinese name: 王丽 -> "wangli", and "liwang" for the given-name-first order."""
    if not _CJK.search(name):
        return ()
    return _pinyin_keys(name, person)


@functools.lru_cache(maxsize=65536)
def _pinyin_keys(name: str, person: bool) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    core = _CJK_LEGAL.sub("", name.strip())
    syllables = [s for s in (name_key(x) for x in lazy_pinyin(core)) if s]
    if not syllables:
        return ()
    keys = ["".join(syllables)]
    if person and len(syllables) >= 2:
        keys.append("".join(syllables[1:]) + syllables[0])
    return tuple(keys)


def pinyin_display(name: str) -> list[str]:
    """How a Chinese person's name is written in Latin script: 许志明 -> "Xu Zhiming" and "Zhiming Xu"."""
    if not _CJK.search(name) or len(name) > 4:
        return []
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(name)
    if len(syllables) < 2 or not all(s.isascii() and s.isalpha() for s in syllables):
        return []
    surname, given = syllables[0].capitalize(), "".join(syllables[1:]).capitalize()
    return [f"{surname} {given}", f"{given} {surname}"]


def compact(text: str) -> str:
    return name_key(text).replace(" ", "")


def initials(name: str) -> str:
    """ "Serbian-Chinese Business Association" -> "scba"; empty when fewer than two words count."""
    words = [w for w in name_key(strip_legal_form(name)).split() if w not in _MINOR_WORDS]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _looks_like_initials(text: str) -> bool:
    return bool(re.fullmatch(r"[A-ZА-ЯЂЋЏЉЊ]{2,8}", text.strip()))


def _distinctive(key: str) -> str:
    """A key worth looking for inside longer names: two words or more, one of them not a common word."""
    words = key.split()
    if len(words) < 2 or all(w in _COMMON or len(w) < 4 for w in words):
        return ""
    return key


_COMMON = frozenset("""
city office university institute agency chamber commerce business association company group centre center
international national development trade investment technology technical science logistics energy solar
medical service services foreign affairs cooperation industrial park free zone bank fund the and new
""".split())


class _Index:
    """Keys of one kind of record, each naming the set of record ids that carry it, per way of matching."""

    def __init__(self, kind: str, records: Iterable[Named], *, person: bool = False) -> None:
        self.kind = kind
        self.person = person
        self.records: dict[int, Named] = {}
        self.keys: dict[float, dict[str, set[int]]] = {}
        # (key, id) -> the scripts (Cyrillic or not) of the stored names with that key
        self.scripts: dict[tuple[str, int], set[bool]] = {}
        self.padded: list[tuple[str, int]] = []  # " name without legal form ", for names quoted in part
        for record in records:
            self.records[record.id] = record
            for name in record.names:
                if name and name.strip():
                    self._add(record.id, name)

    def _put(self, level: float, key: str, record_id: int) -> None:
        if key:
            self.keys.setdefault(level, {}).setdefault(key, set()).add(record_id)

    def _add(self, record_id: int, name: str) -> None:
        key = name_key(name)
        self._put(SAME, key, record_id)
        self.scripts.setdefault((key, record_id), set()).add(is_cyrillic(name))
        if not self.person:
            stripped = strip_legal_form(name)
            self._put(WITHOUT_LEGAL_FORM, stripped, record_id)
            parts = _UNIT.split(name, maxsplit=1)
            if len(parts) == 2:
                self._put(MAIN_PART, strip_legal_form(parts[0]), record_id)
            if stripped:
                self.padded.append((f" {stripped} ", record_id))
            self._put(INITIALS, initials(name), record_id)
        else:
            tokens = key.split()
            if len(tokens) == 2:
                self._put(OTHER_ORDER, f"{tokens[1]} {tokens[0]}", record_id)
        for p in pinyin_keys(name, person=self.person):
            self._put(PINYIN, p, record_id)

    def _lookup(self, level: float, key: str, country: str | None) -> set[int]:
        if level == PART_OF_NAME:
            ids = {i for padded, i in self.padded if f" {key} " in padded}
        else:
            ids = self.keys.get(level, {}).get(key, set())
        if country:
            ids = {i for i in ids if self.records[i].country in (None, country)}
        return ids

    def resolve(self, names: Iterable[str], *, country: str | None = None) -> Link | None:
        names = [n for n in dict.fromkeys(n.strip() for n in names) if n]
        for level, how, key_of in (
            (SAME, "same name", lambda n: name_key(n)),
            (WITHOUT_LEGAL_FORM, "name without legal form", lambda n: "" if self.person else strip_legal_form(n)),
            (PINYIN, "pinyin", lambda n: compact(n)),
            (OTHER_ORDER, "name in the other order", lambda n: name_key(n) if self.person else ""),
            (MAIN_PART, "main part of the name", lambda n: "" if self.person else strip_legal_form(n)),
            (PART_OF_NAME, "part of the name", lambda n: "" if self.person else _distinctive(strip_legal_form(n))),
            (INITIALS, "initials", lambda n: name_key(n) if not self.person and _looks_like_initials(n) else ""),
        ):
            found: set[int] = set()
            matched_name = ""
            for name in names:
                key = key_of(name)
                ids = self._lookup(level, key, country) if key else set()
                if ids:
                    found |= ids
                    matched_name = matched_name or name
            if len(found) == 1:
                (record_id,) = found
                confidence = level
                if level == SAME and is_cyrillic(matched_name) not in self.scripts.get((name_key(matched_name), record_id), set()):
                    confidence, how = TRANSLITERATED, "transliteration"
                return Link(self.kind, record_id, self.records[record_id].label, confidence, how)
            if len(found) > 1:
                return None  # two records answer to this name: leave the choice to a person
        return None


class Linker:
    """Resolves organisations, people and cities; build it once per ingest with `from_directory()`."""

    def __init__(self, organisations: Iterable[Named] = (), people: Iterable[Named] = (),
                 cities: Iterable[Named] = ()) -> None:
        self.organisations = _Index("organisation", organisations)
        self.people = _Index("person", people, person=True)
        self.cities = _Index("city", cities)

    @classmethod
    def from_directory(cls) -> Linker:
        from silkbridge.directory.models import City, Organisation, OrganisationName, Person

        other: dict[int, list[str]] = {}
        for org_id, name in OrganisationName.objects.values_list("organisation_id", "name"):
            other.setdefault(org_id, []).append(name)
        orgs = [Named(pk, name, (name, *other.get(pk, ())), country)
                for pk, name, country in Organisation.objects.values_list("pk", "name", "country_id")]
        people = [Named(pk, name, (name, latin), None)
                  for pk, name, latin in Person.objects.values_list("pk", "name", "name_latin")]
        cities = [Named(c.pk, c.name_en, (c.name_en, c.name_zh, c.name_local, c.name_local_latn, *(c.aliases or ())),
                        c.country_id)
                  for c in City.objects.all()]
        return cls(orgs, people, cities)

    def organisation(self, name: str, aliases: Iterable[str] = (), *, country: str | None = None) -> Link | None:
        return self.organisations.resolve([name, *aliases], country=country)

    def person(self, name: str) -> Link | None:
        return self.people.resolve([name])

    def city(self, name: str, country: str | None = None) -> Link | None:
        return self.cities.resolve([name, _CITY_OF.sub("", name)], country=country)

    def gazetteer(self) -> Gazetteer:
        """Directory names, in the forms an article may print them, for the extraction engine to look for."""
        entries: list[GazetteerEntry] = []
        for r in self.organisations.records.values():
            forms: list[str] = []
            for name in r.names:
                forms.append(name)
                core = _UNIT.split(name, maxsplit=1)[0]
                forms.append(core)
                forms.append(_strip_legal_display(core))
                if r.country in _BOTH_SCRIPTS:
                    # Serbian news prints a name in either script, whichever the directory holds.
                    convert = serbian_to_latin if is_cyrillic(name) else serbian_to_cyrillic
                    forms += [convert(name), convert(_strip_legal_display(core))]
            entries += _entries(forms, "organization", f"org:{r.id}", r.country, r.label)
        for r in self.people.records.values():
            forms = [n for n in r.names if n]
            forms += [f for n in r.names if n for f in pinyin_display(n)]
            forms += [serbian_to_latin(n) for n in r.names if n and is_cyrillic(n)]
            entries += _entries(forms, "person", f"person:{r.id}", None, r.label)
        for r in self.cities.records.values():
            entries += _entries(r.names, "place", f"city:{r.id}", r.country, r.label)
        return Gazetteer(tuple(entries))


def _strip_legal_display(name: str) -> str:
    """The printed name without a trailing legal form, keeping its letters as written."""
    text = _CJK_LEGAL.sub("", name.strip())
    while True:
        shorter = re.sub(r",?\s+(?:co\.?,?\s*ltd\.?|ltd\.?|llc|inc\.?|plc|jsc|d\.\s?o\.\s?o\.|д\.\s?о\.\s?о\.|doo|"
                         r"dooel|дооел|a\.\s?d\.|а\.\s?д\.|d\.\s?d\.|s\.\s?a\.|a\.\s?e\.|α\.\s?ε\.|s\.\s?r\.\s?o\.|"
                         r"a\.\s?s\.|sp\.\s?z\s?o\.\s?o\.|s\.\s?r\.\s?l\.|kft\.?|zrt\.?|gmbh|ag|оод|еоод|еад|ад|доо|"
                         r"oü|sh\.\s?p\.\s?k\.|s\.\s?a\.)$", "", text, flags=re.I)
        if shorter == text or not shorter.strip():
            return text.strip()
        text = shorter


def _entries(forms: Iterable[str], kind: str, ident: str, country: str | None, label: str) -> list[GazetteerEntry]:
    out, seen = [], set()
    for form in forms:
        form = (form or "").strip()
        # Short forms ("Co", a lone surname) would be found inside unrelated words and names.
        if len(form) < 4 and not _CJK.search(form) or form in seen:
            continue
        seen.add(form)
        out.append(GazetteerEntry(name=form, kind=kind, id=ident, country=country, canonical=label))
    return out
