"""The job queue: bounded, one job per user, one job at a time, durable, with retries.

`WorkQueue` is the interface the handlers use; `LocalWorkQueue` runs jobs one after another in
this process. A broker-backed queue could implement the same interface: a `Job` is plain data
(file ids and choices), and everything else (downloads, progress, the result) happens in the
`JobHandler` when the job starts.

Every accepted job is written to a `Journal` (SQLite, bot/store.py) until it has ended, so a
restart or a crash loses nothing: `start()` queues again whatever the journal still holds. A run
that fails (Telegram unreachable, a bug) is tried again later, up to `max_attempts` runs in all,
counting runs a crash cut short; then the user is told and the job is dropped.

The queue owns each job's temp dir (created when the job starts, removed when it ends, whatever
happens) and its cancel flag: a `threading.Event`, because the engine checks it from its own
thread between two optimisation steps.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from bot.models import Job, StoredJob

log = logging.getLogger(__name__)

T = TypeVar("T")

StopReason = Literal["user", "shutdown"]
CancelOutcome = Literal["queued", "running"]
Outcome = Literal["done", "failed"]  # failed: worth another run later

MAX_ATTEMPTS = 3
RETRY_DELAY = 10.0  # seconds before a failed job runs again, times the attempts so far


class JobRefused(Exception):
    """The queue did not take the job."""


class QueueFull(JobRefused):
    pass


class QueueUnavailable(JobRefused):
    """The queue is not running, or the journal could not keep the job."""


class AlreadyQueued(JobRefused):
    def __init__(self, current: Job) -> None:
        super().__init__(f"user {current.user_id} already has job {current.id}")
        self.current = current


@dataclass
class RunningJob:
    """A job while it runs: where its files go and whether it should stop."""

    job: Job
    workdir: Path
    attempt: int = 1
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

    async def run(self, running: RunningJob) -> Outcome:
        """Do the job; "done" once it has ended (result, refusal, cancel), else "failed"."""
        ...

    async def moved(self, job: Job, position: int) -> None: ...

    async def paused(self, job: Job) -> None:
        """The bot is stopping; the job waits in the journal for the restart."""
        ...

    async def retrying(self, job: Job, attempt: int) -> None: ...

    async def gave_up(self, job: Job, attempts: int) -> None: ...


class Journal(Protocol):
    """Where accepted jobs are kept until they end (bot.store.JobJournal)."""

    def add(self, job: Job) -> None: ...

    def started(self, job_id: str) -> int: ...

    def stopped(self, job_id: str, *, counts: bool) -> None: ...

    def remove(self, job_id: str) -> None: ...

    def pending(self) -> list[StoredJob]: ...


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
    """FIFO in memory, mirrored in a journal; `maxsize` counts waiting jobs, not the running one."""

    def __init__(
        self, handler: JobHandler, journal: Journal, *, maxsize: int, tmp_root: Path,
        max_attempts: int = MAX_ATTEMPTS, retry_delay: float = RETRY_DELAY,
    ) -> None:  # fmt: skip
        self.handler = handler
        self.journal = journal
        self.maxsize = maxsize
        self.tmp_root = tmp_root
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self._waiting: deque[Job] = deque()
        self._not_before: dict[str, float] = {}  # job id -> monotonic time of its retry
        self._running: RunningJob | None = None
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._notices: set[asyncio.Task[None]] = set()

    # -- the interface ----------------------------------------------------------------------

    def admit(self, user_id: int) -> None:
        if self._stopping or self._task is None or self._task.done():
            raise QueueUnavailable("the queue is not running")
        current = self.job_of(user_id)
        if current is not None:
            raise AlreadyQueued(current)
        if len(self._waiting) >= self.maxsize:
            raise QueueFull(f"{len(self._waiting)} jobs waiting")

    def submit(self, job: Job) -> int:
        self.admit(job.user_id)
        try:
            self.journal.add(job)  # first: a job is accepted only once it is safe
        except Exception as exc:  # e.g. the disk is full
            log.exception("job %s: could not be saved", job.id)
            raise QueueUnavailable("the journal failed") from exc
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
                self._not_before.pop(job_id, None)
                self._safely(self.journal.remove, job_id)
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
        """Queue again what the journal holds, then run jobs until `stop()`."""
        if self._task is not None:
            return
        self._stopping = False
        # Leftovers of a crash: nothing in tmp belongs to a job of this process yet.
        shutil.rmtree(self.tmp_root, ignore_errors=True)
        self.tmp_root.mkdir(parents=True, exist_ok=True)
        self._restore()
        self._task = asyncio.create_task(self._loop(), name="style-worker")
        self._schedule_moves()

    async def stop(self) -> None:
        """Stop the running job; it and the waiting ones stay in the journal for the restart."""
        if self._task is None:
            return
        self._stopping = True
        if self._running is not None:
            self._running.stop("shutdown")
        self._wakeup.set()
        await self._task
        self._task = None
        paused = list(self._waiting)
        self._waiting.clear()
        self._not_before.clear()
        await asyncio.gather(*self._notices)
        for job in paused:
            await self._notify(self.handler.paused(job))

    def _restore(self) -> None:
        for stored in self.journal.pending():
            job = stored.job
            if stored.attempts >= self.max_attempts:  # e.g. it took the process down each time
                self._give_up(job, stored.attempts)
            elif self.get(job.id) is None:
                self._waiting.append(job)
        if self._waiting:
            log.info("%d jobs queued again from the journal", len(self._waiting))

    # -- the worker -------------------------------------------------------------------------

    async def _loop(self) -> None:
        while not self._stopping:
            job, wait = self._next_ready()
            if job is None:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), wait)
                continue
            await self._settle(await self._run(job))

    def _next_ready(self) -> tuple[Job | None, float | None]:
        """The first waiting job whose retry time has come, else how long until one has."""
        now, soonest = time.monotonic(), None
        for job in self._waiting:
            ready_at = self._not_before.get(job.id, now)
            if ready_at <= now:
                self._waiting.remove(job)
                self._not_before.pop(job.id, None)
                return job, None
            soonest = ready_at if soonest is None else min(soonest, ready_at)
        return None, None if soonest is None else soonest - now

    async def _run(self, job: Job) -> tuple[RunningJob, Outcome] | None:
        """One run of `job`; None if it could not even start (it is queued again)."""
        attempt = self._safely(self.journal.started, job.id)
        if attempt is None:  # the journal is unwell: don't run what it can't account for
            self._requeue(job, max(self.retry_delay, 1.0))
            return None
        workdir = self.tmp_root / job.id
        running = self._running = RunningJob(job, workdir, attempt)
        self._schedule_moves()
        outcome: Outcome = "failed"
        try:
            workdir.mkdir(parents=True, exist_ok=True)
            outcome = await self.handler.run(running)
        except Exception:  # the handler reports its own errors; this is the last resort
            log.exception("job %s crashed the handler", job.id)
        finally:
            self._running = None
            shutil.rmtree(workdir, ignore_errors=True)
        return running, outcome

    async def _settle(self, ran: tuple[RunningJob, Outcome] | None) -> None:
        """After a run: forget the job, keep it for the restart, retry it later, or give up."""
        if ran is None:
            return
        running, outcome = ran
        job, attempt = running.job, running.attempt
        if outcome == "done" or running.reason == "user":
            self._safely(self.journal.remove, job.id)
        elif running.reason == "shutdown":
            self._safely(self.journal.stopped, job.id, counts=False)
            await self._notify(self.handler.paused(job))
        elif attempt < self.max_attempts:
            self._safely(self.journal.stopped, job.id, counts=True)
            self._requeue(job, self.retry_delay * attempt)
            await self._notify(self.handler.retrying(job, attempt))
        else:
            self._give_up(job, attempt)

    def _give_up(self, job: Job, attempts: int) -> None:
        log.warning("job %s: giving up after %d attempts", job.id, attempts)
        self._safely(self.journal.remove, job.id)
        self._spawn(self.handler.gave_up(job, attempts))  # stop() waits for it

    def _requeue(self, job: Job, delay: float) -> None:
        self._not_before[job.id] = time.monotonic() + delay
        self._waiting.append(job)

    @staticmethod
    def _safely(write: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """A journal call that must not stop the worker: an error is logged, None returned.

        The cost of a lost write is bounded: a finished job may run once more after a
        restart, a failed one may get one attempt more or less."""
        try:
            return write(*args, **kwargs)
        except Exception:
            log.exception("job journal: %s failed", getattr(write, "__name__", write))
            return None

    def _schedule_moves(self) -> None:
        """Tell waiting users their new place, without holding up the worker."""
        for job in self._waiting:
            position = self.position(job.id)
            if position is not None and job.id not in self._not_before:
                self._spawn(self.handler.moved(job, position))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(self._notify(coro))
        self._notices.add(task)  # keep a reference until it is done
        task.add_done_callback(self._notices.discard)

    @staticmethod
    async def _notify(coro: Coroutine[Any, Any, None]) -> None:
        try:
            await coro
        except Exception:
            log.exception("job notification failed")
