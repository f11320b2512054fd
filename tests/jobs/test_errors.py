"""The one vocabulary of error codes: its wire values, and the engine's reasons as codes."""

from __future__ import annotations

import pytest

from jobs import Busy, QueueFull, ServiceUnavailable
from jobs.errors import ErrorCode, code_of, input_refusal

# The engine's reasons (engine/errors.py) and the codes the API has always answered with.
PHOTO = {
    "too_large": "too_large", "unsupported": "unsupported_image", "damaged": "bad_image",
    "bad_shape": "bad_image",
}  # fmt: skip
CLIP = {
    "too_large": "too_large", "unsupported": "unsupported_video", "damaged": "video_damaged",
    "no_video": "video_no_video", "no_frames": "video_no_frames", "too_long": "video_too_long",
    "bad_frame_rate": "video_bad_frame_rate", "bad_shape": "video_bad_shape",
}  # fmt: skip


@pytest.mark.parametrize(("reason", "wire"), PHOTO.items())
def test_a_photo_refusal_keeps_its_wire_code(reason: str, wire: str) -> None:
    assert input_refusal(reason, clip=False) == wire


@pytest.mark.parametrize(("reason", "wire"), CLIP.items())
def test_a_clip_refusal_keeps_its_wire_code(reason: str, wire: str) -> None:
    assert input_refusal(reason, clip=True) == wire


def test_an_unknown_reason_still_gets_a_code() -> None:
    assert input_refusal("from_the_future", clip=True) is ErrorCode.VIDEO_DAMAGED
    assert input_refusal("from_the_future", clip=False) is ErrorCode.BAD_IMAGE


def test_stored_codes_read_back_and_unknown_ones_are_none() -> None:
    assert code_of("gave_up") is ErrorCode.GAVE_UP
    assert code_of("something_new") is None and code_of(None) is None


def test_each_refusal_carries_its_code() -> None:
    assert Busy("j").code == "too_many_jobs"
    assert QueueFull(3).code == "queue_full"
    assert ServiceUnavailable("down").code == "unavailable"


def test_job_failure_codes_are_as_stored() -> None:
    stored = {"bad_input", "input_gone", "engine", "gave_up", "unavailable"}
    assert stored <= {code.value for code in ErrorCode}
