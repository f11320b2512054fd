"""`JobService`: the one interface every client uses, whichever mode runs the jobs.

Store, event log, blob store and dispatcher are pluggable; `jobs.factory.create_service`
picks the embedded set (SQLite, memory, files, worker threads) or the distributed one (Redis
and Celery) from the settings. Blocking calls (SQLite, Redis, files) run in threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Protocol

from jobs.blobs import BlobStore
from jobs.defaults import with_defaults
from jobs.errors import JobRefused, ServiceUnavailable, UnknownJob
from jobs.eventlog import EventLog, MemoryEventLog
from jobs.events import Event, state_event
from jobs.model import Job, JobRequest, StyleSource
from jobs.settings import JobSettings
from jobs.store import JobStore, broadcast_positions, queue_places
from styles.catalog import Catalog

if TYPE_CHECKING:  # the executor (and the engine behind it) exists in embedded mode only
    from jobs.worker import Executor

log = logging.getLogger(__name__)

SWEEP_EVERY = 60.0  # seconds between two clean-ups of expired results
READ_TIMEOUT = 15.0  # seconds an event reader waits before checking the job again


class Dispatcher(Protocol):
    def dispatch(self, job: Job, delay: float = 0.0) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def close(self) -> None: ...


class JobService:
    def __init__(
        self, settings: JobSettings, store: JobStore, events: EventLog, blobs: BlobStore,
        dispatcher: Dispatcher, catalog: Catalog, executor: Executor | None = None,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.executor = executor  # jobs run in this process (embedded mode)
        self.store = store
        self.log = events
        self.blobs = blobs
        self.dispatcher = dispatcher
        self.catalog = catalog
        self._sweeper: asyncio.Task[None] | None = None
        self._running = False

    def on_job_end(self, listener: Callable[[Job], None]) -> None:
        """Call `listener` (in a worker thread) for every job that ends in this process."""
        if self.executor is not None:
            self.executor.listeners.append(listener)

    # -- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        if isinstance(self.log, MemoryEventLog):
            self.log.bind(asyncio.get_running_loop())
        await self.dispatcher.start()
        self._running = True
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="job-sweeper")

    async def stop(self) -> None:
        """Running jobs stop and wait in the queue for the next start."""
        self._running = False
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await self.dispatcher.stop()

    def close(self) -> None:
        self.dispatcher.close()

    # -- requests ---------------------------------------------------------------------------

    async def submit(self, request: JobRequest) -> tuple[Job, int]:
        """Keep the inputs and queue a job; returns it and its place (0: next).

        Raises JobRefused (Busy, QueueFull, ServiceUnavailable); nothing is kept then."""
        if not self._running:
            raise ServiceUnavailable("the job service is not running")
        job, position = await asyncio.to_thread(self._admit, request)
        self.dispatcher.dispatch(job)
        return job, position

    def _admit(self, request: JobRequest) -> tuple[Job, int]:
        params = request.params
        if request.kind == "suggest":
            style = StyleSource()  # the whole gallery
        elif isinstance(request.style, str):
            entry = self.catalog.get(request.style)  # KeyError for an unknown painting
            # The painting's own defaults (style scale, say); the person chose the strength.
            params = with_defaults(params, entry.defaults, keep=("strength",))
            style = StyleSource(slug=request.style)
        elif not request.style:
            raise ValueError("a picture needs a style: a gallery slug or style images")
        else:
            style = StyleSource(blobs=tuple(self.blobs.put(d, "in") for d in request.style))
        content = self.blobs.put(request.content, "in")
        job = Job(
            owner=request.owner, content=content, style=style, params=params,
            reply=request.reply, kind=request.kind, id=request.id,
        )  # fmt: skip
        try:
            self.store.admit(
                job, max_queued=self.settings.queue_size, max_active=request.max_active
            )
        except JobRefused:
            self.blobs.delete(*job.inputs)
            raise
        except Exception as exc:  # the journal or broker is unwell: refuse, keep nothing
            self.blobs.delete(*job.inputs)
            log.exception("job %s could not be kept", job.id)
            raise ServiceUnavailable("the job could not be kept") from exc
        broadcast_positions(self.store, self.log)
        last = self.log.last(job.id)  # before any worker can take it
        return job, last.position or 0 if last is not None else 0

    async def cancel(self, job_id: str) -> Job:
        """Stop a job: at once if it waits, within one engine step if it runs."""
        job = await self.get(job_id)
        if job.ended:
            return job
        await asyncio.to_thread(self.store.request_cancel, job_id)
        ended = await asyncio.to_thread(self.store.finish, job_id, "cancelled")
        if ended is None:  # it is running: the worker sees the request at its next step
            return await self.get(job_id)
        await asyncio.to_thread(self._after_queued_cancel, ended)
        return ended

    def _after_queued_cancel(self, job: Job) -> None:
        self.blobs.delete(*job.inputs)
        self.log.append(state_event(job).with_id(""))
        broadcast_positions(self.store, self.log)

    # -- reading ----------------------------------------------------------------------------

    async def get(self, job_id: str) -> Job:
        job = await asyncio.to_thread(self.store.get, job_id)
        if job is None:
            raise UnknownJob(job_id)
        return job

    async def position(self, job_id: str) -> int | None:
        """A waiting job's place (`queue_places`); None once it has started."""
        places = await asyncio.to_thread(queue_places, self.store)
        return next((place for job, place in places if job.id == job_id), None)

    async def queue_length(self) -> int:
        return len(await asyncio.to_thread(self.store.queued))

    async def counts(self) -> dict[str, int]:
        return await asyncio.to_thread(self.store.counts)

    async def latest(self, job_id: str) -> tuple[Event | None, Event | None]:
        """The job's last event and its last preview, if they are still held."""
        last = await asyncio.to_thread(self.log.last, job_id)
        preview = await asyncio.to_thread(self.log.last_preview, job_id)
        return last, preview

    async def active_of(self, client: str, user: str) -> Job | None:
        return await asyncio.to_thread(self.store.active_of, f"{client}:{user}")

    async def unsettled(self, client: str) -> list[Job]:
        """The client's jobs it has not yet dealt with the end of (after a restart, say)."""
        return await asyncio.to_thread(self.store.unsettled, client)

    async def settle(self, job_id: str) -> None:
        await asyncio.to_thread(self.store.settle, job_id)

    async def update_reply(self, job_id: str, reply: str) -> None:
        await asyncio.to_thread(self.store.update_reply, job_id, reply)

    async def blob(self, ref: str) -> bytes:
        """Image bytes by reference; BlobMissing when gone."""
        return await asyncio.to_thread(self.blobs.get, ref)

    async def events(self, job_id: str, after: str | None = None) -> AsyncIterator[Event]:
        """The job's events, ending with its last one (done, failed or cancelled).

        Without `after`, the current state comes first (the latest preview too, while it
        runs); with `after` (an event id), every later event still held is replayed."""
        job = await self.get(job_id)
        if after is None:
            for event in await self._snapshot(job):
                yield event
                if event.is_end:
                    return
                after = event.id or after
        while True:
            found = await self.log.read(job_id, after, READ_TIMEOUT)
            for event in found:
                yield event
                if event.is_end:
                    return
                after = event.id
            if not found and (job := await self.get(job_id)).ended:
                yield state_event(job)  # its log is gone (a restart)
                return

    async def _snapshot(self, job: Job) -> list[Event]:
        last = await asyncio.to_thread(self.log.last, job.id)
        if job.ended or last is None:
            if last is not None and last.is_end:
                return [last]
            position = await self.position(job.id)
            return [state_event(job, position).with_id(last.id if last else "0")]
        if job.state == "running":
            preview = await asyncio.to_thread(self.log.last_preview, job.id)
            if preview is not None and preview.id != last.id:
                return [preview, last]
        return [last]

    # -- clean-up ---------------------------------------------------------------------------

    async def sweep(self) -> int:
        """Forget jobs whose result has expired, with their files."""
        expired = await asyncio.to_thread(
            self.store.expired, time.time() - self.settings.result_ttl
        )
        for job in expired:
            await self._delete(job)
        await asyncio.to_thread(self.blobs.sweep)
        return len(expired)

    async def forget(self, job_id: str) -> bool:
        """Delete a job, its record and its files now (its owner asked to be forgotten).

        A running job is cancelled and its client's notes (`reply`) are blanked instead, and
        False returned: its worker stops at its next step and needs the record to see the
        cancel; the record and any files go with the sweep after RESULT_TTL."""
        try:
            was_running = (await self.get(job_id)).state == "running"
            job = await self.cancel(job_id)
        except UnknownJob:
            return True
        if was_running or not job.ended:
            await self.update_reply(job_id, "")
            return False
        await self._delete(job)
        return True

    async def _delete(self, job: Job) -> None:
        refs = [job.result.blob] if job.result else []
        await asyncio.to_thread(self.blobs.delete, *refs, *job.inputs)
        await asyncio.to_thread(self.store.delete, job.id)
        self.log.drop(job.id)

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("sweeping expired jobs failed")
            await asyncio.sleep(SWEEP_EVERY)
