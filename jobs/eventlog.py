"""Each job's events in order: the `EventLog` interface and its in-memory form (embedded).

Writers are worker threads (sync `append`); readers are clients on the event loop
(`read` waits for news). Event ids count up per job, so a reader resumes after the last
id it saw.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from typing import Protocol

from jobs.events import Event

MAX_EVENTS_PER_JOB = 500  # progress is throttled upstream; this only bounds a runaway


class EventLog(Protocol):
    def append(self, event: Event) -> Event:
        """Add an event (from any thread); returns it with its id."""
        ...

    def last(self, job_id: str) -> Event | None: ...

    def last_preview(self, job_id: str) -> Event | None: ...

    async def read(self, job_id: str, after: str | None, timeout: float) -> list[Event]:
        """Events after `after` (all if None); waits up to `timeout` s for one to come."""
        ...

    def drop(self, job_id: str) -> None: ...


def _seq(event_id: str | None) -> int:
    try:
        return int(event_id or 0)
    except ValueError:
        return 0  # an id from another mode: replay what we have


class MemoryEventLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: defaultdict[str, list[Event]] = defaultdict(list)
        self._counts: defaultdict[str, int] = defaultdict(int)
        self._waiters: dict[str, asyncio.Event] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop readers wait on; appends from other threads wake them through it."""
        self._loop = loop

    def append(self, event: Event) -> Event:
        with self._lock:
            self._counts[event.job_id] += 1
            event = event.with_id(str(self._counts[event.job_id]))
            events = self._events[event.job_id]
            events.append(event)
            if len(events) > MAX_EVENTS_PER_JOB:
                del events[: len(events) - MAX_EVENTS_PER_JOB]
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake, event.job_id)
        return event

    def _wake(self, job_id: str) -> None:
        waiter = self._waiters.pop(job_id, None)
        if waiter is not None:
            waiter.set()

    def last(self, job_id: str) -> Event | None:
        with self._lock:
            events = self._events.get(job_id)
            return events[-1] if events else None

    def last_preview(self, job_id: str) -> Event | None:
        with self._lock:
            events = self._events.get(job_id, [])
            return next((e for e in reversed(events) if e.type == "preview"), None)

    def _after(self, job_id: str, after_seq: int) -> list[Event]:
        with self._lock:
            return [e for e in self._events.get(job_id, []) if int(e.id) > after_seq]

    async def read(self, job_id: str, after: str | None, timeout: float) -> list[Event]:
        after_seq = _seq(after)
        found = self._after(job_id, after_seq)
        if found or timeout <= 0:
            return found
        # No await between the check above and this: a wake-up can't slip in between.
        waiter = self._waiters.setdefault(job_id, asyncio.Event())
        try:
            await asyncio.wait_for(waiter.wait(), timeout)
        except TimeoutError:
            return []
        return self._after(job_id, after_seq)

    def drop(self, job_id: str) -> None:
        with self._lock:
            self._events.pop(job_id, None)
            self._counts.pop(job_id, None)
