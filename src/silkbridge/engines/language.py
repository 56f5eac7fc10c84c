"""The text kernel's language detection, the only one: profiles, matching and article extraction call it.

One detector (CLD2 behind a few script rules) and one answer for "unsure": `UNSURE`, the
BCP 47 code "und". Three views of its answer, for three uses:

- `detect`: the code a profile text is stored under (ISO 639-1, plus `zh-hans`/`zh-hant` and
  `sr-cyrl`/`sr-latn`), Serbian, Croatian and Bosnian told apart by the country;
- `detect_iso`: the bare ISO 639-1 code that matching compares (`sr`, `zh`), where the author's
  declared language wins;
- `detect_article`: the same code for news, where names crowd short sentences, so the script and
  English function words decide before CLD2 does.

A language the author declared always wins over detection.
"""
from __future__ import annotations

import re

from silkbridge.engines.script import is_cyrillic

UNSURE = "und"

# Serbian, Croatian and Bosnian are one continuum that detectors confuse; the country decides.
_SHTOKAVIAN = {"sr", "hr", "bs", "sh"}
_COUNTRY_SHTOKAVIAN = {"RS": "sr", "HR": "hr", "BA": "bs", "ME": "sr"}
# CLD2's codes onto ISO 639-1; CLD2 cannot tell Serbian from Bosnian in Latin script, and most
# directory texts in that script are Serbian.
_CLD2_ISO = {"bs": "sr", "zh-hant": "zh", "iw": "he", "nb": "no"}

PROFILE_LANGUAGES = (
    "en", "zh-hans", "zh-hant", "sr-cyrl", "sr-latn", "hr", "bs", "sl", "mk", "bg", "ro", "hu", "pl",
    "cs", "sk", "el", "sq", "lt", "lv", "et", "de", "fr", "ru", "uk", "it", "es", "tr",
)


def normalise_code(code: str, text: str = "") -> str | None:
    """Map a user-written code ("sr", "SR_Latn", "zh", "zh-CN") onto a profile language, or None."""
    code = code.strip().lower().replace("_", "-")
    if not code:
        return None
    aliases = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans", "zh-tw": "zh-hant", "zh-hk": "zh-hant",
               "sr-rs": None, "sr-latin": "sr-latn", "sr-cyrillic": "sr-cyrl", "cz": "cs", "gr": "el", "cn": "zh-hans"}
    if code in aliases and aliases[code]:
        return aliases[code]
    if code in ("sr", "sr-rs"):
        return "sr-cyrl" if is_cyrillic(text) or not text else "sr-latn"
    return code if code in PROFILE_LANGUAGES else None


def iso_code(code: str) -> str:
    """The ISO 639-1 part of a code: "sr-latn" -> "sr", "zh-hans" -> "zh", "SR_Latn" -> "sr"; `UNSURE` stays."""
    code = code.strip().lower().replace("_", "-")
    return code.split("-")[0] if code else UNSURE


def _cld2(text: str) -> tuple[str, bool]:
    """CLD2's lower-cased code (`UNSURE` when it has none) and whether it calls itself reliable."""
    import pycld2

    try:
        reliable, _, details = pycld2.detect(text)
    except pycld2.error:
        # cld2 rejects some control characters; they carry no language.
        cleaned = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
        try:
            reliable, _, details = pycld2.detect(cleaned)
        except pycld2.error:
            return UNSURE, False
    code = details[0][1].lower() if details else "un"
    return (UNSURE, False) if code in ("un", "xx", "xxx") else (code, bool(reliable))


def detect(text: str, *, country: str | None = None) -> str:
    """The profile language of `text`, or `UNSURE` when the text is empty or unclear."""
    if not text or not text.strip():
        return UNSURE
    code, _reliable = _cld2(text)
    if code == UNSURE:
        return UNSURE
    if code in ("zh", "zh-hans"):
        return "zh-hans"
    if code == "zh-hant":
        return "zh-hant"
    if code in _SHTOKAVIAN:
        code = _COUNTRY_SHTOKAVIAN.get((country or "").upper(), code)
        if code == "sr" or is_cyrillic(text) and code in _SHTOKAVIAN:
            return "sr-cyrl" if is_cyrillic(text) else "sr-latn"
        return code
    if code in ("mk", "bg"):
        return code
    return normalise_code(code, text) or UNSURE


def detect_iso(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of ``text``; the author's declared language wins. `UNSURE` unless CLD2 is reliable."""
    if declared:
        return iso_code(declared)
    if not text or not text.strip():
        return UNSURE
    code, reliable = _cld2(text)
    return _CLD2_ISO.get(code, code) if reliable else UNSURE


_EN_FUNCTION_WORDS = frozenset("the of and in to a an is was were are will said for with on that by at from has have".split())


def detect_article(text: str) -> str:
    """ISO 639-1 code of a news article: script first, then English function words, then CLD2; `UNSURE` if none."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    letters = len(re.findall(r"[^\W\d_]", text)) or 1
    if han / letters > 0.2:
        return "zh"
    if len(re.findall(r"[\u0400-\u04ff]", text)) / letters > 0.3:
        return "sr" if re.search(r"[ђћџљњј]", text.lower()) else "ru"
    tokens = re.findall(r"[a-z]+", text.lower())
    english = sum(t in _EN_FUNCTION_WORDS for t in tokens)
    if tokens and english / len(tokens) >= 0.12:
        return "en"  # names dominate short news sentences and mislead character statistics
    code, reliable = _cld2(text)
    return {"zh-hant": "zh"}.get(code, code.split("-")[0]) if reliable else UNSURE
