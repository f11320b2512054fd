"""Request and response bodies, with examples for the OpenAPI page at /docs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from engine.params import Quality
from jobs import Event, Job
from styles.catalog import StyleEntry

JobStateOut = Literal["queued", "running", "done", "failed", "cancelled"]


class StyleOut(BaseModel):
    slug: str = Field(examples=["van-gogh"])
    artist: str = Field(examples=["Vincent van Gogh"])
    artist_ru: str = Field(examples=["Винсент Ван Гог"])
    title: str = Field(examples=["The Starry Night"])
    title_ru: str = Field(examples=["Звёздная ночь"])
    year: str = Field(examples=["1889"])
    category: str = Field(examples=["painting"])
    category_label: dict[str, str] = Field(examples=[{"en": "Painting", "ru": "Живопись"}])
    label: dict[str, str]
    thumbnail_url: str = Field(examples=["/v1/styles/van-gogh/thumbnail"])

    @classmethod
    def of(cls, entry: StyleEntry) -> StyleOut:
        info = entry.category_info
        return cls(
            slug=entry.slug, artist=entry.artist, artist_ru=entry.artist_ru or entry.artist,
            title=entry.title, title_ru=entry.title_ru or entry.title, year=entry.year,
            category=entry.category, category_label={"en": info.en, "ru": info.ru},
            label={"en": entry.label, "ru": entry.label_ru},
            thumbnail_url=f"/v1/styles/{entry.slug}/thumbnail",
        )  # fmt: skip


class StyleList(BaseModel):
    styles: list[StyleOut]
    categories: list[dict[str, str]]


class LookupOut(BaseModel):
    query: str
    match: StyleOut | None
    candidates: list[StyleOut]


class JobDefaultsOut(BaseModel):
    qualities: list[Quality] = Field(examples=[["instant", "fast", "balanced", "high"]])
    quality: dict[Literal["image", "video"], Quality] = Field(
        examples=[{"image": "balanced", "video": "instant"}],
        description="The quality a job gets when none is chosen: a photo's, a clip's",
    )


class ErrorOut(BaseModel):
    code: str = Field(examples=["bad_input"], description="Stable, for programs (ErrorCode)")
    message: str


class ResultOut(BaseModel):
    width: int
    height: int
    seconds: float
    finished: bool
    kind: Literal["image", "video", "animation"] = Field(
        "image",
        description="image: PNG; video: MP4 with the clip's sound; animation: MP4 "
        "without sound (a GIF or a silent clip)",
    )
    frames: int | None = Field(None, description="Clips: frame count, as the input's")
    duration: float | None = Field(None, description="Clips: seconds, as the input's")
    audio: bool | None = Field(None, description="Clips: whether the input's sound is in it")


class JobOut(BaseModel):
    id: str = Field(examples=["kV3q0m2n2yJX1ycQ8pG8xg"])
    kind: Literal["image", "suggest", "video"] = "image"
    state: JobStateOut
    position: int | None = Field(None, description="Jobs ahead while it waits (0: starts now)")
    progress: float | None = Field(None, examples=[0.42])
    eta_seconds: float | None = None
    attempts: int
    created_at: float
    started_at: float | None
    ended_at: float | None
    error: ErrorOut | None
    result: ResultOut | None
    links: dict[str, str]

    @classmethod
    def of(cls, job: Job, position: int | None, last: Event | None) -> JobOut:
        progress = last.fraction if last is not None and last.type == "progress" else None
        eta = last.eta if last is not None and last.type == "progress" else None
        base = f"/v1/jobs/{job.id}"
        links = {"self": base, "events": f"{base}/events", "preview": f"{base}/preview",
                 "result": f"{base}/result"}  # fmt: skip
        if job.kind == "suggest":
            links["suggestions"] = f"/v1/suggestions/{job.id}"
        return cls(
            id=job.id, kind=job.kind, state=job.state, position=position,
            progress=1.0 if job.state == "done" else progress, eta_seconds=eta,
            attempts=job.attempts, created_at=job.created_at, started_at=job.started_at,
            ended_at=job.ended_at,
            error=ErrorOut(code=job.error.code, message=job.error.message) if job.error else None,
            result=ResultOut(**{k: getattr(job.result, k) for k in ResultOut.model_fields})
            if job.result else None,
            links=links,
        )  # fmt: skip


class SuggestionOut(BaseModel):
    rank: int = Field(examples=[1], description="1 is the best fit")
    score: float = Field(examples=[0.81], description="0..1, see docs/SUGGEST.md")
    top: bool = Field(description="One of the few marked best (what 'Surprise me' picks among)")
    tile_url: str = Field(examples=["/v1/suggestions/kV3q0m2n2yJX1ycQ8pG8xg/tiles/1"])
    style: StyleOut


class SuggestionsOut(BaseModel):
    id: str
    state: JobStateOut
    sheet_url: str | None = Field(None, description="All tiles on one numbered sheet (JPEG)")
    suggestions: list[SuggestionOut] = Field(description="Best first; empty until done")
