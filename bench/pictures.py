"""`make bench`: the engine against the reference Gatys implementation, side by side.

Each contender runs in its own process (so peak memory is its own), on the same machine
in the same run, and every output is scored by `bench.evaluate`. Prints one table:
contender, seconds, style error, content error, peak memory and the time ratio.

    python -m bench.pictures            # two pairs, ~10 min on 2 CPU cores
    python -m bench.pictures --full     # 4 photos × 3 styles, ~50 min
    python -m bench.pictures --pair cat.jpg:munch-the-scream.jpg   # any sample × gallery work
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from engine.params import PRESETS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "engine" / "samples"
STYLES = ROOT / "styles" / "images"
PAIRS = [
    ("coffee.jpg", "van-gogh-the-starry-night.jpg"),
    ("rocket.jpg", "hokusai-the-great-wave.jpg"),
]
PHOTOS = ["coffee.jpg", "rocket.jpg", "cat.jpg", "astronaut.jpg"]
STYLE_FILES = [
    "van-gogh-the-starry-night.jpg",
    "hokusai-the-great-wave.jpg",
    "kandinsky-composition-vii.jpg",
]
ENGINE_QUALITIES = ("balanced", "fast", "instant")
FAST_SIDE = PRESETS["fast"].size  # its start is the instant image at this size
FAST_START = f"engine instant {FAST_SIDE} (fast's start)"
REFERENCE = ["-m", "pastiche", "--device", "cpu", "--size", "512", "--num-steps", "100"]


@dataclass
class Row:
    pair: str
    contender: str
    seconds: float  # wall time of the whole process, start-up included
    engine_seconds: float | None  # the engine's own time (model loaded), where reported
    style_error: float | None
    content_error: float | None
    peak_mb: float
    ratio: float | None = None  # reference seconds / these seconds
    own_size_style: float | None = None  # style error scored at FAST_SIDE (fast and its start)


def run_process(args: list[str]) -> tuple[float, float, str]:
    """Run `python args...`; return (wall seconds, peak RSS in MB, stdout)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = proc.communicate()
    seconds = time.monotonic() - start
    # RUSAGE_CHILDREN is a maximum over all children: `measured` calls this in a fresh
    # process whose only child is the contender, so the figure is the contender's own.
    peak_mb = _peak_from_rusage()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed: {err.strip()[-500:]}")
    return seconds, peak_mb, out


def _peak_from_rusage() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def measured(args: list[str]) -> tuple[float, float, str]:
    """Run in a fresh helper process so the rusage maximum belongs to this run alone."""
    code = (
        "import json,sys; from bench.pictures import run_process; "
        "print(json.dumps(run_process(json.loads(sys.argv[1]))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1])
    seconds, peak, out = json.loads(proc.stdout)
    return float(seconds), float(peak), str(out)


def pair_name(content: Path, style: Path) -> str:
    return f"{content.stem} × {style.stem}"


def engine_args(
    content: Path, style: Path, out: Path, quality: str, device: str, *extra: str
) -> list[str]:
    return [
        "-m", "stylize", str(content), "--style", str(style), "-o", str(out),
        "--quality", quality, "--device", device, "--quiet", *extra,
    ]  # fmt: skip


def engine_seconds(stdout: str) -> float | None:
    match = re.search(r", ([0-9.]+) s\)", stdout)
    return float(match.group(1)) if match else None


def score(out: Path, content: Path, style: Path, side: int = 512) -> tuple[float, float]:
    from bench.evaluate import evaluate
    from engine.imageio import decode_image

    q = evaluate(decode_image(out), decode_image(content), decode_image(style), side)
    return q.style_error, q.content_error


def bench_pair(content: Path, style: Path, work: Path, with_reference: bool) -> list[Row]:
    name = pair_name(content, style)
    rows: list[Row] = []
    if with_reference:
        ref_out = work / f"{content.stem}-{style.stem}-reference.png"
        args = [*REFERENCE, "--seed", "1", "--no-verbose"]
        args += ["--content", str(content), "--styles", str(style), "--output", str(ref_out)]
        secs, peak, _ = measured(args)
        rows.append(Row(name, "reference (pastiche, 100 steps)", secs, None,
                        *score(ref_out, content, style), peak))  # fmt: skip
    for quality in ENGINE_QUALITIES:
        out = work / f"{content.stem}-{style.stem}-{quality}.png"
        secs, peak, stdout = measured(engine_args(content, style, out, quality, "cpu"))
        errors = score(out, content, style)
        rows.append(Row(name, f"engine {quality}", secs, engine_seconds(stdout), *errors, peak))
        if quality == "fast":
            rows[-1].own_size_style = score(out, content, style, FAST_SIDE)[0]
            rows.append(fast_start(content, style, work))
    if with_reference:
        for row in rows[1:]:
            row.ratio = rows[0].seconds / row.seconds
    return rows


def fast_start(content: Path, style: Path, work: Path) -> Row:
    """The instant image at fast's size: what fast's optimisation starts from."""
    out = work / f"{content.stem}-{style.stem}-instant-{FAST_SIDE}.png"
    args = engine_args(content, style, out, "instant", "cpu", "--size", str(FAST_SIDE))
    secs, peak, stdout = measured(args)
    row = Row(pair_name(content, style), FAST_START, secs, engine_seconds(stdout),
              *score(out, content, style), peak)  # fmt: skip
    row.own_size_style = score(out, content, style, FAST_SIDE)[0]
    return row


def bench_high(content: Path, style: Path, work: Path, device: str) -> Row:
    out = work / f"{content.stem}-high-{device}.png"
    secs, peak, stdout = measured(engine_args(content, style, out, "high", device))
    name = pair_name(content, style)
    return Row(name, f"engine high ({device})", secs, engine_seconds(stdout), None, None, peak)


def fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def table(rows: list[Row]) -> str:
    head = "| pair | contender | seconds | engine s | style err | content err | peak MB | ratio |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r.pair} | {r.contender} | {r.seconds:.1f} | {fmt(r.engine_seconds, '.1f')} "
            f"| {fmt(r.style_error, '.4f')} | {fmt(r.content_error, '.3f')} "
            f"| {r.peak_mb:.0f} | {fmt(r.ratio, '.2f')} |"
        )
    return "\n".join(lines)


def verdict(rows: list[Row]) -> list[str]:
    """The goals, checked against this run's own figures."""
    notes: list[str] = []
    by = {(r.pair, r.contender): r for r in rows}
    for r in rows:
        ref = by.get((r.pair, "reference (pastiche, 100 steps)"))
        start = by.get((r.pair, "engine instant"))
        if r.contender == "engine balanced" and ref is not None:
            good = (r.style_error or 0) <= (ref.style_error or 0) and (r.content_error or 0) <= (
                ref.content_error or 0
            )
            notes.append(
                f"{r.pair}: balanced at least as good: {good}; "
                f"≥15x faster: {(r.ratio or 0) >= 15} ({fmt(r.ratio, '.1f')}x)"
            )
        if r.contender in ("engine balanced", "engine fast") and start is not None:
            half = (r.style_error or 1) <= 0.5 * (start.style_error or 0)
            errors = f"{fmt(r.style_error, '.3f')} vs {fmt(start.style_error, '.3f')}"
            notes.append(
                f"{r.pair}: {r.contender[7:]} style error ≤ half the instant image's: "
                f"{half} ({errors})"
            )
        if r.contender == "engine fast":
            notes.append(
                f"{r.pair}: fast {FAST_SIDE} px in <3 s (engine time): "
                f"{(r.engine_seconds or r.seconds) < 3}"
            )
            notes += fast_work(r, by.get((r.pair, FAST_START)))
        if r.contender.startswith("engine high (cpu)"):
            notes.append(
                f"high 1024 px in <30 s (engine time): {(r.engine_seconds or 0) < 30}; "
                f"peak memory ≤3 GB: {r.peak_mb <= 3072}"
            )
    return notes


def fast_work(fast: Row, start: Row | None) -> list[str]:
    """Fast against its own starting image, both scored at fast's own size: upscaled to the
    evaluator's 512 px, a 256 px picture's fine texture is lost, whatever its steps did."""
    if start is None or fast.own_size_style is None or start.own_size_style is None:
        return []
    half = fast.own_size_style <= 0.5 * start.own_size_style
    return [
        f"{fast.pair}: fast style error ≤ half its starting image's, both scored at "
        f"{FAST_SIDE} px: {half} ({fast.own_size_style:.3f} vs {start.own_size_style:.3f})"
    ]


def medians(rows: list[Row]) -> list[str]:
    """Median over pairs of each contender's seconds and errors."""
    import statistics

    lines = []
    for name in dict.fromkeys(r.contender for r in rows):
        group = [r for r in rows if r.contender == name]
        values = [
            statistics.median(v) if (v := [x for x in xs if x is not None]) else None
            for xs in zip(
                *[(r.seconds, r.engine_seconds, r.style_error, r.content_error) for r in group],
                strict=True,
            )
        ]
        lines.append(
            f"median of {len(group)}: {name}: {fmt(values[0], '.1f')} s wall, "
            f"{fmt(values[1], '.2f')} s engine, style {fmt(values[2], '.4f')}, "
            f"content {fmt(values[3], '.3f')}"
        )
    return lines


def instant_in_process(runs: int = 7) -> str:
    """The instant network at 512 px in a warm process (as the bot runs it): median time."""
    import statistics

    from engine.imageio import decode_image, resize_long_side
    from engine.instant import InstantSpec, load, render

    content = decode_image(SAMPLES / PAIRS[0][0])
    style = decode_image(STYLES / PAIRS[0][1])
    spec = InstantSpec(size=resize_long_side(content, 512).size)
    load()
    times = []
    for _ in range(runs + 1):  # the first one warms the caches
        start = time.monotonic()
        render(content, [style], spec)
        times.append(time.monotonic() - start)
    median = statistics.median(times[1:])
    return (
        f"instant 512 px, warm process, median of {runs}: {median:.3f} s "
        f"(<0.5 s: {median < 0.5}); first call {times[0]:.3f} s"
    )


def machine() -> str:
    import platform

    import torch

    cpu = platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} CPU cores ({cpu}), torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads, CUDA: {torch.cuda.is_available()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pictures", description=__doc__)
    parser.add_argument("--full", action="store_true", help="4 photos × 3 styles, not 2 pairs")
    parser.add_argument(
        "--pair", action="append", type=_pair, default=[], metavar="PHOTO:STYLE",
        help="a sample photo and a gallery file instead of the default pairs (repeatable)",
    )  # fmt: skip
    parser.add_argument("--no-reference", action="store_true", help="skip the slow reference")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pairs = [(p, s) for p in PHOTOS for s in STYLE_FILES] if args.full else args.pair or PAIRS
    print(f"Machine: {machine()}", flush=True)
    rows: list[Row] = []
    for content, style in pairs:
        pair_rows = bench_pair(SAMPLES / content, STYLES / style, args.out, not args.no_reference)
        print("\n".join(table(pair_rows).splitlines()[2:]), flush=True)
        rows += pair_rows
    rows.append(bench_high(SAMPLES / PAIRS[0][0], STYLES / PAIRS[0][1], args.out, "cpu"))
    gpu_rows = gpu_bench(args.out)
    rows += gpu_rows
    print("\n" + table(rows) + "\n")
    for line in [*medians(rows), instant_in_process(), *verdict(rows)]:
        print(line)
    if not gpu_rows:
        print("GPU: unmeasured (no CUDA device on this machine)")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.out / f"bench-{stamp}.json").write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


def _pair(text: str) -> tuple[str, str]:
    photo, sep, style = text.partition(":")
    if not sep or not (SAMPLES / photo).is_file() or not (STYLES / style).is_file():
        raise argparse.ArgumentTypeError(f"{text!r}: expected PHOTO:STYLE, files in "
                                         "engine/samples and styles/images")  # fmt: skip
    return photo, style


def gpu_bench(work: Path) -> list[Row]:
    import torch

    if not torch.cuda.is_available():
        return []
    content, style = SAMPLES / PAIRS[0][0], STYLES / PAIRS[0][1]
    out = work / "gpu-balanced.png"
    secs, peak, stdout = measured(engine_args(content, style, out, "balanced", "cuda"))
    name = pair_name(content, style)
    balanced = Row(name, "engine balanced (cuda)", secs, engine_seconds(stdout),
                   *score(out, content, style), peak)  # fmt: skip
    return [balanced, bench_high(content, style, work, "cuda")]


if __name__ == "__main__":
    sys.exit(main())
