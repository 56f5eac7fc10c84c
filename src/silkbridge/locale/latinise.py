"""Write the Serbian Latin catalogue (sr_Latn) from the Cyrillic one (sr), so translators keep one file.

Serbian Cyrillic maps onto Latin letter by letter without ambiguity (the reverse does not: "nj" may be
one letter or two), so the Cyrillic catalogue is the source. Run: python src/silkbridge/locale/latinise.py
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from silkbridge.engines.script import serbian_to_latin  # noqa: E402


def latinise(po_text: str) -> str:
    """The same catalogue with every msgstr in Latin script; ids, contexts and comments untouched."""
    out: list[str] = []
    in_msgstr = False
    header = True
    for line in po_text.splitlines(keepends=True):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif line.startswith(("msgid", "msgctxt", "#")) or not line.strip():
            if in_msgstr and line.startswith("msgid"):
                header = False
            in_msgstr = False
        if in_msgstr:
            if header and line.startswith('"Language: '):
                line = '"Language: sr_Latn\\n"\n'
            elif header and line.startswith('"Language-Team: '):
                line = '"Language-Team: Serbian (Latin)\\n"\n'
            else:
                line = serbian_to_latin(line)
        out.append(line)
    return "".join(out)


def main() -> int:
    source = HERE / "sr" / "LC_MESSAGES" / "django.po"
    target = HERE / "sr_Latn" / "LC_MESSAGES" / "django.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(latinise(source.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
