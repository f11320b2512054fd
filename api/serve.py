"""The composition root: one process with the job service, the API and page, and (when a
token is set) the Telegram bot, all on one event loop. `make run` starts this."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import AsyncIterator

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from api.app import Companion, create_app
from api.settings import ApiSettings
from jobs import JobService
from styles.catalog import Catalog

log = logging.getLogger(__name__)
EXIT_CONFIG = 2


def load_settings() -> ApiSettings:
    """The settings, or one clear line on stderr and exit status 2."""
    from bot.settings import describe  # one wording for every bad setting

    try:
        return ApiSettings()  # type: ignore[call-arg]  # from the environment and .env
    except ValidationError as exc:
        print(describe(exc), file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


@contextlib.asynccontextmanager
async def telegram_bot(service: JobService, catalog: Catalog) -> AsyncIterator[None]:
    """The bot as a companion of the API, polling on the API's loop with its job service."""
    from bot.app import build_application, polling
    from bot.settings import Settings

    settings = Settings()  # type: ignore[call-arg]  # the token comes from the environment
    async with polling(build_application(settings, service, catalog)):
        yield


def build(settings: ApiSettings, *, with_bot: bool) -> FastAPI:
    companions: list[Companion] = []
    if with_bot and settings.telegram_bot_token is not None:
        companions.append(telegram_bot)
    return create_app(settings, companions=companions)


def configure_logging(settings: ApiSettings, *, with_bot: bool) -> None:
    if with_bot and settings.telegram_bot_token is not None:
        from bot.app import configure_logging as bot_logging
        from bot.settings import Settings

        bot_logging(Settings())  # type: ignore[call-arg]  # redacts the token everywhere
        return
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if with_bot:
        log.info("no TELEGRAM_BOT_TOKEN: the Telegram bot is off (see .env.example)")


def main(*, with_bot: bool = True) -> None:
    settings = load_settings()
    configure_logging(settings, with_bot=with_bot)
    app = build(settings, with_bot=with_bot)
    log.info("the page and API: http://%s:%d/", settings.api_host, settings.api_port)
    uvicorn.run(app, host=settings.api_host, port=settings.api_port, log_config=None)


if __name__ == "__main__":
    main()
