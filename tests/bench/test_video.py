"""The video benchmark runs end to end on a tiny clip and reports every figure it promises."""

from __future__ import annotations

import json


def test_bench_video_smoke(tmp_path, capsys) -> None:
    from bench.video import main

    assert main(["--seconds", "0.5", "--size", "96x64", "--fps", "12", "--out",
                 str(tmp_path)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    for figure in (
        "| optical flow (temporal) |",
        "| per frame |",
        "flicker at least 50% lower",
        "frame count equal to the input's: True",
        "audio duration within 0.1 s: True",
    ):
        assert figure in printed  # fmt: skip
    (record,) = tmp_path.glob("bench-video-*.json")
    rows = json.loads(record.read_text())["rows"]
    assert [r["frames"] for r in rows] == [6, 6]
