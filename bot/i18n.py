"""The bot's side of the shared catalogue (jobs/i18n.py): a `Gettext` per language, and
button texts made of an icon and a shared label (jobs/labels.py).

Every text the bot says lives in bot/texts.py (or jobs/labels.py, where the page shows it
too), marked with `N_`; `make messages` puts them into jobs/locale.

A person's language is the one they chose with /language, else their Telegram app's
(`language_code`), else English.
"""

from __future__ import annotations

from jobs.i18n import DEFAULT, LANGUAGES, N_, Gettext, Language, language_of, translations

__all__ = [
    "DEFAULT", "LANGUAGES", "N_", "Gettext", "Language", "gettext_for", "language_of", "with_icon",
]  # fmt: skip

# Button texts built by `with_icon`: the whole text -> (icon, label).
_WITH_ICON: dict[str, tuple[str, str]] = {}


def with_icon(icon: str, label: str) -> str:
    """'🎲 Surprise me': a shared label (translated alone) behind the bot's icon."""
    text = f"{icon} {label}"
    _WITH_ICON[text] = (icon, label)
    return text


def gettext_for(language: str | None) -> Gettext:
    translate = translations(language_of(language)).gettext

    def t(text: str) -> str:
        if text in _WITH_ICON:
            icon, label = _WITH_ICON[text]
            return f"{icon} {translate(label)}"
        return translate(text)

    return t
