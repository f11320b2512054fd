"""Building the Telegram application: the bot, its rate limiter, the handlers, the worker."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from telegram import BotCommand
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot import handlers, texts
from bot.handlers import SERVICES, Services
from bot.jobs import StyleJobs
from bot.settings import Settings
from bot.store import Store
from bot.worker import LocalWorkQueue
from styles.catalog import default_catalog

log = logging.getLogger(__name__)

FLOOD_RETRIES = 3  # RetryAfter: wait as told, then try again
NETWORK_RETRIES = 3  # NetworkError/TimedOut: back off and try again
NETWORK_RETRY_DELAY = 0.5  # seconds before the first retry; doubles each time
CONCURRENT_UPDATES = 8  # handlers are quick; the heavy work is in the worker


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (flood limits, RetryAfter) that also retries network errors.

    Every Bot API call except getUpdates goes through here, so sends, edits and getFile
    all survive a dropped connection. BadRequest is a NetworkError subclass in PTB, but
    Telegram refusing a request is final, so it is re-raised at once.
    """

    async def process_request(self, *args: Any, **kwargs: Any) -> Any:
        delay = NETWORK_RETRY_DELAY
        for attempt in range(NETWORK_RETRIES + 1):
            try:
                return await super().process_request(*args, **kwargs)
            except BadRequest:
                raise
            except NetworkError as exc:
                if attempt == NETWORK_RETRIES:
                    raise
                endpoint = kwargs.get("endpoint", "request")
                log.warning("%s failed (%s); retrying in %.1f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")


class RedactToken(logging.Filter):
    """Belt and braces: no log line may contain the bot token (it is in every API URL)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "[token]"), None
        return True


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(settings.token))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    quiet_http_logs()


def quiet_http_logs() -> None:
    """httpx logs every request URL at INFO, and those URLs contain the token."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def build_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    quiet_http_logs()  # also when embedded without configure_logging (tests, say)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .rate_limiter(RetryingRateLimiter(max_retries=FLOOD_RETRIES))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(start_services)
        .post_stop(stop_services)
        .post_shutdown(close_services)
        .build()
    )
    catalog = default_catalog()
    store = Store(settings.db_path)
    jobs = StyleJobs(app.bot, settings, catalog, store)
    queue = LocalWorkQueue(jobs, maxsize=settings.queue_size, tmp_root=settings.tmp_dir)
    app.bot_data[SERVICES] = Services(settings, catalog, store, queue, jobs)
    handlers.register(app)
    return app


def _services(app: Application) -> Services:  # type: ignore[type-arg]
    found = app.bot_data.get(SERVICES)
    if not isinstance(found, Services):
        raise RuntimeError("not an application made by build_application()")
    return found


async def start_services(app: Application) -> None:  # type: ignore[type-arg]
    """post_init: the command menu, then the worker."""
    commands = [BotCommand(name, description) for name, description in texts.COMMANDS]
    await app.bot.set_my_commands(commands)
    await _services(app).queue.start()
    log.info("bot @%s is up", app.bot.username)


async def stop_services(app: Application) -> None:  # type: ignore[type-arg]
    """post_stop: the bot can still send, so the running job stops and its user is told."""
    services = _services(app)
    await services.queue.stop()
    services.jobs.close()


async def close_services(app: Application) -> None:  # type: ignore[type-arg]
    """post_shutdown: last; also covers a start-up that failed before post_stop."""
    await stop_services(app)
    _services(app).store.close()
