"""One text kernel: `engines.script` folds and `engines.language` detects, and every engine that folds or
detects calls them, so the directory search, matching and extraction agree on every supported script."""
import ast
from pathlib import Path

import pytest

from silkbridge.engines import language
from silkbridge.engines.extraction import places
from silkbridge.engines.matching import matcher
from silkbridge.engines.script import fold, name_key

ENGINES = Path(__file__).resolve().parents[2] / "src" / "silkbridge" / "engines"

# (name, fold, name key) in every script the platform reads.
NAMES = [
    ("Đorđević", "djordjevic", "djordjevic"),                      # Serbian Latin
    ("Ђорђевић", "djordjevic", "djordjevic"),                      # Serbian Cyrillic
    ("Љубљана-Њиш, Џеп", "ljubljana-njis, dzep", "ljubljana njis dzep"),
    ("Łódź", "lodz", "lodz"),                                      # Polish
    ("  Győr\tBrașov  Čáslav ", "gyor brasov caslav", "gyor brasov caslav"),  # Hungarian, Romanian, Czech
    ("Straße Ærø", "strasse aero", "strasse aero"),                # German, Danish
    ("Ѓорче Петров, Ќерка", "gorce petrov, kerka", "gorce petrov kerka"),  # Macedonian
    ("Щастие Пловдив", "stastie plovdiv", "stastie plovdiv"),      # Bulgarian
    ("Ёлка Юрьев", "elka jurev", "elka jurev"),                    # Russian
    ("Θεσσαλονίκη", "θεσσαλονικη", "θεσσαλονικη"),                 # Greek keeps its letters, without accents
    ("北京 经销商", "北京 经销商", "北京 经销商"),                     # Chinese as written
    ("Smederevo d.o.o.", "smederevo d.o.o.", "smederevo d o o"),   # ASCII
]


@pytest.mark.parametrize(("name", "folded", "key"), NAMES)
def test_every_fold_agrees_on_names_in_every_script(name, folded, key):
    assert fold(name) == folded
    assert name_key(name) == key
    assert places.place_key(name) == key  # the gazetteer's key is the kernel's
    assert matcher.fold(name) == folded   # matching compares with the kernel's fold


def test_serbian_folds_alike_in_either_script_and_without_diacritics():
    assert fold("Ђорђе Јовановић, Шабац") == fold("Đorđe Jovanović, Šabac") == fold("Djordje Jovanovic, Sabac")


def test_the_gazetteer_key_also_drops_a_leading_article():
    assert places.place_key("The Netherlands") == "netherlands"
    assert places.index().lookup("ŁÓDŹ") == places.index().lookup("Lodz")


# (language, text): a clear sentence in each language the three views must agree on.
TEXTS = [
    ("sr", "Тражимо нове произвођаче ултразвучних апарата из Азије и partnere за извоз у Кину, посебно ђаке."),
    ("sr", "Tražimo nove proizvođače ultrazvučnih aparata iz Azije i partnere za izvoz u Kinu, posebno đake."),
    ("zh", "我们是一家生产超声设备的公司，正在寻找中东欧地区的经销商和长期合作伙伴。"),
    ("en", "We are looking for distributors of ultrasound equipment in Central and Eastern Europe and for partners."),
    ("pl", "Szukamy importera owoców w Chinach, który przejmie odprawę celną i dystrybucję w całym kraju."),
    ("el", "Αναζητούμε διανομείς ιατρικού εξοπλισμού στην Κίνα και μακροπρόθεσμους συνεργάτες για εξαγωγές."),
    ("hu", "Kínai forgalmazókat keresünk orvosi ultrahang berendezéseinkhez és hosszú távú partnereket az exporthoz."),
    ("ru", "Мы ищем дистрибьюторов медицинского оборудования в Китае и долгосрочных партнёров для экспорта."),
]


@pytest.mark.parametrize(("code", "text"), TEXTS)
def test_profile_matching_and_article_detection_agree(code, text):
    assert language.iso_code(language.detect(text)) == code
    assert language.detect_iso(text) == code
    assert matcher.detect_language(text) == code
    assert language.detect_article(text) == code


def test_serbian_profiles_keep_their_script():
    assert [language.detect(t) for _, t in TEXTS[:2]] == ["sr-cyrl", "sr-latn"]


@pytest.mark.parametrize("text", ["", "   ", "ok"])
def test_every_detector_answers_unsure_the_same_way(text):
    assert language.UNSURE == "und"
    assert {language.detect(text), language.detect_iso(text), language.detect_article(text)} == {language.UNSURE}


def test_a_declared_language_wins_and_is_reduced_to_its_iso_code():
    assert language.detect_iso("anything at all", "sr_Latn") == "sr"
    assert language.detect_iso("anything at all", "zh-Hans") == "zh"


def _defined_functions(path: Path) -> set[str]:
    return {n.name for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.FunctionDef)}


def test_fold_and_detection_are_implemented_once():
    folds, detectors = [], []
    for path in sorted(ENGINES.rglob("*.py")):
        names = _defined_functions(path)
        where = str(path.relative_to(ENGINES))
        folds += [where for n in names if n == "fold" or n.endswith("_fold")]
        detectors += [where for n in names if "detect" in n and "language" in n or n.startswith("detect_")]
    assert folds == ["script.py"]
    assert set(detectors) == {"language.py"}
