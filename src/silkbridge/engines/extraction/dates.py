"""Finds dates in English, Chinese, Serbian/Croatian/Bosnian and Polish text and normalises them against the publication date."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
# Serbian (Latin and Cyrillic), Bosnian and Croatian, nominative and genitive.
_SH = {}
for _n, _forms in enumerate([
    "januar januara januaru siječanj siječnja siječnju sijecanj sijecnja јануар јануара јануару",
    "februar februara februaru veljača veljače veljači veljaca veljace фебруар фебруара фебруару",
    "mart marta martu ožujak ožujka ožujku ozujak ozujka март марта марту",
    "april aprila aprilu travanj travnja travnju април априла априлу",
    "maj maja maju svibanj svibnja svibnju мај маја мају",
    "jun juna junu juni lipanj lipnja lipnju јун јуна јуну",
    "jul jula julu juli srpanj srpnja srpnju јул јула јулу",
    "avgust avgusta avgustu august augusta augustu kolovoz kolovoza kolovozu август августа августу",
    "septembar septembra septembru rujan rujna rujnu септембар септембра септембру",
    "oktobar oktobra oktobru listopad listopada listopadu октобар октобра октобру",
    "novembar novembra novembru studeni studenoga studenog studenom новембар новембра новембру",
    "decembar decembra decembru prosinac prosinca prosincu децембар децембра децембру",
], start=1):
    for _f in _forms.split():
        _SH[_f] = _n
_PL = {}
for _n, _forms in enumerate([
    "styczeń stycznia styczniu", "luty lutego lutym", "marzec marca marcu", "kwiecień kwietnia kwietniu", "maj maja maju",
    "czerwiec czerwca czerwcu", "lipiec lipca lipcu", "sierpień sierpnia sierpniu", "wrzesień września wrześniu",
    "październik października październiku", "listopad listopada listopadzie", "grudzień grudnia grudniu",
], start=1):
    for _f in _forms.split():
        _PL[_f] = _n


def month_names(language: str) -> dict[str, int]:
    """English names always apply (English dates appear in every language's press releases)."""
    if language == "pl":
        return {**_SH, **_PL, **_EN}  # Polish "listopad" is November, Croatian October
    return {**_PL, **_SH, **_EN}


def _alternation(names: dict[str, int]) -> str:
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


_FUTURE = re.compile(
    r"\b(?:will|shall|scheduled|plans?|planned|planning|intends?|expected|upcoming|next|is to|are to|going to|"
    r"aims? to|to be held|would|proposed|prepare|preparing|due to|set to|slated to|about to)\b|将|计划|拟|预计|即将|biće|će|ће|bit će|planira|zaplanowan|będzie|planuje",
    re.I,
)
_PAST_HINT = re.compile(r"\b(?:was|were|had|has been|took place|held|signed|opened|came|announced|said|met|visited)\b", re.I)


_PAST = re.compile(r"\b(?:was|were|had|has|have|entered|came|took|signed|held|opened|announced|said|met|visited|established|"
                   r"launched|began|started|ended|reached|grew|rose|fell|increased|decreased|last|ago|earlier)\b|"
                   r"\b\w+(?:ao|la|li|lo)\s+(?:je|su|smo|ste)\b|\bje\s+\w+(?:ao|la|lo)\b|了|已|去年|上月|stupio|stupila|potpisan\w*", re.I)


def speaks_of_future(sentence: str) -> bool:
    return bool(_FUTURE.search(sentence))


def tense_before(sentence: str, pos: int) -> bool | None:
    """Future (True), past (False) or unknown (None) from the cue nearest before ``pos`` in its clause."""
    window = sentence[max(0, pos - 80):pos]
    fut = [m.end() for m in _FUTURE.finditer(window)]
    # "will be held": a participle after "be" belongs to the future clause
    past = [m.end() for m in _PAST.finditer(window) if not re.search(r"\b(?:be|being)\s+$", window[:m.start()])]
    if not fut and not past:
        return None
    return (max(fut) if fut else -1) >= (max(past) if past else -1)


@dataclass(frozen=True)
class FoundDate:
    value: str
    start: int
    end: int
    text: str
    dateline: bool = False  # part of a "CITY, date (Agency) --" opening


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return dt.date(y, m, d).isoformat()
    except ValueError:
        return None
    if m is not None:
        return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
    return f"{y:04d}"


def _resolve(month: int, day: int | None, published: dt.date | None, future: bool) -> str | None:
    """A month (and day) without a year: the next such date after publication when speaking of the future, else the last one."""
    if published is None:
        return None
    year = published.year
    here = (month, day or 0)
    now = (published.month, published.day if day else 0)
    if future:
        if here < now:
            year += 1
    elif here > now:
        year -= 1
    return _iso(year, month, day)


_YEAR = r"(?:19[5-9]\d|20\d\d)"


def _patterns(language: str) -> list[tuple[re.Pattern[str], str]]:
    months = _alternation(month_names(language))
    return [
        (re.compile(rf"\b({_YEAR})[-/](\d{{1,2}})[-/](\d{{1,2}})\b"), "ymd"),
        (re.compile(rf"(?<![\d.])(\d{{1,2}})\.\s?(\d{{1,2}})\.\s?({_YEAR})\.?(?!\d)"), "dmy"),
        (re.compile(rf"({_YEAR})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]"), "ymd"),
        (re.compile(rf"({_YEAR})\s*年\s*(\d{{1,2}})\s*月"), "ym"),
        (re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), "md"),
        (re.compile(rf"(?<![\w])((?:{months}))\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*\d{{1,2}})?(?:,?\s+({_YEAR}))?(?![\d.,]\d)", re.I), "Mdy"),
        (re.compile(rf"(?<![\w.])(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?((?:{months}))\.?(?:,?\s+({_YEAR})\.?)?(?!\w)", re.I), "dMy"),
        (re.compile(rf"(?<![\w])(?:(early|mid|late|end of|beginning of|the end of|the beginning of|krajem|početkom|sredinom|pod koniec|na początku)[\s-]+)?((?:{months}))\.?(?:,?\s+({_YEAR}))?(?!\w)", re.I), "My"),
        (re.compile(rf"\b(?:in|since|by|until|during|from|of|u|do|od|w|za)\s+(?:early\s+|late\s+|mid-?)?({_YEAR})(?![\d.,]\d|\s*年)", re.I), "y"),
        (re.compile(rf"({_YEAR})\s*年(?!\s*\d{{1,2}}\s*月)"), "y"),
        (re.compile(r"\b(?:on|last|this|next|since)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I), "wd"),
        (re.compile(r"\b(last year|next year|this year|prošle godine|ove godine|sledeće godine|naredne godine|sljedeće godine|"
                    r"w zeszłym roku|w ubiegłym roku|w tym roku|w przyszłym roku)\b|(去年|今年|明年)", re.I), "rel"),
    ]


_CACHE: dict[str, list[tuple[re.Pattern[str], str]]] = {}


def find_dates(text: str, *, published: dt.date | None, language: str = "en",
               is_future: Callable[[int, int], bool] | None = None) -> list[FoundDate]:
    """Every date mention, normalised to an ISO prefix; overlapping matches keep the earliest, longest one."""
    pats = _CACHE.setdefault(language, _patterns(language))
    months = month_names(language)
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in pats:
        for m in pattern.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            value = _value(m, kind, months, published, (is_future or (lambda _a, _b: False))(a, b))
            if value is None:
                continue
            taken.append((a, b))
            found.append(FoundDate(value, a, b, m.group(0)))
    datelines = [m.span() for m in _DATELINE.finditer(text)]
    found = [FoundDate(f.value, f.start, f.end, f.text, any(a <= f.start < b for a, b in datelines)) for f in found]
    return sorted(found, key=lambda f: f.start)


_DATELINE = re.compile(r"(?m)^[^\S\n]*[A-ZČĆŠŽĐ][^\n]{0,80}?(?:\s--|\s—|\s–|\s-\s)")


def _value(m: re.Match[str], kind: str, months: dict[str, int], published: dt.date | None, future: bool) -> str | None:
    g = m.groups()
    if kind == "ymd":
        return _iso(int(g[0]), int(g[1]), int(g[2]))
    if kind == "dmy":
        return _iso(int(g[2]), int(g[1]), int(g[0]))
    if kind == "ym":
        return _iso(int(g[0]), int(g[1]))
    if kind == "md":
        return _resolve(int(g[0]), int(g[1]), published, future)
    if kind == "Mdy":
        month = months.get(g[0].lower())
        if month is None or (g[0].lower() == "may" and not g[2] and m.group(0)[0].islower()):
            return None
        return _iso(int(g[2]), month, int(g[1])) if g[2] else _resolve(month, int(g[1]), published, future)
    if kind == "dMy":
        month = months.get(g[1].lower())
        if month is None:
            return None
        return _iso(int(g[2]), month, int(g[0])) if g[2] else _resolve(month, int(g[0]), published, future)
    if kind == "My":
        word = g[1]
        month = months.get(word.lower())
        # Lowercase English month names are mostly other words ("may", "march"); abbreviations need capitals.
        if month is None or (word.lower() in _EN and (word[0].islower() or (len(word) <= 3 and word.lower() != "may"))):
            return None
        if word.lower() in ("may", "march") and not g[0] and not g[2] and not re.search(r"(?:in|of|since|until|by|early|late|mid|next|last|this)\s+$", m.string[max(0, m.start() - 8):m.start()], re.I):
            return None
        return _iso(int(g[2]), month) if g[2] else _resolve(month, None, published, future)
    if kind == "y":
        return _iso(int(g[0]))
    if kind == "wd":
        if published is None:
            return None
        wd = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].index(g[0].lower())
        # the nearest such weekday on or before publication, or after it when the text speaks of the future
        delta = (wd - published.weekday()) % 7 if future else -((published.weekday() - wd) % 7)
        return (published + dt.timedelta(days=delta)).isoformat()
    if kind == "rel":
        if published is None:
            return None
        word = (g[0] or g[1]).lower()
        if word in ("last year", "prošle godine", "w zeszłym roku", "w ubiegłym roku", "去年"):
            return _iso(published.year - 1)
        if word in ("next year", "sledeće godine", "naredne godine", "sljedeće godine", "w przyszłym roku", "明年"):
            return _iso(published.year + 1)
        return _iso(published.year)
    return None


def find_full_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Dates with day, month and year, in text order: candidates for a publication date."""
    out = []
    for f in find_dates(text, published=None, language="en"):
        if len(f.value) == 10:
            out.append((dt.date.fromisoformat(f.value), f.start, f.end))
    for f in find_dates(text, published=None, language="pl"):
        if len(f.value) == 10 and all(f.start != s for _d, s, _e in out):
            out.append((dt.date.fromisoformat(f.value), f.start, f.end))
    return sorted(out, key=lambda t: t[1])
