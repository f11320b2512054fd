"""One job through the engine: a plain function per job kind, called by every kind of worker.

`jobs/worker.py` picks the function by `Job.kind` (`RUNNERS`): here an image
(`run_image_job`) or a clip (`run_video_job`). Each reads the inputs from the blob store,
reports progress and previews as events (throttled here, once for every client: they may
cross a network, and a person reads them), and stores the result. Errors are the engine's
own (`EngineError`, with a message fit for a person) or `BlobMissing`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from engine import Progress, decode_image, encode_image, stylize
from engine.errors import EngineError
from jobs.blobs import BlobStore
from jobs.events import Event
from jobs.model import Job, JobResult
from jobs.settings import Device
from jobs.throttle import Throttle
from styles.catalog import Catalog

PROGRESS_EVERY = 0.5  # seconds between two progress events (the last step always has one)
PREVIEW_SIDE = 512  # previews are for looking at while waiting, not for keeping
MAX_STYLE_BYTES = 50 * 1024 * 1024

Emit = Callable[[Event], object]
Runner = Callable[["Job", "RunContext", Emit, Callable[[], bool]], JobResult]


@dataclass(frozen=True)
class RunContext:
    blobs: BlobStore
    catalog: Catalog
    device: Device = "auto"
    time_budget: float | None = None
    preview_interval: float = 4.0
    cache_dir: Path | None = None  # what workers may keep between runs (the paintings' facts)


class StyleMissing(EngineError):
    def __init__(self) -> None:
        super().__init__("That painting is no longer in the gallery. Please pick another one.")


def load_inputs(job: Job, ctx: RunContext) -> tuple[Image.Image, list[Image.Image]]:
    return decode_image(ctx.blobs.get(job.content)), load_styles(job, ctx)


def load_styles(job: Job, ctx: RunContext) -> list[Image.Image]:
    if job.style.slug is None:
        return [decode_image(ctx.blobs.get(ref)) for ref in job.style.blobs]
    try:
        path = ctx.catalog.get(job.style.slug).path
    except KeyError:
        raise StyleMissing() from None
    return [decode_image(path, max_bytes=MAX_STYLE_BYTES)]


class _Reporter:
    """Turns the engine's per-step reports into a few events (jobs/throttle.py)."""

    def __init__(self, job: Job, ctx: RunContext, emit: Emit) -> None:
        self.job, self.ctx, self.emit = job, ctx, emit
        self.progress = Throttle(PROGRESS_EVERY)
        self.previews = Throttle(ctx.preview_interval)

    def __call__(self, progress: Progress) -> None:
        if progress.preview is not None and self.previews.ready():
            small = progress.preview.copy()
            small.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
            ref = self.ctx.blobs.put(encode_image(small, "JPEG", quality=85), "preview")
            self.emit(Event("preview", self.job.id, blob=ref, fraction=progress.fraction))
        if self.progress.ready(force=progress.fraction >= 1.0):
            self.emit(Event("progress", self.job.id, fraction=progress.fraction, eta=progress.eta))


def run_image_job(
    job: Job, ctx: RunContext, emit: Emit, should_cancel: Callable[[], bool]
) -> JobResult:
    """Stylise `job`'s inputs; raises Cancelled when `should_cancel()` turns true."""
    content, styles = load_inputs(job, ctx)
    params = job.params.with_(device=ctx.device, preview_every=1)
    result = stylize(
        content, styles, params, on_progress=_Reporter(job, ctx, emit),
        should_cancel=should_cancel, time_budget=ctx.time_budget,
    )  # fmt: skip
    image = result.image
    ref = ctx.blobs.put(encode_image(image, "PNG"), "result")
    return JobResult(ref, image.width, image.height, round(result.seconds, 3), result.finished)


def run_video_job(
    job: Job, ctx: RunContext, emit: Emit, should_cancel: Callable[[], bool]
) -> JobResult:
    """Stylise `job`'s clip into an MP4; the time budget stops refinement, not the clip."""
    from engine.video import stylize_video  # PyAV and OpenCV: only workers that run clips

    styles = load_styles(job, ctx)
    params = job.params.with_(device=ctx.device)
    with tempfile.TemporaryDirectory(prefix="clip-") as folder:
        source, output = Path(folder) / "in", Path(folder) / "out.mp4"
        source.write_bytes(ctx.blobs.get(job.content))
        result = stylize_video(
            source, styles, output, params, on_progress=_Reporter(job, ctx, emit),
            should_cancel=should_cancel, time_budget=ctx.time_budget,
        )  # fmt: skip
        ref = ctx.blobs.put(output.read_bytes(), "result")
    return JobResult(
        ref, result.width, result.height, round(result.seconds, 3), result.finished,
        kind="animation" if result.animation else "video", frames=result.frames,
        duration=round(result.duration, 3), audio=result.audio,
    )  # fmt: skip
