"""Clips made on the spot for the engine's, the job service's and the API's tests.

A camera pan across a bundled photo with a sine tone (`bench.clips`), and broken files:
truncated, zero frames, sound only, huge frames, ten minutes long, absurd frame rates.
"""

from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from bench.clips import SAMPLE_RATE, ClipFormat, pan_clip, sine
from engine.imageio import decode_image

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT / "engine" / "samples" / "coffee.jpg"
SIZE = (96, 64)
FPS = 12


def pan(path: Path, fmt: ClipFormat = "mp4", seconds: float = 1.0, *, tone: bool = True,
        size: tuple[int, int] = SIZE, fps: int = FPS) -> Path:  # fmt: skip
    return pan_clip(path, decode_image(PHOTO), size, seconds, fps, fmt=fmt,
                    tone=440.0 if tone else None)  # fmt: skip


def truncated(path: Path, source: Path, keep: float = 0.6) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def faststart(path: Path, source: Path) -> Path:
    """`source` remuxed with its index at the front (as phones and our encoder write it)."""
    options = {"movflags": "+faststart"}
    with av.open(str(source)) as src, av.open(str(path), "w", "mp4", options=options) as out:
        streams = {s.index: out.add_stream_from_template(s) for s in src.streams}
        for packet in src.demux():
            if packet.dts is None:
                continue
            packet.stream = streams[packet.stream.index]
            out.mux(packet)
    return path


def synthetic(path: Path, size: tuple[int, int], pts: list[int], rate: Fraction) -> Path:
    """A grey MP4 with frames at `pts` in units of 1/rate (odd durations and rates)."""
    with av.open(str(path), "w", format="mp4") as out:
        stream: Any = out.add_stream("libx264", rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.time_base = 1 / rate
        for t in pts:
            frame = av.VideoFrame.from_ndarray(np.full((size[1], size[0], 3), 128, np.uint8),
                                               format="rgb24")  # fmt: skip
            frame.pts = t
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def zero_frames(path: Path) -> Path:
    """A WebM with a video track that holds no frames (and a second of sound)."""
    with av.open(str(path), "w", format="webm") as out:
        video: Any = out.add_stream("libvpx", rate=24)
        video.width, video.height = SIZE
        video.pix_fmt = "yuv420p"
        _tone(out, out.add_stream("libopus", rate=SAMPLE_RATE, layout="mono"), 1.0)
        out.mux(video.encode(None))
    return path


def sound_only(path: Path, seconds: float = 1.0) -> Path:
    with av.open(str(path), "w", format="mp4") as out:
        _tone(out, out.add_stream("aac", rate=SAMPLE_RATE, layout="mono"), seconds)
    return path


def _tone(out: Any, stream: Any, seconds: float) -> None:
    samples = sine(seconds)
    for start in range(0, len(samples), 1024):
        frame = av.AudioFrame.from_ndarray(samples[None, start : start + 1024], format="fltp",
                                           layout="mono")  # fmt: skip
        frame.sample_rate, frame.pts = SAMPLE_RATE, start
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))


def ten_minutes(path: Path) -> Path:
    """Two frames ten minutes apart: a 10-minute clip made in milliseconds."""
    return synthetic(path, SIZE, [0, 300, 600], Fraction(1))


def huge(path: Path) -> Path:
    return synthetic(path, (2560, 1440), [0], Fraction(24))


def absurd_rate(path: Path) -> Path:
    return synthetic(path, SIZE, list(range(40)), Fraction(1000))


def rotated(path: Path) -> Path:
    """A phone-style clip: 96×64 frames, white on the left half, with a display matrix that
    turns them 90° clockwise (what FFmpeg writes for `rotate=90`; phones write the same
    kind of matrix in the track header)."""
    plain = path.with_suffix(".plain.mp4")
    with av.open(str(plain), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        stream: Any = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height = SIZE
        stream.pix_fmt = "yuv420p"
        half = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
        half[:, : SIZE[0] // 2] = 255
        for i in range(FPS):
            frame = av.VideoFrame.from_ndarray(half, format="rgb24")
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    data = bytearray(plain.read_bytes())
    at = data.index(b"tkhd") + 4 + 4 + 20 + 8 + 8  # version 0: the 3×3 matrix, 16.16 fixed
    data[at : at + 36] = struct.pack(">9i", 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)
    path.write_bytes(bytes(data))
    return path
