"""Building the Telegram application: the bot, its rate limiter, the handlers, the worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
    Update,
)
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, BaseUpdateProcessor, Defaults

from bot import handlers, texts
from bot.delivery import Deliveries
from bot.handlers import SERVICES, Services
from bot.i18n import DEFAULT, LANGUAGES, gettext_for
from bot.ratelimit import BotRateLimiter
from bot.settings import Settings
from bot.store import Store
from jobs import JobService, create_service
from styles.catalog import Catalog, default_catalog

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
# The command menus: in private chats, in groups, and anywhere else (the default).
MENUS: tuple[tuple[BotCommandScope, tuple[tuple[str, str], ...]], ...] = (
    (BotCommandScopeAllPrivateChats(), texts.PRIVATE_COMMANDS),
    (BotCommandScopeAllGroupChats(), texts.GROUP_COMMANDS),
    (BotCommandScopeDefault(), texts.COMMANDS),
)
CONCURRENT_UPDATES = 64  # handlers are quick; the heavy work is in the worker


BAD_TOKEN = (
    "Telegram refused the bot token (TELEGRAM_BOT_TOKEN): it is wrong or has been revoked. "
    "Copy the current one from @BotFather (/mybots → API Token)."
)


class TokenRefused(RuntimeError):
    """Telegram refused the token (the message says so, without the token)."""


class PerUserOrder(BaseUpdateProcessor):
    """Different people's updates run concurrently; one person's run in the order sent.

    Without this a photo and the artist name typed right after it could be handled the
    wrong way round, and two quick photos could both start a request. The real limit
    (`concurrent`) is taken after the per-person lock, so updates waiting for their sender's
    earlier ones hold no slot. The base class's own limit is taken before that lock (its
    process_update is final), so it is set far above anything the per-person flood limit
    (bot/flood.py) lets through.
    """

    def __init__(self, concurrent: int, backlog: int = 100_000) -> None:
        super().__init__(backlog)
        self._slots = asyncio.Semaphore(concurrent)
        self._locks: dict[tuple[int, int], asyncio.Lock] = {}
        self._queued: Counter[tuple[int, int]] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _sender(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._queued[key] += 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._queued[key] -= 1
            if not self._queued[key]:  # nobody queued behind it: forget the lock
                del self._queued[key], self._locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _sender(update: object) -> tuple[int, int] | None:
    if not isinstance(update, Update) or update.effective_user is None:
        return None
    chat = update.effective_chat
    return (chat.id if chat else 0, update.effective_user.id)


class RedactToken(logging.Formatter):
    """Belt and braces: no log output may contain the bot token (it is in every API URL, and
    in InvalidToken's message), neither a line nor a traceback. The secret half (after the
    colon) is what is replaced, so a URL-encoded token is caught too."""

    def __init__(self, token: str) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.token, self.secret = token, token.partition(":")[2] or token

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record).replace(self.token, "[token]")
        return text.replace(self.secret, "[token]")


def no_token_refusal(record: logging.LogRecord) -> bool:
    """A refused token ends the process with one line of its own (bot/__main__.py); the
    library's traceback about it would only bury that line."""
    return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactToken(settings.token))
    handler.addFilter(no_token_refusal)
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    quiet_http_logs()


def quiet_http_logs() -> None:
    """httpx logs every request URL at INFO, and those URLs contain the token."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def build_application(
    settings: Settings, service: JobService | None = None, catalog: Catalog | None = None
) -> Application:  # type: ignore[type-arg]
    """The bot as a client of `service`; without one it runs its own (embedded or not, as
    the settings say) and starts and stops it with itself."""
    quiet_http_logs()  # also when embedded without configure_logging (tests, say)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        # Every reply still goes out when the message it answers was deleted meanwhile.
        .defaults(Defaults(allow_sending_without_reply=True))
        .rate_limiter(BotRateLimiter())
        .concurrent_updates(PerUserOrder(CONCURRENT_UPDATES))
        .post_init(start_services)
        .post_stop(stop_services)
        .post_shutdown(close_services)
        .build()
    )
    catalog = catalog or default_catalog()
    owns_service = service is None
    service = service or create_service(settings, catalog)
    store = Store(settings.db_path)
    deliveries = Deliveries(app.bot, settings, catalog, store, service)
    app.bot_data[SERVICES] = Services(settings, catalog, store, service, deliveries, owns_service)
    handlers.register(app)
    return app


def _services(app: Application) -> Services:  # type: ignore[type-arg]
    found = app.bot_data.get(SERVICES)
    if not isinstance(found, Services):
        raise RuntimeError("not an application made by build_application()")
    return found


async def describe_bot(bot: Bot) -> None:
    """The command menus, description and short description, in every language (English is
    also the default, for people whose app speaks another)."""
    for language in LANGUAGES:
        t = gettext_for(language)
        code = None if language == DEFAULT else language
        for scope, menu in MENUS:
            commands = [BotCommand(name, t(description)) for name, description in menu]
            await bot.set_my_commands(commands, scope=scope, language_code=code)
        try:
            await _describe(bot, t(texts.DESCRIPTION), t(texts.SHORT_DESCRIPTION), code)
        except TelegramError as exc:  # cosmetic
            log.warning("the bot's description was not updated: %s", exc)


async def _describe(bot: Bot, description: str, short: str, code: str | None) -> None:
    """Only what changed: Telegram allows few changes of these a day."""
    if (await bot.get_my_description(code)).description != description:
        await bot.set_my_description(description, language_code=code)
    if (await bot.get_my_short_description(code)).short_description != short:
        await bot.set_my_short_description(short, language_code=code)


async def start_services(app: Application) -> None:  # type: ignore[type-arg]
    """post_init: menus and descriptions, the job service (if it is ours), our jobs'
    deliveries."""
    await describe_bot(app.bot)
    services = _services(app)
    if services.owns_service:
        await services.service.start()
    await services.deliveries.resume()
    log.info("bot @%s is up", app.bot.username)


async def stop_services(app: Application) -> None:  # type: ignore[type-arg]
    """post_stop: the bot can still send, so waiting users are told their job is paused."""
    services = _services(app)
    if services.owns_service:
        await services.service.stop()  # running jobs go back to the queue for the restart
    await services.deliveries.stop(paused=not services.settings.distributed)


async def close_services(app: Application) -> None:  # type: ignore[type-arg]
    """post_shutdown: last; also covers a start-up that failed before post_stop."""
    await stop_services(app)
    services = _services(app)
    if services.owns_service:
        services.service.close()
    services.drafts.close()  # its last writes, before the store closes
    services.store.close()


@contextlib.asynccontextmanager
async def polling(
    app: Application, *, poll_interval: float = 0.0, timeout: int = 10  # type: ignore[type-arg]
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """What Application.run_polling does, step by step, on a loop someone else owns (the
    API server's, or a test's). A refused token raises TokenRefused, whose message (unlike
    InvalidToken's) does not contain the token."""
    try:
        await app.initialize()
    except InvalidToken:
        assert app.post_shutdown
        await app.post_shutdown(app)
        raise TokenRefused(BAD_TOKEN) from None
    async with app:
        assert app.post_init and app.post_stop and app.post_shutdown and app.updater
        await app.post_init(app)
        await app.updater.start_polling(
            poll_interval=poll_interval, timeout=timeout, allowed_updates=ALLOWED_UPDATES
        )
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_stop(app)
    await app.post_shutdown(app)
