"""A suggestion job: the photo painted in every gallery style as tiles, ranked, drawn on one
numbered sheet. A plain function like `run_image_job`, called by every kind of worker.

The result's blob is the sheet (JPEG); `ranking` lists every painting best first with its
tile's blob, so a client can show the tiles itself (the page) or the sheet (the bot).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PIL import Image

from engine import decode_image, encode_image
from engine.suggest import Candidate, SuggestParams, load_facts, missing, save_facts, suggest
from jobs.events import Event
from jobs.model import SUGGEST_TOP, Job, JobResult, Ranked
from jobs.runner import PROGRESS_EVERY, Emit, RunContext
from styles.catalog import Catalog, StyleEntry
from styles.ranked_sheet import ranked_sheet

SHEET_TILE = 192
STYLE_DRAFT = 512  # paintings are read at about this size: the network looks at 256 px
FACTS_FILE = "style-facts.json"  # the paintings' style vectors and colours, under cache_dir


def gallery_candidates(catalog: Catalog) -> list[Candidate]:
    return [Candidate(entry.slug, partial(_painting, entry), _version(entry)) for entry in catalog]


def _version(entry: StyleEntry) -> str:
    stat = entry.path.stat()
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def _cached_facts(candidates: list[Candidate], cache_dir: Path | None) -> Callable[[], None]:
    """Style facts from the cache file when this process lacks them (the first suggestion
    after a start then costs no more than the next); returns what saves new ones."""
    path = cache_dir / FACTS_FILE if cache_dir is not None else None
    if path is not None and missing(candidates):
        load_facts(path)
    before = missing(candidates)

    def save() -> None:
        if path is not None and before and not missing(candidates):
            save_facts(path, candidates)

    return save


def _painting(entry: StyleEntry) -> Image.Image:
    with Image.open(entry.path) as image:
        image.draft("RGB", (STYLE_DRAFT, STYLE_DRAFT))  # JPEG: decode at a reduced scale
        return image.convert("RGB")


def run_suggest_job(
    job: Job, ctx: RunContext, emit: Emit, should_cancel: Callable[[], bool]
) -> JobResult:
    """Rank every gallery painting for the job's photo; raises Cancelled if asked to stop."""
    start = time.monotonic()
    photo = decode_image(ctx.blobs.get(job.content))
    params = SuggestParams(strength=job.params.strength, cuda=ctx.device == "cuda")
    candidates = gallery_candidates(ctx.catalog)
    save = _cached_facts(candidates, ctx.cache_dir)
    ranked = suggest(
        photo, candidates, params, should_cancel=should_cancel, on_tile=_progress(job, emit)
    )
    save()
    entries = {e.slug: e for e in ctx.catalog}
    sheet = ranked_sheet(
        [(entries[s.key], s.tile) for s in ranked], marked=SUGGEST_TOP, tile=SHEET_TILE
    )
    ranking = tuple(
        Ranked(s.key, s.score, ctx.blobs.put(encode_image(s.tile, "JPEG", quality=85), "result"))
        for s in ranked
    )
    ref = ctx.blobs.put(encode_image(sheet, "JPEG", quality=88), "result")
    seconds = round(time.monotonic() - start, 3)
    return JobResult(ref, sheet.width, sheet.height, seconds, True, ranking=ranking)


def _progress(job: Job, emit: Emit) -> Callable[[int, int], None]:
    last = 0.0

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or done == total:
            last = now
            emit(Event("progress", job.id, fraction=done / total))

    return report
