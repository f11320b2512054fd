"""The job record and its one serialisation (JSON), used by every store and every mode."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

from engine import StyleParams
from engine.params import Quality

JobState = Literal["queued", "running", "done", "failed", "cancelled"]
# suggest: every gallery style tried on the photo; video: a clip (jobs/worker.py RUNNERS)
JobKind = Literal["image", "suggest", "video"]
ResultKind = Literal["image", "video", "animation"]  # a picture; MP4 with sound; MP4 without
TERMINAL: frozenset[JobState] = frozenset({"done", "failed", "cancelled"})
# A clip's quality unless one is chosen for it: every other quality optimises every frame,
# which only a GPU does in reasonable time.
CLIP_QUALITY: Quality = "instant"


def default_quality(kind: JobKind, photo: Quality | None = None) -> Quality:
    """The quality of a job nobody chose one for: CLIP_QUALITY for a clip, otherwise `photo`
    (a client's own default) or the engine's."""
    if kind == "video":
        return CLIP_QUALITY
    return photo or StyleParams().quality


def new_job_id() -> str:
    """128 random bits, URL-safe: the id is also the capability to see the job."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Owner:
    """Who asked: the client (`telegram`, `api`) and its own user id."""

    client: str
    user: str

    @property
    def key(self) -> str:
        return f"{self.client}:{self.user}"


@dataclass(frozen=True)
class StyleSource:
    """A gallery painting (slug), the user's own style images (blob references), or neither:
    the whole gallery (a suggestion job tries every painting)."""

    slug: str | None = None
    blobs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.slug is not None and self.blobs:
            raise ValueError("a style is either a gallery slug or uploaded images")

    @property
    def whole_gallery(self) -> bool:
        return self.slug is None and not self.blobs


@dataclass(frozen=True)
class JobRequest:
    """What a client hands in; the service stores the bytes and makes a `Job`."""

    owner: Owner
    content: bytes
    style: str | list[bytes]  # a gallery slug or the style images' bytes ([] to suggest)
    params: StyleParams = field(default_factory=StyleParams)
    reply: str = ""  # opaque to the service: the client's own notes (chat ids, ...)
    kind: JobKind = "image"
    id: str = field(default_factory=new_job_id)  # a client may name the job beforehand
    max_active: int = 1  # jobs its owner may have waiting or running at once


@dataclass(frozen=True)
class JobError:
    code: str  # stable, for programs: an ErrorCode (jobs/errors.py), kept as read
    message: str  # a sentence fit to show a person


SUGGEST_TOP = 3  # the best suggestions, framed on the sheet; "Surprise me" picks among them


@dataclass(frozen=True)
class Ranked:
    """One gallery painting tried on the photo by a suggestion job: its tile and score."""

    slug: str
    score: float
    tile: str  # blob reference of the photo painted in this style


@dataclass(frozen=True)
class JobResult:
    blob: str  # the picture; for a suggestion, the numbered sheet of tiles
    width: int
    height: int
    seconds: float  # engine time
    finished: bool  # False when the time budget cut the run short
    ranking: tuple[Ranked, ...] = ()  # suggestion jobs: best first
    kind: ResultKind = "image"
    frames: int | None = None  # video and animation: frame count,
    duration: float | None = None  # seconds,
    audio: bool | None = None  # and whether the input's sound is in it

    @property
    def clip(self) -> bool:
        """An MP4 (video or animation), not a picture."""
        return self.kind != "image"


@dataclass(frozen=True)
class Job:
    owner: Owner
    content: str  # blob reference
    style: StyleSource
    params: StyleParams
    reply: str = ""
    kind: JobKind = "image"
    id: str = field(default_factory=new_job_id)
    state: JobState = "queued"
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    ended_at: float | None = None
    attempts: int = 0  # runs started that did not end it, the current one included
    not_before: float = 0.0  # wall-clock time a retry may start
    result: JobResult | None = None
    error: JobError | None = None
    settled: bool = False  # its client has dealt with the end (e.g. the picture was sent)

    @property
    def ended(self) -> bool:
        return self.state in TERMINAL

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.content, *self.style.blobs)

    def but(self, **changes: Any) -> Job:
        return replace(self, **changes)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> Job:
        """The inverse of to_json; ValueError on a record it can't read."""
        try:
            raw: dict[str, Any] = json.loads(text)
            raw["owner"] = Owner(**raw["owner"])
            style = raw["style"]
            raw["style"] = StyleSource(style.get("slug"), tuple(style.get("blobs", ())))
            raw["params"] = _params(raw["params"])
            raw["result"] = _result(raw["result"]) if raw.get("result") else None
            raw["error"] = JobError(**raw["error"]) if raw.get("error") else None
            known = {f.name for f in fields(cls)}
            return cls(**{k: v for k, v in raw.items() if k in known})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"unreadable job record: {exc}") from exc


def _result(raw: dict[str, Any]) -> JobResult:
    ranking = tuple(Ranked(**r) for r in raw.pop("ranking", ()))
    return JobResult(**raw, ranking=ranking)


def _params(raw: dict[str, Any]) -> StyleParams:
    """StyleParams from JSON: lists back to tuples, fields of other versions ignored."""
    known = {f.name for f in fields(StyleParams)}
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in known
    }
    return StyleParams(**values)
