"""Prometheus metrics: queue length and jobs by state (read at scrape time), run and engine
seconds (observed as jobs end in this process's workers)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Gauge, Histogram

from jobs import Job, JobService

REGISTRY = CollectorRegistry()
QUEUE = Gauge("stylize_queue_length", "Jobs waiting", registry=REGISTRY)
JOBS = Gauge("stylize_jobs", "Jobs kept, by state", ["state"], registry=REGISTRY)
BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600)
RUN_SECONDS = Histogram(
    "stylize_job_run_seconds", "From start to end of a run", ["outcome"], buckets=BUCKETS,
    registry=REGISTRY,
)  # fmt: skip
ENGINE_SECONDS = Histogram(
    "stylize_engine_seconds", "Engine time per finished job (quality, or 'suggest')",
    ["quality"], buckets=BUCKETS,
    registry=REGISTRY,
)  # fmt: skip
STATES = ("queued", "running", "done", "failed", "cancelled")


async def refresh(service: JobService) -> None:
    counts = await service.counts()
    QUEUE.set(counts.get("queued", 0))
    for state in STATES:
        JOBS.labels(state).set(counts.get(state, 0))


def observe(job: Job) -> None:
    """A job ended in this process: its run and engine time."""
    if job.started_at is not None and job.ended_at is not None:
        RUN_SECONDS.labels(job.state).observe(max(0.0, job.ended_at - job.started_at))
    if job.result is not None:
        label = "suggest" if job.kind == "suggest" else job.params.quality
        ENGINE_SECONDS.labels(label).observe(job.result.seconds)
