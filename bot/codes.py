"""What each code of the job service (jobs/errors.py) says to a person: the bot's one table.

The service's own sentence is never shown (English, and possibly an exception's text), with
one exception in bot/delivery.py: the engine's words on a picture it can't read, where they
exist in the reader's language.
"""

from __future__ import annotations

from bot import texts
from jobs.errors import ErrorCode, code_of

# Placeholders the caller fills: GAVE_UP {attempts}, UNSUPPORTED_IMAGE {kind} and
# CLIP_TOO_LONG {seconds}. The bot probes clips only (a photo's size is its download limit,
# its pixels the job's business: BAD_INPUT), so TOO_LARGE is about a clip's frames.
TEXTS: dict[ErrorCode, str] = {
    ErrorCode.BAD_INPUT: texts.BAD_IMAGE, ErrorCode.INPUT_GONE: texts.INPUT_GONE,
    ErrorCode.ENGINE: texts.ENGINE_FAILED, ErrorCode.GAVE_UP: texts.GAVE_UP,
    ErrorCode.UNAVAILABLE: texts.QUEUE_UNAVAILABLE, ErrorCode.TOO_MANY_JOBS: texts.ALREADY_BUSY,
    ErrorCode.QUEUE_FULL: texts.QUEUE_FULL, ErrorCode.TOO_LARGE: texts.CLIP_TOO_LARGE,
    ErrorCode.UNSUPPORTED_IMAGE: texts.UNSUPPORTED_IMAGE, ErrorCode.BAD_IMAGE: texts.BAD_IMAGE,
    ErrorCode.UNSUPPORTED_VIDEO: texts.CLIP_UNSUPPORTED,
    ErrorCode.VIDEO_DAMAGED: texts.CLIP_DAMAGED, ErrorCode.VIDEO_NO_FRAMES: texts.CLIP_DAMAGED,
    ErrorCode.VIDEO_NO_VIDEO: texts.CLIP_NO_VIDEO, ErrorCode.VIDEO_TOO_LONG: texts.CLIP_TOO_LONG,
    ErrorCode.VIDEO_BAD_FRAME_RATE: texts.CLIP_BAD_FRAME_RATE,
    ErrorCode.VIDEO_BAD_SHAPE: texts.CLIP_BAD_SHAPE,
}  # fmt: skip


def text_for(code: str | None) -> str:
    """The text (of bot/texts.py, untranslated) for a code; one of another version: sorry."""
    known = code_of(code)
    return TEXTS[known] if known is not None else texts.SOMETHING_WRONG
