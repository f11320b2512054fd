"""Plain records shared by the handlers, the store and the deliveries.

They hold Telegram ids and choices, never image bytes. A `Job` is the bot's side of a job in
the job service: it travels in that job's opaque `reply` field (`job_to_json`), so the bot
can pick up every job again after a restart, and a result can be re-run from its file ids.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from engine import QUALITIES, Quality, StyleParams
from jobs.model import new_job_id

if TYPE_CHECKING:
    from bot.settings import Settings

StrengthName = Literal["weaker", "normal", "stronger"]
STRENGTHS: dict[StrengthName, float] = {"weaker": 0.25, "normal": 0.5, "stronger": 0.75}
STRENGTH_STEP = 0.25


def new_id() -> str:
    """A short random id (8 characters, URL-safe) for drafts, which live only an hour."""
    return secrets.token_urlsafe(6)


@dataclass(frozen=True)
class Prefs:
    """How a user likes their pictures; the defaults of every new request."""

    quality: Quality = StyleParams().quality
    strength: float = StyleParams().strength
    preserve_colors: bool = False

    @property
    def strength_name(self) -> StrengthName | None:
        for name, value in STRENGTHS.items():
            if abs(value - self.strength) < 1e-6:
                return name
        return None

    def stronger(self) -> Prefs | None:
        """One step more style, or None at the top already."""
        if self.strength >= 1.0 - 1e-6:
            return None
        return replace(self, strength=min(1.0, self.strength + STRENGTH_STEP))

    def weaker(self) -> Prefs | None:
        if self.strength <= 1e-6:
            return None
        return replace(self, strength=max(0.0, self.strength - STRENGTH_STEP))

    def higher_quality(self) -> Prefs | None:
        index = QUALITIES.index(self.quality)
        if index + 1 >= len(QUALITIES):
            return None
        return replace(self, quality=QUALITIES[index + 1])

    def toggled_colors(self) -> Prefs:
        return replace(self, preserve_colors=not self.preserve_colors)

    def params(self, settings: Settings) -> StyleParams:
        """The engine's parameters for a job with these preferences; the deployment may pin
        the output size and steps (otherwise the quality preset's are used)."""
        return StyleParams(
            quality=self.quality, size=settings.engine_size, steps=settings.engine_steps,
            strength=self.strength, preserve_colors=self.preserve_colors,
        )  # fmt: skip


@dataclass(frozen=True)
class Photo:
    """An image, or a clip (a video, an animation, a video note or a video file), on
    Telegram's servers, downloaded only when a job starts."""

    file_id: str
    as_document: bool = False  # an image sent uncompressed: the result comes back as a file too
    file_size: int | None = None
    clip: bool = False  # a clip: a job of kind `video`, an MP4 back (bot/clips.py)


@dataclass(frozen=True)
class Style:
    """A gallery painting (slug), a user's own style photo, or neither: the whole gallery,
    tried on the photo to suggest a style (a job of kind `suggest`)."""

    slug: str | None = None
    photo: Photo | None = None

    def __post_init__(self) -> None:
        if self.slug is not None and self.photo is not None:
            raise ValueError("a style is either a gallery slug or a photo")

    @property
    def whole_gallery(self) -> bool:
        return self.slug is None and self.photo is None


@dataclass(frozen=True)
class Job:
    """A request as the bot sees it; its id is the job service's id and the result id."""

    chat_id: int
    user_id: int
    user_name: str
    reply_to: int  # the user's content message: the result replies to it
    content: Photo
    style: Style
    prefs: Prefs
    status_message_id: int | None = None  # the one progress message of this job
    id: str = field(default_factory=new_job_id)
    created_at: float = field(default_factory=time.time)
    lang: str = "en"  # the owner's language (bot/i18n.py), for every message about it


def job_to_json(job: Job) -> str:
    return json.dumps(asdict(job), separators=(",", ":"))


def job_from_json(text: str) -> Job:
    """The inverse of job_to_json; raises ValueError on a record it can't read."""
    try:
        raw: dict[str, Any] = json.loads(text)
        content, style, prefs = raw.pop("content"), raw.pop("style"), raw.pop("prefs")
        if prefs.get("quality") not in QUALITIES:  # written by another version, say
            prefs["quality"] = Prefs().quality
        photo = style.get("photo")
        return Job(
            **raw,
            content=Photo(**content),
            style=Style(slug=style.get("slug"), photo=Photo(**photo) if photo else None),
            prefs=Prefs(**prefs),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"unreadable job record: {exc}") from exc
