"""Commands and the handlers around every update: the flood guard, stale buttons, errors."""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import replace

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import keyboards, texts
from bot.handlers.common import Context, answer, edit, origin, owner_name, query, services
from bot.keyboards import split_data
from bot.models import STRENGTHS, Prefs
from engine import QUALITIES
from styles.sheet import cached_contact_sheet

log = logging.getLogger(__name__)


async def flood_check(update: Update, context: Context) -> None:
    """Runs first for every update: a person over the limit is told once, then ignored."""
    user = update.effective_user
    if user is None:
        return
    s = services(context)
    verdict = s.flood.check(user.id)
    if verdict == "ok":
        return
    if verdict == "warn":
        log.info("user %s is over the flood limit", user.id)
        text = texts.SLOW_DOWN.format(seconds=math.ceil(s.flood.wait(user.id)))
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await answer(context, update.effective_message, text)
    elif update.callback_query is not None:
        await update.callback_query.answer()  # no spinner left turning
    raise ApplicationHandlerStop


async def start(update: Update, context: Context) -> None:
    message, _ = origin(update)
    await answer(context, message, texts.START)


async def show_help(update: Update, context: Context) -> None:
    message, _ = origin(update)
    await answer(context, message, texts.HELP)


async def show_artists(update: Update, context: Context) -> None:
    """The gallery's contact sheet: drawn once on disk, uploaded once to Telegram."""
    message, _ = origin(update)
    s = services(context)
    if s.sheet_file_id is not None:
        await message.reply_photo(s.sheet_file_id, caption=texts.ARTISTS_CAPTION)
        return
    path = await asyncio.to_thread(cached_contact_sheet, s.catalog, s.settings.cache_dir)
    sent = await message.reply_photo(path.read_bytes(), caption=texts.ARTISTS_CAPTION)
    s.sheet_file_id = sent.photo[-1].file_id if sent.photo else None


async def cancel(update: Update, context: Context) -> None:
    """/cancel: leave whatever step the user is in, and stop their job in this chat."""
    message, user = origin(update)
    s = services(context)
    draft = s.drafts.get(message.chat_id, user.id)
    job = await s.current_job(user.id)
    if job is not None and job.chat_id != message.chat_id:
        job = None
    if draft is None and job is None:
        await answer(context, message, texts.NOTHING_TO_CANCEL)
        return
    if draft is not None:
        s.drafts.drop(draft)
    if job is not None:
        await s.service.cancel(job.id)  # its progress message says "Cancelled"
    await answer(context, message, texts.DRAFT_CANCELLED)


# -- /settings --------------------------------------------------------------------------------


async def show_settings(update: Update, context: Context) -> None:
    message, user = origin(update)
    s = services(context)
    prefs = await s.store.prefs(user.id, s.default_prefs)
    await answer(context, message, _settings_text(prefs),
                 keyboards.settings_keyboard(user.id, prefs))  # fmt: skip


async def setting_changed(update: Update, context: Context) -> None:
    pressed = query(update)
    s = services(context)
    _, owner, what, *value = split_data(pressed.data)
    if int(owner) != pressed.from_user.id:
        await pressed.answer(texts.MENU_NOT_YOURS.format(name=owner_name(pressed)))
        return
    await pressed.answer()
    prefs = await s.store.prefs(pressed.from_user.id, s.default_prefs)
    if what == "done":
        await edit(pressed, _settings_text(prefs, closed=True), None)
        return
    prefs = _changed(prefs, what, value[0] if value else "")
    await s.store.save_prefs(pressed.from_user.id, prefs)
    await edit(pressed, _settings_text(prefs),
               keyboards.settings_keyboard(pressed.from_user.id, prefs))  # fmt: skip


def _changed(prefs: Prefs, what: str, value: str) -> Prefs:
    """The preferences after one settings button (see bot/keyboards.py for the data)."""
    for quality in QUALITIES:
        if what == "q" and value == quality:
            return replace(prefs, quality=quality)
    for name, strength in STRENGTHS.items():
        if what == "s" and value == name:
            return replace(prefs, strength=strength)
    if what == "c":
        return prefs.toggled_colors()
    return prefs


def _settings_text(prefs: Prefs, *, closed: bool = False) -> str:
    strength = prefs.strength_name
    values = {
        "quality": texts.QUALITY_NAMES[prefs.quality],
        "strength": texts.STRENGTH_NAMES[strength] if strength else texts.CUSTOM,
        "colors": texts.ON if prefs.preserve_colors else texts.OFF,
    }
    return (texts.SETTINGS_CLOSED if closed else texts.SETTINGS).format(**values)


# -- whatever is left -------------------------------------------------------------------------


async def stale_button(update: Update, context: Context) -> None:
    """Any button nobody else understood, e.g. from an older version of the bot."""
    await query(update).answer(texts.MENU_EXPIRED)


async def error_occurred(update: object, context: Context) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(context.error, Forbidden):
        return  # the user blocked the bot: nobody to tell
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, texts.SOMETHING_WRONG)
    except TelegramError:
        log.warning("could not tell chat %s about the error", update.effective_chat.id)
