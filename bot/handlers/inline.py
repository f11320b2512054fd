"""Inline mode: "@bot van gogh" in any chat lists the matching paintings; the one chosen is
posted with a "Try this style" button, a link that opens the bot with it picked.

Telegram fetches inline photos by URL, and the bot has no URL of its own. With
PUBLIC_BASE_URL (the page and API's public address) set, the results are photos served by
the API (`/v1/styles/<slug>/thumbnail`); without it they are text results (the painting's
name, with the same button), so inline mode never depends on the API being up.
"""

from __future__ import annotations

from telegram import (
    InlineQuery,
    InlineQueryResult,
    InlineQueryResultArticle,
    InlineQueryResultPhoto,
    InputTextMessageContent,
    Update,
)

from bot import keyboards, texts
from bot.handlers.common import Context, services, speaking
from styles.catalog import Catalog, StyleEntry
from styles.lookup import normalize

MAX_RESULTS = 20  # Telegram shows 50 at most; the gallery has about thirty
CACHE_SECONDS = 300


def matches(catalog: Catalog, text: str) -> list[StyleEntry]:
    """Paintings for what was typed so far: every name containing it, else the forgiving
    look-up's answer (typos); nothing typed: the whole gallery."""
    typed = normalize(text)
    if not typed:
        return list(catalog.entries)
    hits = [e for e in catalog.entries if any(typed in name for name in e.names())]
    if hits:
        return hits
    found = catalog.lookup(text)
    if found.entry is not None:
        return [found.entry]
    return list(found.candidates) if found.ambiguous else []  # no far-fetched guesses


async def inline_query(update: Update, context: Context) -> None:
    asked = update.inline_query
    if asked is None:
        return
    s = services(context)
    lang, t = await speaking(context, asked.from_user)
    entries = matches(s.catalog, asked.query)[:MAX_RESULTS]
    results = [_result(entry, lang, context.bot.username, s.settings.public_base_url)
               for entry in entries]  # fmt: skip
    await _answer(asked, results, t(texts.INLINE_NOTHING if asked.query else texts.INLINE_HINT))


async def _answer(asked: InlineQuery, results: list[InlineQueryResult], hint: str) -> None:
    if results:
        await asked.answer(results, cache_time=CACHE_SECONDS, is_personal=True)
        return
    nothing = InlineQueryResultArticle("none", hint, InputTextMessageContent(hint))
    await asked.answer([nothing], cache_time=CACHE_SECONDS, is_personal=True)


def _result(entry: StyleEntry, lang: str, bot: str, base_url: str | None) -> InlineQueryResult:
    label = texts.painting_label(entry, lang)
    button = keyboards.try_style_keyboard(keyboards.artist_link(bot, entry.slug), lang)
    category = entry.category_info.label(lang)
    if base_url:
        url = f"{base_url.rstrip('/')}/v1/styles/{entry.slug}/thumbnail"
        return InlineQueryResultPhoto(
            entry.slug, url, url, title=label, description=category, caption=label,
            reply_markup=button,
        )  # fmt: skip
    return InlineQueryResultArticle(
        entry.slug, label, InputTextMessageContent(f"🎨 {label}"), description=category,
        reply_markup=button,
    )  # fmt: skip
