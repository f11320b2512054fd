"""The job service: every client (the Telegram bot, the HTTP API) turns requests into jobs here.

It knows nothing of Telegram or HTTP. A job names its inputs by blob references, carries the
engine's parameters and an opaque `reply` string only its client reads, and produces a stream
of events (queued, started, progress, preview, done, failed, cancelled) any client can attach
to. Two modes share one interface (`JobService`): embedded (in-process workers, SQLite) and
distributed (Celery on Redis, `stylize-worker` processes elsewhere).
"""

from jobs.errors import Busy, ErrorCode, JobRefused, QueueFull, ServiceUnavailable, UnknownJob
from jobs.events import Event, EventType
from jobs.factory import create_service
from jobs.model import TERMINAL, Job, JobRequest, JobState, Owner, StyleSource
from jobs.service import JobService
from jobs.settings import JobSettings

__all__ = [
    "TERMINAL",
    "Busy",
    "ErrorCode",
    "Event",
    "EventType",
    "Job",
    "JobRefused",
    "JobRequest",
    "JobService",
    "JobSettings",
    "JobState",
    "Owner",
    "QueueFull",
    "ServiceUnavailable",
    "StyleSource",
    "UnknownJob",
    "create_service",
]
