"""The Celery application of the distributed mode: broker settings, no task code.

Clients use it to send jobs by task name; `stylize-worker` registers the task and runs it.
Flower watches it like any Celery app:

    celery -A jobs.celery_app flower --broker=redis://localhost:6379/0
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from jobs.distributed_settings import DistributedSettings

TASK_NAME = "stylize.run_job"
QUEUE = "stylize"


def config(settings: DistributedSettings) -> dict[str, Any]:
    """What operators expect of long, expensive tasks: at most once in flight per worker,
    acknowledged after the run, back in the queue when a worker dies."""
    visibility = settings.visibility_timeout
    return {
        "broker_url": settings.redis_url,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            "visibility_timeout": visibility,
            # Look for messages of dead workers often enough to honour a short timeout.
            "unacked_restore_interval": max(1, min(10, int(visibility / 10))),
            "unacked_restore_throttle": 1,
        },
        "task_default_queue": QUEUE,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_soft_time_limit": settings.soft_time_limit,
        "task_time_limit": settings.hard_time_limit,
        "task_ignore_result": True,  # results travel as events and blobs, not Celery results
        "task_serializer": "json",
        "accept_content": ["json"],
        "worker_send_task_events": True,  # for Flower
        "task_send_sent_event": True,
        "worker_hijack_root_logger": False,
    }


def make_app(settings: DistributedSettings) -> Celery:
    app = Celery("stylize")
    app.conf.update(config(settings))
    return app


def _default_app() -> Celery:
    settings = DistributedSettings()  # type: ignore[call-arg]  # from the environment
    if not settings.broker_url:  # `celery -A jobs.celery_app` without BROKER_URL: pass --broker
        settings = settings.model_copy(update={"broker_url": "redis://localhost:6379/0"})
    return make_app(settings)


def __getattr__(name: str) -> Celery:
    """`app`, built on first use: for the `celery` command line (Flower, inspect, purge)."""
    if name == "app":
        app = globals()["app"] = _default_app()
        return app
    raise AttributeError(name)
