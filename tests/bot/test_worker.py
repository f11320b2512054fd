"""The local work queue: bound, one job per user, cancelling, temp dirs, shutdown."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from PIL import Image

from bot.models import Job, Photo, Prefs, Style
from bot.worker import AlreadyQueued, LocalWorkQueue, QueueFull, RunningJob
from engine import Cancelled, StyleParams, stylize
from tests.bot.conftest import SAMPLES


def job(user: int) -> Job:
    return Job(user, user, f"user{user}", 1, Photo(f"file{user}"), Style(slug="munch"), Prefs())


class Recorder:
    """A JobHandler that holds each job until released (or runs `work` in a thread)."""

    def __init__(self) -> None:
        self.started: list[RunningJob] = []
        self.finished: list[tuple[str, str]] = []  # (job id, how)
        self.moves: list[tuple[str, int]] = []
        self.dropped_ids: list[str] = []
        self.release = asyncio.Event()

    async def run(self, running: RunningJob) -> None:
        self.started.append(running)
        (running.workdir / "content.jpg").write_bytes(b"x")  # a downloaded file, say
        if running.job.user_id == 666:
            raise RuntimeError("a bug in the handler")
        while not self.release.is_set() and not running.should_cancel():
            await asyncio.sleep(0.01)
        self.finished.append((running.job.id, running.reason or "done"))

    async def moved(self, job: Job, position: int) -> None:
        self.moves.append((job.id, position))

    async def dropped(self, job: Job) -> None:
        self.dropped_ids.append(job.id)


@pytest.fixture
async def queue(tmp_path: Path):
    q = LocalWorkQueue(Recorder(), maxsize=2, tmp_root=tmp_path / "tmp")
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


async def test_start_clears_leftovers_and_stop_tells_everyone(tmp_path: Path) -> None:
    leftover = tmp_path / "tmp" / "old-job"
    leftover.mkdir(parents=True)
    q = LocalWorkQueue(Recorder(), maxsize=5, tmp_root=tmp_path / "tmp")
    await q.start()
    assert not leftover.exists()
    running, waiting = job(1), job(2)
    q.submit(running)
    await until(lambda: len(recorder(q).started) == 1)
    q.submit(waiting)
    await q.stop()
    assert recorder(q).finished == [(running.id, "shutdown")]
    assert recorder(q).dropped_ids == [waiting.id]
    with pytest.raises(QueueFull):
        q.submit(job(3))


async def test_cancel_stops_the_real_engine_within_a_step(tmp_path: Path) -> None:
    """The cancel flag reaches the engine thread: a long run stops after one more step."""
    content = Image.open(SAMPLES / "cat.jpg").convert("RGB").resize((64, 48))
    params = StyleParams(quality="fast", size=32, steps=500, device="cpu")
    steps: list[int] = []
    outcome: list[str] = []

    class EngineHandler(Recorder):
        async def run(self, running: RunningJob) -> None:
            def work() -> None:
                try:
                    stylize(content, [content], params, should_cancel=running.should_cancel,
                            on_progress=lambda p: steps.append(p.step))  # fmt: skip
                    outcome.append("finished")
                except Cancelled:
                    outcome.append(f"cancelled after {len(steps)} steps")

            await asyncio.to_thread(work)

    q = LocalWorkQueue(EngineHandler(), maxsize=1, tmp_root=tmp_path / "tmp")
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
