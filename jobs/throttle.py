"""How often news of a running job goes out: the one throttle, per job.

The runner (jobs/runner.py) emits a job's previews at most every PREVIEW_INTERVAL seconds and
its progress at most every PROGRESS_EVERY; a client that must be slower still (the bot in a
group chat, where Telegram allows about 20 messages a minute) passes its own interval.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Throttle:
    """Lets a thing through at most once every `interval` seconds; the first at once."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._last: float | None = None

    def ready(self, *, force: bool = False) -> bool:
        """Whether it may go now (`force`: it must, like a job's last step); if so, the
        interval starts again."""
        now = self._clock()
        if force or self._last is None or now - self._last >= self.interval:
            self._last = now
            return True
        return False

    def mark(self) -> None:
        """Something else just went out: the interval starts again."""
        self._last = self._clock()
