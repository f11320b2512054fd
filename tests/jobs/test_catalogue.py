"""The one catalogue (jobs/locale): every text of the bot and the page is in it, translated,
compiled, and called by one name."""

from __future__ import annotations

import io
import re
import string
from collections import defaultdict
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from jobs.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, catalogue, language_of, translations

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "jobs", "api")  # what `make messages` extracts from (the page: api/static)
PAGE = "api/static"
KEYWORDS = {"N_": None, "t": None, "say": (2,)}  # the Makefile's -k options
TRANSLATED = [language for language in LANGUAGES if language != "en"]


def extracted(*folders: str) -> set[str]:
    """The texts `make messages` finds in `folders`, by its mapping (jobs/locale/babel.cfg)."""
    with (LOCALE_DIR / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)  # type: ignore[no-untyped-call]
    found: set[str] = set()
    for folder in folders:
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder, method_map, options_map, keywords=KEYWORDS
        ):
            assert isinstance(message, str), f"no plural forms are used: {message}"
            found.add(message)
    return found


def po(language: str, kind: str = "po") -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.{kind}"
    with path.open("rb") as f:
        read = read_po(f) if kind == "po" else read_mo(io.BytesIO(f.read()))
    return {str(m.id): str(m.string) for m in read if m.id}


def test_every_text_of_the_bot_and_the_page_is_in_the_catalogue() -> None:
    everything = extracted(*SOURCES)
    for language in TRANSLATED:
        entries = po(language)
        assert sorted(everything - entries.keys()) == [], "run `make messages` and translate"
        assert sorted(entries.keys() - everything) == [], "unused entries: run `make messages`"


def test_every_entry_has_a_translation_with_its_placeholders() -> None:
    for language in TRANSLATED:
        entries = po(language)
        assert sorted(m for m, text in entries.items() if not text) == [], language
        for msgid, msgstr in entries.items():
            assert sorted(_fields(msgid)) == sorted(_fields(msgstr)), msgid


def test_compiled_catalogue_matches_its_source() -> None:
    for language in TRANSLATED:
        assert po(language, "mo") == po(language), "run `make messages` (the .mo is stale)"
        assert catalogue(language) == po(language)  # what the API serves, what the bot says


def test_the_page_texts_are_found_and_translated() -> None:
    """The page's texts from each way of marking them: index.html's data-i18n (text and
    attributes), t(), say() and N_() in its scripts."""
    page = extracted(PAGE)
    assert {
        "Repaint your photo in the style of a famous painting.",  # data-i18n
        "e.g. Van Gogh, Моне, Klimt",  # data-i18n-attr="placeholder"
        "Choose a photo first.",  # t()
        "In the queue: {n} ahead of you.",  # say()
        "Waiting to try the styles ({n} ahead)…",  # N_()
        "Balanced",  # N_(), the quality names the bot uses too
    } <= page
    russian = po("ru")
    assert sorted(text for text in page if not russian.get(text)) == []


def test_one_thing_has_one_name() -> None:
    """Texts that differ only in icons, case or final punctuation ('🎲 Surprise me',
    'Surprise me') are one thing: they must read alike in every language."""
    for language in TRANSLATED:
        groups: dict[str, set[str]] = defaultdict(set)
        for msgid, msgstr in po(language).items():
            groups[_bare(msgid)].add(_bare(msgstr))
        assert {k: v for k, v in groups.items() if len(v) > 1} == {}, language


def test_language_codes() -> None:
    assert language_of("ru") == language_of("ru-RU") == language_of("ru_RU") == "ru"
    assert language_of("en-GB") == language_of("de") == language_of(None) == "en"
    assert translations(language_of("ru-RU")).gettext("Balanced") == "Среднее"
    assert translations(language_of("en")).gettext("Balanced") == "Balanced"
    assert catalogue("en") == {}


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def _bare(text: str) -> str:
    """The words of a text: no icons or marks around them, no final full stop, any case."""
    return re.sub(r"^[^\w{]+|[\s.!…]+$", "", text).casefold()
