"""The job queue: bounded, one job per user, one job at a time.

`WorkQueue` is the interface the handlers use; `LocalWorkQueue` keeps jobs in memory and runs
them one after another in this process. A broker-backed queue could implement the same
interface: a `Job` is plain data (file ids and choices), and everything else (downloads,
progress, the result) happens in the `JobHandler` when the job starts.

The queue owns each job's temp dir (created when the job starts, removed when it ends, whatever
happens) and its cancel flag: a `threading.Event`, because the engine checks it from its own
thread between two optimisation steps.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import threading
from collections import deque
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from bot.models import Job

log = logging.getLogger(__name__)

StopReason = Literal["user", "shutdown"]
CancelOutcome = Literal["queued", "running"]


class JobRefused(Exception):
    """The queue did not take the job."""


class QueueFull(JobRefused):
    pass


class AlreadyQueued(JobRefused):
    def __init__(self, current: Job) -> None:
        super().__init__(f"user {current.user_id} already has job {current.id}")
        self.current = current


@dataclass
class RunningJob:
    """A job while it runs: where its files go and whether it should stop."""

    job: Job
    workdir: Path
    cancel_event: threading.Event = field(default_factory=threading.Event)
    reason: StopReason | None = None

    def stop(self, reason: StopReason) -> None:
        self.reason = self.reason or reason
        self.cancel_event.set()

    def should_cancel(self) -> bool:
        """Called by the engine from its worker thread."""
        return self.cancel_event.is_set()


class JobHandler(Protocol):
    """What the queue calls; it does the actual work and talks to the user."""

    async def run(self, running: RunningJob) -> None: ...

    async def moved(self, job: Job, position: int) -> None: ...

    async def dropped(self, job: Job) -> None: ...


class WorkQueue(Protocol):
    def admit(self, user_id: int) -> None:
        """Raise JobRefused if a job of this user would be refused right now."""
        ...

    def submit(self, job: Job) -> int:
        """Queue a job; returns its position (0: starts now). Raises JobRefused."""
        ...

    def cancel(self, job_id: str) -> CancelOutcome | None:
        """Remove a waiting job or stop a running one; None if it is unknown (finished)."""
        ...

    def position(self, job_id: str) -> int | None: ...

    def get(self, job_id: str) -> Job | None: ...

    def job_of(self, user_id: int) -> Job | None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class LocalWorkQueue:
    """In-memory FIFO; `maxsize` counts waiting jobs (the running one is not waiting)."""

    def __init__(self, handler: JobHandler, *, maxsize: int, tmp_root: Path) -> None:
        self.handler = handler
        self.maxsize = maxsize
        self.tmp_root = tmp_root
        self._waiting: deque[Job] = deque()
        self._running: RunningJob | None = None
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._notices: set[asyncio.Task[None]] = set()

    # -- the interface ----------------------------------------------------------------------

    def admit(self, user_id: int) -> None:
        if self._stopping:
            raise QueueFull("the queue is shutting down")
        current = self.job_of(user_id)
        if current is not None:
            raise AlreadyQueued(current)
        if len(self._waiting) >= self.maxsize:
            raise QueueFull(f"{len(self._waiting)} jobs waiting")

    def submit(self, job: Job) -> int:
        self.admit(job.user_id)
        self._waiting.append(job)
        self._wakeup.set()
        position = self.position(job.id)
        assert position is not None
        return position

    def cancel(self, job_id: str) -> CancelOutcome | None:
        running = self._running
        if running is not None and running.job.id == job_id:
            running.stop("user")
            return "running"
        for job in self._waiting:
            if job.id == job_id:
                self._waiting.remove(job)
                self._schedule_moves()
                return "queued"
        return None

    def position(self, job_id: str) -> int | None:
        ahead = 1 if self._running is not None else 0
        if self._running is not None and self._running.job.id == job_id:
            return 0
        for index, job in enumerate(self._waiting):
            if job.id == job_id:
                return ahead + index
        return None

    def get(self, job_id: str) -> Job | None:
        if self._running is not None and self._running.job.id == job_id:
            return self._running.job
        return next((job for job in self._waiting if job.id == job_id), None)

    def job_of(self, user_id: int) -> Job | None:
        if self._running is not None and self._running.job.user_id == user_id:
            return self._running.job
        return next((job for job in self._waiting if job.user_id == user_id), None)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    # -- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is not None:
            return
        self._stopping = False
        # Leftovers of a crash: nothing in tmp belongs to a job of this process yet.
        shutil.rmtree(self.tmp_root, ignore_errors=True)
        self.tmp_root.mkdir(parents=True, exist_ok=True)
        self._task = asyncio.create_task(self._loop(), name="style-worker")

    async def stop(self) -> None:
        """Stop the running job (its user is told), drop the waiting ones (theirs too)."""
        if self._task is None:
            return
        self._stopping = True
        dropped = list(self._waiting)
        self._waiting.clear()
        if self._running is not None:
            self._running.stop("shutdown")
        self._wakeup.set()
        await self._task
        self._task = None
        await asyncio.gather(*self._notices)
        for job in dropped:
            await self._notify(self.handler.dropped(job))

    # -- the worker -------------------------------------------------------------------------

    async def _loop(self) -> None:
        while not self._stopping:
            if not self._waiting:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            job = self._waiting.popleft()
            workdir = self.tmp_root / job.id
            self._running = RunningJob(job, workdir)
            self._schedule_moves()
            try:
                workdir.mkdir(parents=True, exist_ok=True)
                await self.handler.run(self._running)
            except Exception:  # the handler reports its own errors; this is the last resort
                log.exception("job %s crashed the handler", job.id)
            finally:
                self._running = None
                shutil.rmtree(workdir, ignore_errors=True)

    def _schedule_moves(self) -> None:
        """Tell waiting users their new place, without holding up the worker."""
        for job in self._waiting:
            position = self.position(job.id)
            if position is not None:
                task = asyncio.create_task(self._notify(self.handler.moved(job, position)))
                self._notices.add(task)  # keep a reference until it is done
                task.add_done_callback(self._notices.discard)

    @staticmethod
    async def _notify(coro: Awaitable[None]) -> None:
        try:
            await coro
        except Exception:
            log.exception("job notification failed")
