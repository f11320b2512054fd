"""Distributed mode: jobs are Celery tasks on Redis, run by `stylize-worker` processes.

The store, event log and blobs live in the same Redis as the broker, so a client and any
number of workers on other machines share them. The client only sends task messages by name.
"""

from __future__ import annotations

import logging

import redis
from celery import Celery
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from jobs.distributed_settings import DistributedSettings
from jobs.errors import ErrorCode, ServiceUnavailable
from jobs.model import Job, JobError
from jobs.redis_blobs import RedisBlobs
from jobs.redis_events import RedisEventLog
from jobs.redis_store import RedisJobStore
from jobs.service import JobService
from jobs.settings import JobSettings
from styles.catalog import Catalog

log = logging.getLogger(__name__)

UNAVAILABLE = "The picture service is not reachable right now. Please try again in a minute."


def redis_client(url: str, *, text: bool = True) -> redis.Redis:
    """A client that rides out a short outage (a restart) before giving up."""
    return redis.Redis.from_url(
        url, decode_responses=text, socket_connect_timeout=5, socket_timeout=30,
        health_check_interval=30, retry=Retry(ExponentialBackoff(cap=2.0), 4),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError],
    )  # fmt: skip


class RedisParts:
    """Store, event log and blobs on one Redis: what clients and workers both need."""

    def __init__(self, settings: DistributedSettings, worker: str = "") -> None:
        text = redis_client(settings.redis_url)
        self.store = RedisJobStore(
            text, settings.redis_prefix, result_ttl=settings.result_ttl,
            lease_ttl=settings.lease_ttl, worker=worker,
        )  # fmt: skip
        self.events = RedisEventLog(
            text, settings.redis_url, settings.redis_prefix,
            live_ttl=settings.input_ttl, end_ttl=settings.result_ttl,
        )  # fmt: skip
        self.blobs = RedisBlobs(
            redis_client(settings.redis_url, text=False), settings.redis_prefix,
            result_ttl=settings.result_ttl, input_ttl=settings.input_ttl,
        )  # fmt: skip


class CeleryDispatcher:
    """Sends one task message per run; the workers do the rest."""

    def __init__(self, app: Celery, parts: RedisParts) -> None:
        self.app = app
        self.parts = parts

    def dispatch(self, job: Job, delay: float = 0.0) -> None:
        from jobs.celery_app import TASK_NAME

        try:
            self.app.send_task(TASK_NAME, args=[job.id], countdown=delay or None)
        except Exception as exc:  # kombu's errors vary by transport; all mean "not sent"
            log.exception("job %s could not be sent to the workers", job.id)
            self._withdraw(job)
            raise ServiceUnavailable("the job could not be sent to the workers") from exc

    def _withdraw(self, job: Job) -> None:
        """End a job no worker will ever hear of, so its owner is not left waiting."""
        try:
            ended = self.parts.store.finish(
                job.id, "failed", error=JobError(ErrorCode.UNAVAILABLE, UNAVAILABLE)
            )
            if ended is not None:
                self.parts.blobs.delete(*job.inputs)
        except redis.RedisError:
            log.warning("job %s stays queued without a task message", job.id)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def close(self) -> None:
        self.app.close()


def create_distributed(settings: JobSettings, catalog: Catalog) -> JobService:
    from jobs.celery_app import make_app

    dist = DistributedSettings.of(settings)
    parts = RedisParts(dist)
    dispatcher = CeleryDispatcher(make_app(dist), parts)
    return JobService(dist, parts.store, parts.events, parts.blobs, dispatcher, catalog)
