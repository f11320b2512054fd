"""The gallery endpoints, health, readiness, metrics and the OpenAPI description."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.api.conftest import sse_events, submit


async def test_gallery_lists_every_painting_with_both_languages(api: httpx.AsyncClient) -> None:
    body = (await api.get("/v1/styles")).json()
    styles = {s["slug"]: s for s in body["styles"]}
    assert len(styles) >= 25
    gogh = styles["van-gogh"]
    assert gogh["artist"] == "Vincent van Gogh" and gogh["artist_ru"] != gogh["artist"]
    assert gogh["category_label"] == {"en": "Painting", "ru": "Живопись"}
    assert {c["slug"] for c in body["categories"]} >= {"painting", "ukiyo-e", "mosaic"}
    thumb = await api.get(gogh["thumbnail_url"])
    assert thumb.headers["content-type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumb.content)).size) <= 320
    only = (await api.get("/v1/styles", params={"category": "mosaic"})).json()["styles"]
    assert only and all(s["category"] == "mosaic" for s in only)


async def test_forgiving_lookup(api: httpx.AsyncClient) -> None:
    found = (await api.get("/v1/styles/lookup", params={"q": "ван гог"})).json()
    assert found["match"]["slug"] == "van-gogh"
    typo = (await api.get("/v1/styles/lookup", params={"q": "monett"})).json()
    assert typo["match"]["slug"].startswith("monet")
    missing = await api.get("/v1/styles/nope/thumbnail")
    assert missing.status_code == 404 and missing.json()["code"] == "style_not_found"


async def test_health_readiness_metrics(api: httpx.AsyncClient) -> None:
    assert (await api.get("/healthz")).json() == {"status": "ok"}
    ready = await api.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"store": True, "weights": True}
    engine_runs = 'stylize_engine_seconds_count{quality="fast"}'
    before = metric(await api.get("/metrics"), engine_runs)
    job_id = (await submit(api)).json()["id"]
    await sse_events(api, job_id)
    after = await api.get("/metrics")
    assert metric(after, 'stylize_jobs{state="done"}') == 1  # this server's store
    assert metric(after, "stylize_queue_length") == 0
    assert metric(after, engine_runs) == before + 1  # the registry is the process's


def metric(response: httpx.Response, name: str) -> float:
    for line in response.text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


async def test_openapi_and_docs(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/openapi.json")).json()
    assert {"/v1/jobs", "/v1/jobs/{job_id}/events", "/v1/styles"} <= set(spec["paths"])
    assert (await api.get("/docs")).status_code == 200
    page = await api.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
