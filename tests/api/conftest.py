"""A real uvicorn server on loopback serving the API, with an embedded job service."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.settings import ApiSettings
from tests.helpers import free_port, job_values, sample_photo

TINY = {"quality": "fast", "size": "32"}

StartApi = Callable[..., Awaitable[httpx.AsyncClient]]


def api_settings(data_dir: Path, **overrides: Any) -> ApiSettings:
    values = job_values(data_dir, api_port=free_port(), **overrides)
    return ApiSettings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def serving(settings: ApiSettings) -> AsyncIterator[httpx.AsyncClient]:
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=settings.api_port, log_level="warning",
        lifespan="on",
    )  # fmt: skip
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises what stopped it
        await asyncio.sleep(0.02)
    base = f"http://127.0.0.1:{settings.api_port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            yield client
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def start_api(tmp_path: Path) -> AsyncIterator[StartApi]:
    async with contextlib.AsyncExitStack() as stack:

        async def start(**overrides: Any) -> httpx.AsyncClient:
            settings = api_settings(tmp_path / "data", **overrides)
            return await stack.enter_async_context(serving(settings))

        yield start


@pytest.fixture
async def api(start_api: StartApi) -> httpx.AsyncClient:
    return await start_api()


def photo(width: int = 96, height: int = 72, fmt: str = "JPEG") -> bytes:
    return sample_photo(width, height, fmt)


async def submit(api: httpx.AsyncClient, **form: str) -> httpx.Response:
    data = {**TINY, "artist": "monet", **form}
    return await api.post("/v1/jobs", data=data, files={"content": ("cat.jpg", photo())})


async def sse_events(
    api: httpx.AsyncClient, job_id: str, last_id: str | None = None
) -> list[dict[str, Any]]:
    """Read the job's event stream to its end: [{id, event, data}, ...]."""
    headers = {"Last-Event-ID": last_id} if last_id else {}
    found: list[dict[str, Any]] = []
    async with api.stream("GET", f"/v1/jobs/{job_id}/events", headers=headers) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        current: dict[str, Any] = {}
        async for line in response.aiter_lines():
            if not line:
                if "event" in current:
                    found.append(current)
                current = {}
            elif line.startswith("data: "):
                current["data"] = json.loads(line[6:])
            elif line.startswith(("id: ", "event: ")):
                key, _, value = line.partition(": ")
                current[key] = value
    return found
