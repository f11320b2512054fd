"""Commands: /start (and its deep links), /help, /artists, /cancel, /language, /privacy,
/forget."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update

from bot import clips, keyboards, texts
from bot.delivery import CLIENT
from bot.handlers.common import (
    Context,
    answer,
    edit,
    is_private,
    origin,
    query,
    services,
    speaking,
)
from bot.handlers.submit import submit
from bot.i18n import gettext_for, language_of
from bot.keyboards import ARTIST_START, split_data
from styles.sheet import cached_contact_sheet

log = logging.getLogger(__name__)


async def start(update: Update, context: Context) -> None:
    """/start, or /start artist_<slug> from a result's link or a shared painting."""
    message, user = origin(update)
    lang, t = await speaking(context, user)
    argument = context.args[0] if context.args else ""
    slug = argument.removeprefix(ARTIST_START) if argument.startswith(ARTIST_START) else ""
    s = services(context)
    if slug not in s.catalog or not is_private(message):
        await answer(context, message, t(texts.START))
        return
    draft = s.drafts.get(message.chat_id, user.id)
    if draft is not None:  # a photo is waiting for its style: this is it
        await submit(context, draft, slug=slug)
        return
    await s.store.pick(user.id, slug)  # the next photo is painted this way
    entry = s.catalog.get(slug)
    caption = t(texts.ARTIST_CHOSEN).format(style=texts.painting_name(entry, lang))
    await message.reply_photo(await asyncio.to_thread(entry.path.read_bytes), caption=caption)


async def show_help(update: Update, context: Context) -> None:
    message, user = origin(update)
    _, t = await speaking(context, user)
    await answer(
        context, message, t(texts.HELP).format(bot=context.bot.username, seconds=clips.MAX_SECONDS)
    )


async def show_artists(update: Update, context: Context) -> None:
    message, user = origin(update)
    _, t = await speaking(context, user)
    await send_sheet(context, message, t(texts.ARTISTS_CAPTION))


async def send_sheet(context: Context, message: Message, caption: str) -> None:
    """The gallery's contact sheet: drawn once on disk, uploaded once to Telegram."""
    s = services(context)
    if s.sheet_file_id is not None:
        await message.reply_photo(s.sheet_file_id, caption=caption)
        return
    path = await asyncio.to_thread(cached_contact_sheet, s.catalog, s.settings.cache_dir)
    sent = await message.reply_photo(path.read_bytes(), caption=caption)
    s.sheet_file_id = sent.photo[-1].file_id if sent.photo else None


async def cancel(update: Update, context: Context) -> None:
    """/cancel: leave whatever step the user is in, and stop their job in this chat; one
    answer (a cancelled job's progress message says so itself)."""
    message, user = origin(update)
    _, t = await speaking(context, user)
    s = services(context)
    draft = s.drafts.get(message.chat_id, user.id)
    job = await s.current_job(user.id)
    if job is not None and job.chat_id != message.chat_id:
        job = None
    if draft is not None:
        s.drafts.drop(draft)
    if job is not None:
        await s.service.cancel(job.id)  # its progress message says "Cancelled"
    elif draft is not None:
        await answer(context, message, t(texts.DRAFT_CANCELLED))
    else:
        await answer(context, message, t(texts.NOTHING_TO_CANCEL))


# -- /language ----------------------------------------------------------------------------------


async def choose_language(update: Update, context: Context) -> None:
    message, user = origin(update)
    _, t = await speaking(context, user)
    await answer(context, message, t(texts.CHOOSE_LANGUAGE), keyboards.language_keyboard())


async def language_chosen(update: Update, context: Context) -> None:
    """Anyone may press: each person sets their own language."""
    pressed = query(update)
    language = language_of(split_data(pressed.data)[-1])
    await services(context).choose_language(pressed.from_user.id, language)
    text = gettext_for(language)(texts.LANGUAGE_SET)
    await pressed.answer(text)
    if is_private_query(pressed.message):
        await edit(pressed, text, None)


def is_private_query(message: object) -> bool:
    return isinstance(message, Message) and is_private(message)


# -- privacy ------------------------------------------------------------------------------------


async def privacy(update: Update, context: Context) -> None:
    message, user = origin(update)
    _, t = await speaking(context, user)
    ttl = texts.duration(services(context).settings.result_ttl, t)
    await answer(context, message, t(texts.PRIVACY).format(ttl=ttl))


async def forget(update: Update, context: Context) -> None:
    """/forget: settings, language, drafts, jobs and their files, all gone now."""
    message, user = origin(update)
    s = services(context)
    job_ids = set(await s.store.jobs_of(user.id))
    current = await s.service.active_of(CLIENT, str(user.id))
    job_ids |= {current.id} if current is not None else set()
    for job_id in job_ids:  # a running one is cancelled, its record blanked and swept later
        await s.service.forget(job_id)
    s.drafts.forget(user.id)
    await s.store.forget(user.id)
    s.forget_language(user.id)
    log.info("a user asked to be forgotten: %d jobs", len(job_ids))
    t = gettext_for(language_of(user.language_code))
    await answer(context, message, t(texts.FORGOTTEN))
