"""Load: 50 people × 3 requests at once against a queue of 5. Nothing is lost, every /help is
answered, memory stays bounded and no temporary file is left behind. How fast: `python -m
bench.load_bot`."""

from __future__ import annotations

from pathlib import Path

from bench.load_bot import run_load
from tests.bot.fakeapi import FakeTelegram

MAX_GROWTH_MB = 400  # decoded photos and results of one job at a time, plus buffers


async def test_fifty_people_three_requests_each(tg: FakeTelegram, tmp_path: Path) -> None:
    report = await run_load(tg, tmp_path / "data", users=50, queue_size=5)
    print("\n".join(report.lines()))  # shown with pytest -s
    assert report.requests == 150
    assert report.lost == 0
    assert report.results + sum(report.refused.values()) == 150
    assert report.results >= 6  # the queue's five places and the running job, at least
    assert report.refused["full"] > 0 and report.refused["busy"] > 0  # the load was real
    # Every /help was answered, however long it took; the time is a figure of the report.
    assert report.help_asked >= 1 and report.help_unanswered == 0
    assert report.rss_peak_mb - report.rss_before_mb < MAX_GROWTH_MB
    assert report.temp_files_left == 0
