"""Clips made from a photo, for the tests and the video benchmark: a camera pan, a sine tone.

The camera moves across the photo at a steady speed (with a slight zoom), so every frame is
the previous one shifted by a few pixels: what optical flow follows, and what a per-frame
stylisation makes flicker.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import av
import numpy as np
from PIL import Image

ClipFormat = Literal["mp4", "mov", "webm", "gif"]
CODECS: dict[ClipFormat, tuple[str, str | None, str]] = {  # video, audio, pixel format
    "mp4": ("libx264", "aac", "yuv420p"),
    "mov": ("libx264", "aac", "yuv420p"),
    "webm": ("libvpx", "libopus", "yuv420p"),
    "gif": ("gif", None, "rgb8"),
}
SAMPLE_RATE = 48000


def pan_frames(photo: Image.Image, size: tuple[int, int], count: int) -> list[np.ndarray]:
    """`count` RGB frames of `size`, panning left to right across the photo."""
    width, height = size
    scale = 1.5 * max(width / photo.width, height / photo.height)
    big = photo.convert("RGB").resize((round(photo.width * scale), round(photo.height * scale)),
                                      Image.Resampling.LANCZOS)  # fmt: skip
    span_x, span_y = big.width - width, big.height - height
    frames = []
    for i in range(count):
        t = i / max(1, count - 1)
        box = (t * span_x, 0.3 * t * span_y, t * span_x + width, 0.3 * t * span_y + height)
        frames.append(np.asarray(big.resize(size, Image.Resampling.BILINEAR, box=box)))
    return frames


def sine(seconds: float, hz: float = 440.0, rate: int = SAMPLE_RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def pan_clip(
    path: Path | str, photo: Image.Image, size: tuple[int, int] = (96, 64),
    seconds: float = 1.0, fps: int = 24, *, fmt: ClipFormat = "mp4", tone: float | None = 440.0,
) -> Path:  # fmt: skip
    """Write a pan across `photo` (with a sine tone unless `tone` is None, or a GIF)."""
    video_codec, audio_codec, pix_fmt = CODECS[fmt]
    path = Path(path)
    with av.open(str(path), "w", format=fmt) as out:
        video: Any = out.add_stream(video_codec, rate=Fraction(fps))
        video.width, video.height = size
        video.pix_fmt = pix_fmt
        audio: Any = None
        if audio_codec is not None and tone is not None:
            audio = out.add_stream(audio_codec, rate=SAMPLE_RATE, layout="mono")
        for i, rgb in enumerate(pan_frames(photo, size, round(seconds * fps))):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if audio is not None and tone is not None:
            _write_tone(out, audio, sine(seconds, tone))
    return path


def _write_tone(out: Any, stream: Any, samples: np.ndarray) -> None:
    step = 960
    for start in range(0, len(samples), step):
        frame = av.AudioFrame.from_ndarray(samples[None, start : start + step], format="fltp",
                                           layout="mono")  # fmt: skip
        frame.sample_rate, frame.pts = SAMPLE_RATE, start
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))


def audio_seconds(path: Path | str) -> float | None:
    """The sound's duration in a file, from its packets; None when it has none."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream: Any = container.streams.audio[0]
        start, end = float("inf"), 0.0
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            t = float(packet.pts * packet.time_base)
            start, end = min(start, t), max(end, t + float(packet.duration * packet.time_base))
        return end - max(0.0, start) if end else 0.0
