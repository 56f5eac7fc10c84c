"""The built-in gazetteer of countries, regions and major cities (English, local and Chinese names) with ISO country codes."""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from silkbridge.engines.script import name_key


@dataclass(frozen=True)
class KnownPlace:
    id: str
    name: str  # English display name
    kind: str  # country | region | city | supranational
    country: str | None


def place_key(name: str) -> str:
    """The kernel's `name_key` without a leading "the", so "Łódź", "Lodz" and "LODZ" meet, and "the Netherlands" too."""
    key = name_key(name)
    return key[4:] if key.startswith("the ") else key


@dataclass(frozen=True)
class PlaceIndex:
    by_name: dict[str, KnownPlace]
    demonyms: dict[str, KnownPlace]
    surface: tuple[tuple[str, KnownPlace], ...]  # exact surface forms, longest first

    def lookup(self, name: str) -> KnownPlace | None:
        key = place_key(name)
        if key in self.by_name:
            return self.by_name[key]
        base = re.sub(r"\s+(?:city|province|voivodship|voivodeship|municipality|county|region|district|oblast)$", "", key)
        base = re.sub(r"^(?:city of|province of|republic of|municipality of)\s+", "", base)
        return self.by_name.get(base)


@functools.lru_cache(maxsize=1)
def index() -> PlaceIndex:
    data = json.loads(resources.files(__package__).joinpath("data/places.json").read_text(encoding="utf-8"))
    by_name: dict[str, KnownPlace] = {}
    demonyms: dict[str, KnownPlace] = {}
    surface: list[tuple[str, KnownPlace]] = []
    for row in data["places"]:
        place = KnownPlace(row["id"], row["names"][0], row["kind"], row["country"])
        names = list(row["names"])
        if row["kind"] == "supranational":
            # "Central and Eastern Europe" is also written "Central and Eastern European countries"
            for n in row["names"]:
                if n.endswith(" Europe") and " " in n:
                    stem = n[: -len("Europe")] + "European"
                    names += [f"{stem} countries", f"{stem} Countries", f"{stem} states", f"{stem} States"]
        for n in names:
            # Countries win over same-named cities and regions.
            if place_key(n) not in by_name or row["kind"] == "country":
                by_name[place_key(n)] = place
            surface.append((n, place))
        for d in row.get("demonyms", []):
            demonyms[place_key(d)] = place
    surface.sort(key=lambda t: len(t[0]), reverse=True)
    return PlaceIndex(by_name, demonyms, tuple(surface))
