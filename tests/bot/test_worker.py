"""The local work queue: bound, one job per user, cancelling, temp dirs, shutdown, the journal,
restarts and retries."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from PIL import Image

from bot.models import Job, Photo, Prefs, Style
from bot.store import Store
from bot.worker import (
    AlreadyQueued,
    LocalWorkQueue,
    Outcome,
    QueueFull,
    QueueUnavailable,
    RunningJob,
)
from engine import Cancelled, StyleParams, stylize
from tests.bot.conftest import SAMPLES


def job(user: int) -> Job:
    return Job(user, user, f"user{user}", 1, Photo(f"file{user}"), Style(slug="munch"), Prefs())


class Recorder:
    """A JobHandler that holds each job until released (or runs `work` in a thread).

    User 666's jobs crash the handler; user 13's jobs fail (worth a retry) every time."""

    def __init__(self) -> None:
        self.started: list[RunningJob] = []
        self.finished: list[tuple[str, str]] = []  # (job id, how)
        self.moves: list[tuple[str, int]] = []
        self.paused_ids: list[str] = []
        self.retries: list[tuple[str, int]] = []
        self.gave_up_ids: list[tuple[str, int]] = []
        self.release = asyncio.Event()

    async def run(self, running: RunningJob) -> Outcome:
        self.started.append(running)
        (running.workdir / "content.jpg").write_bytes(b"x")  # a downloaded file, say
        if running.job.user_id == 666:
            raise RuntimeError("a bug in the handler")
        if running.job.user_id == 13:
            return "failed"
        while not self.release.is_set() and not running.should_cancel():
            await asyncio.sleep(0.01)
        self.finished.append((running.job.id, running.reason or "done"))
        return "failed" if running.reason == "shutdown" else "done"

    async def moved(self, job: Job, position: int) -> None:
        self.moves.append((job.id, position))

    async def paused(self, job: Job) -> None:
        self.paused_ids.append(job.id)

    async def retrying(self, job: Job, attempt: int) -> None:
        self.retries.append((job.id, attempt))

    async def gave_up(self, job: Job, attempts: int) -> None:
        self.gave_up_ids.append((job.id, attempts))


def new_queue(tmp_path: Path, maxsize: int = 2, **kwargs: float) -> LocalWorkQueue:
    """A queue whose journal is a real SQLite file in tmp_path (reopened on every call)."""
    store = Store(tmp_path / "bot.sqlite3")
    return LocalWorkQueue(Recorder(), store.jobs, maxsize=maxsize, tmp_root=tmp_path / "tmp",
                          **kwargs)  # type: ignore[arg-type]  # fmt: skip


@pytest.fixture
async def queue(tmp_path: Path):
    q = new_queue(tmp_path)
    await q.start()
    yield q
    await q.stop()


def recorder(q: LocalWorkQueue) -> Recorder:
    assert isinstance(q.handler, Recorder)
    return q.handler


async def until(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_bounded_queue_with_positions(queue: LocalWorkQueue) -> None:
    first, second, third, fourth = job(1), job(2), job(3), job(4)
    assert queue.submit(first) == 0
    await until(lambda: len(recorder(queue).started) == 1)
    assert queue.submit(second) == 1
    assert queue.submit(third) == 2
    with pytest.raises(QueueFull):
        queue.submit(fourth)  # two waiting is the limit; the running one doesn't count
    assert [queue.position(j.id) for j in (first, second, third, fourth)] == [0, 1, 2, None]
    recorder(queue).release.set()
    await until(lambda: len(recorder(queue).finished) == 3)
    assert (second.id, 0) not in recorder(queue).moves  # a started job isn't "queued"
    assert (third.id, 1) in recorder(queue).moves  # moved up when the first one finished


async def test_one_job_per_user(queue: LocalWorkQueue) -> None:
    first = job(1)
    queue.submit(first)
    with pytest.raises(AlreadyQueued) as refused:
        queue.submit(job(1))
    assert refused.value.current is first
    assert queue.job_of(1) is first and queue.job_of(2) is None
    queue.submit(job(2))  # other users are fine


async def test_cancel_queued_and_running(queue: LocalWorkQueue) -> None:
    running, waiting = job(1), job(2)
    queue.submit(running)
    await until(lambda: len(recorder(queue).started) == 1)
    queue.submit(waiting)
    assert queue.cancel(waiting.id) == "queued"
    assert queue.position(waiting.id) is None and queue.get(waiting.id) is None
    assert queue.cancel(running.id) == "running"
    await until(lambda: recorder(queue).finished == [(running.id, "user")])
    assert queue.cancel(running.id) is None  # finished: unknown now
    assert waiting.id not in {j.job.id for j in recorder(queue).started}


async def test_temp_dirs_removed_whatever_happens(queue: LocalWorkQueue, tmp_path: Path) -> None:
    crash, fine = job(666), job(2)
    queue.submit(crash)
    queue.submit(fine)
    recorder(queue).release.set()
    await until(lambda: len(recorder(queue).finished) == 1)  # the worker survived the crash
    await until(lambda: queue.get(fine.id) is None)
    workdirs = [r.workdir for r in recorder(queue).started]
    assert [w.name for w in workdirs] == [crash.id, fine.id]
    assert all(w.parent == tmp_path / "tmp" and not w.exists() for w in workdirs)
    assert list((tmp_path / "tmp").iterdir()) == []


async def test_start_clears_leftovers_and_stop_pauses_everyone(tmp_path: Path) -> None:
    leftover = tmp_path / "tmp" / "old-job"
    leftover.mkdir(parents=True)
    q = new_queue(tmp_path, maxsize=5)
    await q.start()
    assert not leftover.exists()
    running, waiting = job(1), job(2)
    q.submit(running)
    await until(lambda: len(recorder(q).started) == 1)
    q.submit(waiting)
    await q.stop()
    assert recorder(q).finished == [(running.id, "shutdown")]
    assert recorder(q).paused_ids == [running.id, waiting.id]
    with pytest.raises(QueueUnavailable):
        q.submit(job(3))


async def test_cancel_stops_the_real_engine_within_a_step(tmp_path: Path) -> None:
    """The cancel flag reaches the engine thread: a long run stops after one more step."""
    content = Image.open(SAMPLES / "cat.jpg").convert("RGB").resize((64, 48))
    params = StyleParams(quality="fast", size=32, steps=500, device="cpu")
    steps: list[int] = []
    outcome: list[str] = []

    class EngineHandler(Recorder):
        async def run(self, running: RunningJob) -> Outcome:
            def work() -> None:
                try:
                    stylize(content, [content], params, should_cancel=running.should_cancel,
                            on_progress=lambda p: steps.append(p.step))  # fmt: skip
                    outcome.append("finished")
                except Cancelled:
                    outcome.append(f"cancelled after {len(steps)} steps")

            await asyncio.to_thread(work)
            return "done"

    q = LocalWorkQueue(EngineHandler(), Store(tmp_path / "db").jobs, maxsize=1,
                       tmp_root=tmp_path / "tmp")  # fmt: skip
    await q.start()
    engine_job = job(1)
    q.submit(engine_job)
    await until(lambda: len(steps) >= 1, timeout=30)
    started = time.monotonic()
    assert q.cancel(engine_job.id) == "running"
    await until(lambda: bool(outcome), timeout=10)
    assert outcome[0].startswith("cancelled") and len(steps) < 500
    assert time.monotonic() - started < 5
    await q.stop()


# -- the journal: restarts and retries ---------------------------------------------------------


async def test_a_restart_runs_every_saved_job_in_order(tmp_path: Path) -> None:
    first = new_queue(tmp_path, maxsize=5)
    await first.start()
    jobs = [job(1), job(2), job(3)]
    for each in jobs:
        first.submit(each)
    await until(lambda: len(recorder(first).started) == 1)
    await first.stop()  # job 1 interrupted, 2 and 3 never started

    second = new_queue(tmp_path, maxsize=5)
    await second.start()
    assert [second.position(j.id) for j in jobs] == [0, 1, 2]
    recorder(second).release.set()
    await until(lambda: len(recorder(second).finished) == 3)
    assert [f[0] for f in recorder(second).finished] == [j.id for j in jobs]
    # The interrupted run was ours, not the job's fault: every job is on its first attempt.
    assert [r.attempt for r in recorder(second).started] == [1, 1, 1]
    await second.stop()
    third = new_queue(tmp_path)
    assert third.journal.pending() == []  # finished jobs are forgotten


async def test_a_crashed_process_counts_and_a_job_is_given_up(tmp_path: Path) -> None:
    """A job that takes the process down each time: it is marked running in the journal."""
    doomed, fine = job(7), job(8)
    journal = Store(tmp_path / "bot.sqlite3").jobs
    journal.add(doomed)
    journal.add(fine)
    for _ in range(3):
        journal.started(doomed.id)  # ...and the process died each time
    q = new_queue(tmp_path)
    await q.start()
    await until(lambda: recorder(q).gave_up_ids == [(doomed.id, 3)])
    assert q.get(doomed.id) is None and q.position(fine.id) == 0
    await q.stop()


async def test_a_failing_job_is_retried_then_given_up(tmp_path: Path) -> None:
    q = new_queue(tmp_path, retry_delay=0.05)
    await q.start()
    failing, other = job(13), job(2)
    q.submit(failing)
    q.submit(other)  # runs while the failed job waits for its retry
    recorder(q).release.set()
    await until(lambda: bool(recorder(q).gave_up_ids))
    assert recorder(q).retries == [(failing.id, 1), (failing.id, 2)]
    assert recorder(q).gave_up_ids == [(failing.id, 3)]
    assert [r.job.id for r in recorder(q).started] == [failing.id, other.id, failing.id, failing.id]
    assert q.journal.pending() == [] and q.job_of(13) is None
    await q.stop()


async def test_cancelled_jobs_leave_the_journal(queue: LocalWorkQueue) -> None:
    running, waiting = job(1), job(2)
    queue.submit(running)
    queue.submit(waiting)
    await until(lambda: len(recorder(queue).started) == 1)
    assert [s.job.id for s in queue.journal.pending()] == [running.id, waiting.id]
    assert queue.journal.pending()[0].was_running
    queue.cancel(waiting.id)
    queue.cancel(running.id)
    await until(lambda: queue.journal.pending() == [])


async def test_a_journal_error_does_not_stop_the_worker(tmp_path: Path) -> None:
    """ "database is locked" when a run starts: the job waits and runs once the journal works."""
    q = new_queue(tmp_path, retry_delay=0.0)
    real, calls = q.journal.started, []

    def flaky(job_id: str) -> int:
        calls.append(job_id)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database is locked")
        return real(job_id)

    q.journal.started = flaky  # type: ignore[method-assign]
    await q.start()
    recorder(q).release.set()
    first = job(1)
    q.submit(first)
    await until(lambda: calls == [first.id])
    second = job(2)
    q.submit(second)  # still accepted: the worker is alive
    await until(lambda: len(recorder(q).finished) == 2, timeout=5)
    assert {f[0] for f in recorder(q).finished} == {first.id, second.id}
    assert q.journal.pending() == []
    await q.stop()


async def test_a_journal_that_cannot_save_refuses_the_job(tmp_path: Path) -> None:
    q = new_queue(tmp_path)
    await q.start()

    def broken(job: Job) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    q.journal.add = broken  # type: ignore[method-assign]
    with pytest.raises(QueueUnavailable):
        q.submit(job(1))
    assert q.job_of(1) is None  # not half-accepted
    await q.stop()
