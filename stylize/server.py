"""The combined server: one process with the job service, the API and page, and (when a
token is set) the Telegram bot, all on one event loop. `make run` starts this."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from api.app import Companion, create_app
from api.serve import LOG_FORMAT, load_settings, serve
from api.settings import ApiSettings
from jobs import JobService
from styles.catalog import Catalog

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def telegram_bot(service: JobService, catalog: Catalog) -> AsyncIterator[None]:
    """The bot as a companion of the API, polling on the API's loop with its job service."""
    from bot.app import build_application, polling
    from bot.settings import Settings

    settings = Settings()  # type: ignore[call-arg]  # the token comes from the environment
    async with polling(build_application(settings, service, catalog)):
        yield


def build(settings: ApiSettings) -> FastAPI:
    companions: list[Companion] = []
    if settings.telegram_bot_token is not None:
        companions.append(telegram_bot)
    return create_app(settings, companions=companions)


def configure_logging(settings: ApiSettings) -> None:
    if settings.telegram_bot_token is not None:
        from bot.app import configure_logging as bot_logging
        from bot.settings import Settings

        bot_logging(Settings())  # type: ignore[call-arg]  # redacts the token everywhere
        return
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    log.info("no TELEGRAM_BOT_TOKEN: the Telegram bot is off (see .env.example)")


def main() -> None:
    settings = load_settings()
    configure_logging(settings)
    serve(build(settings), settings)


if __name__ == "__main__":
    main()
