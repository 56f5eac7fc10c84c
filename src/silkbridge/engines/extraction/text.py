"""Turns raw article input (plain text with a scraped header, or HTML) into a body, a title, a date and a mask of boilerplate lines."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import find_full_dates

# Words that scraped pages carry from their chrome (buttons, menus, widgets);
# a short line made only of them is never article content.
UI_WORDS = frozenset("""
close accept reject cookies cookie consent share tweet print email e-mail subscribe unsubscribe login log sign
signin signup register menu search skip content home back top next previous prev more read related update
latest popular trending advertisement advert sponsored tags tag topics categories category comments comment reply
newsletter follow like save bookmark download view gallery photo photos video videos watch listen podcast toggle navigation
privacy policy terms copyright rights reserved contact about us feedback help loading ok yes no continue show hide all
""".split())

_URL = re.compile(r"https?://\S+|(?<![\w@])(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|rs|cn|pl|hr|ba|eu|info|gov|edu|io|co|uk|de|me|mk|si|hu|cz|sk)\b(?:/\S*)?", re.I)
_BREADCRUMB = re.compile(r"\s(?:>|»)\s.*\s(?:>|»)\s|\s(?:/|\|)\s.*\s(?:/|\|)\s")
_HTML = re.compile(r"<\s*(?:html|body|div|p|article|head|span|a)\b[^>]*>", re.I)


@dataclass(frozen=True)
class Prepared:
    text: str
    title: str | None
    published: dt.date | None
    url: str | None
    boilerplate: tuple[tuple[int, int], ...]  # spans of lines that carry no article content


def looks_like_html(raw: str) -> bool:
    return len(_HTML.findall(raw[:20000])) >= 2


def is_boilerplate_line(line: str) -> bool:
    """A line that carries no article content: UI words, breadcrumbs, tracker names, lone lowercase words."""
    s = line.strip()
    if not s:
        return False
    words = re.findall(r"[^\W\d_]+", s)
    if not words:
        return True
    if len(words) <= 4 and all(w.lower() in UI_WORDS for w in words):
        return True
    if len(words) <= 2 and s == s.lower() and not re.search(r"[.!?。]$", s):
        return True  # tracker and widget names left behind by scrapers
    if _BREADCRUMB.search(s) and len(words) <= 8 and not re.search(r"[.!?。]$", s):
        return True
    if s.endswith(":") and len(words) <= 6:
        return True  # dangling labels such as "Link to original article:"
    return False


def _is_short_label(line: str) -> bool:
    s = line.strip()
    words = re.findall(r"[^\W\d_]+", s)
    return 0 < len(words) <= 3 and not re.search(r"[.!?。:\"”]$", s)


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        lines.append((pos, pos + len(line.rstrip("\r\n")), line.rstrip("\r\n")))
        pos += len(line)
    out = [(a, b) for a, b, s in lines if is_boilerplate_line(s)]
    # Short captionless lines trailing the last paragraph are section names and widgets ("Tech").
    for a, b, s in reversed(lines):
        if not s.strip() or (a, b) in out:
            continue
        if _is_short_label(s):
            out.append((a, b))
            continue
        break
    return sorted(set(out))


def mask(text: str, spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """Blanks out spans but keeps every offset, so later spans still point into the original text."""
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def _header(text: str, boiler: list[tuple[int, int]]) -> tuple[str | None, str | None]:
    title = url = None
    skip = set(boiler)
    pos = 0
    seen = 0
    for line in text.splitlines(keepends=True):
        a, b = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        s = line.strip()
        if not s:
            continue
        seen += 1
        if url is None and (m := _URL.search(s)) and seen <= 6:
            url = m.group(0).strip("/ ")
        if title is None and (a, b) not in skip and len(s) <= 200 and not _URL.fullmatch(s.strip("/ ")):
            title = s
        if seen >= 6:
            break
    return title, url


def prepare(raw: str, *, title: str | None = None, url: str | None = None,
            published: dt.date | None = None) -> Prepared:
    text = raw
    if looks_like_html(raw):
        text, meta_title, meta_date, meta_url = read_html(raw)
        title = title or meta_title
        published = published or meta_date
        url = url or meta_url
    boiler = boilerplate_spans(text)
    head_title, head_url = _header(text, boiler)
    title = title or head_title
    url = url or head_url
    if published is None:
        # A dateline or byline date near the top is the publication date of scraped news.
        clean = mask(text, boiler)
        for value, _a, _b in find_full_dates(clean[:700]):
            published = value
            break
    return Prepared(text=text, title=title, published=published, url=url, boilerplate=tuple(boiler))


def read_html(raw: str) -> tuple[str, str | None, dt.date | None, str | None]:
    """(body, title, date, url) of a web page: the article without menus, footers and widgets (trafilatura)."""
    import trafilatura

    body = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True) or ""
    meta = trafilatura.extract_metadata(raw)
    title = meta.title if meta is not None else None
    date = None
    if meta is not None and meta.date:
        try:
            date = dt.date.fromisoformat(meta.date[:10])
        except ValueError:
            date = None
    url = meta.url if meta is not None else None
    return body, title, date, url
