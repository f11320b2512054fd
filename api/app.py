"""The FastAPI application: routers, problem handlers, CORS, the page, the service's life."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api import metrics, problems
from api.deps import State
from api.routes import health, jobs, messages, styles, suggestions
from api.settings import ApiSettings
from jobs import JobService, create_service
from styles.catalog import Catalog, default_catalog

STATIC = Path(__file__).parent / "static"
DESCRIPTION = (
    "Repaint a photo, or a short clip (MP4, MOV, WebM, GIF: an MP4 comes back, with its "
    "sound), in the style of a painting. Submit a job with `POST /v1/jobs`, follow "
    "it with Server-Sent Events at `/v1/jobs/{id}/events`, fetch `/result`. "
    "`POST /v1/suggestions` tries every gallery painting on a photo and ranks them. Job ids are "
    "unguessable and work as capabilities. Errors are RFC 9457 problem details with a "
    "stable `code`."
)


Companion = Callable[[JobService, Catalog], contextlib.AbstractAsyncContextManager[object]]


def create_app(
    settings: ApiSettings, service: JobService | None = None, catalog: Catalog | None = None,
    companions: Sequence[Companion] = (),
) -> FastAPI:  # fmt: skip
    """The API; without `service` it runs its own and starts and stops it with itself.

    `companions` run while the app runs, on its loop, sharing its job service (the bot)."""
    catalog = catalog or default_catalog()
    owned = service is None
    service = service or create_service(settings, catalog)
    service.on_job_end(metrics.observe)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if owned:
            await service.start()
        try:
            async with contextlib.AsyncExitStack() as stack:
                for companion in companions:
                    await stack.enter_async_context(companion(service, catalog))
                yield
        finally:
            if owned:
                await service.stop()
                service.close()

    app = FastAPI(title="Style transfer", version="1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.api = State(settings, service, catalog)
    problems.install(app)
    if settings.origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.origins, allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["X-API-Key", "Authorization", "Last-Event-ID"],
            expose_headers=["Location"],
        )  # fmt: skip
    for router in (styles.router, jobs.router, suggestions.router, messages.router, health.router):
        app.include_router(router)
    app.mount("/", StaticFiles(directory=STATIC, html=True), name="page")
    return app
