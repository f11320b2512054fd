"""The distributed mode end to end: JobService on Redis, real `stylize-worker` processes."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from engine import StyleParams, decode_image
from jobs import JobRequest, JobService, Owner
from jobs.blobs import BlobMissing
from jobs.celery_app import TASK_NAME
from jobs.distributed_settings import DistributedSettings
from styles.catalog import default_catalog
from tests.helpers import SAMPLES
from tests.jobs.distributed.conftest import TINY, Workers, all_events, submit, wait_ended, wait_for

pytestmark = pytest.mark.timeout(240)

LONG = StyleParams(quality="fast", size=32, steps=3000)  # stopped long before its end


def watch_task_events(workers: Workers, seen: list[dict[str, Any]]) -> threading.Thread:
    """What Flower does: listen to the workers' task events on the broker.

    Returns once the listener has heard its first event (the workers answer the `wakeup`
    with a heartbeat), so it is subscribed before anything is submitted: events are
    broadcast, and one sent earlier would never reach it."""
    ready = threading.Event()
    receivers: list[Any] = []

    def listen() -> None:
        with workers.app.connection_for_read() as conn:
            receivers.append(workers.app.events.Receiver(conn, handlers={"*": on_event}))
            receivers[0].capture(limit=None, timeout=120, wakeup=True)

    def on_event(event: dict[str, Any]) -> None:
        seen.append(event)
        ready.set()
        if event["type"] == "task-succeeded":
            receivers[0].should_stop = True

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert ready.wait(60), "the event listener heard nothing from the workers"
    return thread


async def test_a_job_runs_on_a_worker(service: JobService, workers: Workers) -> None:
    workers.start("w1")
    assert workers.ping("w1")  # what `celery inspect ping` and Flower ask
    seen: list[dict[str, Any]] = []
    listener = watch_task_events(workers, seen)

    job = await submit(service, "ann")
    events = await all_events(service, job.id)

    types = [e.type for e in events]
    assert types[0] == "queued" and types[-1] == "done"
    assert "started" in types and "progress" in types
    done = events[-1]
    assert done.blob is not None and done.width == 32
    assert decode_image(await service.blob(done.blob)).size[0] == 32
    for ref in job.inputs:
        with pytest.raises(BlobMissing):
            await service.blob(ref)
    assert len({e.id for e in events}) == len(events)  # stream ids, one per event
    listener.join(60)
    assert any(e["type"] == "task-succeeded" for e in seen)
    assert any(e["type"] == "task-received" and e.get("name") == TASK_NAME for e in seen)


async def test_cancel_reaches_a_job_in_another_process(
    service: JobService, workers: Workers
) -> None:
    workers.start("w1")
    job = await submit(service, "ann", LONG)
    async for event in service.events(job.id):
        if event.type == "progress":
            break
    cancelled = await service.cancel(job.id)
    assert cancelled.state == "cancelled"
    # Idle well before the 60 s time budget would have ended the run: the cancel stopped it.
    wait_for(lambda: workers.idle("w1"), timeout=45, what="the worker to stop the run")
    events = await all_events(service, job.id)
    fractions = [e.fraction for e in events if e.type == "progress" and e.fraction is not None]
    assert fractions and max(fractions) < 1.0
    assert [e.type for e in events if e.is_end] == ["cancelled"]


@pytest.mark.parametrize(
    "visibility", [4.0, 600.0], ids=["broker-redelivers-too", "heartbeat-reaper-only"]
)
async def test_a_killed_worker_s_job_finishes_on_another(
    service: JobService, workers: Workers, settings: DistributedSettings, visibility: float
) -> None:
    # 600 s: the broker would hand the message out again far too late for this test, so the
    # job can only come back through the survivor's reaper (the lease without a heartbeat).
    workers.settings = settings.model_copy(update={"broker_visibility_timeout": visibility})
    workers.start("w1", "w2")
    slow = StyleParams(quality="fast", size=32, steps=40)  # still running when killed
    jobs = [await submit(service, "user0", slow)]
    jobs += [await submit(service, f"user{i}", TINY) for i in (1, 2)]
    store: Any = service.store

    def mid_run() -> str | None:  # optimising already, not just claimed
        last = service.log.last(jobs[0].id)
        return store.lease_holder(jobs[0].id) if last and last.type == "progress" else None

    holder = wait_for(mid_run, what="the first job to be optimising")
    victim = holder.split("@")[0]
    workers.kill(victim)

    ended = await wait_ended(service, [j.id for j in jobs], timeout=180)
    assert [j.state for j in ended] == ["done"] * 3
    for job in jobs:
        events = await all_events(service, job.id)
        assert [e.type for e in events if e.is_end] == ["done"]
    assert (await service.get(jobs[0].id)).attempts == 2  # the killed run counted
    survivor = "w2" if victim == "w1" else "w1"
    runs = store.runs_per_worker()  # three jobs and the killed job's second run
    assert runs == {f"{victim}@test": 1, f"{survivor}@test": 3}


async def test_a_redis_restart_loses_no_queued_job(
    service: JobService, workers: Workers, redis_server: Any
) -> None:
    workers.start("w1")
    jobs = [await submit(service, f"user{i}") for i in range(5)]
    reader = asyncio.create_task(all_events(service, jobs[-1].id, timeout=180))
    await wait_ended(service, [jobs[0].id])
    await asyncio.to_thread(redis_server.restart)
    ended = await wait_ended(service, [j.id for j in jobs], timeout=180)
    assert [j.state for j in ended] == ["done"] * 5
    events = await reader  # a reader attached across the restart sees the end
    assert events[-1].type == "done"


async def test_three_workers_share_thirty_jobs(service: JobService, workers: Workers) -> None:
    workers.start("w1", "w2", "w3")
    jobs = [await submit(service, f"user{i}") for i in range(30)]
    ended = await wait_ended(service, [j.id for j in jobs], timeout=200)
    assert [j.state for j in ended] == ["done"] * 30
    runs = service.store.runs_per_worker()  # type: ignore[attr-defined]
    assert set(runs) == {"w1@test", "w2@test", "w3@test"}
    assert sum(runs.values()) == 30


async def test_a_suggestion_runs_on_a_worker(service: JobService, workers: Workers) -> None:
    workers.start("w1")
    photo = (SAMPLES / "cat.jpg").read_bytes()
    job, _ = await service.submit(JobRequest(Owner("test", "ann"), photo, [], TINY, kind="suggest"))
    assert (await all_events(service, job.id))[-1].type == "done"
    done = await service.get(job.id)
    assert done.result is not None and len(done.result.ranking) == len(default_catalog())
    tile = decode_image(await service.blob(done.result.ranking[0].tile))
    assert max(tile.size) == 192  # tiles and the sheet live in Redis like any result
    assert decode_image(await service.blob(done.result.blob)).width == done.result.width
