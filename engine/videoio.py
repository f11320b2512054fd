"""Frames in, H.264 out, with PyAV (FFmpeg bindings; its wheels carry FFmpeg).

`read_frames` decodes a probed clip into RGB frames at the working size, keeping each frame's
timestamp. `ClipWriter` encodes frames with those timestamps into an MP4 (H.264, yuv420p,
faststart), so frame count, frame rate and duration are the input's, and brings the input's
sound along: copied when MP4 can carry it, else re-encoded to AAC, interleaved with the
picture as it is written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from engine.errors import VideoError
from engine.probe import VideoInfo

COPY_AUDIO = frozenset({"aac", "mp3"})  # what MP4 carries and every player plays
AAC_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000)
CRF = 20  # x264's constant quality: visually clean at these sizes
PRESET = "veryfast"  # encoding is a few percent of a clip's time at this preset


@dataclass(frozen=True)
class Frame:
    rgb: np.ndarray  # H×W×3 uint8, as displayed
    pts: int  # in the clip's video time base, as in the file
    index: int


def working_size(info: VideoInfo, long_side: int) -> tuple[int, int]:
    """Width and height with the long side at most `long_side` (never enlarged), both even."""
    scale = min(1.0, long_side / max(info.width, info.height))
    return _even(info.width * scale), _even(info.height * scale)


def _even(x: float) -> int:
    return max(2, round(x / 2) * 2)


def read_frames(path: Path | str, info: VideoInfo, size: tuple[int, int]) -> Iterator[Frame]:
    """Every frame of a probed clip, turned upright and scaled to `size`."""
    width, height = size if info.rotation % 180 == 0 else size[::-1]
    last = None
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for index, frame in enumerate(container.decode(stream)):
                small = frame.reformat(width=width, height=height, format="rgb24",
                                       interpolation="AREA")  # fmt: skip
                rgb: np.ndarray = small.to_ndarray()
                if info.rotation % 360:
                    rgb = np.ascontiguousarray(np.rot90(rgb, info.rotation // 90))
                pts = frame.pts if frame.pts is not None else index
                last = pts if last is None else max(pts, last + 1)  # strictly increasing
                yield Frame(rgb, last, index)
    except av.FFmpegError as exc:
        raise VideoError("This clip is damaged or incomplete, so it can't be read.") from exc


class ClipWriter:
    """Write frames (with their timestamps) to an MP4; call `close()` to finish the file."""

    def __init__(
        self, path: Path | str, size: tuple[int, int], info: VideoInfo,
        audio_from: Path | str | None = None,
    ) -> None:  # fmt: skip
        self.path = Path(path)
        self.time_base = info.time_base
        self._out = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        self._video = self._out.add_stream("libx264", rate=_rate(info))
        self._video.width, self._video.height = size
        self._video.pix_fmt = "yuv420p"
        self._video.time_base = info.time_base
        self._video.options = {"crf": str(CRF), "preset": PRESET}
        self._source = None if audio_from is None or info.audio is None else av.open(
            str(audio_from), metadata_errors="ignore")  # fmt: skip
        self._audio = None if self._source is None else _audio_packets(self._source, self._out)
        self._pending: Any = None
        self.frames = 0

    def write(self, rgb: np.ndarray, pts: int) -> None:
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        frame.pts, frame.time_base = pts, self.time_base
        self._mux(self._video.encode(frame))
        self.frames += 1

    def close(self) -> None:
        """Flush the encoder, the rest of the sound, and write the index (at the front)."""
        try:
            self._mux(self._video.encode(None))
            self._pump_audio(float("inf"))
        finally:
            self._out.close()
            if self._source is not None:
                self._source.close()

    def abort(self) -> None:
        """Stop without finishing the file (cancelled or failed); the partial file is removed."""
        for container in (self._out, self._source):
            if container is not None:
                with contextlib.suppress(av.FFmpegError):
                    container.close()
        self.path.unlink(missing_ok=True)

    def _mux(self, packets: list[Any]) -> None:
        for packet in packets:
            if packet.pts is not None:
                self._pump_audio(float(packet.pts * packet.time_base))
            self._out.mux(packet)

    def _pump_audio(self, until: float) -> None:
        """Mux the sound up to `until` seconds, so that picture and sound stay interleaved."""
        if self._audio is None:
            return
        while True:
            if self._pending is None:
                self._pending = next(self._audio, None)
                if self._pending is None:
                    self._audio = None
                    return
            at = self._pending.dts if self._pending.dts is not None else self._pending.pts
            if at is not None and float(at * self._pending.time_base) > until:
                return
            self._out.mux(self._pending)
            self._pending = None


def _rate(info: VideoInfo) -> Fraction:
    return Fraction(info.fps).limit_denominator(1001) if info.fps > 0 else Fraction(25)


def _audio_packets(source: Any, out: Any) -> Iterator[Any]:
    """The input's sound as packets for `out`: copied, or re-encoded to AAC."""
    audio = source.streams.audio[0]
    if audio.codec_context.name in COPY_AUDIO:
        stream = out.add_stream_from_template(audio)
        return _copied(source, audio, stream)
    rate = next((r for r in AAC_RATES if r <= (audio.rate or 48000)), 8000)
    layout = "mono" if audio.codec_context.channels == 1 else "stereo"
    stream = out.add_stream("aac", rate=rate, layout=layout)
    return _transcoded(source, audio, stream)


def _copied(source: Any, audio: Any, stream: Any) -> Iterator[Any]:
    for packet in source.demux(audio):
        if packet.dts is None:  # the demuxer's end-of-stream marker
            continue
        packet.stream = stream
        yield packet


def _transcoded(source: Any, audio: Any, stream: Any) -> Iterator[Any]:
    resampler = av.AudioResampler(format="fltp", layout=stream.layout, rate=stream.rate)
    for frame in source.decode(audio):
        for piece in resampler.resample(frame):
            yield from stream.encode(piece)
    for piece in resampler.resample(None):
        yield from stream.encode(piece)
    yield from stream.encode(None)


__all__ = ["ClipWriter", "Frame", "VideoInfo", "read_frames", "working_size"]
