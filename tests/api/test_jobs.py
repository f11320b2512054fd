"""The API end to end over HTTP: submit, follow with SSE, fetch images, cancel."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.api.conftest import StartApi, photo, sse_events, submit


async def test_submit_follow_and_download(api: httpx.AsyncClient) -> None:
    response = await submit(api)
    assert response.status_code == 202
    job = response.json()
    assert response.headers["location"] == f"/v1/jobs/{job['id']}"
    assert job["state"] in ("queued", "running") and len(job["id"]) >= 22
    events = await sse_events(api, job["id"])
    kinds = [e["event"] for e in events]
    assert kinds[0] in ("queued", "started", "progress") and kinds[-1] == "done"
    assert "preview" in kinds or kinds[0] != "queued"
    done = (await api.get(f"/v1/jobs/{job['id']}")).json()
    assert done["state"] == "done" and done["progress"] == 1.0
    assert done["result"]["width"] == 32
    result = await api.get(done["links"]["result"], params={"download": 1})
    assert result.headers["content-type"] == "image/png"
    assert "attachment" in result.headers["content-disposition"]
    assert Image.open(io.BytesIO(result.content)).size == (32, 24)
    preview = await api.get(done["links"]["preview"])
    assert preview.status_code == 200


async def test_own_style_image(api: httpx.AsyncClient) -> None:
    files = [("content", ("a.jpg", photo())), ("style", ("s.png", photo(64, 64, "PNG")))]
    response = await api.post("/v1/jobs", data={"quality": "fast", "size": "32"}, files=files)
    assert response.status_code == 202, response.text
    assert (await sse_events(api, response.json()["id"]))[-1]["event"] == "done"


async def test_events_resume_after_last_event_id(api: httpx.AsyncClient) -> None:
    job_id = (await submit(api)).json()["id"]
    first = await sse_events(api, job_id)
    replay = await sse_events(api, job_id, last_id=first[0]["id"])
    assert [e["id"] for e in replay] == [e["id"] for e in first[1:]]
    again = await sse_events(api, job_id)
    assert [e["event"] for e in again] == ["done"]  # the current state first, then the end


async def test_cancel_a_running_job(api: httpx.AsyncClient) -> None:
    job_id = (await submit(api, size="256")).json()["id"]
    async with api.stream("GET", f"/v1/jobs/{job_id}/events") as stream:
        async for line in stream.aiter_lines():
            if line == "event: progress":
                break
    cancelled = await api.delete(f"/v1/jobs/{job_id}")
    assert cancelled.status_code == 202
    events = await sse_events(api, job_id)
    assert events[-1]["event"] == "cancelled"
    result = await api.get(f"/v1/jobs/{job_id}/result")
    assert result.status_code == 409 and result.json()["code"] == "no_result"


async def test_one_caller_may_have_a_limited_number_of_jobs(start_api: StartApi) -> None:
    api = await start_api(api_max_active_jobs=1, embedded_workers=0)
    assert (await submit(api)).status_code == 202
    second = await submit(api)
    assert second.status_code == 429 and second.json()["code"] == "too_many_jobs"
    assert second.headers["content-type"] == "application/problem+json"


async def test_a_full_queue_says_so(start_api: StartApi) -> None:
    api = await start_api(queue_size=1, embedded_workers=0, api_max_active_jobs=5)
    assert (await submit(api)).status_code == 202
    full = await submit(api)
    assert full.status_code == 503 and full.json()["code"] == "queue_full"
    assert full.headers["retry-after"]


async def test_unknown_jobs_and_unready_results(start_api: StartApi) -> None:
    api = await start_api(embedded_workers=0)
    missing = await api.get("/v1/jobs/not-a-job")
    assert missing.status_code == 404 and missing.json()["code"] == "job_not_found"
    job_id = (await submit(api)).json()["id"]
    waiting = await api.get(f"/v1/jobs/{job_id}")
    assert waiting.json()["position"] == 0
    assert (await api.get(f"/v1/jobs/{job_id}/result")).json()["code"] == "not_ready"
    assert (await api.get(f"/v1/jobs/{job_id}/preview")).json()["code"] == "no_preview"
