"""Settings only the distributed mode reads, on top of `JobSettings` (same env and .env).

Every derived broker figure (visibility timeout, task time limits) comes from the job time
budget, so an operator sets JOB_TIME_BUDGET once and the rest follows.
"""

from __future__ import annotations

from pydantic import Field

from jobs.settings import JobSettings

INPUT_TTL = 24 * 3600.0  # a safety net: inputs are deleted when their job ends
LEASE_TTL = 15.0  # seconds a running job's lease lives without a heartbeat


class DistributedSettings(JobSettings):
    redis_prefix: str = "stylize:"  # every key of ours starts with it (tests isolate by it)
    broker_visibility_timeout: float | None = Field(None, gt=0)  # None: derived, see below
    input_ttl: float = Field(INPUT_TTL, gt=0)
    lease_ttl: float = Field(LEASE_TTL, gt=0)

    @classmethod
    def of(cls, settings: JobSettings) -> DistributedSettings:
        """The distributed view of `settings`; its extra fields come from the environment."""
        if isinstance(settings, DistributedSettings):
            return settings
        return cls(**settings.model_dump())

    @property
    def visibility_timeout(self) -> float:
        """An unacknowledged job goes back to the queue after this long (its worker died).

        Above the longest run, or a slow job would be handed to a second worker."""
        if self.broker_visibility_timeout is not None:
            return self.broker_visibility_timeout
        return self.job_time_budget * 2 + 60

    @property
    def soft_time_limit(self) -> float:
        """The engine stops itself at the budget; this only catches a run that hangs."""
        return self.job_time_budget * 1.5 + 30

    @property
    def hard_time_limit(self) -> float:
        return self.soft_time_limit + 30

    @property
    def redis_url(self) -> str:
        assert self.broker_url, "distributed mode needs BROKER_URL"
        return self.broker_url
