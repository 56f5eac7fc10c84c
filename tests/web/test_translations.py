"""The interface catalogues: compiled, in the right script, and the Latin one derived from the Cyrillic."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

import silkbridge

LOCALE = Path(silkbridge.__file__).parent / "locale"


def load_latinise():
    spec = importlib.util.spec_from_file_location("latinise", LOCALE / "latinise.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.latinise


@pytest.mark.parametrize(("language", "directory", "company", "plural"), [
    ("zh-hans", "名录", "企业", "5 家机构"),
    ("sr", "Именик", "Предузеће", "5 организација"),
    ("sr-latn", "Imenik", "Preduzeće", "5 organizacija"),
])
def test_compiled_catalogues_translate_ui_and_model_strings(language, directory, company, plural):
    with translation.override(language):
        assert gettext("Directory") == directory
        assert pgettext("organisation kind", "Company") == company
        assert ngettext("%(counter)s organisation", "%(counter)s organisations", 5) % {"counter": 5} == plural


def test_serbian_plural_forms_follow_the_number():
    with translation.override("sr"):
        forms = [ngettext("%(counter)s organisation", "%(counter)s organisations", n) % {"counter": n} for n in (1, 3, 11, 21)]
    assert forms == ["1 организација", "3 организације", "11 организација", "21 организација"]


def test_latin_catalogue_is_the_cyrillic_one_transliterated():
    latinise = load_latinise()
    cyrillic = (LOCALE / "sr" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    latin = (LOCALE / "sr_Latn" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert latinise(cyrillic) == latin, "run src/silkbridge/locale/latinise.py after editing sr/django.po"


def test_latinise_changes_only_translations_and_the_language_header():
    latinise = load_latinise()
    po = (
        'msgid ""\nmsgstr ""\n"Language: sr\\n"\n"Language-Team: Serbian (Cyrillic)\\n"\n\n'
        '#: x.py:1\nmsgctxt "организација"\nmsgid "Њива %(n)s"\nmsgstr "Њива џем %(n)s"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "љубав"\nmsgstr[1] "ђак"\n'
    )
    assert latinise(po) == (
        'msgid ""\nmsgstr ""\n"Language: sr_Latn\\n"\n"Language-Team: Serbian (Latin)\\n"\n\n'
        '#: x.py:1\nmsgctxt "организација"\nmsgid "Њива %(n)s"\nmsgstr "Njiva džem %(n)s"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "ljubav"\nmsgstr[1] "đak"\n'
    )


def test_server_error_page_renders_without_a_request_or_database():
    with translation.override("zh-hans"):
        html = loader.get_template("500.html").render()
    assert "<h1>出错了</h1>" in html


TEMPLATE_STRING = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+context\s+(["'])(.*?)\3)?\s*(?:as \w+\s*)?%}""")
SAME_IN_EVERY_LANGUAGE = {"JSON API"}


def test_there_is_one_catalogue_for_the_whole_site():
    # makemessages run from src/silkbridge scans every app into it (see locale/README).
    package = LOCALE.parent
    assert [p.relative_to(package).as_posix() for p in package.glob("*/locale")] == []
    assert sorted(p.name for p in LOCALE.iterdir() if p.is_dir()) == ["sr", "sr_Latn", "zh_Hans"]


@pytest.mark.parametrize("language", ["zh-hans", "sr"])
def test_every_template_string_is_translated(language):
    untranslated = []
    with translation.override(language):
        for template in sorted(LOCALE.parent.glob("*/templates/**/*.html")):
            for match in TEMPLATE_STRING.finditer(template.read_text(encoding="utf-8")):
                text, context = match.group(2), match.group(4)
                if text not in SAME_IN_EVERY_LANGUAGE and (pgettext(context, text) if context else gettext(text)) == text:
                    untranslated.append(f"{template.relative_to(LOCALE.parent)}: {text}")
    assert untranslated == []


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "stands", "table", "take_part"), [
    ("zh-hans", "主持方展台", "桌位 1", "如需参加，请为您所代表的机构报名。"),
    ("sr", "Штандови домаћина", "Сто 1", "Да бисте учествовали, пријавите организацију коју представљате."),
    ("sr-latn", "Štandovi domaćina", "Sto 1", "Da biste učestvovali, prijavite organizaciju koju predstavljate."),
])
def test_the_forum_set_up_and_registration_pages_speak_each_language(client, django_user_model, language, stands,
                                                                     table, take_part):
    from datetime import date

    from silkbridge.forums import services

    forum = services.create_forum(name="Forum", slug="f", starts_on=date(2026, 9, 8), tables=2)
    client.force_login(django_user_model.objects.create_user("org", "org@example.org", "pw", is_staff=True))
    setup_page = client.get(f"/{language}/forums/f/manage/setup/").content.decode()
    assert stands in setup_page and table in setup_page and "Host stands" not in setup_page
    client.force_login(django_user_model.objects.create_user("ana", "ana@example.org", "pw"))
    assert forum.status == "open"
    assert take_part in client.get(f"/{language}/forums/f/").content.decode()
