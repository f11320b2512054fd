"""Jobs: submit (a photo or a clip), look, follow (Server-Sent Events), fetch results, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Request, Response, UploadFile
from fastapi.responses import StreamingResponse

from api.deps import CallerDep, StateDep
from api.events import event_stream
from api.models import JobDefaultsOut, JobOut
from api.problems import Problem, ProblemOut, job_not_found
from api.uploads import read_content, read_image
from engine import Quality, StyleParams
from engine.params import MAX_SIZE, MIN_SIZE, QUALITIES
from jobs import Job, JobRequest, Owner
from jobs.blobs import BlobMissing
from jobs.i18n import N_
from jobs.model import default_quality

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])

CLIENT = "api"
MAX_STYLES = 4
DEFAULTS = StyleParams()
ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ProblemOut, "content": {"application/problem+json": {}}}
    for code in (404, 413, 415, 422, 429, 503)
}


async def _out(s: StateDep, job: Job) -> JobOut:
    last, _ = await s.service.latest(job.id)
    return JobOut.of(job, await s.service.position(job.id), last)


@router.post("", status_code=202, response_model=JobOut, responses=ERRORS)
async def submit(
    s: StateDep, who: CallerDep, response: Response,
    content: Annotated[UploadFile, File(
        description="The photo to repaint, or a clip: MP4, MOV, WebM or an animated GIF "
        "(up to 20 s and 1080p; the result is an MP4)")],
    style: Annotated[list[UploadFile] | None, File(description="Your own style image(s)")] = None,
    artist: Annotated[str | None, Form(description="A gallery name or slug", max_length=99)] = None,
    quality: Annotated[Quality | None, Form(
        description=f"Default {default_quality('image')} for a photo, "
        f"{default_quality('video')} for a clip")] = None,
    strength: Annotated[float, Form(ge=0.0, le=1.0)] = DEFAULTS.strength,
    preserve_colors: Annotated[bool, Form()] = False,
    seed: Annotated[int, Form(ge=0, le=2**31 - 1)] = 0,
    size: Annotated[int | None, Form(ge=MIN_SIZE, le=MAX_SIZE)] = None,
) -> JobOut:  # fmt: skip
    """Start a picture or a clip: `content` plus either `style` files or an `artist`."""
    limit = s.settings.max_upload_bytes
    photo, kind = await read_content(content, "content", limit)
    chosen: str | list[bytes] = _artist(s, artist) if not style else [
        await read_image(f, "style", limit) for f in style[:MAX_STYLES]
    ]  # fmt: skip
    quality = quality or default_quality(kind)
    params = StyleParams(quality=quality, strength=strength, preserve_colors=preserve_colors,
                         seed=seed, size=size)  # fmt: skip
    job, position = await s.service.submit(JobRequest(
        Owner(CLIENT, who), photo, chosen, params, kind=kind,
        max_active=s.settings.api_max_active_jobs,
    ))  # fmt: skip
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    last, _ = await s.service.latest(job.id)
    return JobOut.of(job, position, last)


def _artist(s: StateDep, artist: str | None) -> str:
    if not artist:
        raise Problem(422, "style_missing", N_("Choose an artist or upload a style image."))
    found = s.catalog.lookup(artist)
    if found.entry is None:
        names = ", ".join(e.artist for e in found.candidates[:3])
        hint = f" Did you mean: {names}?" if names else ""
        raise Problem(422, "unknown_artist", f"No painting in the gallery matches '{artist}'."
                      + hint)  # fmt: skip
    return found.entry.slug


@router.get("/defaults", response_model=JobDefaultsOut)
async def defaults() -> JobDefaultsOut:
    """The qualities, lowest first, and the one a job gets when none is chosen, by what it
    starts from (the page preselects it)."""
    return JobDefaultsOut(
        qualities=list(QUALITIES),
        quality={"image": default_quality("image"), "video": default_quality("video")},
    )


@router.get("/{job_id}", response_model=JobOut, responses=ERRORS)
async def get_job(job_id: str, s: StateDep) -> JobOut:
    """The job's state; its id is the capability to see it (no key needed)."""
    return await _out(s, await s.service.get(job_id))


@router.delete("/{job_id}", status_code=202, response_model=JobOut, responses=ERRORS)
async def cancel_job(job_id: str, s: StateDep) -> JobOut:
    """Cancel: at once if it waits, within one optimisation step if it runs."""
    return await _out(s, await s.service.cancel(job_id))


@router.get("/{job_id}/events", response_class=StreamingResponse, responses=ERRORS)
async def job_events(
    job_id: str, s: StateDep, request: Request,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:  # fmt: skip
    """Server-Sent Events: queued, started, progress, preview, done, failed, cancelled.

    The current state comes first; reconnect with Last-Event-ID to resume."""
    await s.service.get(job_id)  # 404 before the stream starts
    return StreamingResponse(
        event_stream(s.service, job_id, last_event_id, request),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/{job_id}/preview", response_class=Response, responses=ERRORS)
async def preview(job_id: str, s: StateDep) -> Response:
    """The latest preview, a JPEG (a picture's result once it is done; a clip's last frame
    shown)."""
    job = await s.service.get(job_id)
    if job.result is not None and not job.result.clip:
        return await image_response(s, job.result.blob, _result_type(job))
    _, shown = await s.service.latest(job_id)
    if shown is None or shown.blob is None:
        raise Problem(404, "no_preview", N_("There is no preview yet."))
    return await image_response(s, shown.blob, "image/jpeg")


@router.get("/{job_id}/result", response_class=Response, responses=ERRORS)
async def result(job_id: str, s: StateDep, download: bool = False) -> Response:
    job = await s.service.get(job_id)
    if job.result is None:
        detail = "The picture is not ready yet." if not job.ended else "This job made no picture."
        raise Problem(409, "not_ready" if not job.ended else "no_result", detail)
    media_type = _result_type(job)
    name = f"stylized-{job.id[:8]}.{media_type.split('/')[1]}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return await image_response(s, job.result.blob, media_type, headers if download else None)


def _result_type(job: Job) -> str:
    if job.result is not None and job.result.clip:
        return "video/mp4"
    return "image/jpeg" if job.kind == "suggest" else "image/png"  # a sheet is a JPEG


async def image_response(
    s: StateDep, ref: str, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    try:
        data = await s.service.blob(ref)
    except BlobMissing:
        raise job_not_found() from None
    return Response(data, media_type=media_type, headers=headers)
