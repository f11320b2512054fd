"""The API in distributed mode: a real uvicorn server queueing on a real Redis, the job run by
a real `stylize-worker` process; progress and the result travel back through Redis."""

from __future__ import annotations

import io

from PIL import Image

from jobs.distributed_settings import DistributedSettings
from tests.api.conftest import api_settings, serving, sse_events, submit
from tests.jobs.distributed.conftest import (  # noqa: F401  (fixtures)
    Workers,
    redis_server,
    settings,
    workers,
)


async def test_a_job_through_redis_and_a_worker(
    settings: DistributedSettings, workers: Workers  # noqa: F811
) -> None:
    workers.start("w1")
    api = api_settings(settings.data_dir / "api", broker_url=settings.broker_url)
    async with serving(api) as client:
        assert (await client.get("/readyz")).status_code == 200
        response = await submit(client)
        assert response.status_code == 202, response.text
        events = await sse_events(client, response.json()["id"])
        assert [e["event"] for e in events][-1] == "done"
        assert "progress" in [e["event"] for e in events]
        result = await client.get(f"/v1/jobs/{response.json()['id']}/result")
        assert Image.open(io.BytesIO(result.content)).size == (32, 24)
        stopped = await submit(client, size="256")
        job_id = stopped.json()["id"]
        async with client.stream("GET", f"/v1/jobs/{job_id}/events") as stream:
            async for line in stream.aiter_lines():
                if line == "event: progress":
                    break
        await client.delete(f"/v1/jobs/{job_id}")
        assert (await sse_events(client, job_id))[-1]["event"] == "cancelled"
