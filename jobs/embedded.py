"""Embedded mode: worker threads inside the process that hosts the clients.

The SQLite store is the queue: a worker claims the first queued job whose retry time has
come, runs it in its own thread (the engine is synchronous and CPU-heavy) and loops. Stopping
asks the running jobs to stop at their next step; they go back to the queue without losing an
attempt, and run again after the restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from jobs.model import Job
from jobs.store import broadcast_positions, claim_first_due
from jobs.worker import Executor

log = logging.getLogger(__name__)

IDLE_POLL = 5.0  # seconds; a safety net, submissions wake the workers at once


class EmbeddedDispatcher:
    def __init__(self, executor: Executor, workers: int) -> None:
        self.executor = executor
        self.store = executor.store
        self.workers = workers
        self._threads = ThreadPoolExecutor(max(1, workers), thread_name_prefix="engine")
        self._wakeup = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False

    def dispatch(self, job: Job, delay: float = 0.0) -> None:
        # A fresh Event per wake-up: every idle worker holds the one that was current when
        # it last looked at the queue, so no submission can slip past it.
        woken, self._wakeup = self._wakeup, asyncio.Event()
        woken.set()

    async def start(self) -> None:
        if self._tasks or not self.workers:
            return
        self._stopping = False
        await asyncio.to_thread(self._restore)
        # Before the host answers anyone: the first job's imports would hold the GIL.
        await asyncio.to_thread(self.executor.preload)
        self._tasks = [
            asyncio.create_task(self._loop(), name=f"job-worker-{i}") for i in range(self.workers)
        ]

    async def stop(self) -> None:
        self._stopping = True
        self.dispatch_all()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)

    def _restore(self) -> None:
        """Jobs marked running belong to a run that died with the process."""
        for job in self.store.running():
            self.executor.failed_run(job, None)
        broadcast_positions(self.store, self.executor.events)

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stopping:
            wakeup = self._wakeup
            job = await asyncio.to_thread(claim_first_due, self.store)
            if job is None:
                await self._idle(wakeup)
                continue
            await asyncio.to_thread(broadcast_positions, self.store, self.executor.events)
            try:
                await loop.run_in_executor(self._threads, self._execute, job)
            except Exception:  # the executor reports its own errors; this is the last resort
                log.exception("job %s crashed its worker", job.id)

    def _execute(self, job: Job) -> None:
        self.executor.execute(job, stopping=lambda: self._stopping)

    def dispatch_all(self) -> None:
        self._wakeup.set()

    async def _idle(self, wakeup: asyncio.Event) -> None:
        """Wait for a submission, or for the earliest retry to come due."""
        queued = await asyncio.to_thread(self.store.queued)
        due = [job.not_before - time.time() for job in queued]
        wait = max(0.05, min(due)) if due else IDLE_POLL
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wakeup.wait(), min(wait, IDLE_POLL))
