"""Organisations, people and places: spaCy mentions and gazetteer matches cleaned, filtered and clustered by rules."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .places import KnownPlace, index, place_key
from .text import UI_WORDS

# Head nouns that make a capitalised phrase the name of an organisation.
ORG_HEADS = frozenset("""
ministry ministries chamber committee commission council department bureau office agency authority administration
government municipality assembly parliament embassy consulate group corporation corp company co holdings holding ltd
limited inc llc gmbh ag plc bank fund park zone institute institution university academy college school association
federation union alliance organisation organization nations society foundation centre center cluster network port
airport railway railways airlines industries technologies motors energy telecom newswire agency conference secretariat
directorate service services commune confederation consortium cooperative exchange
""".split())
CORPORATE_SUFFIXES = frozenset("group holdings holding ltd limited inc llc gmbh ag plc corporation corp company co sa".split())
# A name ending in one of these is an event or a programme, not a body that acts.
EVENT_HEADS = frozenset("""
forum summit expo fair exhibition agreement memorandum initiative road belt week days festival dialogue roundtable
programme program project plan strategy declaration treaty protocol ceremony award awards prize
""".split())
# Acronyms that name kinds of things rather than organisations.
NON_ORG_ACRONYMS = frozenset("""
sme smes msme msmes cee ceec ceecs gdp fdi fta ict it ai r&d ceo cfo cto bri ppp vat ev evs iot hq eur usd cny rmb km
pm am tv gmt utc faq pdf covid b2b b2c ipo etf esg oem ngo ngos
""".split())
HONORIFICS = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|professor|sir|madam|h\.?\s?e|his excellency|her excellency|gospodin|gospođa|pan|pani)\.?\s+", re.I)

_MODS = (r"(?:(?:deputy|vice|executive|senior|chief|first|assistant|acting|former|honorary|state|party|prime|foreign|"
         r"general|managing|permanent|special|regional|provincial|municipal|city|county|district|associate|founding)[\s-]+)*")
_HEADS = (r"(?:president|chairman|chairwoman|chairperson|chair|director[\s-]general|director|"
          r"head\s+of\s+(?:department|division|unit|office|mission|delegation|section|sector)|head|"
          r"minister|mayor|governor|ambassador|consul[\s-]general|consul|secretary[\s-]general|secretary|"
          r"ceo|chief\s+executive(?:\s+officer)?|general\s+manager|manager|founder|co-founder|commissioner|"
          r"spokesperson|spokesman|spokeswoman|envoy|chancellor|rector|dean|professor|premier|"
          r"officer|counsellor|councillor|advisor|adviser|leader|coordinator|speaker|chief)")
TITLE = _MODS + _HEADS
TITLE_RE = re.compile(rf"\b{TITLE}\b", re.I)
_TITLE_WORDS = frozenset(re.findall(r"[a-z]+", _MODS + _HEADS)) - {"of", "s", "the", "a", "z"}


@dataclass
class Mention:
    text: str
    start: int
    end: int
    source: str  # spacy | rule | gazetteer


@dataclass
class Cluster:
    name: str
    aliases: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    id: str | None = None
    single_only: bool = True
    trusted: bool = False

    def names(self) -> set[str]:
        return {place_key(self.name)} | {place_key(a) for a in self.aliases}


def clean_name(text: str, start: int) -> tuple[str, int, int] | None:
    """Strips quotes, determiners, possessives and dangling connectors, keeping offsets right."""
    s, a = text, start
    while True:
        before = s
        m = re.match(r"^(?:[\"“”„«»'‘’\s]+|(?:the|The|THE|a|an)\s+)", s)
        if m:
            a += m.end()
            s = s[m.end():]
        s = re.sub(r"(?:[\"“”„«»‘\s,;:.]+|[’']s|\s+(?:of|and|for|the|in|at|to|&))$", "", s)
        if s == before:
            break
    s = s.split("\n")[0].rstrip()
    if s.count("(") > s.count(")"):
        s = s[:s.rindex("(")].rstrip()
    if not s:
        return None
    return s, a, a + len(s)


def is_acronym(s: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z&.\-]{1,9}s?", s)) and sum(c.isupper() for c in s) >= 2


def words(s: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:[’'][^\W_]+)?", s)


def has_org_head(s: str) -> bool:
    return any(w.lower() in ORG_HEADS for w in words(s))


def looks_like_event(s: str) -> bool:
    ws = [w.lower() for w in words(s)]
    return bool(ws) and (ws[-1] in EVENT_HEADS or ws[0] in EVENT_HEADS)


def is_junk(s: str) -> bool:
    ws = words(s)
    if not ws or s == s.lower():
        return True
    if all(w.lower() in UI_WORDS for w in ws):
        return True
    return False


def bracket_after(text: str, end: int) -> tuple[str | None, bool]:
    """The acronym in brackets right after a name, and whether a non-acronym bracket shows the name goes on."""
    m = re.match(r"\s*\(([^()\n]{1,60})\)", text[end:])
    if not m:
        return None, False
    inner = m.group(1).strip()
    if is_acronym(inner) and inner.lower() not in NON_ORG_ACRONYMS:
        return inner, False
    ws = words(inner)
    if 2 <= len(ws) <= 5 and all(w[:1].isupper() for w in ws):
        return inner, False  # a short form written out: "(China Exim Bank)"
    return None, not is_acronym(inner)


# ---------------------------------------------------------------- places

SLAVIC = frozenset({"sr", "hr", "bs", "sh", "pl", "sl", "cs", "sk", "mk", "bg", "ru", "uk"})


@dataclass
class PlaceHit:
    name: str
    country: str | None
    id: str | None
    start: int
    end: int
    known: bool
    demonym: bool = False


_WORD = re.compile(r"[^\W\d_](?:[\w'’]|\.(?=[^\W\d_]))*\.?")


def gazetteer_place_hits(text: str, language: str) -> list[PlaceHit]:
    """Known places by dictionary lookup of word n-grams (fast on long texts); case endings tolerated in Slavic text."""
    exact, stems, cjk = _place_tables()
    slavic = language in SLAVIC
    hits: list[PlaceHit] = []
    words_ = list(_WORD.finditer(text))
    i = 0
    while i < len(words_):
        found = None
        for n in range(min(6, len(words_) - i), 0, -1):
            a, b = words_[i].start(), words_[i + n - 1].end()
            cand = text[a:b]
            if "\n" in cand:
                continue
            for form in (cand, cand.rstrip(".")):
                place = exact.get(form)
                if place is None and slavic and form[-1:].islower():
                    for cut in range(1, 4):
                        if not form[-cut:].isalpha():
                            break
                        place = stems.get(form[:-cut])
                        if place is not None:
                            break
                if place is not None:
                    found = (place, a, a + len(form), n)
                    break
            if found:
                break
        if found and text[found[2]:found[2] + 1] != "-":
            place, a, b, n = found
            hits.append(PlaceHit(place.name, place.country, place.id, a, b, True))
            i += n
        else:
            i += 1
    if language == "zh" or any("\u4e00" <= c <= "\u9fff" for c in text[:2000]):
        taken: list[tuple[int, int]] = [(h.start, h.end) for h in hits]
        for surface, place in cjk:
            start = text.find(surface)
            while start >= 0:
                end = start + len(surface)
                if not any(start < y and x < end for x, y in taken):
                    taken.append((start, end))
                    hits.append(PlaceHit(place.name, place.country, place.id, start, end, True))
                start = text.find(surface, end)
    return hits


@functools.lru_cache(maxsize=1)
def _place_tables() -> tuple[dict[str, KnownPlace], dict[str, KnownPlace], tuple[tuple[str, KnownPlace], ...]]:
    """Surface forms for exact lookup, stems for inflected Slavic forms, and Chinese forms (longest first)."""
    exact: dict[str, KnownPlace] = {}
    stems: dict[str, KnownPlace] = {}
    cjk: list[tuple[str, KnownPlace]] = []
    for surface, place in index().surface:
        if len(surface) < 2:
            continue
        if re.search(r"[\u4e00-\u9fff]", surface):
            cjk.append((surface, place))
            continue
        exact.setdefault(surface, place)
        if len(surface) >= 4 and surface[-1].isalpha() and surface[-1].islower():
            # case endings: Srbija -> Srbiji, Zrenjanin -> Zrenjaninu, Кина -> Кине
            stems.setdefault(surface[:-1] if surface[-1].lower() in "aeiouаеиоуy" else surface, place)
    return exact, stems, tuple(cjk)


def resolve_place(text: str) -> KnownPlace | None:
    return index().lookup(text)


def demonym_place(word: str) -> KnownPlace | None:
    return index().demonyms.get(place_key(word))


def dedupe_spans(items: Iterable[Mention]) -> list[Mention]:
    """Keeps the longest of overlapping mentions; earlier sources win ties."""
    out: list[Mention] = []
    for m in sorted(items, key=lambda m: (-(m.end - m.start), m.start)):
        if any(m.start < o.end and o.start < m.end for o in out):
            continue
        out.append(m)
    return sorted(out, key=lambda m: m.start)


def title_words() -> frozenset[str]:
    return _TITLE_WORDS
