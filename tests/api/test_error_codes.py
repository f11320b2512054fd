"""Every code of the job service has its HTTP meaning; the page learns the clip quality."""

from __future__ import annotations

import httpx

from api.problems import HTTP, job_problem
from jobs.errors import ErrorCode


def test_every_code_has_an_http_status() -> None:
    missing = [code for code in ErrorCode if code not in HTTP]
    assert missing == []
    assert all(400 <= HTTP[code].status < 600 for code in ErrorCode)


def test_a_refusal_says_when_to_try_again() -> None:
    busy = job_problem(ErrorCode.TOO_MANY_JOBS)
    assert (busy.status, busy.code, busy.headers) == (429, "too_many_jobs", {"Retry-After": "10"})
    assert busy.detail  # the table's sentence
    large = job_problem(ErrorCode.TOO_LARGE, "content: too large")
    assert (large.status, large.detail, large.headers) == (413, "content: too large", None)


async def test_defaults_name_the_clip_quality(api: httpx.AsyncClient) -> None:
    response = await api.get("/v1/jobs/defaults")
    assert response.status_code == 200
    body = response.json()
    assert body["quality"] == {"image": "balanced", "video": "instant"}
    assert body["qualities"] == ["instant", "fast", "balanced", "high"]


async def test_a_refusal_reads_in_the_pages_language(api: httpx.AsyncClient) -> None:
    """The page shows a problem's detail through the catalogue the API serves: each fixed
    sentence of the table has its Russian text there."""
    served = (await api.get("/v1/messages/ru")).json()
    sentences = {HTTP[code].detail for code in ErrorCode if HTTP[code].detail}
    assert sentences and all(served.get(sentence) for sentence in sentences)
    missing = await api.get("/v1/jobs/0123456789abcdefghijkl")
    assert missing.status_code == 404 and served.get(missing.json()["detail"])
