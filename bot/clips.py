"""Clips as the content of a request: a video, an animation (Telegram's silent MP4 for a GIF),
a round video note, or a video sent as a file.

A clip is refused as early as can be: on arrival by what Telegram tells (the file's size,
the clip's length), and after the download, before anything is queued, by the engine's probe
(`engine.probe`: damaged, sound only, too large, odd frame rates...), each reason with its own
text (bot/codes.py). Clips are painted at the clip quality whatever the person's preference
(`jobs.model.default_quality`): every higher quality optimises every frame, which only a GPU
does in reasonable time.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from telegram import Message

from bot.codes import text_for
from bot.models import Photo, Prefs
from engine.errors import VideoError
from engine.probe import VideoLimits, probe_bytes
from jobs.errors import input_refusal
from jobs.model import default_quality

LIMITS = VideoLimits()  # the engine's; the size limit is the bot's download limit
MAX_SECONDS = round(LIMITS.max_seconds)
# Telegram rounds a clip's length to whole seconds: one more than the limit is surely over it.
ROUNDING = 0.5
SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".webm", ".mkv"})  # GIF files stay pictures


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
    return replace(prefs, quality=default_quality("video"))


async def refusal(data: bytes, max_bytes: int) -> str | None:
    """Why a downloaded clip can't be painted (a text of bot/texts.py), or None."""
    try:
        await asyncio.to_thread(probe_bytes, data, replace(LIMITS, max_bytes=max_bytes))
    except VideoError as exc:
        return text_for(input_refusal(exc.reason, clip=True))
    return None
