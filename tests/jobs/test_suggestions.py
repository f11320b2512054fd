"""Suggestion jobs through the embedded service: every painting tried, ranked, kept."""

from __future__ import annotations

import json

import pytest

from engine import decode_image
from engine import suggest as suggest_module
from jobs import Job, JobRequest, JobService, Owner
from jobs.blobs import BlobMissing
from jobs.suggestions import FACTS_FILE, SHEET_TILE
from styles.catalog import default_catalog
from tests.helpers import SAMPLES
from tests.jobs.conftest import TINY, collect


def suggestion(user: str = "ann") -> JobRequest:
    photo = (SAMPLES / "cat.jpg").read_bytes()
    return JobRequest(Owner("test", user), photo, [], TINY, kind="suggest")


async def test_a_suggestion_ranks_the_whole_gallery(service: JobService) -> None:
    suggest_module._facts.clear()  # a fresh worker (earlier tests may have filled the cache)
    job, _ = await service.submit(suggestion())
    assert job.kind == "suggest" and job.style.whole_gallery
    events = await collect(service, job.id)
    assert events[-1].type == "done" and "progress" in [e.type for e in events]
    done = await service.get(job.id)
    assert done.result is not None
    ranking = done.result.ranking
    assert {r.slug for r in ranking} == {e.slug for e in default_catalog()}
    assert [r.score for r in ranking] == sorted((r.score for r in ranking), reverse=True)
    sheet = decode_image(await service.blob(done.result.blob))
    assert sheet.width == 6 * SHEET_TILE and (sheet.width, sheet.height) == (
        done.result.width, done.result.height,
    )  # fmt: skip
    tile = decode_image(await service.blob(ranking[0].tile))
    assert max(tile.size) == 192
    with pytest.raises(BlobMissing):
        await service.blob(job.content)  # the photo is gone once the job ends
    assert Job.from_json(done.to_json()) == done  # the ranking survives the journal
    facts = json.loads((service.settings.data_dir / "cache" / FACTS_FILE).read_text())
    assert len(facts) == len(default_catalog())  # kept for the worker's next start


async def test_the_same_photo_gets_the_same_order(service: JobService) -> None:
    orders = []
    for _ in range(2):
        job, _ = await service.submit(suggestion())
        await collect(service, job.id)
        result = (await service.get(job.id)).result
        assert result is not None
        orders.append([(r.slug, r.score) for r in result.ranking])
    assert orders[0] == orders[1]


async def test_a_picture_without_a_style_is_refused(service: JobService) -> None:
    with pytest.raises(ValueError):
        await service.submit(JobRequest(Owner("test", "ann"), b"x", [], TINY))
