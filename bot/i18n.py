"""The bot's languages: gettext catalogues under bot/locale, one `Gettext` per language.

Every text lives in bot/texts.py, marked with `N_` so that Babel can extract it; the
English text is the message id. `make messages` extracts (`bot/locale/bot.pot`), merges into
each language's `.po` and compiles the `.mo` files, which are committed: nothing is compiled
at run time.

A person's language is the one they chose with /language, else their Telegram app's
(`language_code`), else English.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT: Language = "en"
DOMAIN = "bot"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a text for extraction; it is translated where it is shown."""
    return message


def language_of(code: str | None) -> Language:
    """The bot's language for an IETF tag such as Telegram's `language_code` ('ru-RU')."""
    base = (code or "").split("-")[0].split("_")[0].lower()
    for language in LANGUAGES:
        if base == language:
            return language
    return DEFAULT


@functools.cache
def translations(language: Language) -> gettext.NullTranslations:
    """The compiled catalogue (bot/locale/<language>/LC_MESSAGES/bot.mo); English is the
    message ids themselves. A missing catalogue is an error, not a silent fallback."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, [language])


def gettext_for(language: str | None) -> Gettext:
    return translations(language_of(language)).gettext
