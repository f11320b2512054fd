"""`python -m api`: the page and the API alone (the bot runs elsewhere, or not at all).

The combined server (API, page and bot in one process) is `stylize.server`, which reuses the
pieces here."""

from __future__ import annotations

import logging
import sys

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from api.app import create_app
from api.settings import ApiSettings
from jobs.settings import describe_settings_error

log = logging.getLogger(__name__)
EXIT_CONFIG = 2
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def load_settings() -> ApiSettings:
    """The settings, or one clear line on stderr and exit status 2."""
    try:
        return ApiSettings()  # type: ignore[call-arg]  # from the environment and .env
    except ValidationError as exc:
        print(describe_settings_error(exc), file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def serve(app: FastAPI, settings: ApiSettings) -> None:
    log.info("the page and API: http://%s:%d/", settings.api_host, settings.api_port)
    uvicorn.run(app, host=settings.api_host, port=settings.api_port, log_config=None)


def main() -> None:
    settings = load_settings()
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
