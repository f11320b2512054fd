"""Running claimed jobs, the same way in every mode: state changes, events, retries.

`Executor.execute` is what an embedded worker thread and a Celery task both call. The store's
compare-and-set state changes make a job end exactly once, even if a broker hands the same
job to a second worker after the first one died.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from engine import Cancelled, EngineError, ImageError
from engine.devices import resolve_device, use_precision
from engine.preload import preload
from jobs.blobs import BlobMissing, BlobStore
from jobs.errors import ErrorCode
from jobs.eventlog import EventLog
from jobs.events import Event, state_event
from jobs.i18n import N_
from jobs.model import Job, JobError, JobKind, JobResult, JobState
from jobs.runner import RunContext, Runner, run_image_job, run_video_job
from jobs.settings import JobSettings
from jobs.store import JobStore
from jobs.suggestions import run_suggest_job
from styles.catalog import Catalog

log = logging.getLogger(__name__)

RUNNERS: dict[JobKind, Runner] = {
    "image": run_image_job, "suggest": run_suggest_job, "video": run_video_job,
}  # fmt: skip
GAVE_UP = N_("Sorry, something went wrong on our side and this picture could not be made.")
INPUT_GONE = N_("The images for this request are gone. Please send them again.")


def error_of(exc: Exception) -> JobError:
    """A stable code and a sentence for a person; never a raw exception text of ours."""
    if isinstance(exc, ImageError):
        return JobError(ErrorCode.BAD_INPUT, str(exc))
    if isinstance(exc, BlobMissing):
        return JobError(ErrorCode.INPUT_GONE, INPUT_GONE)
    if isinstance(exc, EngineError):
        return JobError(ErrorCode.ENGINE, str(exc))
    return JobError(ErrorCode.GAVE_UP, GAVE_UP)


class Executor:
    def __init__(
        self, settings: JobSettings, store: JobStore, events: EventLog, blobs: BlobStore,
        catalog: Catalog,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.store = store
        self.events = events
        self.blobs = blobs
        self.listeners: list[Callable[[Job], None]] = []  # told of every job that ends
        use_precision(settings.engine_precision)  # the engine is process-wide: so is this
        self.context = RunContext(
            blobs, catalog, device=settings.engine_device,
            time_budget=settings.job_time_budget, preview_interval=settings.preview_interval,
            cache_dir=settings.cache_dir,
        )  # fmt: skip

    def preload(self) -> None:
        """Build the engine's networks now, not in the first job (engine/preload.py); if that
        fails, the jobs report it in their own words."""
        try:
            preload(resolve_device(self.settings.engine_device))
        except EngineError as exc:
            log.warning("the engine could not be prepared: %s", exc)
        except Exception:  # a library that fails to load must not stop the clients starting
            log.exception("the engine could not be prepared")

    def execute(self, job: Job, stopping: Callable[[], bool] = lambda: False) -> JobState:
        """Run a claimed job to its end, or back into the queue; returns its state after."""
        self.events.append(Event("started", job.id, attempt=job.attempts))

        def should_cancel() -> bool:
            return stopping() or self.store.cancel_requested(job.id)

        try:
            run = RUNNERS[job.kind]
            result = run(job, self.context, self.events.append, should_cancel)
        except Cancelled:
            if self.store.cancel_requested(job.id):
                return self.end(job, "cancelled")
            self.store.requeue(job.id, delay=0.0, counts=False)  # we are shutting down
            return "queued"
        except (EngineError, BlobMissing) as exc:
            log.info("job %s refused: %s", job.id, exc)
            return self.end(job, "failed", error=error_of(exc))
        except Exception as exc:
            return self.failed_run(job, exc)
        return self.end(job, "done", result=result)

    def failed_run(self, job: Job, exc: BaseException | None) -> JobState:
        """A run broke (a bug, a lost device): try again later or give up."""
        log.error("job %s: run %d failed", job.id, job.attempts, exc_info=exc)
        if job.attempts >= self.settings.job_attempts:
            return self.give_up(job)
        delay = self.settings.job_retry_delay * job.attempts
        if self.store.requeue(job.id, delay=delay, counts=True) is not None:
            self.events.append(Event("queued", job.id, attempt=job.attempts))
        return "queued"

    def give_up(self, job: Job) -> JobState:
        log.warning("job %s: giving up after %d runs", job.id, job.attempts)
        return self.end(job, "failed", error=JobError(ErrorCode.GAVE_UP, GAVE_UP))

    def end(
        self, job: Job, state: JobState, *,
        result: JobResult | None = None, error: JobError | None = None,
    ) -> JobState:  # fmt: skip
        ended = self.store.finish(job.id, state, result=result, error=error)
        if ended is None:  # it had ended already (cancelled meanwhile, or run twice)
            if result is not None:
                self.blobs.delete(result.blob)
            current = self.store.get(job.id)
            return current.state if current else state
        self.blobs.delete(*job.inputs)
        for listener in self.listeners:  # before the event: a reader then sees their effect
            try:
                listener(ended)
            except Exception:  # metrics and the like must never cost a job
                log.exception("job end listener failed")
        self.events.append(state_event(ended).with_id(""))  # the shape a late reader sees
        return state
