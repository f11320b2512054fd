"""`python -m bot` / `stylebot`: read the settings, then poll Telegram (or serve a webhook)."""

from __future__ import annotations

import importlib.util
import sys
from urllib.parse import urlsplit

from pydantic import ValidationError
from telegram.error import InvalidToken
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, BAD_TOKEN, build_application, configure_logging
from bot.settings import Settings, is_missing_token
from engine import EngineError
from engine.weights import missing_weights
from jobs.settings import describe_settings_error
from styles.catalog import CatalogError

EXIT_CONFIG = 2

NO_TOKEN = (
    "No bot token. Create a bot with @BotFather in Telegram (https://t.me/BotFather), then put "
    "TELEGRAM_BOT_TOKEN=<token> into .env (see .env.example) or the environment."
)


def load_settings() -> Settings:
    """The settings, or one clear line on stderr and exit status 2."""
    try:
        return Settings()  # type: ignore[call-arg]  # the token comes from the environment
    except ValidationError as exc:
        print(NO_TOKEN if is_missing_token(exc) else describe_settings_error(exc), file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def check_engine(settings: Settings) -> None:
    """The device and the weights, when this process runs jobs; else one line and exit 2.
    A bot whose jobs run elsewhere checks neither, and never loads the engine."""
    if settings.distributed or settings.embedded_workers == 0:
        return
    from engine.devices import resolve_device  # torch

    try:
        resolve_device(settings.engine_device)
    except EngineError as exc:  # e.g. ENGINE_DEVICE=cuda on a machine without a GPU
        print(f"ENGINE_DEVICE: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    problem = missing_weights()
    if problem is not None:
        print(f"{problem} Reinstall the package (pip install -e .).", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG)


def main() -> None:
    settings = load_settings()
    check_engine(settings)
    configure_logging(settings)
    try:
        app = build_application(settings)
    except CatalogError as exc:
        print(f"The style gallery is broken: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    try:
        run(app, settings)
    except InvalidToken:  # its message holds the token: never print it
        print(BAD_TOKEN, file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def run(app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    if settings.bot_mode == "polling":
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
        return
    if importlib.util.find_spec("tornado") is None:
        print(
            "BOT_MODE=webhook needs python-telegram-bot[webhooks] (tornado); "
            "install it or use BOT_MODE=polling.",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_CONFIG)
    secret = settings.webhook_secret_token
    app.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url or "").path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=secret.get_secret_value() if secret else None,
        allowed_updates=ALLOWED_UPDATES,
    )


if __name__ == "__main__":
    main()
