"""Rules for organisations and people in Chinese and Serbian/Croatian/Bosnian text, where no statistical model is used."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .places import index


@dataclass(frozen=True)
class Found:
    name: str
    start: int
    end: int
    title: str | None = None
    affiliation: str | None = None


# ---------------------------------------------------------------- Chinese

_ZH_ORG_SUFFIX = ("委员会|联合会|促进会|基金会|交易所|研究院|研究所|办公室|管委会|集团|公司|银行|大学|学院|商会|协会|政府|中心|"
                  "部|局|厅")
_ZH_BOUNDARY = re.compile(r"[，。、；：！？“”《》（）()\s,.;:]|与|和|及|同|在|由|对|向|将|据|为|从|把|被|是|了|的|并")
_ZH_TITLES = ("国家副主席|国家主席|副总统|总统|副总理|总理|副部长|部长|副市长|市长|副省长|省长|总领事|大使|董事长|总经理|"
              "总裁|党委书记|市委书记|书记|秘书长|副主席|主席|副主任|主任|会长")
_ZH_NAME_STOP = "出席|表示|说|致辞|指出|强调|认为|会见|会晤|参加|通过|在|、|，|。|和|与|及|等|率|一行|介绍|宣布|提出|称"
_ZH_PERSON = re.compile(rf"({_ZH_TITLES})([\u4e00-\u9fff·]{{2,5}}?)(?={_ZH_NAME_STOP})")


def _zh_segments(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _ZH_BOUNDARY.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def chinese(text: str) -> tuple[list[Found], list[Found]]:
    """(organisations, people) in Chinese text: suffix rules for bodies, title-then-name rules for people."""
    orgs: list[Found] = []
    people: list[Found] = []
    for m in _ZH_PERSON.finditer(text):
        seg_start = max((a for a, b in _zh_segments(text[:m.start()]) if b == m.start()), default=m.start())
        aff = text[seg_start:m.start()] or None
        if aff and m.group(1)[0] in "部局厅" and not aff.endswith(m.group(1)[0]):
            aff += m.group(1)[0]  # "外交部长": the minister of the foreign ministry
        people.append(Found(m.group(2), m.start(2), m.end(2), m.group(1), aff))
    person_spans = [(p.start, p.end) for p in people]
    for a, b in _zh_segments(text):
        seg = text[a:b]
        m = re.search(rf"^[\u4e00-\u9fff]{{1,12}}?(?:{_ZH_ORG_SUFFIX})", seg)
        if not m or len(m.group(0)) < 3 or any(x < a + m.end() and a < y for x, y in person_spans):
            continue
        # a title glued after the body ("商务部副部长") is cut off by the lazy match
        orgs.append(Found(m.group(0), a, a + m.end()))
    return orgs, people


# ---------------------------------------------------------------- Serbian, Croatian, Bosnian (Latin and Cyrillic)

_U = "A-ZŠĐČĆŽЀ-ЏА-Я"
_L = "a-zšđčćžа-џ"
_SH_HEADS = ("[Mm]inistarstv|[Aa]gencij|[Kk]omor|[Vv]lad[aeiou]|[Uu]niverzitet|[Ii]nstitut|[Ff]akultet|[Ff]ond|[Zz]avod|"
             "[Ss]kupštin|[Uu]prav|[Bb]ank|[Ss]avez|[Ss]avet|[Mm]inistarstv|"
             "[Мм]инистарств|[Аа]генциј|[Кк]омор|[Вв]лад[аеиоу]|[Уу]ниверзитет|[Ии]нститут|[Фф]акултет|[Фф]онд|[Зз]авод|"
             "[Сс]купштин|[Уу]прав|[Бб]анк|[Сс]авез|[Сс]авет")
_SH_ORG = re.compile(rf"(?<![\w])(?:[{_U}][{_L}]+\s+)?(?:{_SH_HEADS})[{_L}]*(?:\s+[{_U}][{_L}]+|\s+[{_L}]{{4,}}(?=[\s,.;]))?")
_SH_COMPANY = re.compile(rf"\b(?:kompanij[aeiou]|firm[aeiou]|grup[aeiou]|компаниј[аеиоу]|фирм[аеиоу])\s+((?:[{_U}][\w-]+)(?:\s+[{_U}][\w-]+)?)")
_SH_TITLES = ("ministar(?:ka|ke|ki|a|u)?|predsedni(?:k|ca|ka|ce|ku)|premijer(?:ka|a|u)?|gradonačelni(?:k|ca|ka|ce|ku)|"
              "zameni(?:k|ca|ka|ce|ku)|ambasador(?:ka|a|u)?|direktor(?:ka|a|u)?|državn(?:i|og) sekretar(?:ka|a)?|šef|"
              "министар(?:ка|ке|а|у)?|председни(?:к|ца|ка|це|ку)|премијер(?:ка|а|у)?|градоначелни(?:к|ца|ка|це|ку)|"
              "замени(?:к|ца|ка|це|ку)|амбасадор(?:ка|а|у)?|директор(?:ка|а|у)?|државн(?:и|ог) секретар(?:ка|а)?|шеф")
_SH_PERSON = re.compile(rf"(?<![\w])((?i:{_SH_TITLES}))((?:\s+[{_L}]+){{0,3}}?)((?:\s+[{_U}][{_L}’'-]+)+)")


def _is_place_word(word: str) -> bool:
    idx = index()
    key = word.lower()
    for n in (key, key[:-1], key[:-2], key[:-1] + "a", key[:-2] + "a", key[:-1] + "ja"):
        if n and n in idx.by_name:
            return True
    return False


def serbo_croatian(text: str) -> tuple[list[Found], list[Found]]:
    """(organisations, people): head-noun phrases for bodies, title-then-name for people."""
    people: list[Found] = []
    for m in _SH_PERSON.finditer(text):
        run = m.group(3).split()
        if len(run) < 2:
            continue
        first, last = run[-2], run[-1]
        if _is_place_word(first) or _is_place_word(last):
            continue
        name = f"{first} {last}"
        start = m.start(3) + m.group(3).rfind(name)
        between = (m.group(2) + " " + " ".join(run[:-2])).strip() or None
        title = m.group(1)
        if title.lower().startswith(("ministar", "министар")) and m.group(2).strip():
            title = f"{title}{m.group(2)}"  # "Ministarka privrede": the portfolio is part of the post
        people.append(Found(name, start, start + len(name), title, between))
    person_spans = [(p.start, p.end) for p in people]
    orgs: list[Found] = []
    for m in _SH_ORG.finditer(text):
        name = m.group(0).strip()
        if not name[:1].isupper() or any(a < m.end() and m.start() < b for a, b in person_spans):
            continue
        orgs.append(Found(name, m.start(), m.start() + len(name)))
    for m in _SH_COMPANY.finditer(text):
        if not any(a < m.end(1) and m.start(1) < b for a, b in person_spans):
            orgs.append(Found(m.group(1), m.start(1), m.end(1)))
        else:
            # "kompanije Linglong Vang Feng": the company name stops where the person starts
            word = m.group(1).split()[0]
            if not any(a <= m.start(1) < b for a, b in person_spans):
                orgs.append(Found(word, m.start(1), m.start(1) + len(word)))
    return orgs, people
