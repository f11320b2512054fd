"""How long "Suggest a style" takes, and how much the order depends on the photo.

    python -m bench.suggest                  # the four sample photos, whole gallery
    python -m bench.suggest --sheets docs    # also write each photo's numbered sheet

For each photo: the whole suggestion as a worker makes it (tiles for every painting, the
ranking, the numbered sheet drawn and encoded), the first run in the process (style
vectors not yet cached) and the median of warm runs; then the first run of a restarted
worker, which reads the paintings' facts from its cache file; then the top three of each
photo and how much two photos' orders agree (Kendall's tau: 1 = the same order, 0 =
unrelated).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from itertools import combinations
from pathlib import Path

import torch
from PIL import Image

from engine import decode_image, encode_image
from engine import suggest as suggest_module
from engine.suggest import Suggestion, load_facts, save_facts, suggest
from jobs.model import SUGGEST_TOP as TOP
from jobs.suggestions import SHEET_TILE, gallery_candidates
from styles.catalog import default_catalog
from styles.ranked_sheet import ranked_sheet

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ["cat.jpg", "coffee.jpg", "rocket.jpg", "astronaut.jpg"]


def one_run(photo: Image.Image) -> tuple[float, list[Suggestion], Image.Image]:
    catalog = default_catalog()
    entries = {e.slug: e for e in catalog}
    start = time.monotonic()
    ranked = suggest(photo, gallery_candidates(catalog))
    sheet = ranked_sheet([(entries[s.key], s.tile) for s in ranked], marked=TOP, tile=SHEET_TILE)
    encode_image(sheet, "JPEG", quality=88)
    return time.monotonic() - start, ranked, sheet


def restarted() -> float:
    """A worker's first suggestion after a restart: the facts come from its cache file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "facts.json"
        save_facts(path, gallery_candidates(default_catalog()))
        suggest_module._facts.clear()
        start = time.monotonic()
        load_facts(path)
        seconds = time.monotonic() - start
    photo = decode_image(ROOT / "engine" / "samples" / PHOTOS[0])
    return seconds + one_run(photo)[0]


def kendall_tau(a: list[str], b: list[str]) -> float:
    where = {key: n for n, key in enumerate(b)}
    pairs = list(combinations(a, 2))
    agree = sum(1 if where[x] < where[y] else -1 for x, y in pairs)
    return agree / len(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per photo")
    parser.add_argument("--sheets", type=Path, help="write suggest-<photo>.jpg sheets here")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(f"Machine: {os.cpu_count()} CPU cores ({platform.machine()}), torch "
          f"{torch.__version__}, {torch.get_num_threads()} threads, "
          f"load average {load:.2f}, gallery of {len(default_catalog())}")  # fmt: skip
    orders: dict[str, list[str]] = {}
    for name in PHOTOS:
        photo = decode_image(ROOT / "engine" / "samples" / name)
        first, ranked, sheet = one_run(photo)
        warm = [one_run(photo)[0] for _ in range(args.runs)]
        orders[name] = [s.key for s in ranked]
        top = ", ".join(f"{s.key} {s.score:.3f}" for s in ranked[:TOP])
        print(f"{name}: first {first:.2f} s, warm median of {args.runs} "
              f"{statistics.median(warm):.2f} s (max {max(warm):.2f}); top: {top}")  # fmt: skip
        if args.sheets:
            args.sheets.mkdir(parents=True, exist_ok=True)
            sheet.save(args.sheets / f"suggest-{Path(name).stem}.jpg", quality=85, optimize=True)
    print(f"first run after a restart, facts read from the cache file: {restarted():.2f} s")
    for a, b in combinations(PHOTOS, 2):
        print(f"Kendall tau {a} vs {b}: {kendall_tau(orders[a], orders[b]):+.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
