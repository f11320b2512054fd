"""Fixtures for the job service: an embedded service on a temp dir with tiny, fast jobs."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from engine import StyleParams
from jobs import Event, JobRequest, JobService, JobSettings, Owner, create_service
from styles.catalog import default_catalog
from tests.helpers import job_values

TINY = StyleParams(quality="fast", size=32, steps=2, device="cpu")


def job_settings(data_dir: Path, **overrides: Any) -> JobSettings:
    values = job_values(data_dir, **{"job_retry_delay": 0.05, **overrides})
    return JobSettings(_env_file=None, **values)  # type: ignore[call-arg]


def jpeg(color: tuple[int, int, int] = (200, 80, 40), size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 8):  # some structure for the engine to keep
        image.paste((20, 20, 20), (x, 0, x + 2, size[1]))
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def request(user: str = "ann", style: str | list[bytes] = "van-gogh",
            params: StyleParams = TINY, **kw: Any) -> JobRequest:  # fmt: skip
    return JobRequest(Owner("test", user), jpeg(), style, params, **kw)


async def collect(service: JobService, job_id: str, after: str | None = None) -> list[Event]:
    return [event async for event in service.events(job_id, after)]


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[JobService]:
    svc = create_service(job_settings(tmp_path), default_catalog())
    await svc.start()
    try:
        yield svc
    finally:
        await svc.stop()
        svc.close()
