"""The `JobStore` on Redis (distributed mode): every client and worker shares it.

Keys (all under one prefix): `job:<id>` a hash (body: the job's JSON, seq: its arrival
number), `queued` / `running` sorted sets scored by seq (queue order), `ended` scored by end
time, `owner:<owner>` the owner's active jobs, `client:<client>` its unsettled jobs,
`cancel:<id>` the cancel flag, `lease:<id>` the live run's worker (expires unless its
heartbeat renews it). Every state change is one WATCH/MULTI compare-and-set, retried when
another writer got in between, so a job ends exactly once however many workers hold it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

from jobs.errors import Busy, QueueFull
from jobs.model import TERMINAL, Job, JobError, JobResult, JobState

ACTIVE: tuple[JobState, ...] = ("queued", "running")
ALL: tuple[JobState, ...] = (*ACTIVE, *TERMINAL)
Change = Callable[[Job], dict[str, Any]]


class RedisJobStore:
    def __init__(
        self, client: redis.Redis, prefix: str, *, result_ttl: float, lease_ttl: float = 15.0,
        worker: str = "",
    ) -> None:  # fmt: skip
        # Any: redis-py's types can't tell that decode_responses=True gives str back.
        self.r: Any = client
        self.p = prefix
        self.result_ttl = int(result_ttl)
        self.lease_ttl = lease_ttl
        self.worker = worker  # written into the lease, so operators see who runs what

    def _job(self, job_id: str) -> str:
        return f"{self.p}job:{job_id}"

    def _read(self, job_id: str) -> Job | None:
        body = self.r.hget(self._job(job_id), "body")
        return Job.from_json(body) if body else None

    def _many(self, ids: list[str]) -> list[Job]:
        pipe = self.r.pipeline(transaction=False)
        for job_id in ids:
            pipe.hget(self._job(job_id), "body")
        return [Job.from_json(body) for body in pipe.execute() if body]

    # -- admission ---------------------------------------------------------------------------

    def admit(self, job: Job, *, max_queued: int, max_active: int = 1) -> None:
        owner_key = f"{self.p}owner:{job.owner.key}"
        seq = int(self.r.incr(f"{self.p}seq"))  # gaps after a refusal do no harm

        def tx(pipe: Any) -> None:
            current = [i for i in pipe.zrange(owner_key, 0, -1) if pipe.exists(self._job(i))]
            if len(current) >= max_active:
                raise Busy(current[0])
            waiting = int(pipe.zcard(f"{self.p}queued"))
            if waiting >= max_queued:
                raise QueueFull(waiting)
            pipe.multi()
            pipe.hset(self._job(job.id), mapping={"body": job.to_json(), "seq": seq})
            pipe.zadd(f"{self.p}queued", {job.id: seq})
            pipe.zadd(f"{self.p}client:{job.owner.client}", {job.id: seq})
            pipe.zadd(owner_key, {job.id: seq})

        self.r.transaction(tx, owner_key, f"{self.p}queued")

    def counts(self) -> dict[str, int]:
        p = self.p
        counts = {"queued": int(self.r.zcard(f"{p}queued")),
                  "running": int(self.r.zcard(f"{p}running"))}  # fmt: skip
        for job in self._many(list(self.r.zrange(f"{p}ended", 0, -1))):
            counts[job.state] = counts.get(job.state, 0) + 1
        return counts

    # -- state changes -----------------------------------------------------------------------

    def _change(self, job_id: str, allowed: tuple[JobState, ...], change: Change) -> Job | None:
        """Compare-and-set: apply `change` if the job is in an `allowed` state."""
        key = self._job(job_id)

        def tx(pipe: Any) -> Job | None:
            body, seq = pipe.hmget(key, "body", "seq")
            old = Job.from_json(body) if body else None
            if old is None or old.state not in allowed:
                pipe.multi()  # nothing to write; an empty transaction
                return None
            new = old.but(**change(old))
            pipe.multi()
            pipe.hset(key, "body", new.to_json())
            if new.state != old.state:
                self._move(pipe, new, float(seq or 0))
            return new

        result: Job | None = self.r.transaction(tx, key, value_from_callable=True)
        return result

    def _move(self, pipe: Any, job: Job, seq: float) -> None:
        """Index updates for a state change, inside the caller's transaction."""
        p = self.p
        pipe.zrem(f"{p}queued", job.id)
        pipe.zrem(f"{p}running", job.id)
        if job.state in ACTIVE:
            pipe.zadd(f"{p}{job.state}", {job.id: seq})
        if job.state == "running":
            pipe.set(f"{p}lease:{job.id}", self.worker or "?", px=int(self.lease_ttl * 1000))
        else:
            pipe.delete(f"{p}lease:{job.id}")
        if job.state in TERMINAL:
            pipe.zadd(f"{p}ended", {job.id: job.ended_at or time.time()})
            self._free_owner(pipe, job)
            for key in (self._job(job.id), f"{p}cancel:{job.id}"):
                pipe.expire(key, self.result_ttl)

    def _free_owner(self, pipe: Any, job: Job) -> None:
        pipe.zrem(f"{self.p}owner:{job.owner.key}", job.id)

    def get(self, job_id: str) -> Job | None:
        return self._read(job_id)

    def claim(self, job_id: str) -> Job | None:
        return self._change(
            job_id, ("queued",),
            lambda job: {"state": "running", "attempts": job.attempts + 1,
                         "started_at": time.time()},
        )  # fmt: skip

    def finish(
        self, job_id: str, state: JobState, *,
        result: JobResult | None = None, error: JobError | None = None,
    ) -> Job | None:  # fmt: skip
        assert state in TERMINAL
        changes = {"state": state, "result": result, "error": error, "ended_at": time.time()}
        return self._change(job_id, ACTIVE, lambda job: changes)

    def requeue(self, job_id: str, *, delay: float, counts: bool) -> Job | None:
        return self._change(
            job_id, ("running",),
            lambda job: {"state": "queued", "not_before": time.time() + delay,
                         "attempts": job.attempts if counts else max(0, job.attempts - 1)},
        )  # fmt: skip

    # -- queries -----------------------------------------------------------------------------

    def queued(self) -> list[Job]:
        return self._many(self.r.zrange(f"{self.p}queued", 0, -1))

    def running(self) -> list[Job]:
        return self._many(self.r.zrange(f"{self.p}running", 0, -1))

    def active_of(self, owner_key: str) -> Job | None:
        for job in self._many(list(self.r.zrange(f"{self.p}owner:{owner_key}", 0, -1))):
            if not job.ended:
                return job
        return None

    def unsettled(self, client: str) -> list[Job]:
        key = f"{self.p}client:{client}"
        ids: list[str] = self.r.zrange(key, 0, -1)
        jobs = self._many(ids)
        gone = set(ids) - {job.id for job in jobs}  # expired unsettled: forget them
        if gone:
            self.r.zrem(key, *gone)
        return [job for job in jobs if not job.settled]

    def settle(self, job_id: str) -> None:
        job = self._change(job_id, ALL, lambda job: {"settled": True})
        if job is not None:
            self.r.zrem(f"{self.p}client:{job.owner.client}", job_id)

    def update_reply(self, job_id: str, reply: str) -> None:
        self._change(job_id, ALL, lambda job: {"reply": reply})

    def request_cancel(self, job_id: str) -> None:
        self.r.set(f"{self.p}cancel:{job_id}", "1", ex=self.result_ttl)

    def cancel_requested(self, job_id: str) -> bool:
        return bool(self.r.exists(f"{self.p}cancel:{job_id}"))

    def expired(self, before: float) -> list[Job]:
        """Ended jobs still kept though older than `before` (Redis expires most itself)."""
        ids: list[str] = self.r.zrangebyscore(f"{self.p}ended", "-inf", before)
        jobs = self._many(ids)
        gone = set(ids) - {job.id for job in jobs}
        if gone:
            self.r.zrem(f"{self.p}ended", *gone)
        return jobs

    def delete(self, job_id: str) -> None:
        job = self._read(job_id)
        pipe = self.r.pipeline()
        for name in ("queued", "running", "ended"):
            pipe.zrem(f"{self.p}{name}", job_id)
        if job is not None:
            pipe.zrem(f"{self.p}client:{job.owner.client}", job_id)
            self._free_owner(pipe, job)
        pipe.delete(self._job(job_id), f"{self.p}cancel:{job_id}", f"{self.p}lease:{job_id}")
        pipe.execute()

    # -- runs (distributed mode only) --------------------------------------------------------

    def lease_holder(self, job_id: str) -> str | None:
        """The worker whose run of the job is alive; None when no heartbeat renews it."""
        holder: str | None = self.r.get(f"{self.p}lease:{job_id}")
        return holder

    def renew_lease(self, job_id: str) -> None:
        key = f"{self.p}lease:{job_id}"
        self.r.set(key, self.worker or "?", px=int(self.lease_ttl * 1000), xx=True)

    @contextmanager
    def heartbeat(self, job_id: str) -> Iterator[None]:
        """Renew the job's lease from a thread while the run lasts."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self.lease_ttl / 3):
                with contextlib.suppress(redis.RedisError):  # away a moment: beat again
                    self.renew_lease(job_id)

        thread = threading.Thread(target=beat, name=f"lease-{job_id[:6]}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def take_reap(self, job_id: str) -> bool:
        """Only one worker requeues a given orphaned job."""
        key = f"{self.p}reap:{job_id}"
        return bool(self.r.set(key, self.worker or "?", nx=True, px=int(self.lease_ttl * 1000)))

    def count_run(self, worker: str) -> None:
        """Runs per worker, for operators (and the tests that spread jobs out)."""
        self.r.hincrby(f"{self.p}worker-runs", worker, 1)

    def runs_per_worker(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.r.hgetall(f"{self.p}worker-runs").items()}
