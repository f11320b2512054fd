"""Inline keyboards and their callback data.

Callback data is at most 64 bytes, so it carries short ids, never Telegram file ids:

    a:<draft>:<slug>      pick a gallery painting for a pending request ("draft")
    pg:<draft>:<page>     turn the artist keyboard's page
    own:<draft>           the user will send their own style photo
    sh:<draft>            show the gallery as one picture (the contact sheet)
    sg:<draft>            suggest a style: the photo tried in every painting
    pk:<job>:<n>          paint the style ranked n by a suggestion (0: one of the top three)
    x:<draft>             drop the pending request
    cj:<job>              cancel a queued or running job
    re:<result>:<action>  re-run a finished result (artist|more|less|colors|quality)
    fq:<result>           send the finished picture uncompressed, as a file
    lang:<language>       choose the language the bot speaks (/language)
    set:<user>:<what>     change a preference (q:<quality> | s:<strength> | c | done)

Drafts, jobs and results have 8-character random ids; the handlers keep the tables behind
them, so a button whose id is no longer known simply says the menu has expired.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.i18n import LANGUAGES, gettext_for
from bot.models import STRENGTHS, Prefs
from engine import QUALITIES
from jobs.model import SUGGEST_TOP as TOP_PICKS
from styles.catalog import StyleEntry
from styles.categories import CATEGORIES, category_info

ARTIST, PAGE, OWN_STYLE, SHEET, DROP = "a", "pg", "own", "sh", "x"
SUGGEST, PICK = "sg", "pk"
PICKS_PER_ROW = 6
CANCEL_JOB, RERUN, FULL_QUALITY, SETTING, LANGUAGE = "cj", "re", "fq", "set", "lang"
MAX_DATA_BYTES = 64
PER_PAGE = 6
PER_ROW = 2

RerunAction = Literal["artist", "more", "less", "colors", "quality"]
RERUN_ACTIONS: tuple[RerunAction, ...] = get_args(RerunAction)


def callback_data(*parts: str | int) -> str:
    """Join parts with ':'; refuse anything Telegram would reject (over 64 bytes)."""
    data = ":".join(str(part) for part in parts)
    if len(data.encode("utf-8")) > MAX_DATA_BYTES:
        raise ValueError(f"callback data longer than {MAX_DATA_BYTES} bytes: {data!r}")
    return data


def split_data(data: str | None) -> list[str]:
    return (data or "").split(":")


def pattern(prefix: str) -> str:
    """The CallbackQueryHandler pattern for one kind of button."""
    return f"^{prefix}:"


def _button(text: str, *parts: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback_data(*parts))


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-total // per_page))


def category_pages(entries: Sequence[StyleEntry]) -> list[tuple[str, Sequence[StyleEntry]]]:
    """The picker's pages: one category after another (in styles.categories' order),
    PER_PAGE works a page; each page with its category's slug."""
    pages: list[tuple[str, Sequence[StyleEntry]]] = []
    for category in CATEGORIES:
        works = [e for e in entries if e.category == category.slug]
        pages += [(category.slug, works[i : i + PER_PAGE]) for i in range(0, len(works), PER_PAGE)]
    return pages or [("", ())]


def artist_keyboard(
    entries: Sequence[StyleEntry], draft_id: str, lang: str, page: int = 0, *,
    suggest: bool = True,
) -> InlineKeyboardMarkup:  # fmt: skip
    """Artists by category, PER_PAGE at a time, PER_ROW a row; ◀ ▶ wrap around, the middle
    button names the page's category; then "Suggest a style" (not for clips), the gallery as
    a picture, the person's own style photo, and Cancel."""
    t = gettext_for(lang)
    pages = category_pages(entries)
    page %= len(pages)
    category, shown = pages[page]
    rows = [
        [_button(texts.button_label(e, lang), ARTIST, draft_id, e.slug)
         for e in shown[i : i + PER_ROW]]
        for i in range(0, len(shown), PER_ROW)
    ]  # fmt: skip
    if len(pages) > 1:
        label = f"{category_info(category).label(lang)} · {page + 1}/{len(pages)}"
        rows.append(
            [
                _button(texts.BTN_PREV, PAGE, draft_id, (page - 1) % len(pages)),
                _button(label, PAGE, draft_id, page),
                _button(texts.BTN_NEXT, PAGE, draft_id, (page + 1) % len(pages)),
            ]
        )
    if suggest:
        rows.append([_button(t(texts.BTN_SUGGEST), SUGGEST, draft_id)])
    rows.append(
        [_button(t(texts.BTN_SHOW_PAINTINGS), SHEET, draft_id),
         _button(t(texts.BTN_OWN_STYLE), OWN_STYLE, draft_id)]
    )  # fmt: skip
    rows.append([_button(t(texts.BTN_CANCEL), DROP, draft_id)])
    return InlineKeyboardMarkup(rows)


def picks_keyboard(job_id: str, count: int, lang: str) -> InlineKeyboardMarkup:
    """A button per number on a suggestion sheet (the top three starred), "Surprise me"."""
    numbers = [
        _button(f"★{n}" if n <= TOP_PICKS else str(n), PICK, job_id, n) for n in range(1, count + 1)
    ]
    rows = [numbers[i : i + PICKS_PER_ROW] for i in range(0, len(numbers), PICKS_PER_ROW)]
    rows.append([_button(gettext_for(lang)(texts.BTN_SURPRISE), PICK, job_id, 0)])
    return InlineKeyboardMarkup(rows)


def suggestion_keyboard(
    entries: Sequence[StyleEntry], draft_id: str, lang: str
) -> InlineKeyboardMarkup:
    """'Did you mean' buttons, then a way back to the full list."""
    t = gettext_for(lang)
    rows = [[_button(texts.painting_label(e, lang), ARTIST, draft_id, e.slug)] for e in entries]
    rows.append([_button(t(texts.BTN_ALL_ARTISTS), PAGE, draft_id, 0)])
    rows.append([_button(t(texts.BTN_CANCEL), DROP, draft_id)])
    return InlineKeyboardMarkup(rows)


def job_keyboard(job_id: str, lang: str) -> InlineKeyboardMarkup:
    text = gettext_for(lang)(texts.BTN_CANCEL)
    return InlineKeyboardMarkup([[_button(text, CANCEL_JOB, job_id)]])


def result_keyboard(
    result_id: str, prefs: Prefs, lang: str, *, clip: bool = False
) -> InlineKeyboardMarkup:
    """Re-run buttons under a result (steps that can't go further are left out), and the
    uncompressed file. A clip has neither "Higher quality" (clips are painted at the clip
    quality, bot/clips.py) nor "Full quality" (the MP4 is the file)."""
    t = gettext_for(lang)

    def rerun(text: str, action: RerunAction) -> InlineKeyboardButton:
        return _button(t(text), RERUN, result_id, action)

    strength = [rerun(texts.BTN_WEAKER, "less")] if prefs.weaker() else []
    strength += [rerun(texts.BTN_STRONGER, "more")] if prefs.stronger() else []
    colors = texts.BTN_STYLE_COLORS if prefs.preserve_colors else texts.BTN_KEEP_COLORS
    last = [rerun(colors, "colors")]
    if prefs.higher_quality() and not clip:
        last.append(rerun(texts.BTN_HIGHER_QUALITY, "quality"))
    first = [rerun(texts.BTN_ANOTHER_ARTIST, "artist")]
    if not clip:
        first.append(_button(t(texts.BTN_FULL_QUALITY), FULL_QUALITY, result_id))
    return InlineKeyboardMarkup([first, strength, last])


def try_style_keyboard(link: str, lang: str) -> InlineKeyboardMarkup:
    """One button that opens the bot with a painting picked (a deep link)."""
    text = gettext_for(lang)(texts.BTN_TRY_STYLE)
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=link)]])


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(texts.LANGUAGE_NAMES[code], LANGUAGE, code) for code in LANGUAGES]]
    )


def settings_keyboard(user_id: int, prefs: Prefs, lang: str) -> InlineKeyboardMarkup:
    t = gettext_for(lang)

    def mark(text: str, chosen: bool) -> str:
        return f"✓ {t(text)}" if chosen else t(text)

    quality = [
        _button(mark(texts.QUALITY_NAMES[q], q == prefs.quality), SETTING, user_id, "q", q)
        for q in QUALITIES
    ]
    strength = [
        _button(mark(texts.STRENGTH_NAMES[name], name == prefs.strength_name),
                SETTING, user_id, "s", name)
        for name in STRENGTHS
    ]  # fmt: skip
    colors = t(texts.ON if prefs.preserve_colors else texts.OFF)
    return InlineKeyboardMarkup(
        [
            quality,
            strength,
            [_button(f"{t(texts.BTN_KEEP_COLORS)}: {colors}", SETTING, user_id, "c")],
            [_button(t(texts.BTN_DONE), SETTING, user_id, "done")],
        ]
    )


# -- deep links -------------------------------------------------------------------------------

ARTIST_START = "artist_"  # t.me/<bot>?start=artist_<slug> opens the bot with a painting picked


def artist_link(bot_username: str, slug: str) -> str:
    """The link that opens a private chat with the bot, `slug` picked (slugs fit Telegram's
    start parameter: at most 64 of A-Z a-z 0-9 _ -)."""
    return f"https://t.me/{bot_username}?start={ARTIST_START}{slug}"
