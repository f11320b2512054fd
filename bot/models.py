"""Plain records shared by the handlers, the store and the deliveries.

They hold Telegram ids and choices, never image bytes. The bot has no job model of its own:
a job is the job service's (`jobs.model.Job`: what is painted, how, how far it is). The bot
keeps a `Ticket` on it: where to answer, and the Telegram files it was made from. The ticket
travels in the job's opaque `reply` field, so the bot picks up every job again after a
restart. An `Order` is a job the bot is about to ask for (and, once it is done, the template
of a re-run); a `Tracked` is a job it follows: the service's record with its ticket.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Literal

from engine import QUALITIES, Quality, StyleParams
from jobs.model import Job, JobKind, new_job_id

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

    @classmethod
    def of(cls, params: StyleParams) -> Prefs:
        """The choices a job was made with (the job service keeps them in its params)."""
        return cls(params.quality, params.strength, params.preserve_colors)

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
class Ticket:
    """The bot's side of one job: what the job service neither knows nor needs."""

    chat_id: int
    user_id: int
    user_name: str
    reply_to: int  # the person's content message: the result replies to it
    content: Photo  # Telegram's file, fetched again for a re-run
    style_photo: Photo | None = None  # the person's own style image, likewise
    status_message_id: int | None = None  # the one progress message of the job
    lang: str = "en"  # the owner's language (bot/i18n.py), for every message about it

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Ticket:
        """The inverse of to_json; ValueError on a record it can't read."""
        try:
            raw: dict[str, Any] = json.loads(text)
            style = raw.get("style") or {}  # an older version's record: its style's photo
            photo = raw.get("style_photo") or style.get("photo")
            known = {f.name for f in fields(cls)} - {"content", "style_photo"}
            return cls(
                **{k: v for k, v in raw.items() if k in known},
                content=Photo(**raw["content"]),
                style_photo=Photo(**photo) if photo else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"unreadable ticket: {exc}") from exc


class _OnTicket:
    """Where a job is answered, read from its ticket."""

    ticket: Ticket

    @property
    def chat_id(self) -> int:
        return self.ticket.chat_id

    @property
    def user_id(self) -> int:
        return self.ticket.user_id

    @property
    def user_name(self) -> str:
        return self.ticket.user_name

    @property
    def reply_to(self) -> int:
        return self.ticket.reply_to

    @property
    def content(self) -> Photo:
        return self.ticket.content

    @property
    def status_message_id(self) -> int | None:
        return self.ticket.status_message_id

    @property
    def lang(self) -> str:
        return self.ticket.lang


@dataclass(frozen=True)
class Order(_OnTicket):
    """A job the bot is about to ask the job service for, in Telegram's terms: a gallery
    painting (`slug`), the person's own style (`ticket.style_photo`) or neither, which asks
    for suggestions from the whole gallery. Kept once done, as the template of a re-run."""

    ticket: Ticket
    slug: str | None
    prefs: Prefs
    id: str = field(default_factory=new_job_id)  # the job service's id, chosen beforehand

    def __post_init__(self) -> None:
        if self.slug is not None and self.ticket.style_photo is not None:
            raise ValueError("a style is either a gallery slug or a photo")

    @property
    def kind(self) -> JobKind:
        if self.slug is None and self.ticket.style_photo is None:
            return "suggest"
        return "video" if self.content.clip else "image"

    def again(self, lang: str, **changes: Any) -> Order:
        """A new job like this one (a re-run, a pick): a new id, its own progress message."""
        ticket = replace(self.ticket, status_message_id=None, lang=lang)
        return replace(self, ticket=ticket, id=new_job_id(), **changes)

    def with_status(self, message_id: int) -> Order:
        return replace(self, ticket=replace(self.ticket, status_message_id=message_id))

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Order:
        """The inverse of to_json; ValueError on a record it can't read."""
        try:
            raw: dict[str, Any] = json.loads(text)
            prefs = raw["prefs"]
            if prefs.get("quality") not in QUALITIES:  # written by another version, say
                prefs["quality"] = Prefs().quality
            ticket = Ticket.from_json(json.dumps(raw["ticket"]))
            return cls(ticket, raw["slug"], Prefs(**prefs), raw["id"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"unreadable order: {exc}") from exc


@dataclass(frozen=True)
class Tracked(_OnTicket):
    """A job the bot asked for, as the job service keeps it, with the bot's ticket on it."""

    record: Job
    ticket: Ticket

    @classmethod
    def of(cls, record: Job) -> Tracked:
        """ValueError when the job's ticket can't be read."""
        return cls(record, Ticket.from_json(record.reply))

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def slug(self) -> str | None:
        return self.record.style.slug

    @property
    def kind(self) -> JobKind:
        return self.record.kind

    @property
    def prefs(self) -> Prefs:
        return Prefs.of(self.record.params)

    @property
    def created_at(self) -> float:
        return self.record.created_at

    def order(self) -> Order:
        """What made it, to make it again (the template of a re-run)."""
        ticket = replace(self.ticket, status_message_id=None)
        return Order(ticket, self.slug, self.prefs, self.id)


# Either: what the messages about a job need (its chat, language, painting, choices).
AnyJob = Order | Tracked
