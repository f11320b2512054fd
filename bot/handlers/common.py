"""What every conversation step shares: the services, and small Telegram helpers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import clips, media, texts
from bot.codes import TEXTS
from bot.delivery import CLIENT, Deliveries, not_modified
from bot.drafts import Drafts
from bot.flood import FloodGuard
from bot.i18n import Gettext, Language, gettext_for, language_of
from bot.models import Photo, Prefs, Tracked
from bot.ratelimit import FAST
from bot.settings import Settings
from bot.store import Store
from jobs import JobService, UnknownJob
from jobs.errors import ErrorCode
from styles.catalog import Catalog

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
SERVICES = "services"


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
    albums: dict[str, list[Message]] = field(default_factory=dict, init=False, repr=False)
    _languages: dict[int, Language | None] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.flood = FloodGuard(self.settings.user_updates_per_minute)
        self.drafts = Drafts(self.store)

    async def language(self, user: User) -> Language:
        """The person's choice (/language), else their Telegram app's language."""
        if user.id not in self._languages:
            chosen = await self.store.language(user.id)
            self._languages[user.id] = language_of(chosen) if chosen else None
        return self._languages[user.id] or language_of(user.language_code)

    async def choose_language(self, user_id: int, language: Language) -> None:
        await self.store.save_language(user_id, language)
        self._languages[user_id] = language

    def forget_language(self, user_id: int) -> None:
        self._languages.pop(user_id, None)

    async def current_job(self, user_id: int) -> Tracked | None:
        """The user's job that is still waiting or running, if any."""
        record = await self.service.active_of(CLIENT, str(user_id))
        return Tracked.of(record) if record is not None else None

    async def job(self, job_id: str) -> Tracked | None:
        """A job of this bot that has not ended, by id."""
        try:
            record = await self.service.get(job_id)
        except UnknownJob:
            return None
        if record.ended or record.owner.client != CLIENT:
            return None
        return Tracked.of(record)

    @property
    def default_prefs(self) -> Prefs:
        return Prefs(quality=self.settings.default_quality)


def services(context: Context) -> Services:
    found = context.bot_data.get(SERVICES)
    if not isinstance(found, Services):
        raise RuntimeError("build_application() sets up the services")
    return found


async def speaking(context: Context, user: User) -> tuple[Language, Gettext]:
    """The language to answer `user` in, and its gettext."""
    language = await services(context).language(user)
    return language, gettext_for(language)


# -- messages ---------------------------------------------------------------------------------


def origin(update: Update) -> tuple[Message, User]:
    """The message and sender of a message update (the filters guarantee both)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        raise ValueError(f"update {update.update_id} has no message or sender")
    return message, user


def is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


async def answer(
    context: Context, message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Answer a command through the rate limiter's fast lane (see bot/ratelimit.py); like
    reply_text, it quotes the command in groups only."""
    # Not message.reply_text: its shortcut has no rate_limit_args.
    await context.bot.send_message(
        message.chat_id, text, reply_markup=markup,
        reply_to_message_id=None if is_private(message) else message.message_id,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
        rate_limit_args=FAST,  # type: ignore[arg-type]  # the default context says ExtBot[None]
    )  # fmt: skip


async def usable(message: Message, photo: Photo | None, settings: Settings, t: Gettext) -> bool:
    """Checked on arrival (Telegram tells the size, the file's name and type and a clip's
    length), so nobody waits in the queue for a refusal; `message` is the one that carries
    the image or the clip."""
    kind = media.unreadable_kind(message)
    if kind is not None:
        await message.reply_text(t(TEXTS[ErrorCode.UNSUPPORTED_IMAGE]).format(kind=kind))
        return False
    if photo is None:
        await message.reply_text(not_an_image(message, t))
        return False
    if media.too_big(photo, settings.max_upload_bytes):
        too_big = texts.CLIP_TOO_BIG if photo.clip else texts.FILE_TOO_BIG
        await message.reply_text(t(too_big).format(mb=settings.upload_limit_mb))
        return False
    if photo.clip and clips.too_long(message):
        text = t(TEXTS[ErrorCode.VIDEO_TOO_LONG]).format(seconds=clips.MAX_SECONDS)
        await message.reply_text(text)
        return False
    return True


def not_an_image(message: Message, t: Gettext) -> str:
    """Why a message's file can't be a picture: a clip is never a style, anything else is
    not an image."""
    return t(texts.NOT_A_STYLE if clips.clip_of(message) else texts.NOT_AN_IMAGE_FILE)


# -- buttons ----------------------------------------------------------------------------------


def query(update: Update) -> CallbackQuery:
    if update.callback_query is None:
        raise ValueError(f"update {update.update_id} is not a button press")
    return update.callback_query


def message_id(pressed: CallbackQuery) -> int | None:
    return pressed.message.message_id if pressed.message is not None else None


def owner_name(pressed: CallbackQuery, t: Gettext) -> str:
    """Menus reply to their owner's command, so the owner's name is right there."""
    message = pressed.message
    if isinstance(message, Message) and message.reply_to_message is not None:
        owner = message.reply_to_message.from_user
        if owner is not None:
            return owner.first_name
    return t(texts.SOMEONE)


async def edit(pressed: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the pressed menu; "not modified" (the same page pressed twice) is fine."""
    try:
        await pressed.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if not not_modified(exc):
            raise


async def edit_markup(pressed: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await pressed.edit_message_reply_markup(markup)
    except BadRequest as exc:  # the message is gone, or already has no keyboard
        log.info("could not change the keyboard: %s", exc)
