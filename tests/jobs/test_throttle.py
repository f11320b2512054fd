"""The one throttle for news of a running job."""

from __future__ import annotations

from jobs.throttle import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_at_most_once_per_interval_the_first_at_once() -> None:
    clock = Clock()
    throttle = Throttle(4.0, clock)
    assert throttle.ready()
    clock.now += 3.9
    assert not throttle.ready()
    assert throttle.ready(force=True)  # a job's last step always goes out
    clock.now += 4.0
    assert throttle.ready() and not throttle.ready()


def test_something_else_going_out_restarts_the_interval() -> None:
    clock = Clock()
    throttle = Throttle(6.0, clock)
    throttle.mark()
    clock.now += 5.0
    assert not throttle.ready()
    clock.now += 1.0
    assert throttle.ready()


def test_no_interval_lets_everything_through() -> None:
    throttle = Throttle(0.0, Clock())
    assert all(throttle.ready() for _ in range(3))
