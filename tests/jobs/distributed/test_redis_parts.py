"""The Redis store, event log and blobs on their own, against a real redis-server."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from engine import StyleParams
from jobs import (
    Busy,
    Event,
    Job,
    JobRequest,
    Owner,
    QueueFull,
    ServiceUnavailable,
    create_service,
)
from jobs.blobs import BlobMissing
from jobs.distributed import RedisParts
from jobs.distributed_settings import DistributedSettings
from jobs.model import StyleSource
from jobs.worker import Executor
from jobs.worker_main import Runtime, reap_orphans, run_job
from styles.catalog import default_catalog
from tests.helpers import free_port
from tests.jobs.distributed.conftest import image_bytes


def new_job(user: str) -> Job:
    return Job(Owner("test", user), "in-" + "0" * 32, StyleSource(slug="van-gogh"), StyleParams())


@pytest.fixture
def parts(settings: DistributedSettings) -> RedisParts:
    return RedisParts(settings, worker="w@test")


def test_admission_one_job_per_owner_and_a_bounded_queue(parts: RedisParts) -> None:
    store = parts.store
    first = new_job("ann")
    store.admit(first, max_queued=2)
    with pytest.raises(Busy):
        store.admit(new_job("ann"), max_queued=2)
    store.admit(new_job("bob"), max_queued=2)
    with pytest.raises(QueueFull):
        store.admit(new_job("cy"), max_queued=2)
    assert [job.owner.user for job in store.queued()] == ["ann", "bob"]
    store.finish(first.id, "done")
    store.admit(new_job("ann"), max_queued=2)  # her first job ended: she may ask again


def test_a_job_ends_exactly_once_however_many_race(parts: RedisParts) -> None:
    store = parts.store
    job = new_job("ann")
    store.admit(job, max_queued=5)
    assert store.claim(job.id) is not None
    assert store.claim(job.id) is None  # a second delivery does not run it again
    assert store.lease_holder(job.id) == "w@test"
    with ThreadPoolExecutor(8) as pool:
        ends = list(pool.map(lambda s: store.finish(job.id, s), ["done", "cancelled"] * 8))
    assert len([end for end in ends if end is not None]) == 1
    ended = store.get(job.id)
    assert ended is not None and ended.ended and store.lease_holder(job.id) is None
    assert store.r.ttl(f"{store.p}job:{job.id}") > 0  # expires with its result
    assert store.active_of(job.owner.key) is None and store.running() == []


def test_requeue_settle_and_cancel_flag(parts: RedisParts) -> None:
    store = parts.store
    job = new_job("ann")
    store.admit(job, max_queued=5)
    store.claim(job.id)
    again = store.requeue(job.id, delay=5, counts=False)
    assert again is not None and again.state == "queued" and again.attempts == 0
    assert [j.id for j in store.unsettled("test")] == [job.id]
    store.request_cancel(job.id)
    assert store.cancel_requested(job.id)
    store.finish(job.id, "cancelled")
    store.settle(job.id)
    assert store.unsettled("test") == []


async def test_events_are_a_stream_readers_wait_on(parts: RedisParts) -> None:
    log = parts.events
    first = log.append(Event("queued", "j1", position=0))
    waiting = asyncio.create_task(log.read("j1", first.id, timeout=30))
    await asyncio.sleep(0.2)
    await asyncio.to_thread(log.append, Event("progress", "j1", fraction=0.5))
    news = await asyncio.wait_for(waiting, 30)
    assert [e.type for e in news] == ["progress"] and news[0].id > first.id
    assert [e.type for e in await log.read("j1", None, timeout=0)] == ["queued", "progress"]
    assert [e.type for e in await log.read("j1", "7", timeout=0)] == ["queued", "progress"]
    last = log.last("j1")
    assert last is not None and last.fraction == 0.5


def test_blobs_expire_and_go(parts: RedisParts) -> None:
    ref = parts.blobs.put(b"bytes", "result")
    assert parts.blobs.get(ref) == b"bytes"
    assert 0 < parts.blobs.r.ttl(f"{parts.blobs.p}blob:{ref}") <= 3600
    parts.blobs.delete(ref)
    with pytest.raises(BlobMissing):
        parts.blobs.get(ref)


async def test_submit_without_redis_is_service_unavailable(tmp_path) -> None:
    settings = DistributedSettings(  # type: ignore[call-arg]
        _env_file=None, broker_url=f"redis://127.0.0.1:{free_port()}/0", data_dir=tmp_path
    )
    service = create_service(settings, default_catalog())
    await service.start()
    try:
        request = JobRequest(Owner("test", "ann"), image_bytes(), "van-gogh")
        with pytest.raises(ServiceUnavailable):
            await service.submit(request)
    finally:
        await service.stop()
        service.close()


def orphan(parts: RedisParts) -> Job:
    """A job whose worker claimed it and died: running, its lease gone."""
    job = new_job("ann")
    parts.store.admit(job, max_queued=5)
    parts.store.claim(job.id)
    parts.store.r.delete(f"{parts.store.p}lease:{job.id}")
    return job


def make_runtime(settings: DistributedSettings, parts: RedisParts) -> Runtime:
    executor = Executor(settings, parts.store, parts.events, parts.blobs, default_catalog())
    return Runtime(parts, executor)


def test_a_redelivered_message_of_a_dead_run_requeues_it(
    settings: DistributedSettings, parts: RedisParts
) -> None:
    job = orphan(parts)
    sent: list[tuple[str, float]] = []
    rt = make_runtime(settings, parts)
    assert run_job(job.id, rt, lambda *msg: sent.append(msg)) == "queued"
    again = parts.store.get(job.id)
    assert again is not None and again.state == "queued" and again.attempts == 1
    assert [job_id for job_id, _ in sent] == [job.id]  # sent again, after the retry delay
    assert 0 < sent[0][1] <= settings.job_retry_delay


def test_a_message_for_a_live_run_is_put_off(
    settings: DistributedSettings, parts: RedisParts
) -> None:
    job = new_job("ann")
    parts.store.admit(job, max_queued=5)
    parts.store.claim(job.id)  # running, and its lease is alive
    sent: list[tuple[str, float]] = []
    assert run_job(job.id, make_runtime(settings, parts), lambda *m: sent.append(m)) == "running"
    assert sent == [(job.id, settings.lease_ttl)]
    assert parts.store.get(job.id).state == "running"  # type: ignore[union-attr]


def test_the_reaper_requeues_orphans_once_and_gives_up_in_the_end(
    settings: DistributedSettings, parts: RedisParts
) -> None:
    job = orphan(parts)
    sent: list[tuple[str, float]] = []
    rt = make_runtime(settings, parts)
    assert reap_orphans(rt, lambda *m: sent.append(m)) == 1
    assert reap_orphans(rt, lambda *m: sent.append(m)) == 0  # nothing running any more
    assert len(sent) == 1
    for _ in range(settings.job_attempts - 1):  # every later run dies as well
        parts.store.claim(job.id)
        parts.store.r.delete(f"{parts.store.p}lease:{job.id}", f"{parts.store.p}reap:{job.id}")
        reap_orphans(rt, lambda *m: sent.append(m))
    ended = parts.store.get(job.id)
    assert ended is not None and ended.state == "failed" and ended.error is not None
    assert ended.error.code == "gave_up"
