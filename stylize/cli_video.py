"""`stylize CLIP -o OUT.mp4`: the command line for clips (see stylize/cli.py).

A clip is recognised by its file name (.mp4, .mov, .m4v, .webm, .mkv, .gif); its result is
always an MP4 (H.264, with the clip's sound; a GIF comes back as a silent MP4).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import EngineError

if TYPE_CHECKING:
    from PIL import Image

    from engine.params import StyleParams

CLIP_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".mkv", ".gif"})


def is_clip(path: Path) -> bool:
    return path.suffix.lower() in CLIP_SUFFIXES


def run_clip(
    args: argparse.Namespace, params: StyleParams, styles: list[Image.Image], label: str
) -> int:
    from engine.video import VideoParams, VideoTransfer

    if args.output.suffix.lower() != ".mp4":
        raise EngineError(f"A clip's result is an MP4: use -o {args.output.stem}.mp4")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    video = VideoParams(temporal=not args.per_frame)
    transfer = VideoTransfer(args.content, styles, args.output, params, video,
                             time_budget=args.time_budget)  # fmt: skip
    info = transfer.info
    w, h = transfer.size
    print(f"Style: {label}; {params.quality}, {w}×{h}, {info.frames} frames at "
          f"{info.fps:.3g} fps ({info.duration:.1f} s), on {transfer.device}")  # fmt: skip
    bar = None if args.quiet else _bar(transfer.total_steps)
    for progress in transfer:
        if bar is not None:
            bar.update(progress.step - bar.n)
    if bar is not None:
        bar.close()
    result = transfer.result()
    sound = "with its sound" if result.audio else "no sound"
    note = "" if result.finished else " (time budget reached: the rest was not refined)"
    print(f"Wrote {result.path} ({result.width}×{result.height}, {result.frames} frames, "
          f"{sound}, {result.seconds:.1f} s){note}")  # fmt: skip
    return 0


def _bar(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="frame", dynamic_ncols=True, file=sys.stderr)
