"""Clips are looked at before any work: what they are, and clear refusals with stable reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import probe as probing
from engine.errors import ImageError, VideoError
from engine.probe import VideoLimits, probe
from tests import clips


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("probe")


@pytest.fixture(scope="module")
def mp4(folder: Path) -> Path:
    return clips.pan(folder / "pan.mp4")


@pytest.mark.parametrize(("fmt", "audio"), [("mp4", "aac"), ("mov", "aac"), ("webm", "opus"),
                                            ("gif", None)])  # fmt: skip
def test_probe_reads_every_accepted_format(folder: Path, fmt, audio) -> None:
    info = probe(clips.pan(folder / f"ok.{fmt}", fmt))  # type: ignore[arg-type]
    assert (info.width, info.height) == clips.SIZE
    assert info.frames == clips.FPS
    assert info.duration == pytest.approx(1.0, abs=0.01)
    assert info.fps == pytest.approx(clips.FPS, rel=0.02)
    assert info.audio == audio
    assert info.animation is (audio is None)


def test_a_silent_clip_is_an_animation(folder: Path) -> None:
    info = probe(clips.pan(folder / "silent.mp4", tone=False))
    assert info.audio is None and info.animation


def _reason(path: Path, limits: VideoLimits | None = None) -> str:
    with pytest.raises(VideoError) as caught:
        probe(path, limits)
    assert isinstance(caught.value, ImageError)  # every client already handles those
    assert str(caught.value)[0].isupper()  # a sentence for a person
    return caught.value.reason


def test_truncated_files_are_damaged(folder: Path, mp4: Path) -> None:
    front = clips.faststart(folder / "front.mp4", mp4)
    assert probe(front).frames == clips.FPS
    assert _reason(clips.truncated(folder / "cut-front.mp4", front)) == "damaged"
    assert _reason(clips.truncated(folder / "cut-end.mp4", mp4)) == "damaged"
    gif = clips.pan(folder / "whole.gif", "gif")
    assert _reason(clips.truncated(folder / "cut.gif", gif, 0.5)) == "damaged"
    webm = clips.pan(folder / "whole.webm", "webm")
    for keep in (0.95, 0.5, 0.2):  # the Segment's size says how long the file should be
        assert _reason(clips.truncated(folder / f"cut{keep}.webm", webm, keep)) == "damaged"


def test_empty_and_foreign_files(folder: Path) -> None:
    (folder / "empty.mp4").write_bytes(b"")
    assert _reason(folder / "empty.mp4") == "damaged"
    (folder / "text.mp4").write_bytes(b"not a video at all\n" * 50)
    assert _reason(folder / "text.mp4") == "unsupported"
    assert _reason(folder / "missing.mp4") == "unsupported"


def test_zero_frames(folder: Path) -> None:
    assert _reason(clips.zero_frames(folder / "zero.webm")) == "no_frames"


def test_sound_only(folder: Path) -> None:
    assert _reason(clips.sound_only(folder / "sound.m4a")) == "no_video"


def test_ten_minutes_is_too_long(folder: Path) -> None:
    assert _reason(clips.ten_minutes(folder / "ten.mp4")) == "too_long"


def test_longer_than_the_limit(folder: Path, mp4: Path) -> None:
    assert _reason(mp4, VideoLimits(max_seconds=0.5, slack=0.0)) == "too_long"
    assert _reason(mp4, VideoLimits(max_frames=5)) == "too_long"


def test_huge_frames(folder: Path) -> None:
    assert _reason(clips.huge(folder / "huge.mp4")) == "too_large"


def test_a_refusal_from_the_header_reads_no_packet(
    folder: Path, mp4: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What makes a refusal cheap: a clip too long, too large or too big by its header is
    refused before a single packet is read (a ten-minute clip has thousands)."""

    def no_demux(*args: object) -> None:
        raise AssertionError("packets were read")

    monkeypatch.setattr(probing, "_demux", no_demux)
    assert _reason(clips.ten_minutes(folder / "ten-again.mp4")) == "too_long"
    assert _reason(clips.huge(folder / "huge-again.mp4")) == "too_large"
    assert _reason(mp4, VideoLimits(max_bytes=1000)) == "too_large"


def test_too_many_bytes(mp4: Path) -> None:
    assert _reason(mp4, VideoLimits(max_bytes=1000)) == "too_large"


def test_thin_frames(folder: Path) -> None:
    thin = clips.synthetic(folder / "thin.mp4", (320, 16), [0, 1, 2], clips.Fraction(12))
    assert _reason(thin) == "bad_shape"


def test_absurd_frame_rates(folder: Path) -> None:
    assert _reason(clips.absurd_rate(folder / "fast.mp4")) == "bad_frame_rate"
    slow = clips.synthetic(folder / "slow.mp4", clips.SIZE, [0, 19], clips.Fraction(1))
    assert _reason(slow, VideoLimits(min_fps=1.0)) == "bad_frame_rate"


def test_a_rotated_phone_clip_is_turned_upright(folder: Path, style) -> None:
    from engine.video import stylize_video
    from engine.videoio import read_frames

    clip = clips.rotated(folder / "phone.mp4")
    info = probe(clip)
    assert (info.width, info.height, info.rotation) == (64, 96, -90)
    frame = next(iter(read_frames(clip, info, (64, 96)))).rgb
    assert frame.shape == (96, 64, 3)
    # The left half of the stored frame is white; turned clockwise, it is the top half.
    assert frame[:40].mean() > 200 and frame[56:].mean() < 50
    out = stylize_video(clip, [style], folder / "upright.mp4")
    assert (probe(out.path).width, probe(out.path).height, probe(out.path).rotation) == (64, 96, 0)
