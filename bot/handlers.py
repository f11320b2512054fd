"""The conversation, one function per step, and `register`, the table that wires them up.

A request starts as a *draft* (bot/drafts.py): the content photo, keyed by chat and user, so
that two people in one group never mix. Choosing a style (a button, a typed name, a second
photo) turns the draft into a *job* for the queue. Buttons carry short ids (see
bot/keyboards.py) and every button handler checks that the person pressing it owns it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass, field, replace

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import keyboards, media, texts
from bot.delivery import CLIENT, Deliveries, not_modified, style_name
from bot.drafts import Draft, Drafts
from bot.flood import FloodGuard
from bot.keyboards import pattern, split_data
from bot.models import STRENGTHS, Job, Photo, Prefs, Style, job_from_json, job_to_json
from bot.ratelimit import FAST
from bot.settings import Settings
from bot.store import Store
from engine import QUALITIES, StyleParams
from jobs import Busy, JobRefused, JobRequest, JobService, Owner, QueueFull, UnknownJob
from jobs.model import new_job_id
from styles.catalog import Catalog
from styles.sheet import cached_contact_sheet

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
SERVICES = "services"
MAX_QUERY_SHOWN = 40


@dataclass
class Services:
    """What the handlers share; kept in `application.bot_data`."""

    settings: Settings
    catalog: Catalog
    store: Store
    service: JobService
    deliveries: Deliveries
    owns_service: bool  # started and stopped with the bot (not shared with the API)
    drafts: Drafts = field(init=False)
    flood: FloodGuard = field(init=False)
    sheet_file_id: str | None = None  # the gallery sheet, once uploaded

    def __post_init__(self) -> None:
        self.flood = FloodGuard(self.settings.user_updates_per_minute)
        self.drafts = Drafts(self.store)

    async def current_job(self, user_id: int) -> Job | None:
        """The user's job that is still waiting or running, if any."""
        record = await self.service.active_of(CLIENT, str(user_id))
        return job_from_json(record.reply) if record is not None else None

    async def job(self, job_id: str) -> Job | None:
        """A job of this bot that has not ended, by id."""
        try:
            record = await self.service.get(job_id)
        except UnknownJob:
            return None
        if record.ended or record.owner.client != CLIENT:
            return None
        return job_from_json(record.reply)

    @property
    def default_prefs(self) -> Prefs:
        return Prefs(quality=self.settings.default_quality)


def services(context: Context) -> Services:
    found = context.bot_data.get(SERVICES)
    if not isinstance(found, Services):
        raise RuntimeError("build_application() sets up the services")
    return found


def _origin(update: Update) -> tuple[Message, User]:
    """The message and sender of a message update (the filters guarantee both)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        raise ValueError(f"update {update.update_id} has no message or sender")
    return message, user


def _is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


def _replies_to(message: Message, user_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == user_id


# -- before everything else -------------------------------------------------------------------


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
            await _answer(context, update.effective_message, text)
    elif update.callback_query is not None:
        await update.callback_query.answer()  # no spinner left turning
    raise ApplicationHandlerStop


# -- commands ---------------------------------------------------------------------------------


async def start(update: Update, context: Context) -> None:
    message, _ = _origin(update)
    await _answer(context, message, texts.START)


async def show_help(update: Update, context: Context) -> None:
    message, _ = _origin(update)
    await _answer(context, message, texts.HELP)


async def show_artists(update: Update, context: Context) -> None:
    """The gallery's contact sheet: drawn once on disk, uploaded once to Telegram."""
    message, _ = _origin(update)
    s = services(context)
    if s.sheet_file_id is not None:
        await message.reply_photo(s.sheet_file_id, caption=texts.ARTISTS_CAPTION)
        return
    path = await asyncio.to_thread(cached_contact_sheet, s.catalog, s.settings.cache_dir)
    sent = await message.reply_photo(path.read_bytes(), caption=texts.ARTISTS_CAPTION)
    s.sheet_file_id = sent.photo[-1].file_id if sent.photo else None


async def show_settings(update: Update, context: Context) -> None:
    message, user = _origin(update)
    s = services(context)
    prefs = await s.store.prefs(user.id, s.default_prefs)
    await _answer(context, message, _settings_text(prefs),
                  keyboards.settings_keyboard(user.id, prefs))  # fmt: skip


async def cancel(update: Update, context: Context) -> None:
    """/cancel: leave whatever step the user is in, and stop their job in this chat."""
    message, user = _origin(update)
    s = services(context)
    draft = s.drafts.get(message.chat_id, user.id)
    job = await s.current_job(user.id)
    if job is not None and job.chat_id != message.chat_id:
        job = None
    if draft is None and job is None:
        await _answer(context, message, texts.NOTHING_TO_CANCEL)
        return
    if draft is not None:
        s.drafts.drop(draft)
    if job is not None:
        await s.service.cancel(job.id)  # its progress message says "Cancelled"
    await _answer(context, message, texts.DRAFT_CANCELLED)


async def stylize_command(update: Update, context: Context) -> None:
    """/stylize [artist]: as a reply to a photo, in a photo's caption, or after a photo."""
    message, user = _origin(update)
    s = services(context)
    query = _command_argument(message, context.bot.username)
    if query is None:
        return  # "/stylize@SomeOtherBot" in a group
    replied = message.reply_to_message
    attached, content = media.image_of(message), media.image_of(replied)
    if attached is not None and content is not None and replied is not None:
        # A photo captioned /stylize, replying to the content photo: it is the style.
        for photo in (content, attached):
            if not await _small_enough(message, photo, s):
                return
        style_draft = s.drafts.start(_new_draft(message, user, content, replied.message_id))
        await _submit(context, style_draft, Style(photo=attached))
        return
    draft = await _draft_for_command(message, user, s)
    if draft is None:
        return
    if query:
        await _choose_by_name(context, draft, query)
    else:
        await _ask_for_style(context, draft)


# -- messages ---------------------------------------------------------------------------------


async def photo_received(update: Update, context: Context) -> None:
    """A photo or a file: the style of the pending request, or the content of a new one."""
    message, user = _origin(update)
    s = services(context)
    photo = media.image_of(message)
    draft = s.drafts.get(message.chat_id, user.id)
    if draft is not None and draft.held and not draft.awaiting_photo:
        draft = None  # a refused request doesn't take the next photo as its style
    if draft is None and not _is_private(message):
        # In groups only /stylize starts a request; a photo sent in reply to the bot
        # (the only kind it sees in privacy mode) gets a hint how.
        if _replies_to(message, context.bot.id):
            await message.reply_text(texts.GROUP_USAGE)
        return
    if photo is None:
        await message.reply_text(_not_an_image(message))
        return
    if not await _small_enough(message, photo, s):
        return
    if draft is not None:
        await _submit(context, draft, Style(photo=photo))
        return
    draft = s.drafts.start(_new_draft(message, user, photo, message.message_id))
    await _ask_for_style(context, draft)


async def artist_typed(update: Update, context: Context) -> None:
    message, user = _origin(update)
    draft = services(context).drafts.get(message.chat_id, user.id)
    if draft is None:
        if _is_private(message):
            await message.reply_text(texts.SEND_PHOTO_FIRST)
        return
    await _choose_by_name(context, draft, message.text or "")


async def unusable_media(update: Update, context: Context) -> None:
    """Stickers, videos, voice notes…: never a content or a style."""
    message, user = _origin(update)
    if services(context).drafts.get(message.chat_id, user.id) is not None:
        await message.reply_text(texts.NOT_A_STYLE)
    elif _is_private(message):
        await message.reply_text(texts.ONLY_PHOTOS)


# -- buttons ----------------------------------------------------------------------------------


async def artist_chosen(update: Update, context: Context) -> None:
    query, draft = await _own_draft(update, context)
    if draft is None:
        return
    slug = split_data(query.data)[-1]
    catalog = services(context).catalog
    if slug not in catalog:  # a menu from before the gallery changed
        await _edit(query, texts.STYLE_GONE, keyboards.artist_keyboard(catalog.entries, draft.id))
        return
    await _submit(context, draft, Style(slug=slug), menu_id=_message_id(query))


async def page_turned(update: Update, context: Context) -> None:
    query, draft = await _own_draft(update, context)
    if draft is None:
        return
    page = int(split_data(query.data)[-1])
    markup = keyboards.artist_keyboard(services(context).catalog.entries, draft.id, page)
    await _edit(query, _choose_text(draft), markup)


async def own_style_chosen(update: Update, context: Context) -> None:
    query, draft = await _own_draft(update, context)
    if draft is None:
        return
    draft.awaiting_photo = True
    services(context).drafts.save(draft)
    markup = keyboards.suggestion_keyboard((), draft.id)  # "All artists" and Cancel
    await _edit(query, texts.SEND_STYLE_PHOTO, markup)


async def draft_dropped(update: Update, context: Context) -> None:
    query, draft = await _own_draft(update, context)
    if draft is None:
        return
    services(context).drafts.drop(draft)
    await _edit(query, texts.DRAFT_CANCELLED, None)


async def job_cancel_pressed(update: Update, context: Context) -> None:
    query = _query(update)
    s = services(context)
    job_id = split_data(query.data)[-1]
    job = await s.job(job_id)
    if job is None:
        await query.answer(texts.JOB_GONE)
        await _edit_markup(query, None)
        return
    if job.user_id != query.from_user.id:
        await query.answer(texts.BUTTONS_NOT_YOURS.format(name=job.user_name))
        return
    await query.answer(texts.JOB_CANCELLED_NOTICE)
    await s.service.cancel(job_id)  # its progress message says "Cancelled"
    if _message_id(query) != job.status_message_id:  # the "already busy" notice
        await _edit_markup(query, None)


async def rerun_pressed(update: Update, context: Context) -> None:
    """The buttons under a result: the same photo again, with one thing changed."""
    query = _query(update)
    s = services(context)
    _, result_id, action = split_data(query.data)
    template = await s.store.result(result_id)
    if template is None:
        await query.answer(texts.RESULT_GONE)
        return
    if template.user_id != query.from_user.id:
        await query.answer(texts.BUTTONS_NOT_YOURS.format(name=template.user_name))
        return
    if action == "artist":
        await query.answer()
        draft = Draft(template.chat_id, template.user_id, template.user_name,
                      template.content, template.reply_to)  # fmt: skip
        await _ask_for_style(context, s.drafts.start(draft))
        return
    prefs, refusal = _adjusted(template.prefs, action)
    await query.answer(refusal)
    if prefs is not None:
        job = replace(
            template, prefs=prefs, id=new_job_id(), status_message_id=None,
            created_at=time.time(),
        )  # fmt: skip
        await _enqueue(context, job)


async def setting_changed(update: Update, context: Context) -> None:
    query = _query(update)
    s = services(context)
    _, owner, what, *value = split_data(query.data)
    if int(owner) != query.from_user.id:
        await query.answer(texts.MENU_NOT_YOURS.format(name=_owner_name(query)))
        return
    await query.answer()
    prefs = await s.store.prefs(query.from_user.id, s.default_prefs)
    if what == "done":
        await _edit(query, _settings_text(prefs, closed=True), None)
        return
    prefs = _changed(prefs, what, value[0] if value else "")
    await s.store.save_prefs(query.from_user.id, prefs)
    await _edit(query, _settings_text(prefs),
                keyboards.settings_keyboard(query.from_user.id, prefs))  # fmt: skip


async def stale_button(update: Update, context: Context) -> None:
    """Any button nobody else understood, e.g. from an older version of the bot."""
    query = _query(update)
    await query.answer(texts.MENU_EXPIRED)


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


# -- from draft to job ------------------------------------------------------------------------


async def _ask_for_style(context: Context, draft: Draft) -> None:
    s = services(context)
    menu = await context.bot.send_message(
        draft.chat_id, _choose_text(draft),
        reply_markup=keyboards.artist_keyboard(s.catalog.entries, draft.id),
        reply_parameters=ReplyParameters(draft.reply_to, allow_sending_without_reply=True),
    )  # fmt: skip
    draft.menu_message_id = menu.message_id
    s.drafts.save(draft)


async def _choose_by_name(context: Context, draft: Draft, query: str) -> None:
    s = services(context)
    found = s.catalog.lookup(query)
    if found.entry is not None:
        await _submit(context, draft, Style(slug=found.entry.slug))
        return
    shown = query if len(query) <= MAX_QUERY_SHOWN else query[: MAX_QUERY_SHOWN - 1] + "…"
    text = (texts.WHICH_ONE if found.ambiguous else texts.NO_SUCH_ARTIST).format(query=shown)
    if found.candidates:
        markup = keyboards.suggestion_keyboard(found.candidates, draft.id)
    else:
        markup = keyboards.artist_keyboard(s.catalog.entries, draft.id)
    menu = await context.bot.send_message(
        draft.chat_id, text, reply_markup=markup,
        reply_parameters=ReplyParameters(draft.reply_to, allow_sending_without_reply=True),
    )  # fmt: skip
    draft.menu_message_id = menu.message_id
    s.drafts.save(draft)


async def _submit(context: Context, draft: Draft, style: Style, menu_id: int | None = None) -> None:
    """Turn the draft into a job with the user's preferences; the draft ends if it is taken."""
    s = services(context)
    s.drafts.drop(draft)  # claimed now, so a double tap on the menu finds it expired
    prefs = await s.store.prefs(draft.user_id, s.default_prefs)
    job = Job(
        chat_id=draft.chat_id, user_id=draft.user_id, user_name=draft.user_name,
        reply_to=draft.reply_to, content=draft.content, style=style, prefs=prefs,
    )  # fmt: skip
    refused = not await _enqueue(context, job, menu_id)
    if refused and s.drafts.get(draft.chat_id, draft.user_id) is None:
        draft.held = True  # an "own style" prompt stays true: its photo is still the style
        s.drafts.start(draft)  # nothing is lost: the menu works again once the queue allows


async def _enqueue(context: Context, job: Job, menu_id: int | None = None) -> bool:
    """Hand the job to the job service behind its progress message (the menu, if it was
    picked from one); False if it was refused before it started."""
    s = services(context)
    refusal = await _refusal(s, job)
    if refusal is not None:
        await _refuse(context, job, refusal)
        return False
    text = f"{style_name(job, s.catalog)}\n{texts.STARTING}"
    job = replace(job, status_message_id=await _status_message(context, job, text, menu_id))
    try:
        request = await _request(context, s, job)
    except InputRefused as exc:
        await s.deliveries.tell(job, str(exc))
        return True
    try:
        _, position = await s.service.submit(request)
    except JobRefused as exc:  # someone was quicker while the photos came in
        await s.deliveries.status(job, _refusal_text(exc), _refusal_markup(exc))
        return False
    except KeyError:  # the painting left the gallery since the menu was drawn
        await s.deliveries.tell(job, texts.STYLE_GONE)
        return True
    if position > 0:
        await s.deliveries.status(job, texts.QUEUED.format(position=position), _cancel(job))
    s.deliveries.follow(job)
    return True


async def _refusal(s: Services, job: Job) -> JobRefused | None:
    """Why the service would refuse this job now (checked before any download)."""
    current = await s.current_job(job.user_id)
    if current is not None:
        return Busy(current.id)
    waiting = await s.service.queue_length()
    return QueueFull(waiting) if waiting >= s.settings.queue_size else None


class InputRefused(Exception):
    """A photo that can't be fetched; the message is for the user."""


async def _request(context: Context, s: Services, job: Job) -> JobRequest:
    """Fetch the photos from Telegram and build the job service's request."""
    content = await _fetch(context, s, job.content)
    style: str | list[bytes] = job.style.slug or ""
    if job.style.photo is not None:
        style = [await _fetch(context, s, job.style.photo)]
    params = StyleParams(
        quality=job.prefs.quality, size=s.settings.engine_size, steps=s.settings.engine_steps,
        strength=job.prefs.strength, preserve_colors=job.prefs.preserve_colors,
    )  # fmt: skip
    return JobRequest(
        Owner(CLIENT, str(job.user_id)), content, style, params, reply=job_to_json(job), id=job.id
    )


async def _fetch(context: Context, s: Services, photo: Photo) -> bytes:
    limit = s.settings.max_input_bytes
    try:
        return await media.download(context.bot, photo, max_bytes=limit)
    except media.FileTooBig:
        raise InputRefused(texts.FILE_TOO_BIG.format(mb=s.settings.max_input_mb)) from None
    except (BadRequest, InvalidToken, NetworkError) as exc:  # a file that is gone: 404
        log.warning("download of %s failed: %r", photo.file_id, exc)
        raise InputRefused(texts.DOWNLOAD_FAILED) from None


def _cancel(job: Job) -> InlineKeyboardMarkup:
    return keyboards.job_keyboard(job.id)


async def _status_message(context: Context, job: Job, text: str, menu_id: int | None) -> int:
    markup = keyboards.job_keyboard(job.id)
    if menu_id is not None:
        try:
            edited = await context.bot.edit_message_text(
                text, job.chat_id, menu_id, reply_markup=markup
            )
            if isinstance(edited, Message):
                return edited.message_id
        except BadRequest as exc:  # the menu was deleted meanwhile: send a new message
            log.info("could not turn menu %s into a status: %s", menu_id, exc)
    sent = await context.bot.send_message(
        job.chat_id, text, reply_markup=markup,
        reply_parameters=ReplyParameters(job.reply_to, allow_sending_without_reply=True),
    )  # fmt: skip
    return sent.message_id


async def _refuse(context: Context, job: Job, exc: JobRefused) -> None:
    await context.bot.send_message(
        job.chat_id, _refusal_text(exc), reply_markup=_refusal_markup(exc),
        reply_parameters=ReplyParameters(job.reply_to, allow_sending_without_reply=True),
    )  # fmt: skip


def _refusal_text(exc: JobRefused) -> str:
    if isinstance(exc, Busy):
        return texts.ALREADY_BUSY
    return texts.QUEUE_FULL if isinstance(exc, QueueFull) else texts.QUEUE_UNAVAILABLE


def _refusal_markup(exc: JobRefused) -> InlineKeyboardMarkup | None:
    if isinstance(exc, Busy):
        return keyboards.job_keyboard(exc.current)
    return None


# -- small helpers ----------------------------------------------------------------------------


async def _answer(
    context: Context, message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Answer a command through the rate limiter's fast lane (see bot/ratelimit.py); like
    reply_text, it quotes the command in groups only."""
    quote = None
    if not _is_private(message):
        quote = ReplyParameters(message.message_id, allow_sending_without_reply=True)
    await context.bot.send_message(
        message.chat_id, text, reply_markup=markup, reply_parameters=quote,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
        rate_limit_args=FAST,  # type: ignore[arg-type]  # the default context says ExtBot[None]
    )  # fmt: skip


def _new_draft(message: Message, user: User, content: Photo, reply_to: int) -> Draft:
    return Draft(message.chat_id, user.id, user.first_name, content, reply_to)


async def _draft_for_command(message: Message, user: User, s: Services) -> Draft | None:
    """The content of a /stylize: the photo it captions or replies to, or the pending one."""
    target = message if media.image_of(message) else message.reply_to_message
    content = media.image_of(target)
    if content is None and (media.has_document(message) or media.has_document(target)):
        await message.reply_text(_not_an_image(target or message))
        return None
    if content is not None and target is not None:
        if not await _small_enough(message, content, s):
            return None
        return s.drafts.start(_new_draft(message, user, content, target.message_id))
    draft = s.drafts.get(message.chat_id, user.id) if _is_private(message) else None
    if draft is None:
        await message.reply_text(texts.GROUP_USAGE)
    return draft


def _not_an_image(message: Message) -> str:
    return texts.GIF_IS_A_VIDEO if message.animation else texts.NOT_AN_IMAGE_FILE


def _command_argument(message: Message, bot_username: str) -> str | None:
    """The text after '/stylize' ('' if none); None if the command names another bot."""
    words = (message.text or message.caption or "").split(maxsplit=1)
    if not words:
        return ""
    _, _, addressee = words[0].partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return None
    return words[1].strip() if len(words) > 1 else ""


async def _small_enough(message: Message, photo: Photo, s: Services) -> bool:
    if media.too_big(photo, s.settings.max_input_bytes):
        await message.reply_text(texts.FILE_TOO_BIG.format(mb=s.settings.max_input_mb))
        return False
    return True


def _choose_text(draft: Draft) -> str:
    if draft.chat_id > 0:
        return texts.CHOOSE_STYLE
    return texts.CHOOSE_STYLE_GROUP.format(name=draft.user_name)


def _adjusted(prefs: Prefs, action: str) -> tuple[Prefs | None, str | None]:
    """The preferences a re-run button asks for, or None and why not."""
    if action == "more":
        return prefs.stronger(), texts.ALREADY_STRONGEST
    if action == "less":
        return prefs.weaker(), texts.ALREADY_WEAKEST
    if action == "quality":
        return prefs.higher_quality(), texts.ALREADY_BEST
    return prefs.toggled_colors(), None


def _changed(prefs: Prefs, what: str, value: str) -> Prefs:
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


def _query(update: Update) -> CallbackQuery:
    if update.callback_query is None:
        raise ValueError(f"update {update.update_id} is not a button press")
    return update.callback_query


def _message_id(query: CallbackQuery) -> int | None:
    return query.message.message_id if query.message is not None else None


def _owner_name(query: CallbackQuery) -> str:
    """Menus reply to their owner's command, so the owner's name is right there."""
    message = query.message
    if isinstance(message, Message) and message.reply_to_message is not None:
        owner = message.reply_to_message.from_user
        if owner is not None:
            return owner.first_name
    return texts.SOMEONE


async def _own_draft(update: Update, context: Context) -> tuple[CallbackQuery, Draft | None]:
    """The draft a menu button belongs to, if it is still live and the presser owns it.

    Answers the query (with a notice when the button can't be used).
    """
    query = _query(update)
    draft = services(context).drafts.by_id(split_data(query.data)[1])
    if draft is None:
        await query.answer(texts.MENU_EXPIRED)
        await _edit(query, texts.MENU_EXPIRED, None)
        return query, None
    if draft.user_id != query.from_user.id:
        await query.answer(texts.MENU_NOT_YOURS.format(name=draft.user_name))
        return query, None
    await query.answer()
    return query, draft


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the pressed menu; "not modified" (the same page pressed twice) is fine."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if not not_modified(exc):
            raise


async def _edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        log.info("could not change the keyboard: %s", exc)


# -- the table --------------------------------------------------------------------------------

NEW_MESSAGE = filters.UpdateType.MESSAGE
IMAGE_OR_FILE = filters.PHOTO | filters.Document.ALL
STYLIZE_CAPTION = filters.CaptionRegex(r"^/stylize(@\w+)?(\s|$)")
UNUSABLE = (
    filters.Sticker.ALL | filters.VIDEO | filters.ANIMATION | filters.VIDEO_NOTE
    | filters.VOICE | filters.AUDIO
)  # fmt: skip


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, flood_check), group=-1)
    app.add_handlers(
        [
            CommandHandler("start", start, NEW_MESSAGE),
            CommandHandler("help", show_help, NEW_MESSAGE),
            CommandHandler("artists", show_artists, NEW_MESSAGE),
            CommandHandler("settings", show_settings, NEW_MESSAGE),
            CommandHandler("cancel", cancel, NEW_MESSAGE),
            CommandHandler("stylize", stylize_command, NEW_MESSAGE),
            MessageHandler(NEW_MESSAGE & IMAGE_OR_FILE & STYLIZE_CAPTION, stylize_command),
            MessageHandler(NEW_MESSAGE & IMAGE_OR_FILE, photo_received),
            MessageHandler(NEW_MESSAGE & filters.TEXT & ~filters.COMMAND, artist_typed),
            MessageHandler(NEW_MESSAGE & UNUSABLE, unusable_media),
            CallbackQueryHandler(artist_chosen, pattern(keyboards.ARTIST)),
            CallbackQueryHandler(page_turned, pattern(keyboards.PAGE)),
            CallbackQueryHandler(own_style_chosen, pattern(keyboards.OWN_STYLE)),
            CallbackQueryHandler(draft_dropped, pattern(keyboards.DROP)),
            CallbackQueryHandler(job_cancel_pressed, pattern(keyboards.CANCEL_JOB)),
            CallbackQueryHandler(rerun_pressed, pattern(keyboards.RERUN)),
            CallbackQueryHandler(setting_changed, pattern(keyboards.SETTING)),
            CallbackQueryHandler(stale_button),
        ]
    )
    app.add_error_handler(error_occurred)
