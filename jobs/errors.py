"""Why the service refused, could not find or could not finish a job; clients turn these
into words.

`ErrorCode` is the one vocabulary of stable codes, for programs: a job that ended without a
result (`JobError.code`, the `failed` event), a job the service would not take
(`JobRefused.code`) and an upload refused before any job (`input_refusal`). Its values are on
the wire (the API's problem `code`, stored jobs), so they never change; each client keeps one
table that says what a code means in its own words (the bot: a text; the API: an HTTP
status).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # A job that ended without a result.
    BAD_INPUT = "bad_input"  # the engine could not use an input (its message says why)
    INPUT_GONE = "input_gone"  # the job's images were deleted before it ran
    ENGINE = "engine"  # the engine refused (a painting left the gallery, say)
    GAVE_UP = "gave_up"  # every run failed (JobSettings.job_attempts)
    UNAVAILABLE = "unavailable"  # no worker could be told of it; also a refusal (below)
    # A job the service would not take.
    TOO_MANY_JOBS = "too_many_jobs"  # its owner has as many waiting or running as allowed
    QUEUE_FULL = "queue_full"
    # An upload refused before any job: the engine's ImageError / VideoError `reason`.
    TOO_LARGE = "too_large"  # bytes, pixels or frame size
    UNSUPPORTED_IMAGE = "unsupported_image"
    BAD_IMAGE = "bad_image"  # damaged, too small or too thin
    UNSUPPORTED_VIDEO = "unsupported_video"
    VIDEO_DAMAGED = "video_damaged"
    VIDEO_NO_VIDEO = "video_no_video"  # sound only
    VIDEO_NO_FRAMES = "video_no_frames"
    VIDEO_TOO_LONG = "video_too_long"  # duration or frame count
    VIDEO_BAD_FRAME_RATE = "video_bad_frame_rate"
    VIDEO_BAD_SHAPE = "video_bad_shape"  # frames too small or too thin


# The engine's reasons (engine/errors.py) that keep one code for a photo and a clip alike.
_SHARED = {"too_large": ErrorCode.TOO_LARGE}
_IMAGE = {"unsupported": ErrorCode.UNSUPPORTED_IMAGE}
_VIDEO = {"unsupported": ErrorCode.UNSUPPORTED_VIDEO}


def input_refusal(reason: str, *, clip: bool) -> ErrorCode:
    """The code for an upload the engine refused with `reason` (ImageError.reason).

    A photo's other reasons are all BAD_IMAGE; a clip's are VIDEO_<REASON>, and a reason this
    version does not know reads as damaged."""
    found = _SHARED.get(reason) or (_VIDEO if clip else _IMAGE).get(reason)
    if found is not None:
        return found
    if not clip:
        return ErrorCode.BAD_IMAGE
    try:
        return ErrorCode(f"video_{reason}")
    except ValueError:
        return ErrorCode.VIDEO_DAMAGED


def code_of(value: str | None) -> ErrorCode | None:
    """A code read from a job or an event as the enum; None for none, or for one written by
    another version."""
    try:
        return ErrorCode(value) if value is not None else None
    except ValueError:
        return None


class JobRefused(Exception):
    """The service did not take the job."""

    code = ErrorCode.UNAVAILABLE


class QueueFull(JobRefused):
    code = ErrorCode.QUEUE_FULL

    def __init__(self, waiting: int) -> None:
        super().__init__(f"{waiting} jobs are waiting")
        self.waiting = waiting


class Busy(JobRefused):
    """The owner already has a job waiting or running (one at a time)."""

    code = ErrorCode.TOO_MANY_JOBS

    def __init__(self, current: str) -> None:
        super().__init__(f"job {current} is still going")
        self.current = current


class ServiceUnavailable(JobRefused):
    """Not running, or the journal / broker could not keep the job."""

    code = ErrorCode.UNAVAILABLE


class UnknownJob(KeyError):
    """No such job (never existed, or it ended and expired)."""
