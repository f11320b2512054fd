"""What happens to a job, as one small record type with one serialisation.

Every event carries the job id and an `id` (its place in the job's log, for resuming:
SSE's Last-Event-ID). Fields that do not apply to a type stay None.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

from jobs.model import Job, JobState

EventType = Literal["queued", "started", "progress", "preview", "done", "failed", "cancelled"]
END_TYPES: frozenset[EventType] = frozenset({"done", "failed", "cancelled"})


@dataclass(frozen=True)
class Event:
    type: EventType
    job_id: str
    id: str = ""  # set by the event log
    at: float = field(default_factory=time.time)
    position: int | None = None  # queued: jobs ahead of this one (0: next)
    attempt: int | None = None  # queued again after a failed run, started
    fraction: float | None = None  # progress, 0..1
    eta: float | None = None  # progress: seconds left, when known
    blob: str | None = None  # preview or done: the image's blob reference
    width: int | None = None  # done
    height: int | None = None
    seconds: float | None = None  # done: engine seconds
    finished: bool | None = None  # done: False when the time budget cut it short
    code: str | None = None  # failed: stable code
    message: str | None = None  # failed: a sentence for a person

    @property
    def is_end(self) -> bool:
        return self.type in END_TYPES

    def with_id(self, event_id: str) -> Event:
        return replace(self, id=event_id)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> Event:
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})


def state_event(job: Job, position: int | None = None) -> Event:
    """The event that stands for a job's current state (when its log is gone)."""
    kinds: dict[JobState, EventType] = {
        "queued": "queued", "running": "started", "done": "done",
        "failed": "failed", "cancelled": "cancelled",
    }  # fmt: skip
    event = Event(kinds[job.state], job.id, id="0", position=position, attempt=job.attempts)
    if job.result is not None:
        r = job.result
        event = replace(
            event, blob=r.blob, width=r.width, height=r.height, seconds=r.seconds,
            finished=r.finished,
        )  # fmt: skip
    if job.error is not None:
        event = replace(event, code=job.error.code, message=job.error.message)
    return event
