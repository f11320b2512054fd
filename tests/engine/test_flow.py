"""Optical flow, warping and the forward-backward check on frames with a known motion."""

from __future__ import annotations

import numpy as np
import pytest

from bench.clips import pan_frames
from engine import flow
from engine.imageio import decode_image
from tests.clips import PHOTO


@pytest.fixture(scope="module")
def frames() -> list[np.ndarray]:
    return pan_frames(decode_image(PHOTO), (160, 96), 12)


@pytest.mark.parametrize("method", ["dis", "farneback"])
def test_warp_along_the_flow_brings_the_previous_frame_onto_the_current(frames, method) -> None:
    previous, current = frames[4], frames[5]
    moved = flow.motion(flow.gray(previous), flow.gray(current), method)  # type: ignore[arg-type]
    assert moved.backward.shape == (96, 160, 2) and moved.mask.shape == (96, 160)
    assert np.median(moved.backward[..., 0]) > 1  # the camera pans right: content moves left
    before = np.abs(previous.astype(float) - current).mean()
    after = np.abs(moved.warp(previous).astype(float) - current)[moved.mask > 0.99].mean()
    assert after < 0.5 * before


def test_the_consistency_check_marks_occlusions() -> None:
    h, w = 40, 60
    forward = np.zeros((h, w, 2), np.float32)
    backward = np.zeros((h, w, 2), np.float32)
    backward[10:20, 10:20] = (5.0, 0.0)  # a patch whose round trip does not come back
    mask = flow.consistency(forward, backward)
    assert mask[15, 15] < 0.1
    assert mask[35, 50] == pytest.approx(1.0)


def test_flicker_is_zero_for_a_still_clip_and_grows_with_noise(frames) -> None:
    still = [frames[0]] * 4
    assert flow.flicker(still, still) == pytest.approx(0.0, abs=1e-6)
    rng = np.random.default_rng(0)
    noisy = [np.clip(f + rng.normal(0, 20, f.shape), 0, 255).astype(np.uint8) for f in still]
    assert flow.flicker(still, noisy) > 10
