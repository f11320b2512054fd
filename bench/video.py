"""`python -m bench.video`: a clip end to end, with flicker against per-frame painting.

It makes its own clip (default 10 s, 854×480, 24 fps: a camera pan across a bundled photo with
a sine tone), stylises it twice with the instant network at 480 px (tied by optical flow, then
every frame on its own), decodes both results and prints: seconds, flicker (the mean absolute
difference between each stylised frame and the previous one warped onto it along the input's
flow, over pixels where the flow is consistent), sharpness (the variance of the Laplacian of
the grey frames: what tying frames together costs in fine texture), frame count, duration and
sound duration against the input's, and the goals. Results also go to
bench-results/bench-video-*.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np

from bench.clips import audio_seconds, pan_clip
from bench.pictures import ROOT, machine
from engine import instant
from engine.flow import flicker, gray
from engine.imageio import decode_image
from engine.params import StyleParams
from engine.probe import probe
from engine.video import VideoParams, stylize_video
from engine.videoio import read_frames

PHOTO = ROOT / "engine" / "samples" / "coffee.jpg"
STYLE = ROOT / "styles" / "images" / "van-gogh-the-starry-night.jpg"
GOAL_SECONDS = 60.0
GOAL_FLICKER_CUT = 0.5  # at least 50% lower than per-frame painting
AUDIO_TOLERANCE = 0.1


@dataclass(frozen=True)
class Row:
    pipeline: str
    seconds: float  # the whole call: probe, decode, paint, flow, encode (networks loaded)
    frames: int
    duration: float
    audio: float | None
    flicker: float
    sharpness: float


def run(clip: Path, out: Path, temporal: bool, style: Path) -> Row:
    params = StyleParams(quality="instant")
    start = time.monotonic()
    stylize_video(clip, [decode_image(style)], out, params, VideoParams(temporal=temporal))
    seconds = time.monotonic() - start
    info = probe(out)
    name = "optical flow (temporal)" if temporal else "per frame"
    size = (info.width, info.height)
    inputs = [f.rgb for f in read_frames(clip, probe(clip), size)]
    outputs = [f.rgb for f in read_frames(out, info, size)]
    return Row(name, seconds, info.frames, info.duration, audio_seconds(out),
               flicker(inputs, outputs), sharpness(outputs))  # fmt: skip


def sharpness(frames: list[np.ndarray]) -> float:
    """Mean variance of the Laplacian of the grey frames (higher: more fine texture)."""
    return float(np.mean([cv2.Laplacian(gray(f), cv2.CV_32F).var() for f in frames]))


def table(source: Row, rows: list[Row]) -> str:
    lines = [
        "| pipeline | seconds | flicker | sharpness | frames | duration s | audio s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in [source, *rows]:
        seconds = "—" if r is source else f"{r.seconds:.1f}"
        lines.append(f"| {r.pipeline} | {seconds} | {r.flicker:.2f} | {r.sharpness:.0f} | "
                     f"{r.frames} | {r.duration:.3f} | {_opt(r.audio)} |")  # fmt: skip
    return "\n".join(lines)


def _opt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def verdict(source: Row, tied: Row, alone: Row) -> list[str]:
    cut = 1.0 - tied.flicker / alone.flicker if alone.flicker else 0.0
    sound = [abs(r.audio - source.audio) <= AUDIO_TOLERANCE for r in (tied, alone)
             if r.audio is not None and source.audio is not None]  # fmt: skip
    return [
        f"end to end under {GOAL_SECONDS:.0f} s: {tied.seconds < GOAL_SECONDS} "
        f"({tied.seconds:.1f} s)",
        f"flicker at least {GOAL_FLICKER_CUT:.0%} lower than per frame: "
        f"{cut >= GOAL_FLICKER_CUT} ({tied.flicker:.2f} vs {alone.flicker:.2f}, {cut:.0%} lower)",
        "frame count equal to the input's: "
        f"{tied.frames == alone.frames == source.frames} ({tied.frames}/{source.frames})",
        f"duration equal to the input's (±1 ms): "
        f"{all(abs(r.duration - source.duration) <= 0.001 for r in (tied, alone))}",
        f"audio duration within {AUDIO_TOLERANCE} s: {bool(sound) and all(sound)}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.video", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--size", default="854x480", help="the input clip's WxH")
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--style", type=Path, default=STYLE)
    parser.add_argument("--work", type=Path, help="keep the clips here (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    args = parser.parse_args(argv)
    width, height = (int(x) for x in args.size.split("x"))
    print(f"Machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        clip = pan_clip(work / "input.mp4", decode_image(PHOTO), (width, height), args.seconds,
                        args.fps)  # fmt: skip
        info = probe(clip)
        start = time.monotonic()
        instant.load(free=True)  # as a worker has them: loaded once per process
        print(f"Networks loaded in {time.monotonic() - start:.1f} s (not in the seconds below)")
        tied = run(clip, work / "temporal.mp4", True, args.style)
        alone = run(clip, work / "per-frame.mp4", False, args.style)
        size = probe(work / "temporal.mp4")
        frames = [f.rgb for f in read_frames(clip, info, (size.width, size.height))]
        floor = flicker(frames, frames)  # the input against itself: the warp's own error
        source = Row("input clip", 0.0, info.frames, info.duration, audio_seconds(clip), floor,
                     sharpness(frames))  # fmt: skip
    print(
        f"Input: {width}×{height}, {info.frames} frames at {info.fps:.3g} fps, "
        f"{info.duration:.2f} s, sound {info.audio}; output 480 px long side, instant"
    )
    print(table(source, [tied, alone]))
    lines = verdict(source, tied, alone)
    print("\n".join(lines))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    record = {"machine": machine(), "input": asdict(source), "rows": [asdict(tied), asdict(alone)],
              "goals": lines}  # fmt: skip
    (args.out / f"bench-video-{stamp}.json").write_text(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
