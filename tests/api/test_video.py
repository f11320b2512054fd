"""Clips through the API: upload an MP4/WebM/GIF, follow it, download the MP4; refusals."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from api.uploads import is_clip
from engine.probe import probe
from tests import clips
from tests.api.conftest import photo, sse_events
from tests.images import heic_like


async def post_clip(api: httpx.AsyncClient, path: Path, **form: str) -> httpx.Response:
    data = {"artist": "hokusai", "size": "64", **form}
    return await api.post("/v1/jobs", data=data, files={"content": (path.name, path.read_bytes())})


async def test_a_clip_comes_back_as_an_mp4(api: httpx.AsyncClient, tmp_path: Path) -> None:
    response = await post_clip(api, clips.pan(tmp_path / "pan.mp4"))
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    events = await sse_events(api, job_id)
    assert events[-1]["event"] == "done"
    done = (await api.get(f"/v1/jobs/{job_id}")).json()
    assert done["result"]["kind"] == "video" and done["result"]["frames"] == clips.FPS
    assert done["result"]["audio"] is True
    result = await api.get(done["links"]["result"], params={"download": 1})
    assert result.headers["content-type"] == "video/mp4"
    assert result.headers["content-disposition"].endswith('.mp4"')
    out = tmp_path / "out.mp4"
    out.write_bytes(result.content)
    info = probe(out)
    assert (info.width, info.frames, info.audio) == (64, clips.FPS, "aac")
    preview = await api.get(done["links"]["preview"])  # a frame, not the clip
    assert preview.status_code == 200 and preview.headers["content-type"] == "image/jpeg"


async def test_a_gif_comes_back_as_an_animation(api: httpx.AsyncClient, tmp_path: Path) -> None:
    response = await post_clip(api, clips.pan(tmp_path / "pan.gif", "gif"))
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert (await sse_events(api, job_id))[-1]["event"] == "done"
    result = (await api.get(f"/v1/jobs/{job_id}")).json()["result"]
    assert result["kind"] == "animation" and result["audio"] is False


@pytest.mark.parametrize(
    ("make", "status", "code"),
    [
        (lambda d: clips.truncated(d / "cut.mp4", clips.pan(d / "whole.mp4")), 422,
         "video_damaged"),
        (lambda d: clips.zero_frames(d / "zero.webm"), 422, "video_no_frames"),
        (lambda d: clips.ten_minutes(d / "ten.mp4"), 422, "video_too_long"),
        (lambda d: clips.huge(d / "huge.mp4"), 413, "too_large"),
        (lambda d: clips.absurd_rate(d / "fast.mp4"), 422, "video_bad_frame_rate"),
    ],
)  # fmt: skip
async def test_bad_clips_are_refused_before_queueing(api, tmp_path, make, status, code) -> None:
    response = await post_clip(api, make(tmp_path))
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["detail"].startswith("content: ")
    assert (await api.get("/metrics")).status_code == 200


async def test_sound_only_is_refused(api: httpx.AsyncClient, tmp_path: Path) -> None:
    response = await post_clip(api, clips.sound_only(tmp_path / "sound.m4a"))
    assert response.status_code == 422 and response.json()["code"] == "video_no_video"


def test_what_counts_as_a_clip(tmp_path: Path) -> None:
    assert is_clip(clips.pan(tmp_path / "a.mp4").read_bytes())
    assert is_clip(clips.pan(tmp_path / "a.webm", "webm").read_bytes())
    assert is_clip(clips.pan(tmp_path / "a.gif", "gif").read_bytes())
    assert not is_clip(photo(fmt="GIF"))  # one frame: a picture
    assert not is_clip(photo())
    assert not is_clip(heic_like())
    assert not is_clip(b"\x00\x00\x00\x1cftypavif" + b"\x00" * 64)  # an AVIF photo
