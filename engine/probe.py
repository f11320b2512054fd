"""Look at a clip before any work: what it is, and whether it is within the limits.

`probe` reads the container's header and demuxes the video packets (no decoding, except the
first frame), so a refusal costs milliseconds: truncated files, zero frames, sound only,
absurd frame rates or sizes and 10-minute clips never reach the network.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from engine.errors import VideoError

# FFmpeg's names for the container families we accept, and what we call them.
FORMATS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "webm", "gif": "gif"}
MiB = 1024 * 1024


@dataclass(frozen=True)
class VideoLimits:
    """What a clip may be. 1080p in either orientation, 20 s, sane frame rates."""

    max_bytes: int = 50 * MiB
    max_seconds: float = 20.0
    max_side: int = 1920
    max_pixels: int = 1920 * 1088  # H.264 codes 1080 lines as 1088
    min_side: int = 16
    max_aspect: float = 8.0
    min_fps: float = 0.1  # a GIF slideshow of 10 s a frame
    max_fps: float = 120.0
    max_frames: int = 1500
    slack: float = 0.25  # seconds of tolerance on the duration (containers round)


@dataclass(frozen=True)
class VideoInfo:
    format: str  # "mp4" (also mov), "webm" (also mkv) or "gif"
    width: int  # as displayed, rotation applied
    height: int
    frames: int  # video frames (packets) in the file
    duration: float  # seconds from the first frame's start to the last frame's end
    time_base: Fraction  # of the video stream's timestamps
    rotation: int  # degrees the frames are turned for display
    audio: str | None  # the audio codec's name; None for a silent clip or a GIF

    @property
    def fps(self) -> float:
        return self.frames / self.duration if self.duration > 0 else 0.0

    @property
    def animation(self) -> bool:
        """No sound: a GIF or a silent clip comes back as an animation."""
        return self.audio is None


def probe(path: Path | str, limits: VideoLimits | None = None) -> VideoInfo:
    """Describe the clip at `path`, or raise VideoError with a stable reason."""
    limits = limits or VideoLimits()
    path = Path(path)
    _check_bytes(path, limits)
    with _open(path) as container:
        fmt = FORMATS.get(container.format.name)
        if fmt is None:
            raise VideoError(_unsupported(), "unsupported")
        _check_file_end(path, fmt)
        if not container.streams.video:
            raise VideoError("This file has sound but no picture.", "no_video")
        stream = container.streams.video[0]
        width, height = _check_size(stream, limits)
        _check_header_duration(container, limits)
        frames, duration, rotation = _demux(container, stream, limits)
        _check_promised_duration(fmt, container, duration)
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
    if rotation % 180:
        width, height = height, width
    tb = rational(stream.time_base)
    info = VideoInfo(fmt, width, height, frames, duration, tb, rotation, audio)
    _check_rate(info, limits)
    return info


def probe_bytes(data: bytes, limits: VideoLimits | None = None) -> VideoInfo:
    """`probe` for a clip held in memory (an upload, a download): written to a temporary
    file, which FFmpeg needs to seek in."""
    with tempfile.TemporaryDirectory(prefix="probe-") as folder:
        path = Path(folder) / "clip"
        path.write_bytes(data)
        return probe(path, limits)


def _check_bytes(path: Path, limits: VideoLimits) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise VideoError(f"No such file: {path}", "unsupported") from exc
    if size == 0:
        raise VideoError("The file is empty.", "damaged")
    if size > limits.max_bytes:
        raise VideoError(
            f"The clip is too large (the limit is {limits.max_bytes // MiB} MB).", "too_large"
        )


@contextlib.contextmanager
def _open(path: Path) -> Iterator[Any]:
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        head = path.open("rb").read(12)
        if head[4:8] == b"ftyp" or head[:4] == b"\x1a\x45\xdf\xa3" or head[:3] == b"GIF":
            raise VideoError(_damaged(), "damaged") from exc
        raise VideoError(_unsupported(), "unsupported") from exc
    try:
        yield container
    finally:
        container.close()


def _check_size(stream: Any, limits: VideoLimits) -> tuple[int, int]:
    width, height = stream.codec_context.width, stream.codec_context.height
    if not width or not height:
        raise VideoError(_damaged(), "damaged")
    long, short = max(width, height), min(width, height)
    if long > limits.max_side or width * height > limits.max_pixels:
        raise VideoError(
            f"The clip's frames are too large ({width}×{height}); "
            f"the limit is 1080p ({limits.max_side} px on the long side).",
            "too_large",
        )
    if short < limits.min_side or long / short > limits.max_aspect:
        raise VideoError(
            f"The clip's frames are too small or too thin ({width}×{height}).", "bad_shape"
        )
    return width, height


def _check_header_duration(container: Any, limits: VideoLimits) -> None:
    if container.duration is not None and container.duration / 1e6 > _max_seconds(limits):
        raise VideoError(_too_long(container.duration / 1e6, limits), "too_long")


def _demux(container: Any, stream: Any, limits: VideoLimits) -> tuple[int, float, int]:
    """Count the frames and measure the duration from the packets; decode the first frame."""
    tb = float(rational(stream.time_base))
    frames, listed, rotation, decoded = 0, 0, 0, False
    first, latest, end = float("inf"), float("-inf"), float("-inf")
    try:
        for packet in container.demux(stream):
            listed += packet.pts is not None  # the index counts empty samples too
            if packet.pts is None or packet.size == 0:
                continue
            frames += 1
            start = packet.pts * tb
            first, latest = min(first, start), max(latest, start)
            end = max(end, start + (packet.duration or 0) * tb)
            if frames > limits.max_frames or end - first > _max_seconds(limits):
                raise VideoError(_too_long(end - first, limits), "too_long")
            if not decoded:
                for frame in packet.decode():
                    decoded, rotation = True, int(getattr(frame, "rotation", 0) or 0)
        if not decoded:  # a decoder that holds frames back until the end
            decoded = any(True for _ in stream.codec_context.decode(None))
    except av.FFmpegError as exc:
        raise VideoError(_damaged(), "damaged") from exc
    if not frames:
        raise VideoError("The clip has no frames.", "no_frames")
    if not decoded or (stream.frames and listed < stream.frames):  # cut short
        raise VideoError(_damaged(), "damaged")
    if end <= latest:  # the last frame has no duration (some GIFs): the mean interval
        end = latest + ((latest - first) / (frames - 1) if frames > 1 else 0.1)
    return frames, end - first, rotation


def _check_file_end(path: Path, fmt: str) -> None:
    """Cut-short files that the MP4 index check (`_demux`) cannot see."""
    if fmt == "gif":  # every GIF ends with its trailer byte
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 64))
            if not f.read().rstrip(b"\x00\r\n ").endswith(b";"):
                raise VideoError(_damaged(), "damaged")
    if fmt == "webm" and _segment_cut(path):
        raise VideoError(_damaged(), "damaged")


def _check_promised_duration(fmt: str, container: Any, duration: float) -> None:
    """A silent WebM whose picture ends well before the header's duration was cut short."""
    if fmt == "webm" and container.duration and not container.streams.audio:
        promised = container.duration / 1e6  # the header says how long the picture is
        if duration < promised - max(0.5, 0.1 * promised):
            raise VideoError(_damaged(), "damaged")


SEGMENT = b"\x18\x53\x80\x67"  # the Matroska element that holds everything else


def _segment_cut(path: Path) -> bool:
    """A WebM/MKV file shorter than its Segment says it is (a live recording's Segment has
    an unknown size and is not checked)."""
    with path.open("rb") as f:
        head = f.read(1024)
    header_size, n = _vint(head, 4)  # after the 4-byte EBML header id
    if header_size is None:
        return False
    at = 4 + n + header_size
    if head[at : at + 4] != SEGMENT:
        return False
    size, n = _vint(head, at + 4)
    return size is not None and path.stat().st_size < at + 4 + n + size


def _vint(data: bytes, at: int) -> tuple[int | None, int]:
    """An EBML variable-length size at `at`: (value or None when unknown/unreadable, length)."""
    if at >= len(data) or data[at] == 0:
        return None, 1
    length = 9 - data[at].bit_length()
    value = data[at] & ((1 << (8 - length)) - 1)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return (None if value == (1 << (7 * length)) - 1 else value), length


def _check_rate(info: VideoInfo, limits: VideoLimits) -> None:
    if not limits.min_fps <= info.fps <= limits.max_fps:
        raise VideoError(
            f"The clip's frame rate ({info.fps:.3g} frames a second) is outside what we "
            f"accept ({limits.min_fps:g} to {limits.max_fps:g}).",
            "bad_frame_rate",
        )


def _max_seconds(limits: VideoLimits) -> float:
    return limits.max_seconds + limits.slack


def _too_long(seconds: float, limits: VideoLimits) -> str:
    return (
        f"The clip is too long ({seconds:.0f} s or more); the limit is "
        f"{limits.max_seconds:.0f} s. Please trim it."
    )


def _damaged() -> str:
    return "This clip is damaged or incomplete, so it can't be read."


def _unsupported() -> str:
    return "That doesn't look like a clip we can read. Please send an MP4, MOV, WebM or GIF."


def rational(value: Any) -> Fraction:
    """A PyAV rate or time base (Fraction or None) as a Fraction (1/1000 when unknown)."""
    return Fraction(value) if value else Fraction(1, 1000)
