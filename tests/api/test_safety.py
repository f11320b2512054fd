"""Hostile and odd input, keys, limits, CORS: each refused clearly while the server serves."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from tests.api.conftest import StartApi, photo, submit
from tests.images import heic_like, png_header


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 422, "bad_image"),
        (b"<html>hello</html>", 415, "unsupported_image"),
        (photo()[:300], 422, "bad_image"),
        (png_header(50_000, 50_000), 413, "too_large"),
        (heic_like(), 415, "unsupported_image"),
        (photo(5000, 4), 422, "bad_image"),
    ],
    ids=["empty", "html", "truncated jpeg", "bomb", "heic", "thin strip"],
)
async def test_bad_uploads_are_refused_clearly(
    api: httpx.AsyncClient, data: bytes, status: int, code: str
) -> None:
    response = await api.post(
        "/v1/jobs", data={"artist": "monet"}, files={"content": ("x.jpg", data)}
    )
    assert response.status_code == status, response.text
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert body["code"] == code and body["detail"].startswith("content: ")
    assert (await api.get("/healthz")).status_code == 200  # still serving


async def test_odd_but_valid_images_are_taken(api: httpx.AsyncClient) -> None:
    for mode in ("RGBA", "P", "L", "CMYK"):
        buffer = io.BytesIO()
        Image.new(mode, (40, 30)).save(buffer, "TIFF" if mode == "CMYK" else "PNG")
        response = await api.post(
            "/v1/jobs", data={"artist": "monet", "size": "32"},
            files={"content": ("x", buffer.getvalue())},
        )  # fmt: skip
        assert response.status_code == 202, (mode, response.text)
        await api.delete(response.headers["location"])


async def test_a_file_over_the_byte_limit(start_api: StartApi) -> None:
    api = await start_api(max_upload_mb=1)
    big = b"\xff\xd8" + b"0" * (1024 * 1024 + 10)
    response = await api.post("/v1/jobs", data={"artist": "monet"},
                              files={"content": ("big.jpg", big)})  # fmt: skip
    assert response.status_code == 413 and response.json()["code"] == "too_large"


async def test_form_mistakes(api: httpx.AsyncClient) -> None:
    no_style = await api.post("/v1/jobs", files={"content": ("a.jpg", photo())})
    assert no_style.status_code == 422 and no_style.json()["code"] == "style_missing"
    unknown = await submit(api, artist="zzzzqqq")
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_artist"
    bad = await submit(api, strength="7")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
    assert "strength" in bad.json()["detail"]


async def test_api_keys(start_api: StartApi) -> None:
    api = await start_api(api_keys="k-one, k-two")
    refused = await submit(api)
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    api.headers["X-API-Key"] = "k-two"
    accepted = await submit(api)
    assert accepted.status_code == 202
    # The job id alone is the capability to follow it.
    assert (await httpx.AsyncClient(base_url=str(api.base_url)).get(
        accepted.headers["location"])).status_code == 200  # fmt: skip


async def test_request_limit_per_caller(start_api: StartApi) -> None:
    api = await start_api(api_requests_per_minute=2, embedded_workers=0, api_max_active_jobs=9)
    assert [(await submit(api)).status_code for _ in range(2)] == [202, 202]
    third = await submit(api)
    assert third.status_code == 429 and third.json()["code"] == "rate_limited"
    assert int(third.headers["retry-after"]) >= 1


async def test_cors_is_closed_unless_configured(start_api: StartApi) -> None:
    api = await start_api()
    closed = await api.get("/v1/styles", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in closed.headers
    other = await start_api(cors_origins="https://app.example")
    opened = await other.get("/v1/styles", headers={"Origin": "https://app.example"})
    assert opened.headers["access-control-allow-origin"] == "https://app.example"
