"""Each job's events as one Redis stream (distributed mode).

Workers append (sync XADD); clients read with XREAD BLOCK on redis.asyncio, so an event
reaches every reader in any process at once. Event ids are the stream ids. A stream is
capped (MAXLEN ~ 500) and expires with its job.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from typing import Any

import redis
import redis.asyncio as aredis

from jobs.events import Event

log = logging.getLogger(__name__)

MAX_EVENTS_PER_JOB = 500
STREAM_ID = re.compile(r"^\d+(-\d+)?$")
RECONNECT_PAUSE = 0.5  # seconds between two tries while Redis is away
BLOCK_SLACK = 10.0  # seconds a blocked read may overrun before the connection counts as dead


class RedisEventLog:
    def __init__(
        self, client: redis.Redis, url: str, prefix: str, *, live_ttl: float, end_ttl: float
    ) -> None:
        self.r: Any = client  # decode_responses=True (redis-py's types can't tell)
        self.url = url
        self.p = prefix
        self.live_ttl = int(live_ttl)  # while the job goes on: a safety net
        self.end_ttl = int(end_ttl)  # once it ended: as long as its result
        self._async: dict[int, aredis.Redis] = {}  # one client per event loop

    def _key(self, job_id: str) -> str:
        return f"{self.p}events:{job_id}"

    def append(self, event: Event) -> Event:
        key = self._key(event.job_id)
        pipe = self.r.pipeline()
        pipe.xadd(key, {"e": event.with_id("").to_json()}, maxlen=MAX_EVENTS_PER_JOB)
        if event.is_end:
            pipe.expire(key, self.end_ttl)
        else:  # NX: a late progress event does not undo the end's shorter TTL
            pipe.expire(key, self.live_ttl, nx=True)
        event_id = pipe.execute()[0]
        return event.with_id(str(event_id))

    @staticmethod
    def _decode(entries: list[Any]) -> list[Event]:
        return [Event.from_json(fields["e"]).with_id(eid) for eid, fields in entries]

    def last(self, job_id: str) -> Event | None:
        found = self._decode(self.r.xrevrange(self._key(job_id), count=1))
        return found[0] if found else None

    def last_preview(self, job_id: str) -> Event | None:
        entries = self.r.xrevrange(self._key(job_id), count=MAX_EVENTS_PER_JOB)
        return next((e for e in self._decode(entries) if e.type == "preview"), None)

    async def read(self, job_id: str, after: str | None, timeout: float) -> list[Event]:
        """Events after `after`; while Redis is away, keeps trying until `timeout` is up."""
        start = after if after and STREAM_ID.match(after) else "0-0"
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                return await self._xread(job_id, start, max(0.0, left))
            except (redis.ConnectionError, redis.TimeoutError, OSError, TimeoutError) as exc:
                log.warning("reading events of job %s: %s; trying again", job_id, exc)
                await self._reset()
                if left <= RECONNECT_PAUSE:
                    return []
                await asyncio.sleep(RECONNECT_PAUSE)

    async def _xread(self, job_id: str, start: str, wait: float) -> list[Event]:
        client: Any = self._client()
        block = int(wait * 1000) if wait > 0 else None
        reply = await asyncio.wait_for(  # a safety net: the socket itself has no timeout
            client.xread({self._key(job_id): start}, count=100, block=block),
            wait + BLOCK_SLACK,
        )
        return self._decode(reply[0][1]) if reply else []

    def _client(self) -> aredis.Redis:
        loop = id(asyncio.get_running_loop())
        if loop not in self._async:
            # No socket timeout: XREAD BLOCK waits longer than redis-py's 5 s default.
            self._async[loop] = aredis.Redis.from_url(
                self.url, decode_responses=True, socket_timeout=None, socket_connect_timeout=5,
                socket_keepalive=True,
            )  # fmt: skip
        return self._async[loop]

    async def _reset(self) -> None:
        client = self._async.pop(id(asyncio.get_running_loop()), None)
        if client is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                await client.aclose()

    def drop(self, job_id: str) -> None:
        self.r.delete(self._key(job_id))
