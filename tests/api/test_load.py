"""Load: 20 clients × 2 jobs at once (the report script runs 50 × 2). Every request is
answered and every accepted job ends."""

from __future__ import annotations

from pathlib import Path

from bench.load_api import run_load


async def test_twenty_clients_two_jobs_each(tmp_path: Path) -> None:
    report = await run_load(tmp_path / "data", clients=20, jobs_each=2)
    print("\n".join(report.lines()))  # shown with pytest -s
    assert report.lost == 0
    assert report.submitted[202] == 40  # a queue for everyone: all taken
    assert report.ended["done"] == 40
    assert report.health_ms  # the prober ran; its latency is a figure, not a test
