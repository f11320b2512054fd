"""Why the service refused or could not find a job; clients turn these into words."""

from __future__ import annotations


class JobRefused(Exception):
    """The service did not take the job."""


class QueueFull(JobRefused):
    def __init__(self, waiting: int) -> None:
        super().__init__(f"{waiting} jobs are waiting")
        self.waiting = waiting


class Busy(JobRefused):
    """The owner already has a job waiting or running (one at a time)."""

    def __init__(self, current: str) -> None:
        super().__init__(f"job {current} is still going")
        self.current = current


class ServiceUnavailable(JobRefused):
    """Not running, or the journal / broker could not keep the job."""


class UnknownJob(KeyError):
    """No such job (never existed, or it ended and expired)."""
