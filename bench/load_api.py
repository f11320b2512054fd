"""The API under load: many clients, each with its own key, submitting jobs at once while
a prober asks /healthz. tests/api/test_load.py asserts that nothing is lost; `python -m
bench.load_api [--clients N] [--jobs N]` runs it on a real uvicorn server on loopback and
prints the figures (the /healthz latencies among them)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.api.conftest import api_settings, photo, serving, sse_events

PROBE_EVERY = 0.05  # seconds between two /healthz probes


@dataclass
class LoadReport:
    clients: int
    jobs_each: int
    submitted: Counter[int] = field(default_factory=Counter)  # HTTP status -> count
    ended: Counter[str] = field(default_factory=Counter)  # done / failed / cancelled
    unanswered: int = 0  # a submission with no answer, or an accepted job with no end
    health_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def lost(self) -> int:
        return self.unanswered + self.submitted[202] - sum(self.ended.values())

    @property
    def health_p99_ms(self) -> float:
        ordered = sorted(self.health_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0

    def lines(self) -> list[str]:
        return [
            f"clients × jobs: {self.clients} × {self.jobs_each} in {self.seconds:.1f} s",
            f"answers to POST /v1/jobs by status: {dict(sorted(self.submitted.items()))}",
            f"accepted jobs by end: {dict(self.ended)}; lost: {self.lost}",
            f"/healthz during the load: {len(self.health_ms)} probes, median "
            f"{statistics.median(self.health_ms or [0]):.1f} ms, p99 {self.health_p99_ms:.1f} ms,"
            f" max {max(self.health_ms or [0]):.1f} ms",
        ]


async def _client(api: httpx.AsyncClient, key: str, jobs: int, report: LoadReport) -> None:
    for _ in range(jobs):
        try:
            response = await api.post(
                "/v1/jobs", headers={"X-API-Key": key},
                data={"artist": "monet", "quality": "fast", "size": "32"},
                files={"content": ("a.jpg", photo(64, 48))},
            )  # fmt: skip
        except httpx.HTTPError:
            report.unanswered += 1
            continue
        report.submitted[response.status_code] += 1
        if response.status_code == 202:
            events = await sse_events(api, response.json()["id"])
            if events and events[-1]["event"] in ("done", "failed", "cancelled"):
                report.ended[events[-1]["event"]] += 1


async def _probe(api: httpx.AsyncClient, report: LoadReport) -> None:
    while True:
        started = time.perf_counter()
        await api.get("/healthz")
        report.health_ms.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(PROBE_EVERY)


async def run_load(data_dir: Path, *, clients: int = 50, jobs_each: int = 2) -> LoadReport:
    keys = [f"load-key-{i}" for i in range(clients)]
    settings = api_settings(
        data_dir, api_keys=",".join(keys), queue_size=clients * jobs_each,
        api_requests_per_minute=1000,
    )  # fmt: skip
    report = LoadReport(clients, jobs_each)
    limits = httpx.Limits(max_connections=clients + 10)
    async with serving(settings) as api:
        api._transport = httpx.AsyncHTTPTransport(limits=limits)  # room for every client
        prober = asyncio.create_task(_probe(api, report))
        started = time.perf_counter()
        await asyncio.gather(*(_client(api, key, jobs_each, report) for key in keys))
        report.seconds = time.perf_counter() - started
        prober.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await prober
    return report


async def main(clients: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = await run_load(Path(tmp) / "data", clients=clients, jobs_each=jobs)
    print("\n".join(report.lines()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.jobs))
