"""A job's events as Server-Sent Events, with heartbeats so proxies keep the line open."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import Request

from jobs import Event, JobService, UnknownJob

HEARTBEAT = 15.0  # seconds between two comment lines when nothing happens
RETRY_MS = 3000  # what a browser waits before reconnecting


def sse(event: Event) -> str:
    return f"id: {event.id}\nevent: {event.type}\ndata: {event.to_json()}\n\n"


async def event_stream(
    service: JobService, job_id: str, after: str | None, request: Request,
    heartbeat: float = HEARTBEAT,
) -> AsyncIterator[str]:  # fmt: skip
    yield f"retry: {RETRY_MS}\n\n"
    events = service.events(job_id, after or None).__aiter__()
    pending: asyncio.Task[Event] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(events.__anext__())
            done, _ = await asyncio.wait({pending}, timeout=heartbeat)
            if not done:
                if await request.is_disconnected():
                    return
                yield ": keep-alive\n\n"
                continue
            try:
                event = pending.result()
            except (StopAsyncIteration, UnknownJob):
                return
            pending = None
            yield sse(event)
            if event.is_end:
                return
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        await events.aclose()  # type: ignore[attr-defined]
