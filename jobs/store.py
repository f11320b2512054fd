"""Where jobs are kept: the `JobStore` interface and its SQLite form (embedded mode).

Every state change is one compare-and-set, so a cancel racing a start, or two workers
given the same job, can never both win. Queue order is arrival order (`seq`).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from jobs.errors import Busy, QueueFull
from jobs.eventlog import EventLog
from jobs.events import Event
from jobs.model import TERMINAL, Job, JobError, JobResult, JobState

ACTIVE = ("queued", "running")


class JobStore(Protocol):
    def admit(self, job: Job, *, max_queued: int, max_active: int = 1) -> None:
        """Keep a new queued job; Busy if its owner has `max_active` going, QueueFull if
        `max_queued` jobs wait already."""
        ...

    def counts(self) -> dict[str, int]:
        """How many jobs are in each state (for metrics)."""
        ...

    def get(self, job_id: str) -> Job | None: ...

    def claim(self, job_id: str) -> Job | None:
        """queued -> running (one more attempt); None if it is not queued."""
        ...

    def finish(
        self, job_id: str, state: JobState, *,
        result: JobResult | None = None, error: JobError | None = None,
    ) -> Job | None:  # fmt: skip
        """An active job ends; None if it had already ended."""
        ...

    def requeue(self, job_id: str, *, delay: float, counts: bool) -> Job | None:
        """running -> queued; `counts=False` gives the attempt back (we stopped it)."""
        ...

    def queued(self) -> list[Job]: ...

    def running(self) -> list[Job]: ...

    def active_of(self, owner_key: str) -> Job | None: ...

    def unsettled(self, client: str) -> list[Job]: ...

    def settle(self, job_id: str) -> None: ...

    def update_reply(self, job_id: str, reply: str) -> None: ...

    def request_cancel(self, job_id: str) -> None: ...

    def cancel_requested(self, job_id: str) -> bool: ...

    def expired(self, before: float) -> list[Job]: ...

    def delete(self, job_id: str) -> None: ...


def claim_first_due(store: JobStore) -> Job | None:
    """Claim the first queued job whose retry time has come (what an embedded worker takes)."""
    now = time.time()
    for job in store.queued():
        if job.not_before <= now and (claimed := store.claim(job.id)) is not None:
            return claimed
    return None


def queue_places(store: JobStore) -> list[tuple[Job, int]]:
    """Every waiting job with its place: the jobs ahead of it, running ones included.

    0 means a free worker takes it now, 1 that it is next once a running job ends."""
    ahead = len(store.running())
    return [(job, ahead + index) for index, job in enumerate(store.queued())]


def broadcast_positions(store: JobStore, events: EventLog) -> None:
    """Tell every waiting job its new place (`queue_places`), where it changed."""
    for job, position in queue_places(store):
        last = events.last(job.id)
        if last is None or last.type != "queued" or last.position != position:
            events.append(Event("queued", job.id, position=position, attempt=job.attempts))


_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    owner TEXT NOT NULL,
    client TEXT NOT NULL,
    state TEXT NOT NULL,
    cancel INTEGER NOT NULL DEFAULT 0,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, seq);
CREATE INDEX IF NOT EXISTS jobs_owner ON jobs (owner, state);
"""


class SqliteJobStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # survives a crash of the process
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[Job]:
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [Job.from_json(body) for (body,) in rows]

    def _write(self, db: sqlite3.Connection, job: Job) -> None:
        db.execute(
            "UPDATE jobs SET state = ?, body = ? WHERE id = ?", (job.state, job.to_json(), job.id)
        )

    def admit(self, job: Job, *, max_queued: int, max_active: int = 1) -> None:
        with self._tx() as db:
            rows = db.execute(
                "SELECT id FROM jobs WHERE owner = ? AND state IN (?, ?) ORDER BY seq",
                (job.owner.key, *ACTIVE),
            ).fetchall()
            if len(rows) >= max_active:
                raise Busy(rows[0][0])
            (waiting,) = db.execute("SELECT COUNT(*) FROM jobs WHERE state = 'queued'").fetchone()
            if waiting >= max_queued:
                raise QueueFull(waiting)
            db.execute(
                "INSERT INTO jobs (id, owner, client, state, body) VALUES (?, ?, ?, ?, ?)",
                (job.id, job.owner.key, job.owner.client, job.state, job.to_json()),
            )

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()
        return {state: count for state, count in rows}

    def get(self, job_id: str) -> Job | None:
        found = self._rows("SELECT body FROM jobs WHERE id = ?", (job_id,))
        return found[0] if found else None

    def _change(self, job_id: str, allowed: tuple[str, ...], **changes: Any) -> Job | None:
        with self._tx() as db:
            row = db.execute("SELECT body FROM jobs WHERE id = ?", (job_id,)).fetchone()
            job = Job.from_json(row[0]) if row else None
            if job is None or job.state not in allowed:
                return None
            job = job.but(**changes)
            self._write(db, job)
            return job

    def claim(self, job_id: str) -> Job | None:
        job = self.get(job_id)
        if job is None:
            return None
        return self._change(
            job_id, ("queued",), state="running", attempts=job.attempts + 1,
            started_at=time.time(),
        )  # fmt: skip

    def finish(
        self, job_id: str, state: JobState, *,
        result: JobResult | None = None, error: JobError | None = None,
    ) -> Job | None:  # fmt: skip
        assert state in TERMINAL
        return self._change(
            job_id, ACTIVE, state=state, result=result, error=error, ended_at=time.time()
        )

    def requeue(self, job_id: str, *, delay: float, counts: bool) -> Job | None:
        job = self.get(job_id)
        if job is None:
            return None
        attempts = job.attempts if counts else max(0, job.attempts - 1)
        return self._change(
            job_id, ("running",), state="queued", attempts=attempts,
            not_before=time.time() + delay,
        )  # fmt: skip

    def queued(self) -> list[Job]:
        return self._rows("SELECT body FROM jobs WHERE state = 'queued' ORDER BY seq")

    def running(self) -> list[Job]:
        return self._rows("SELECT body FROM jobs WHERE state = 'running' ORDER BY seq")

    def active_of(self, owner_key: str) -> Job | None:
        found = self._rows(
            "SELECT body FROM jobs WHERE owner = ? AND state IN (?, ?)", (owner_key, *ACTIVE)
        )
        return found[0] if found else None

    def unsettled(self, client: str) -> list[Job]:
        return [
            job
            for job in self._rows("SELECT body FROM jobs WHERE client = ? ORDER BY seq", (client,))
            if not job.settled
        ]

    def settle(self, job_id: str) -> None:
        states = (*ACTIVE, *TERMINAL)
        self._change(job_id, states, settled=True)

    def update_reply(self, job_id: str, reply: str) -> None:
        self._change(job_id, (*ACTIVE, *TERMINAL), reply=reply)

    def request_cancel(self, job_id: str) -> None:
        with self._lock:
            self._db.execute("UPDATE jobs SET cancel = 1 WHERE id = ?", (job_id,))

    def cancel_requested(self, job_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT cancel FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return bool(row and row[0])

    def expired(self, before: float) -> list[Job]:
        ended = self._rows("SELECT body FROM jobs WHERE state IN ('done', 'failed', 'cancelled')")
        return [job for job in ended if job.ended_at is not None and job.ended_at < before]

    def delete(self, job_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
