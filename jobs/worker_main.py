"""`stylize-worker`: a Celery worker that runs style-transfer jobs, one at a time.

Start any number, on any machine that reaches Redis (GPU or CPU; no Telegram token):

    BROKER_URL=redis://redis-host:6379/0 ENGINE_DEVICE=cuda stylize-worker

Settings come from the job service's environment variables (JOB_TIME_BUDGET, WORKER_THREADS,
...). Extra arguments go to `celery worker` (e.g. `-n gpu1@%h`, `--loglevel=DEBUG`).
"""

from __future__ import annotations

import functools
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from celery import Celery, Task
from celery.exceptions import Reject
from celery.signals import worker_ready

from jobs.celery_app import TASK_NAME, make_app
from jobs.distributed import RedisParts
from jobs.distributed_settings import DistributedSettings
from jobs.model import Job, JobState
from jobs.store import broadcast_positions
from jobs.worker import Executor

log = logging.getLogger(__name__)

Resend = Callable[[str, float], object]  # (job id, delay in seconds)


@dataclass
class Runtime:
    """What a worker process builds once: the shared parts and the executor."""

    parts: RedisParts
    executor: Executor


def build_runtime(worker: str) -> Runtime:
    settings = DistributedSettings()  # type: ignore[call-arg]  # from the environment
    from styles.catalog import default_catalog

    parts = RedisParts(settings, worker=worker)
    executor = Executor(settings, parts.store, parts.events, parts.blobs, default_catalog())
    return Runtime(parts, executor)


@functools.cache
def runtime(worker: str) -> Runtime:
    """Built in the process that runs the jobs (the pool's child), on its first job."""
    rt = build_runtime(worker)
    if rt.executor.settings.worker_threads:
        import torch

        torch.set_num_threads(rt.executor.settings.worker_threads)
    return rt


def run_job(job_id: str, rt: Runtime, resend: Resend) -> JobState | None:
    """One delivery of a job's task message; returns the job's state after (None: gone)."""
    store, executor = rt.parts.store, rt.executor
    job = store.claim(job_id)
    if job is None:
        return _not_claimed(job_id, rt, resend)
    store.count_run(store.worker)  # before the run: counted by the time its end is seen
    broadcast_positions(store, rt.parts.events)
    with store.heartbeat(job_id):
        state = executor.execute(job)
    if state == "queued":  # a failed run, to be tried again later
        _resend_when_due(job_id, rt, resend)
    return state


def _not_claimed(job_id: str, rt: Runtime, resend: Resend) -> JobState | None:
    """A message for a job that is not waiting: ended, running elsewhere, or orphaned."""
    store = rt.parts.store
    job = store.get(job_id)
    if job is None or job.ended:
        return job.state if job else None  # cancelled while queued, or a duplicate
    if job.state == "queued":  # requeued between our two reads; its own message follows
        return job.state
    if (holder := store.lease_holder(job_id)) is not None:
        log.info("job %s runs on %s; looking again later", job_id, holder)
        resend(job_id, store.lease_ttl)  # in case that run dies before it ends
        return job.state
    # Running with no heartbeat: its worker died mid-run (the broker gave us its message).
    if not store.take_reap(job_id):
        return job.state  # another worker's reaper is putting it back right now
    return _orphaned(job, rt, resend)


def _orphaned(job: Job, rt: Runtime, resend: Resend) -> JobState:
    """A run that died with its worker: counted, then queued again (when due) or given up."""
    state = rt.executor.failed_run(job, None)
    if state == "queued":
        _resend_when_due(job.id, rt, resend)
    return state


def _resend_when_due(job_id: str, rt: Runtime, resend: Resend) -> None:
    job = rt.parts.store.get(job_id)
    if job is not None and job.state == "queued":
        resend(job_id, max(0.0, job.not_before - time.time()))


def reap_orphans(rt: Runtime, resend: Resend) -> int:
    """Requeue running jobs whose run lost its heartbeat (its worker died).

    Quicker than waiting for the broker's visibility timeout to hand the message out again;
    if that happens later, the message finds the job queued, running or ended and copes."""
    store, reaped = rt.parts.store, 0
    for job in store.running():
        if store.lease_holder(job.id) is None and store.take_reap(job.id):
            log.warning("job %s lost its worker mid-run", job.id)
            _orphaned(job, rt, resend)
            reaped += 1
    return reaped


def _reap_forever(rt: Runtime, resend: Resend) -> None:
    while True:
        time.sleep(rt.parts.store.lease_ttl)
        try:
            reap_orphans(rt, resend)
        except Exception:  # Redis away, say: the next round tries again
            log.exception("looking for orphaned jobs failed")


def sender_of(app: Celery) -> Resend:
    def resend(job_id: str, delay: float) -> None:
        app.send_task(TASK_NAME, args=[job_id], countdown=delay or None)

    return resend


def register(app: Celery) -> Task:
    """The thin task: a Celery delivery in, `run_job` on this process's runtime."""

    @app.task(name=TASK_NAME, bind=True, acks_on_failure_or_timeout=False)  # type: ignore[untyped-decorator]
    def run_job_task(self: Task, job_id: str) -> str | None:
        try:
            return run_job(job_id, runtime(self.request.hostname or ""), sender_of(app))
        except redis.RedisError as exc:  # Redis away: keep the message for a later try
            log.warning("job %s: Redis unavailable (%s); the message goes back", job_id, exc)
            raise Reject(str(exc), requeue=True) from exc

    task: Task = run_job_task
    return task


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = DistributedSettings()  # type: ignore[call-arg]  # from the environment
    if not settings.broker_url:
        sys.exit("stylize-worker needs BROKER_URL (redis://host:6379/0)")
    app = make_app(settings)
    register(app)

    @worker_ready.connect  # type: ignore[untyped-decorator]
    def start_reaper(sender: object, **_: object) -> None:
        rt = build_runtime(getattr(sender, "hostname", "") or "")  # no torch threads here
        threading.Thread(target=_reap_forever, args=(rt, sender_of(app)), daemon=True).start()

    args = list(sys.argv[1:] if argv is None else argv)
    if not any(a.startswith(("-n", "--hostname")) for a in args):
        args.append(f"--hostname=stylize@{socket.gethostname()}")
    app.worker_main([
        "worker", "--concurrency=1", "--pool=prefork", "--without-gossip",
        "--without-mingle", "--loglevel=INFO", "--task-events", *args,
    ])  # fmt: skip


if __name__ == "__main__":
    main()
