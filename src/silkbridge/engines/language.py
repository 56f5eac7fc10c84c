"""Language detection for profile texts, with Serbian script told apart (sr-cyrl / sr-latn).

Codes are the ones profiles are stored under: ISO 639-1, plus `zh-hans`/`zh-hant`
and `sr-cyrl`/`sr-latn`. A language the author declared always wins over detection.
"""
from __future__ import annotations

from silkbridge.engines.script import is_cyrillic

# Serbian, Croatian and Bosnian are one continuum that detectors confuse; the country decides.
_SHTOKAVIAN = {"sr", "hr", "bs", "sh"}
_COUNTRY_SHTOKAVIAN = {"RS": "sr", "HR": "hr", "BA": "bs", "ME": "sr"}

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


def detect(text: str, *, country: str | None = None) -> str | None:
    """Best guess of the language of `text`, or None when the text is too short or unclear."""
    if not text or not text.strip():
        return None
    import pycld2

    try:
        reliable, _, details = pycld2.detect(text)
    except pycld2.error:
        # cld2 rejects some control characters; they carry no language.
        cleaned = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
        reliable, _, details = pycld2.detect(cleaned)
    code = details[0][1] if details else "un"
    if code in ("un", "xx"):
        return None
    if code in ("zh", "zh-hans"):
        return "zh-hans"
    if code in ("zh-hant",):
        return "zh-hant"
    if code in _SHTOKAVIAN:
        code = _COUNTRY_SHTOKAVIAN.get((country or "").upper(), code)
        if code == "sr" or is_cyrillic(text) and code in _SHTOKAVIAN:
            return "sr-cyrl" if is_cyrillic(text) else "sr-latn"
        return code
    if code == "mk" or code == "bg":
        return code
    return normalise_code(code, text)
