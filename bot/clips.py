"""Clips as the content of a request: a video, an animation (Telegram's silent MP4 for a GIF),
a round video note, or a video sent as a file.

A clip is refused as early as can be: on arrival by what Telegram tells (the file's size,
the clip's length), and after the download, before anything is queued, by the engine's probe
(`engine.probe`: damaged, sound only, too large, odd frame rates...), each reason with its own
text. Clips are painted at CLIP_QUALITY, the engine's and the API's default for clips: every
higher quality optimises every frame, which only a GPU does in reasonable time.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from telegram import Message

from bot import texts
from bot.models import Photo, Prefs
from engine.errors import VideoError
from engine.params import CLIP_QUALITY
from engine.probe import VideoLimits, probe_bytes

LIMITS = VideoLimits()  # the engine's; the size limit is the bot's download limit
MAX_SECONDS = round(LIMITS.max_seconds)
# Telegram rounds a clip's length to whole seconds: one more than the limit is surely over it.
ROUNDING = 0.5
SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".webm", ".mkv"})  # GIF files stay pictures
# The probe's stable reasons, and how each is explained.
REFUSALS = {
    "too_large": texts.CLIP_TOO_LARGE, "too_long": texts.CLIP_TOO_LONG,
    "damaged": texts.CLIP_DAMAGED, "no_frames": texts.CLIP_DAMAGED,
    "unsupported": texts.CLIP_UNSUPPORTED, "no_video": texts.CLIP_NO_VIDEO,
    "bad_frame_rate": texts.CLIP_BAD_FRAME_RATE, "bad_shape": texts.CLIP_BAD_SHAPE,
}  # fmt: skip


def clip_of(message: Message | None) -> Photo | None:
    """The clip a message carries: a video, an animation, a video note, or a video file."""
    if message is None:
        return None
    for clip in (message.video, message.animation, message.video_note):
        if clip is not None:
            return Photo(clip.file_id, file_size=clip.file_size, clip=True)
    doc = message.document
    if doc is None:
        return None
    mime = (doc.mime_type or "").lower()
    if mime.startswith("video/") or Path(doc.file_name or "").suffix.lower() in SUFFIXES:
        return Photo(doc.file_id, file_size=doc.file_size, clip=True)
    return None


def too_long(message: Message) -> bool:
    """Longer than the engine takes, by the length Telegram tells (files have none)."""
    clip = message.video or message.animation or message.video_note
    # As the Bot API sent it (whole seconds): PTB's own attribute is changing its type.
    seconds = clip.to_dict().get("duration") if clip is not None else None
    return isinstance(seconds, int | float) and seconds > LIMITS.max_seconds + ROUNDING


def clip_prefs(prefs: Prefs) -> Prefs:
    """A clip's preferences: the person's strength and colours, at the clip quality."""
    return replace(prefs, quality=CLIP_QUALITY)


async def refusal(data: bytes, max_bytes: int) -> str | None:
    """Why a downloaded clip can't be painted (a text of bot/texts.py), or None."""
    try:
        await asyncio.to_thread(probe_bytes, data, replace(LIMITS, max_bytes=max_bytes))
    except VideoError as exc:
        return REFUSALS.get(exc.reason, texts.CLIP_DAMAGED)
    return None
