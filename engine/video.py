"""Stylised clips without flicker: the instant network per frame, tied together by flow.

`VideoTransfer` probes the clip first (refusing bad ones before any work), then is an
iterator: each `next()` decodes, stylises and encodes one frame and yields a `Progress`, so a
caller can cancel, report or preview between frames. Per frame:

1. the instant network paints the frame, with one style vector for the whole clip;
2. the previous result is warped onto this frame along the input frames' optical flow, and
   blended in where the forward-backward check trusts the flow (disocclusions get the new
   painting alone);
3. with refinement (qualities above `instant`) a few optimisation steps start from that
   blend, with a temporal loss towards the warped previous result (Ruder et al. 2016).

The output is an MP4 (H.264) with the input's frame timestamps and sound (`engine/videoio`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import torch
from PIL import Image

from engine import color, instant
from engine.devices import resolve_device
from engine.errors import Cancelled, EngineError
from engine.flow import FlowMethod, Motion, gray, motion
from engine.params import Quality, StyleParams
from engine.probe import VideoInfo, VideoLimits, probe
from engine.refine import TEMPORAL_WEIGHT, FrameRefiner
from engine.results import Progress
from engine.videoio import ClipWriter, Frame, read_frames, working_size

# Defaults per quality: long side in px and refinement steps per frame. The network paints
# at 384 px whatever the size; everything above `instant` optimises every frame (GPUs).
VIDEO_SIZES: dict[Quality, int] = {"instant": 480, "fast": 480, "balanced": 480, "high": 720}
REFINE_STEPS: dict[Quality, int] = {"instant": 0, "fast": 1, "balanced": 2, "high": 3}


@dataclass(frozen=True)
class VideoParams:
    """What a clip adds to StyleParams (whose quality, size, strength and colours apply)."""

    temporal: bool = True  # False: every frame painted on its own (flickers; for comparison)
    blend: float = 0.7  # weight of the warped previous result where the flow holds
    flow: FlowMethod = "dis"
    refine_steps: int | None = None  # per frame; None -> REFINE_STEPS of the quality
    temporal_weight: float = TEMPORAL_WEIGHT
    preview_every: int = 12  # frames between two previews; 0: never
    limits: VideoLimits = field(default_factory=VideoLimits)

    def __post_init__(self) -> None:
        if not 0.0 <= self.blend < 1.0:
            raise ValueError("blend must be in [0, 1)")
        if self.refine_steps is not None and self.refine_steps < 0:
            raise ValueError("refine_steps must not be negative")

    def steps(self, quality: Quality) -> int:
        return REFINE_STEPS[quality] if self.refine_steps is None else self.refine_steps


@dataclass(frozen=True)
class VideoResult:
    path: Path
    width: int
    height: int
    frames: int
    duration: float  # seconds, the input's
    fps: float
    audio: bool  # the input's sound is in it
    seconds: float  # engine time
    finished: bool  # False when the time budget stopped the refinement early
    device: str

    @property
    def animation(self) -> bool:
        return not self.audio


class VideoTransfer:
    """Iterate to stylise frame by frame; then call `result()`."""

    def __init__(
        self, source: Path | str, styles: Sequence[Image.Image], output: Path | str,
        params: StyleParams | None = None, video: VideoParams | None = None, *,
        time_budget: float | None = None,
    ) -> None:  # fmt: skip
        if not styles:
            raise EngineError("At least one style image is needed.")
        self.params = params or StyleParams(quality="instant")
        self.video = video or VideoParams()
        self.source, self.output = Path(source), Path(output)
        self.info: VideoInfo = probe(self.source, self.video.limits)  # refuse before work
        side = self.params.size or VIDEO_SIZES[self.params.quality]
        self.size = working_size(self.info, side)
        self.device = resolve_device(self.params.device)
        self.total_steps = self.info.frames
        self._styles = list(styles)
        self._spec = instant.InstantSpec(
            self.size, self.params.strength, self.params.style_blend, self.params.preserve_colors,
            self.params.color_mode, self.device.type == "cuda",
        )  # fmt: skip
        instant.load(cuda=self._spec.cuda, free=True)
        steps = self.video.steps(self.params.quality)
        self._refiner = None if not steps else FrameRefiner(
            self._styles, self.params, self.size, self.video.temporal_weight)  # fmt: skip
        self._refine_steps = steps
        self._vector: np.ndarray | None = None
        self._previous: tuple[np.ndarray, np.ndarray] | None = None  # grey input, result
        self._start = time.monotonic()
        self._deadline = None if time_budget is None else self._start + time_budget
        self._done = 0
        self._finished = False
        self._cut_short = False
        self._loss = float("nan")

    def __iter__(self) -> Iterator[Progress]:
        writer = ClipWriter(self.output, self.size, self.info, self.source)
        try:
            for frame in read_frames(self.source, self.info, self.size):
                result = self._frame(frame)
                writer.write(result, frame.pts)
                self._done += 1
                yield self._progress(result)
            writer.close()
        except BaseException:  # cancelled (GeneratorExit), damaged, ...: no half-written file
            writer.abort()
            raise
        if not self._done:
            raise EngineError("The clip has no frames that could be decoded.")
        self._finished = True

    def _frame(self, frame: Frame) -> np.ndarray:
        """One frame: paint, tie to the previous result, refine; H×W×3 uint8."""
        content = Image.fromarray(frame.rgb)
        if self._vector is None:
            self._vector = instant.vector_for(content, self._styles, self._spec)
        painted = self._paint(frame.rgb, content)
        grey = gray(frame.rgb)
        moved = self._motion(grey)
        result = painted
        if moved is not None and self._previous is not None:
            warped = moved.warp(self._previous[1])
            weight = moved.mask[..., None] * self.video.blend
            result = np.clip(weight * warped + (1.0 - weight) * painted, 0.0, 1.0)
            if self._refining():
                result = self._refine(frame, result, warped, moved.mask)
        elif self._refining():
            result = self._refine(frame, result, None, None)
        self._previous = (grey, result)
        return _to_uint8(self._with_colours(result, frame.rgb))

    def _paint(self, rgb: np.ndarray, content: Image.Image) -> np.ndarray:
        """The network's painting of one frame, H×W×3 float32 in 0..1, at the frame's own
        shape (resized with OpenCV: no torch thread pool between two onnxruntime calls)."""
        assert self._vector is not None
        if self._spec.preserve_colors and self._spec.color_mode == "luminance":
            return _numpy(instant.render_with(content, self._vector, self._spec))
        h, w = rgb.shape[:2]
        k = instant.NETWORK_SIDE / max(h, w)
        small = cv2.resize(rgb, (max(1, round(w * k)), max(1, round(h * k))),
                           interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC)  # fmt: skip
        pixels = small[None].astype(np.float32) / 255.0
        out = instant.transform_array(pixels, self._vector, self._spec.cuda, free=True)[0]
        big = np.asarray(cv2.resize(out, (w, h), interpolation=cv2.INTER_CUBIC), np.float32)
        return np.clip(big, 0.0, 1.0)

    def _motion(self, grey: np.ndarray) -> Motion | None:
        if not self.video.temporal or self._previous is None:
            return None
        return motion(self._previous[0], grey, self.video.flow)

    def _refining(self) -> bool:
        if self._refiner is None:
            return False
        if self._deadline is not None and time.monotonic() >= self._deadline:
            self._cut_short = True  # the budget is spent: the rest is the network's alone
            return False
        return True

    def _refine(
        self, frame: Frame, start: np.ndarray, anchor: np.ndarray | None, mask: np.ndarray | None
    ) -> np.ndarray:
        assert self._refiner is not None
        content = _tensor(frame.rgb.astype(np.float32) / 255.0)
        if self._spec.preserve_colors and self._spec.color_mode == "luminance":
            content = color.luminance_image(content)
        out = self._refiner.refine(
            content, _tensor(start), None if anchor is None else _tensor(anchor),
            None if mask is None else torch.from_numpy(mask)[None, None], self._refine_steps,
            stop=lambda: self._deadline is not None and time.monotonic() >= self._deadline,
        )  # fmt: skip
        self._loss = self._refiner.loss
        return _numpy(out)

    def _with_colours(self, result: np.ndarray, rgb: np.ndarray) -> np.ndarray:
        if not (self._spec.preserve_colors and self._spec.color_mode == "luminance"):
            return result
        merged = color.merge_luminance(_tensor(result), _tensor(rgb.astype(np.float32) / 255.0))
        return _numpy(merged)

    def _progress(self, result: np.ndarray) -> Progress:
        elapsed = time.monotonic() - self._start
        total = max(self.total_steps, self._done)
        every = self.video.preview_every
        due = every and (self._done == 1 or self._done % every == 0)
        return Progress(
            scale=0, scales=1, width=self.size[0], height=self.size[1], step=self._done,
            total_steps=total, elapsed=elapsed, eta=elapsed / self._done * (total - self._done),
            loss=self._loss, preview=Image.fromarray(result) if due else None,
        )  # fmt: skip

    def result(self) -> VideoResult:
        if not self._finished:
            raise EngineError("The clip is not finished yet.")
        return VideoResult(
            path=self.output, width=self.size[0], height=self.size[1], frames=self._done,
            duration=self.info.duration, fps=self.info.fps, audio=self.info.audio is not None,
            seconds=time.monotonic() - self._start, finished=not self._cut_short,
            device=str(self.device),
        )  # fmt: skip


def _numpy(rgb: torch.Tensor) -> np.ndarray:
    """1×3×H×W in 0..1 -> H×W×3 float32 in 0..1."""
    return np.ascontiguousarray(rgb[0].permute(1, 2, 0).float().numpy())


def _tensor(rgb: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(rgb, dtype=np.float32)).permute(2, 0, 1)[None]


def _to_uint8(rgb: np.ndarray) -> np.ndarray:
    return np.clip(rgb * 255.0 + 0.5, 0, 255).astype(np.uint8)


def stylize_video(
    source: Path | str, styles: Sequence[Image.Image], output: Path | str,
    params: StyleParams | None = None, video: VideoParams | None = None, *,
    on_progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None, time_budget: float | None = None,
) -> VideoResult:  # fmt: skip
    """Stylise a whole clip. Raises `Cancelled` if `should_cancel()` turns true (checked
    before the first frame and after every frame; no output file is left then)."""
    run = VideoTransfer(source, styles, output, params, video, time_budget=time_budget)
    if should_cancel is not None and should_cancel():
        raise Cancelled()
    frames = iter(run)
    try:
        for progress in frames:
            if on_progress is not None:
                on_progress(progress)
            if should_cancel is not None and should_cancel():
                raise Cancelled()
    finally:
        close = getattr(frames, "close", None)
        if close is not None:
            close()
    return run.result()
