"""Optical flow between video frames, warping along it, and where it can be trusted.

Flow comes from OpenCV's DIS (dense inverse search) on the *input* frames, never on the
stylised ones. `Motion` holds the flow from the current frame back to the previous one and
a mask of the pixels where it holds: the forward-backward check of Sundaram et al. (2010),
as Ruder et al. (2016) use it, marks pixels whose round trip does not come back as occluded
or disoccluded. `flicker` is the figure the benchmark reports.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any, Literal

import cv2
import numpy as np

FlowMethod = Literal["dis", "farneback"]

# |f + b|^2 > ALPHA (|f|^2 + |b|^2) + BETA: the round trip misses by too much (pixels^2).
ALPHA = 0.01
BETA = 0.5
MOTION_EDGE = 0.01  # |grad b|^2 > MOTION_EDGE |b|^2 + 0.002: a motion boundary, not trusted
MASK_BLUR = 3  # px: soften the mask so that seams do not show


@dataclass(frozen=True)
class Motion:
    """How to bring the previous frame onto the current one."""

    backward: np.ndarray  # H×W×2 float32: current pixel -> where it was in the previous frame
    mask: np.ndarray  # H×W float32 in 0..1: 1 where the flow is consistent

    def warp(self, previous: np.ndarray) -> np.ndarray:
        """`previous` (H×W×C, any dtype OpenCV remaps) moved onto the current frame."""
        return warp(previous, self.backward)


def gray(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)


def flow(a: np.ndarray, b: np.ndarray, method: FlowMethod = "dis") -> np.ndarray:
    """Dense flow from grey frame `a` to grey frame `b`: a(x) ≈ b(x + flow(x))."""
    start = np.zeros((*a.shape[:2], 2), np.float32)  # not used as a start: no flag asks it
    if method == "farneback":
        out = cv2.calcOpticalFlowFarneback(a, b, start, 0.5, 3, 15, 3, 5, 1.2, 0)
    else:
        out = _dis().calc(a, b, start)
    return np.asarray(out, dtype=np.float32)


def motion(previous: np.ndarray, current: np.ndarray, method: FlowMethod = "dis") -> Motion:
    """The flow back from `current` to `previous` (grey frames) and where it is reliable."""
    backward = flow(current, previous, method)
    forward = flow(previous, current, method)
    return Motion(backward, consistency(forward, backward))


def consistency(forward: np.ndarray, backward: np.ndarray) -> np.ndarray:
    """1 where following `backward` then `forward` comes back home; 0 at occlusions and at
    motion boundaries (where the flow changes abruptly and is seldom right)."""
    there = warp(forward, backward, cv2.INTER_LINEAR)  # forward flow where each pixel was
    b2 = _norm2(backward)
    miss = _norm2(backward + there)
    trusted = miss <= ALPHA * (b2 + _norm2(there)) + BETA
    # Central differences, as np.gradient takes them, summed over both flow components.
    dx = cv2.Sobel(backward, cv2.CV_32F, 1, 0, ksize=1)
    dy = cv2.Sobel(backward, cv2.CV_32F, 0, 1, ksize=1)
    trusted &= 0.25 * (_norm2(dx) + _norm2(dy)) <= MOTION_EDGE * b2 + 0.002
    mask = cv2.erode(trusted.astype(np.float32), np.ones((3, 3), np.uint8))
    return np.asarray(cv2.GaussianBlur(mask, (0, 0), MASK_BLUR / 2), np.float32)


def _norm2(vectors: np.ndarray) -> np.ndarray:
    """Squared length of each 2-vector of an H×W×2 array."""
    u, v = vectors[..., 0], vectors[..., 1]
    return np.asarray(u * u + v * v)


def warp(
    image: np.ndarray, backward: np.ndarray, interpolation: int = cv2.INTER_CUBIC
) -> np.ndarray:
    """Sample `image` at x + backward(x): bicubic by default (bilinear blurs a result carried
    over many frames visibly more); the border repeats."""
    h, w = backward.shape[:2]
    xs, ys = _grid(h, w)
    out = cv2.remap(image, xs + backward[..., 0], ys + backward[..., 1], interpolation,
                    borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    return np.asarray(out).reshape(image.shape)


@functools.cache
def _grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return xs, ys


_local = threading.local()  # a DIS object keeps state between calls: one per thread


def _dis() -> Any:
    dis = getattr(_local, "dis", None)
    if dis is None:
        create: Any = getattr(cv2, "DISOpticalFlow_create")  # noqa: B009 (not in the stubs)
        dis = _local.dis = create(cv2.DISOPTICAL_FLOW_PRESET_FAST)
    return dis


def flicker(inputs: list[np.ndarray], outputs: list[np.ndarray]) -> float:
    """Mean absolute difference (0..255) between each output frame and the previous output
    warped onto it along the inputs' flow, over the pixels where that flow is consistent."""
    total, count = 0.0, 0.0
    for t in range(1, min(len(inputs), len(outputs))):
        m = motion(gray(inputs[t - 1]), gray(inputs[t]))
        diff = np.abs(outputs[t].astype(np.float32) - m.warp(outputs[t - 1]).astype(np.float32))
        keep = m.mask > 0.99
        total += float(diff[keep].sum())
        count += float(keep.sum()) * diff.shape[2]
    return total / count if count else 0.0
