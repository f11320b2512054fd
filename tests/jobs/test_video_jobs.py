"""Video jobs through the embedded service: a clip in, an MP4 out, refusals, cancel."""

from __future__ import annotations

from pathlib import Path

from engine import StyleParams
from engine.probe import probe
from jobs import JobRequest, JobService, Owner
from jobs.model import Job
from tests import clips
from tests.jobs.conftest import collect

CLIP = StyleParams(quality="instant", size=64, device="cpu")


def video_request(content: bytes, user: str = "vic", **kw) -> JobRequest:
    return JobRequest(Owner("test", user), content, "van-gogh", CLIP, kind="video", **kw)


async def test_a_clip_becomes_an_mp4_with_its_sound(service: JobService, tmp_path: Path) -> None:
    clip = clips.pan(tmp_path / "in.mp4")
    job, _ = await service.submit(video_request(clip.read_bytes()))
    assert job.kind == "video"
    events = await collect(service, job.id)
    types = [e.type for e in events]
    assert types[-1] == "done", events[-1]
    assert "progress" in types and "preview" in types
    done = await service.get(job.id)
    assert done.result is not None and done.result.kind == "video"
    assert done.result.clip
    assert (done.result.frames, done.result.audio) == (clips.FPS, True)
    out = tmp_path / "out.mp4"
    out.write_bytes(await service.blob(done.result.blob))
    info = probe(out)
    assert (info.width, info.height, info.frames, info.audio) == (64, 42, clips.FPS, "aac")
    assert Job.from_json(done.to_json()) == done  # the journal keeps the video fields


async def test_a_gif_becomes_an_animation(service: JobService, tmp_path: Path) -> None:
    gif = clips.pan(tmp_path / "in.gif", "gif")
    job, _ = await service.submit(video_request(gif.read_bytes()))
    assert (await collect(service, job.id))[-1].type == "done"
    result = (await service.get(job.id)).result
    assert result is not None and result.kind == "animation" and result.audio is False


async def test_a_broken_clip_fails_with_its_reason(service: JobService, tmp_path: Path) -> None:
    cut = clips.truncated(tmp_path / "cut.mp4", clips.pan(tmp_path / "whole.mp4"))
    job, _ = await service.submit(video_request(cut.read_bytes()))
    end = (await collect(service, job.id))[-1]
    assert end.type == "failed" and end.code == "bad_input"
    assert end.message and "damaged" in end.message


async def test_cancel_a_running_clip(service: JobService, tmp_path: Path) -> None:
    clip = clips.pan(tmp_path / "long.mp4", seconds=4.0)
    job, _ = await service.submit(video_request(clip.read_bytes()))
    events = []
    async for event in service.events(job.id):
        events.append(event)
        if event.type == "progress":
            await service.cancel(job.id)
    assert events[-1].type == "cancelled"
    assert max(e.fraction or 0.0 for e in events if e.type == "progress") < 0.5
