"""Suggestions: the photo tried in every gallery style, ranked (a job of kind `suggest`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile

from api.deps import CallerDep, StateDep
from api.models import JobOut, StyleOut, SuggestionOut, SuggestionsOut
from api.problems import Problem, job_not_found
from api.routes.jobs import CLIENT, DEFAULTS, ERRORS, image_response
from api.uploads import read_image
from jobs import Job, JobRequest, Owner
from jobs.i18n import N_
from jobs.model import SUGGEST_TOP as TOP

NOT_READY = N_("The suggestions are not ready yet.")
router = APIRouter(prefix="/v1/suggestions", tags=["suggestions"])


@router.post("", status_code=202, response_model=JobOut, responses=ERRORS)
async def suggest(
    s: StateDep, who: CallerDep, response: Response,
    content: Annotated[UploadFile, File(description="The photo to try the styles on")],
    strength: Annotated[float, Form(ge=0.0, le=1.0)] = DEFAULTS.strength,
) -> JobOut:  # fmt: skip
    """Start trying every gallery painting on `content`; follow it like any job, then read
    the ranked list at `/v1/suggestions/{id}`. About a second or two of work."""
    photo = await read_image(content, "content", s.settings.max_upload_bytes)
    params = DEFAULTS.with_(quality="instant", strength=strength)
    job, position = await s.service.submit(JobRequest(
        Owner(CLIENT, who), photo, [], params, kind="suggest",
        max_active=s.settings.api_max_active_jobs,
    ))  # fmt: skip
    response.headers["Location"] = f"/v1/suggestions/{job.id}"
    last, _ = await s.service.latest(job.id)
    return JobOut.of(job, position, last)


@router.get("/{job_id}", response_model=SuggestionsOut, responses=ERRORS)
async def suggestions(job_id: str, s: StateDep) -> SuggestionsOut:
    """The ranked paintings with a tile of the photo in each (empty until the job is done)."""
    job = await _suggestion(s, job_id)
    base = f"/v1/suggestions/{job.id}"
    if job.result is None:
        return SuggestionsOut(id=job.id, state=job.state, sheet_url=None, suggestions=[])
    entries = {e.slug: e for e in s.catalog}
    ranked = [
        SuggestionOut(
            rank=n,
            score=r.score,
            top=n <= TOP,
            tile_url=f"{base}/tiles/{n}",
            style=StyleOut.of(entries[r.slug]),
        )
        for n, r in enumerate(job.result.ranking, start=1)
        if r.slug in entries  # a painting removed from the gallery since is left out
    ]
    return SuggestionsOut(id=job.id, state=job.state, sheet_url=f"{base}/sheet", suggestions=ranked)


@router.get("/{job_id}/sheet", response_class=Response, responses=ERRORS)
async def sheet(job_id: str, s: StateDep) -> Response:
    """Every tile on one numbered sheet, the best few framed."""
    job = await _suggestion(s, job_id)
    if job.result is None:
        raise Problem(409, "not_ready", NOT_READY)
    return await image_response(s, job.result.blob, "image/jpeg")


@router.get("/{job_id}/tiles/{rank}", response_class=Response, responses=ERRORS)
async def tile(job_id: str, rank: int, s: StateDep) -> Response:
    """The photo in the style ranked `rank` (1 = best)."""
    job = await _suggestion(s, job_id)
    if job.result is None:
        raise Problem(409, "not_ready", NOT_READY)
    if not 1 <= rank <= len(job.result.ranking):
        raise Problem(404, "no_such_tile", f"There are {len(job.result.ranking)} tiles.")
    ref = job.result.ranking[rank - 1].tile
    return await image_response(s, ref, "image/jpeg", {"Cache-Control": "private, max-age=3600"})


async def _suggestion(s: StateDep, job_id: str) -> Job:
    job = await s.service.get(job_id)
    if job.kind != "suggest":
        raise job_not_found()
    return job
