"""Building a `JobService` from the settings: the embedded set or the distributed one.

Kept apart from `jobs.service`, so the distributed parts can import the service without an
import loop, and so a client in distributed mode never imports the embedded executor (and
with it the engine and torch).
"""

from __future__ import annotations

from jobs.service import JobService
from jobs.settings import JobSettings
from styles.catalog import Catalog


def create_service(settings: JobSettings, catalog: Catalog) -> JobService:
    """Redis and Celery when `BROKER_URL` is set; else SQLite, memory, files and worker
    threads in this process."""
    if settings.distributed:
        from jobs.distributed import create_distributed  # needs redis and celery

        return create_distributed(settings, catalog)
    return create_embedded(settings, catalog)


def create_embedded(settings: JobSettings, catalog: Catalog) -> JobService:
    from jobs.blobs import FileBlobs
    from jobs.embedded import EmbeddedDispatcher
    from jobs.eventlog import MemoryEventLog
    from jobs.store import SqliteJobStore
    from jobs.worker import Executor  # the engine: only where jobs run in this process

    store = SqliteJobStore(settings.jobs_db)
    events = MemoryEventLog()
    blobs = FileBlobs(settings.blob_dir, settings.result_ttl)
    executor = Executor(settings, store, events, blobs, catalog)
    dispatcher = EmbeddedDispatcher(executor, settings.embedded_workers)
    return JobService(settings, store, events, blobs, dispatcher, catalog, executor)
