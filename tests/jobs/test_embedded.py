"""The embedded job service end to end: real engine runs (tiny), real SQLite and files."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import torch

from engine import StyleParams, decode_image
from jobs import Busy, JobService, QueueFull, UnknownJob, create_service
from jobs.blobs import BlobMissing
from styles.catalog import default_catalog
from tests.jobs.conftest import TINY, collect, job_settings, jpeg, request


async def test_job_runs_to_a_result_and_forgets_its_inputs(service: JobService) -> None:
    job, position = await service.submit(request())
    assert position == 0 and len(job.id) >= 22  # 128 random bits, URL-safe
    events = await collect(service, job.id)
    types = [e.type for e in events]
    assert types[0] == "queued" and types[-1] == "done"
    assert "started" in types and "progress" in types and "preview" in types
    done = events[-1]
    image = decode_image(await service.blob(done.blob or ""))
    assert (image.width, image.height) == (done.width, done.height) == (32, 24)
    finished = await service.get(job.id)
    assert finished.state == "done" and finished.result is not None
    for ref in job.inputs:
        with pytest.raises(BlobMissing):
            await service.blob(ref)


async def test_own_style_images(service: JobService) -> None:
    job, _ = await service.submit(request(style=[jpeg((10, 200, 30))]))
    assert job.style.slug is None and len(job.style.blobs) == 1
    assert (await collect(service, job.id))[-1].type == "done"


async def test_reattach_gives_current_state_first_and_resumes(service: JobService) -> None:
    job, _ = await service.submit(request())
    events = await collect(service, job.id)
    again = await collect(service, job.id)
    assert [e.type for e in again] == ["done"]
    middle = events[len(events) // 2]
    resumed = await collect(service, job.id, after=middle.id)
    assert [e.id for e in resumed] == [e.id for e in events if int(e.id) > int(middle.id)]


async def test_one_job_per_owner_and_a_bounded_queue(tmp_path: Path) -> None:
    settings = job_settings(tmp_path, queue_size=2, embedded_workers=0)
    service = create_service(settings, default_catalog())
    await service.start()
    first, _ = await service.submit(request("ann"))
    with pytest.raises(Busy) as busy:
        await service.submit(request("ann"))
    assert busy.value.current == first.id
    _, position = await service.submit(request("bob"))
    assert position == 1
    with pytest.raises(QueueFull):
        await service.submit(request("cid"))
    assert len(list((tmp_path / "blobs").iterdir())) == 2  # the refused inputs are gone
    await service.stop()


async def test_cancel_a_waiting_job_moves_the_queue(tmp_path: Path) -> None:
    service = create_service(job_settings(tmp_path, embedded_workers=0), default_catalog())
    await service.start()
    first, _ = await service.submit(request("ann"))
    second, _ = await service.submit(request("bob"))
    reader = asyncio.create_task(collect(service, second.id))
    await asyncio.sleep(0)
    cancelled = await service.cancel(first.id)
    assert cancelled.state == "cancelled"
    assert [e.type for e in await collect(service, first.id)] == ["cancelled"]
    await service.cancel(second.id)
    seen = await reader
    assert [(e.type, e.position) for e in seen] == [
        ("queued", 1),
        ("queued", 0),
        ("cancelled", None),
    ]
    await service.stop()


async def test_cancel_a_running_job_stops_it_early(service: JobService) -> None:
    job, _ = await service.submit(request(params=StyleParams(quality="fast", size=48, steps=400)))
    events = []
    async for event in service.events(job.id):
        events.append(event)
        if event.type == "progress":
            await service.cancel(job.id)
    assert events[-1].type == "cancelled"
    progress = [e.fraction or 0.0 for e in events if e.type == "progress"]
    assert max(progress) < 0.5


async def test_a_broken_image_fails_with_a_reason(service: JobService) -> None:
    req = request()
    job, _ = await service.submit(req.__class__(req.owner, b"not an image", req.style, TINY))
    end = (await collect(service, job.id))[-1]
    assert end.type == "failed" and end.code == "bad_input" and end.message


async def test_unknown_painting_is_refused_at_once(service: JobService) -> None:
    with pytest.raises(KeyError):
        await service.submit(request(style="no-such-painting"))


async def test_unknown_job(service: JobService) -> None:
    with pytest.raises(UnknownJob):
        await service.get("nope")


async def test_stop_pauses_and_start_finishes_the_job(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    slow = StyleParams(quality="fast", size=48, steps=400)
    service = create_service(settings, default_catalog())
    await service.start()
    job, _ = await service.submit(request(params=slow))
    async for event in service.events(job.id):
        if event.type == "progress":
            break
    await service.stop()
    service.close()
    paused = await service.get(job.id)
    assert paused.state == "queued" and paused.attempts == 0  # an interruption is free

    again = create_service(settings, default_catalog())
    await again.start()
    await again.cancel(job.id)  # and cancel reaches it in the new process too
    assert (await collect(again, job.id))[-1].type == "cancelled"
    await again.stop()


async def test_a_run_the_process_died_in_counts_and_is_retried(tmp_path: Path) -> None:
    settings = job_settings(tmp_path, embedded_workers=0)
    service = create_service(settings, default_catalog())
    await service.start()
    job, _ = await service.submit(request())
    assert service.store.claim(job.id) is not None  # "running" when the process died
    await service.stop()

    again = create_service(job_settings(tmp_path), default_catalog())
    await again.start()
    end = (await collect(again, job.id))[-1]
    assert end.type == "done"
    assert (await again.get(job.id)).attempts == 2
    await again.stop()


async def test_gives_up_after_the_last_attempt(tmp_path: Path) -> None:
    settings = job_settings(tmp_path, embedded_workers=0, job_attempts=1)
    service = create_service(settings, default_catalog())
    await service.start()
    job, _ = await service.submit(request())
    service.store.claim(job.id)
    await service.stop()
    again = create_service(job_settings(tmp_path, job_attempts=1), default_catalog())
    await again.start()
    end = (await collect(again, job.id))[-1]
    assert end.type == "failed" and end.code == "gave_up"
    await again.stop()


async def test_settle_and_sweep(tmp_path: Path) -> None:
    service = create_service(job_settings(tmp_path, result_ttl=0.01), default_catalog())
    await service.start()
    job, _ = await service.submit(request())
    done = (await collect(service, job.id))[-1]
    assert [j.id for j in await service.unsettled("test")] == [job.id]
    await service.settle(job.id)
    assert await service.unsettled("test") == []
    await asyncio.sleep(0.05)
    assert await service.sweep() == 1
    with pytest.raises(UnknownJob):
        await service.get(job.id)
    with pytest.raises(BlobMissing):
        await service.blob(done.blob or "")
    await service.stop()


async def test_forget_deletes_a_job_now_and_cancels_a_running_one(service: JobService) -> None:
    job, _ = await service.submit(request())
    done = (await collect(service, job.id))[-1]
    assert await service.forget(job.id)
    with pytest.raises(UnknownJob):
        await service.get(job.id)
    with pytest.raises(BlobMissing):
        await service.blob(done.blob or "")
    assert await service.forget(job.id)  # gone already: nothing to do
    running, _ = await service.submit(request(reply="chat 42", params=StyleParams(
        quality="fast", size=32, steps=5000, device="cpu")))  # fmt: skip
    async for event in service.events(running.id):
        if event.type == "progress":
            break
    assert not await service.forget(running.id)  # cancelled; swept after RESULT_TTL
    assert (await collect(service, running.id))[-1].type == "cancelled"
    assert (await service.get(running.id)).reply == ""


def test_the_service_passes_its_precision_to_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine import devices

    monkeypatch.setattr(devices, "_chosen", None)  # restored after the test
    monkeypatch.setattr(devices, "cpu_has_amx", lambda: True)
    monkeypatch.setenv("ENGINE_PRECISION", "float32")  # as .env or the environment says
    service = create_service(job_settings(tmp_path), default_catalog())
    service.close()
    assert devices.precision() == "float32"
    assert devices.autocast_dtype(torch.device("cpu")) is None
    monkeypatch.setenv("ENGINE_PRECISION", "auto")
    create_service(job_settings(tmp_path), default_catalog()).close()
    assert devices.autocast_dtype(torch.device("cpu")) is torch.bfloat16
