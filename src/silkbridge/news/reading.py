"""Reading news input without touching the database: web pages, RSS and Atom feeds, plain-text files and
folders of them, each turned into `Incoming` articles for `services.ingest`."""
from __future__ import annotations

import datetime as dt
import email.utils
import html
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from silkbridge.engines.extraction.text import looks_like_html, read_html

READABLE = {".txt", ".text", ".md", ".html", ".htm", ".xml", ".rss", ".atom"}
_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


@dataclass(frozen=True)
class Incoming:
    """One article as read from a file or a feed, before it is stored."""

    text: str
    title: str = ""
    url: str = ""
    published: dt.date | None = None
    raw_html: str = ""
    source: str = ""


class _TextOfHtml(HTMLParser):
    """Text of an HTML fragment (a feed item's body), one line per block, scripts and styles dropped."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def fragment_text(fragment: str) -> str:
    parser = _TextOfHtml()
    parser.feed(fragment)
    parser.close()
    return parser.text()


def html_article(raw: str, *, source: str = "", url: str = "") -> Incoming:
    """A web page: its article body without menus, footers and widgets, its title and date (the extraction
    engine's reader, so a page ingested here reads as `silkbridge news extract` reads it)."""
    body, title, published, page_url = read_html(raw)
    if not body.strip():
        # Short pages fall below trafilatura's notion of an article; their text is still the article.
        body = fragment_text(raw)
    return Incoming(text=body.strip(), title=title or "", url=url or page_url or "", published=published,
                    raw_html=raw, source=source)


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _feed_date(text: str | None) -> dt.date | None:
    if not text or not text.strip():
        return None
    try:
        return email.utils.parsedate_to_datetime(text.strip()).date()  # RSS: RFC 822
    except (TypeError, ValueError):
        return _iso_date(text)  # Atom: RFC 3339


def _item_body(content: str) -> tuple[str, str]:
    """(text, html) of a feed item's body, which may be escaped HTML or plain text."""
    if "<" in content and ">" in content:
        return fragment_text(content), content
    return html.unescape(content).strip(), ""


def feed_articles(data: str | bytes, *, source: str = "") -> list[Incoming]:
    """The items of an RSS 2.0 or Atom feed; raises ValueError for XML that is neither."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from exc
    out: list[Incoming] = []
    if root.tag == "rss" or root.find("channel") is not None:
        for item in root.iter("item"):
            body = item.findtext(_CONTENT) or item.findtext("description") or ""
            text, raw = _item_body(body)
            out.append(Incoming(text=text, title=(item.findtext("title") or "").strip(),
                                url=(item.findtext("link") or "").strip(), published=_feed_date(item.findtext("pubDate")),
                                raw_html=raw, source=source))
        return out
    if root.tag == f"{_ATOM}feed":
        for entry in root.iter(f"{_ATOM}entry"):
            link = ""
            for el in entry.findall(f"{_ATOM}link"):
                if el.get("rel", "alternate") == "alternate":
                    link = el.get("href", "")
                    break
            body = entry.findtext(f"{_ATOM}content") or entry.findtext(f"{_ATOM}summary") or ""
            text, raw = _item_body(body)
            out.append(Incoming(text=text, title=(entry.findtext(f"{_ATOM}title") or "").strip(), url=link.strip(),
                                published=_feed_date(entry.findtext(f"{_ATOM}published")
                                                     or entry.findtext(f"{_ATOM}updated")),
                                raw_html=raw, source=source))
        return out
    raise ValueError(f"an XML file but not an RSS or Atom feed (root element {root.tag!r})")


def read_file(path: Path) -> list[Incoming]:
    """The articles in one file: a feed's items, a web page, or a plain-text article."""
    data = path.read_bytes()
    head = data[:500].lstrip().lower()
    if path.suffix.lower() in (".xml", ".rss", ".atom") or head.startswith((b"<?xml", b"<rss", b"<feed")):
        return feed_articles(data, source=str(path))
    text = data.decode("utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm") or looks_like_html(text):
        return [html_article(text, source=str(path))]
    return [Incoming(text=text.strip(), source=str(path))]


def read_path(path: str | Path) -> Iterator[tuple[Path, list[Incoming] | Exception]]:
    """Each readable file under `path` (or `path` itself) with its articles, or the error that stopped it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE)
    for file in files:
        try:
            yield file, read_file(file)
        except (OSError, ValueError) as exc:
            yield file, exc
