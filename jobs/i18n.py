"""One catalogue for every sentence a person reads, in the bot and on the page.

The English text is the message id; a client marks its texts for extraction (`N_` in
Python, `t("…")` / `N_("…")` in the page's scripts, `data-i18n` in its HTML) and translates
them where they are shown. `make messages` extracts them all (from bot/, jobs/ and
api/, the page included) into jobs/locale/messages.pot, merges that into each language's `.po` and
compiles the `.mo` files, which are committed: nothing is compiled at run time, and running
needs only the standard library's gettext.

Neither client imports the other: the bot translates with `translations` (bot/i18n.py),
the API serves `catalogue(language)` to the page as JSON.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Literal, get_args

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT: Language = "en"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a text for extraction; it is translated where it is shown."""
    return message


def language_of(code: str | None) -> Language:
    """The language for an IETF tag such as Telegram's `language_code` ('ru-RU'); English
    for anything else."""
    base = (code or "").split("-")[0].split("_")[0].lower()
    for language in LANGUAGES:
        if base == language:
            return language
    return DEFAULT


@functools.cache
def translations(language: Language) -> gettext.NullTranslations:
    """The compiled catalogue (jobs/locale/<language>/LC_MESSAGES/messages.mo); English is
    the message ids themselves. A missing catalogue is an error, not a silent fallback."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, [language])


@functools.cache
def catalogue(language: Language) -> dict[str, str]:
    """Every translated text of `language`: {English text: translation}; empty for
    English, whose texts are their ids."""
    compiled = translations(language)
    if not isinstance(compiled, gettext.GNUTranslations):
        return {}
    # The .mo's table; its "" entry is the catalogue's header, not a text.
    table: dict[object, str] = getattr(compiled, "_catalog", {})
    return {key: text for key, text in table.items() if isinstance(key, str) and key}


# -- extraction from the page's HTML (a Babel extraction method, used by `make messages`) ----


class _Texts(HTMLParser):
    """The texts of elements marked `data-i18n` (their content is the message id) and of the
    attributes named in `data-i18n-attr` ("placeholder aria-label": their values are)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._open: list[tuple[str, int, list[str]]] = []  # (tag, line, text so far)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        line = self.getpos()[0]
        for name in (values.get("data-i18n-attr") or "").split():
            if values.get(name):
                self.found.append((line, str(values[name])))
        if "data-i18n" in values:
            self._open.append((tag, line, []))

    def handle_data(self, data: str) -> None:
        for _, _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, line, text = self._open.pop()
            self.found.append((line, " ".join("".join(text).split())))


def extract_html(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: dict[str, str]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extraction interface: (line, keyword, message, comments) per marked text."""
    parser = _Texts()
    parser.feed(fileobj.read().decode(options.get("encoding", "utf-8")))
    parser.close()
    for line, text in parser.found:
        if text:
            yield line, "N_", text, []
