"""Suggestions over HTTP: a real uvicorn server, the whole gallery tried on a photo."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from styles.catalog import default_catalog
from tests.api.conftest import photo, sse_events, submit


async def test_suggest_ranks_the_gallery_with_tiles(api: httpx.AsyncClient) -> None:
    response = await api.post("/v1/suggestions", files={"content": ("cat.jpg", photo())})
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["kind"] == "suggest" and response.headers["Location"].endswith(job["id"])
    assert (await sse_events(api, job["id"]))[-1]["event"] == "done"
    body = (await api.get(response.headers["Location"])).json()
    ranked = body["suggestions"]
    assert body["state"] == "done" and len(ranked) == len(default_catalog())
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    assert [r["top"] for r in ranked[:4]] == [True, True, True, False]
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    tile = await api.get(ranked[0]["tile_url"])
    assert tile.headers["content-type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(tile.content)).size) == 192
    sheet = await api.get(body["sheet_url"])
    assert sheet.status_code == 200 and Image.open(io.BytesIO(sheet.content)).format == "JPEG"
    missing = await api.get(f"/v1/suggestions/{job['id']}/tiles/{len(ranked) + 1}")
    assert missing.status_code == 404 and missing.json()["code"] == "no_such_tile"


async def test_a_picture_job_is_not_a_suggestion(api: httpx.AsyncClient) -> None:
    job = (await submit(api)).json()
    response = await api.get(f"/v1/suggestions/{job['id']}")
    assert response.status_code == 404 and response.json()["code"] == "job_not_found"


async def test_a_broken_photo_is_refused_before_any_work(api: httpx.AsyncClient) -> None:
    response = await api.post("/v1/suggestions", files={"content": ("x.jpg", b"not a photo")})
    assert response.status_code in (415, 422)
    assert response.headers["content-type"].startswith("application/problem+json")
