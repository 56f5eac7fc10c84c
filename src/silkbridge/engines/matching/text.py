"""Text preparation for matching: normalising and chunking profile texts for the encoder.

Folding and language detection are the text kernel's (`engines.script.fold`,
`engines.language.detect_iso`), shared with the directory search and extraction.
"""
from __future__ import annotations

import re
import unicodedata

from silkbridge.engines.script import is_cyrillic, serbian_to_latin

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form that is embedded and hashed: NFC with runs of whitespace squeezed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


LATIN_FOR_ENCODER = frozenset({"sr", "bs", "me", "cnr", "sh"})
"""Languages written in both scripts whose Cyrillic texts the encoder reads in Latin letters."""
_NOT_SERBIAN = re.compile("[йщъьыэяюёѓќѕєіїґЙЩЪЬЫЭЯЮЁЃЌЅЄІЇҐ]")
"""Cyrillic letters outside the Serbian alphabet: a text with any of them (Bulgarian, Macedonian,
Russian, Ukrainian, whatever its detected or declared language) is never transliterated."""


def encoder_form(text: str, language: str) -> str:
    """The form of ``text`` given to the encoder: Serbian (and Bosnian, Montenegrin) Cyrillic in Latin letters.

    The two scripts carry the same words, but the small multilingual encoder places
    the Latin form closer to its translations (Tatoeba srp → eng, first 500 pairs:
    0.886 in Latin against 0.834 in Cyrillic; ``bench/bench_matching_tatoeba.py``).
    Users still see the text as written; only the vector comes from the Latin form.
    """
    if language in LATIN_FOR_ENCODER and is_cyrillic(text) and not _NOT_SERBIAN.search(text):
        return serbian_to_latin(text)
    return text


def supply_context(kind: str, sectors: tuple[str, ...] | list[str]) -> str:
    """The prefix read by the encoder in front of an organisation's offers: its kind and sectors in words.

    ``[city: urban transport, tourism] `` ; the kind ``other`` (or none) says nothing and is
    left out; no kind and no sectors give ``""``.
    """
    k = (kind or "").replace("_", " ").strip().lower()
    k = "" if k == "other" else k
    s = ", ".join(w for w in (normalise(x.replace("-", " ")) for x in sectors) if w)
    if k and s:
        return f"[{k}: {s}] "
    return f"[{k or s}] " if k or s else ""


def script_of(text: str) -> str:
    """Dominant script among letters: ``Cyrl``, ``Latn``, ``Hani``, ``Grek`` or ``Zyyy``."""
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("CYRILLIC"):
            key = "Cyrl"
        elif name.startswith("CJK") or name.startswith("HIRAGANA") or name.startswith("KATAKANA"):
            key = "Hani"
        elif name.startswith("GREEK"):
            key = "Grek"
        elif name.startswith("LATIN"):
            key = "Latn"
        else:
            key = "Zyyy"
        counts[key] = counts.get(key, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else "Zyyy"


# Sentence ends: Latin/Cyrillic/Greek punctuation followed by space, or CJK full stops.
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|(?<=[。！？；])|\n{2,}|\n(?=\s*[-•*·–])")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(normalise_keep_lines(text)) if s and s.strip()]


def normalise_keep_lines(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def _cost(text: str) -> int:
    # CJK characters each cost about one token; elsewhere a token is ~4 characters.
    wide = sum(1 for c in text if "\u2e80" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    return wide + (len(text) - wide + 3) // 4


def _is_wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\uac00" <= ch <= "\ud7af"


def _join(parts: list[str]) -> str:
    # Chinese sentences follow each other without a space.
    out = parts[0]
    for p in parts[1:]:
        out += p if _is_wide(out[-1]) and _is_wide(p[0]) else " " + p
    return out


def split_chunks(text: str, max_tokens: int = 96) -> list[str]:
    """Sentence-aligned chunks of about ``max_tokens`` tokens covering the whole text, in order.

    Short chunks keep each matched piece readable as a reason and stay far below the
    encoder's 512-token window, so nothing is truncated however long the profile is.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for sentence in split_sentences(text):
        pieces = [sentence] if _cost(sentence) <= max_tokens else _hard_split(sentence, max_tokens)
        for piece in pieces:
            c = _cost(piece)
            if current and size + c > max_tokens:
                chunks.append(_join(current))
                current, size = [], 0
            current.append(piece)
            size += c
    if current:
        chunks.append(_join(current))
    return [normalise(c) for c in chunks]


def _hard_split(sentence: str, max_tokens: int) -> list[str]:
    """Split a run-on sentence at spaces (or anywhere, for CJK) into pieces under the budget."""
    words = sentence.split(" ")
    if len(words) == 1:
        step = max(1, max_tokens)
        return [sentence[i : i + step] for i in range(0, len(sentence), step)]
    out: list[str] = []
    current: list[str] = []
    size = 0
    for w in words:
        c = _cost(w) + 1
        if c > max_tokens:
            if current:
                out.append(" ".join(current))
                current, size = [], 0
            out.extend(_hard_split(w, max_tokens))
            continue
        if current and size + c > max_tokens:
            out.append(" ".join(current))
            current, size = [], 0
        current.append(w)
        size += c
    if current:
        out.append(" ".join(current))
    return out
