"""Clips end to end: frames, duration and sound kept, less flicker, progress, cancel, budget."""

from __future__ import annotations

import math
from pathlib import Path

import av
import pytest

from bench.clips import audio_seconds
from engine import instant
from engine.errors import Cancelled, VideoError
from engine.flow import flicker
from engine.params import StyleParams
from engine.probe import probe
from engine.video import VideoParams, VideoTransfer, stylize_video
from engine.videoio import read_frames
from tests import clips

SMALL = StyleParams(quality="instant", size=64, device="cpu")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("video")


@pytest.fixture(scope="module")
def mp4(folder: Path) -> Path:
    return clips.pan(folder / "pan.mp4")


def _frames(path: Path) -> list:
    info = probe(path)
    return [f.rgb for f in read_frames(path, info, (info.width, info.height))]


def test_a_clip_keeps_its_frames_duration_and_sound(mp4: Path, style, tmp_path: Path) -> None:
    seen = []
    result = stylize_video(mp4, [style], tmp_path / "out.mp4", SMALL, on_progress=seen.append)
    info = probe(result.path)
    assert (info.width, info.height) == (result.width, result.height) == (64, 42)
    assert info.frames == result.frames == clips.FPS
    assert info.duration == pytest.approx(probe(mp4).duration, abs=0.01)
    assert info.audio == "aac" and result.audio and not result.animation
    assert abs(audio_seconds(result.path) - audio_seconds(mp4)) < 0.1  # type: ignore[operator]
    with av.open(str(result.path)) as container:
        video = container.streams.video[0].codec_context
        assert (video.name, video.pix_fmt) == ("h264", "yuv420p")
    data = result.path.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # faststart: plays while it downloads
    assert [p.step for p in seen] == list(range(1, clips.FPS + 1))
    assert {p.total_steps for p in seen} == {clips.FPS} and seen[-1].fraction == 1.0
    assert seen[0].preview is not None and seen[0].preview.size == (64, 42)
    assert result.finished and result.device == "cpu"


def test_a_gif_comes_back_as_a_silent_mp4(folder: Path, style, tmp_path: Path) -> None:
    gif = clips.pan(folder / "pan.gif", "gif")
    result = stylize_video(gif, [style], tmp_path / "gif.mp4", SMALL)
    info = probe(result.path)
    assert info.format == "mp4" and info.audio is None and result.animation
    assert info.frames == clips.FPS
    assert info.duration == pytest.approx(1.0, abs=0.02)


def test_webm_sound_is_reencoded_to_aac(folder: Path, style, tmp_path: Path) -> None:
    webm = clips.pan(folder / "pan.webm", "webm")
    result = stylize_video(webm, [style], tmp_path / "webm.mp4", SMALL)
    assert probe(result.path).audio == "aac"
    assert abs(audio_seconds(result.path) - audio_seconds(webm)) < 0.1  # type: ignore[operator]


def test_the_style_vector_is_computed_once_per_clip(mp4, style, tmp_path, monkeypatch) -> None:
    calls = []
    original = instant.vector_for
    monkeypatch.setattr(instant, "vector_for", lambda *a: calls.append(1) or original(*a))
    stylize_video(mp4, [style], tmp_path / "once.mp4", SMALL)
    assert len(calls) == 1


def test_optical_flow_halves_the_flicker(folder: Path, style, tmp_path: Path) -> None:
    clip = clips.pan(folder / "wide.mp4", size=(160, 96), tone=False)
    params = SMALL.with_(size=160)
    tied = stylize_video(clip, [style], tmp_path / "tied.mp4", params)
    alone = stylize_video(clip, [style], tmp_path / "alone.mp4", params,
                          VideoParams(temporal=False))  # fmt: skip
    inputs = _frames(clip)
    assert flicker(inputs, _frames(tied.path)) < 0.5 * flicker(inputs, _frames(alone.path))


def test_a_bad_clip_is_refused_before_any_work(folder, style, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(instant, "load", lambda **_: pytest.fail("the network was loaded"))
    with pytest.raises(VideoError) as caught:
        VideoTransfer(clips.ten_minutes(folder / "ten.mp4"), [style], tmp_path / "x.mp4")
    assert caught.value.reason == "too_long"
    assert not (tmp_path / "x.mp4").exists()


def test_cancel_stops_within_a_frame_and_leaves_no_file(mp4, style, tmp_path) -> None:
    seen = []
    out = tmp_path / "cancelled.mp4"
    with pytest.raises(Cancelled):
        stylize_video(mp4, [style], out, SMALL, on_progress=seen.append,
                      should_cancel=lambda: len(seen) >= 3)  # fmt: skip
    assert len(seen) == 3
    assert not out.exists()


def test_refinement_starts_from_the_warped_previous_frame(folder, style, tmp_path) -> None:
    clip = clips.pan(folder / "short.mp4", seconds=0.25)  # 3 frames
    seen = []
    params = StyleParams(quality="high", size=32, device="cpu")
    result = stylize_video(clip, [style], tmp_path / "high.mp4", params,
                           VideoParams(refine_steps=1), on_progress=seen.append)  # fmt: skip
    assert result.finished and probe(result.path).frames == 3
    assert all(math.isfinite(p.loss) for p in seen)


def test_the_time_budget_stops_the_refinement_not_the_clip(folder, style, tmp_path) -> None:
    clip = clips.pan(folder / "short.mp4", seconds=0.25)
    seen = []
    params = StyleParams(quality="high", size=32, device="cpu")
    result = stylize_video(clip, [style], tmp_path / "budget.mp4", params,
                           on_progress=seen.append, time_budget=0.0)  # fmt: skip
    assert not result.finished
    assert probe(result.path).frames == 3
    assert all(math.isnan(p.loss) for p in seen)  # no optimisation step was taken
