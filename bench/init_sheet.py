"""A contact sheet: `init=instant` next to `init=content`, three photos × three styles.

    python -m bench.init_sheet                       # docs/init-comparison.jpg, balanced
    python -m bench.init_sheet --quality fast -o out/sheet.jpg

Each cell shows the instant-start result (left) and the classic photo-start result (right)
of one photo and style, with the engine's seconds and the evaluator's errors printed, so a
person can judge the two looks side by side.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from bench.evaluate import evaluate
from bench.pictures import PHOTOS, SAMPLES, STYLE_FILES, STYLES
from engine.imageio import decode_image
from engine.optimize import stylize
from engine.params import INITS, QUALITIES, StyleParams

ROOT = Path(__file__).resolve().parent.parent
TILE = 240  # long side of each image on the sheet
PAD, LABEL = 6, 16


def render_cell(photo: str, style: str, quality: str) -> list[Image.Image]:
    content = decode_image(SAMPLES / photo)
    painting = decode_image(STYLES / style)
    images = []
    for init in INITS:
        result = stylize(content, [painting], StyleParams(quality=quality, init=init))  # type: ignore[arg-type]
        q = evaluate(result.image, content, painting)
        print(f"{Path(photo).stem} × {Path(style).stem}, init={init}: {result.seconds:.1f} s, "
              f"style {q.style_error:.3f}, content {q.content_error:.3f}", flush=True)  # fmt: skip
        thumb = result.image.copy()
        thumb.thumbnail((TILE, TILE), Image.Resampling.LANCZOS)
        images.append(thumb)
    return images


def sheet(cells: list[list[list[Image.Image]]]) -> Image.Image:
    """Rows of photos, columns of styles; each cell is two images (instant | content)."""
    cols = len(cells[0])
    cell_w = 2 * TILE + PAD
    heights = [max(image.height for pair in row for image in pair) for row in cells]
    width = cols * (cell_w + 3 * PAD) + PAD
    out = Image.new("RGB", (width, sum(h + LABEL + PAD for h in heights) + PAD), "white")
    draw = ImageDraw.Draw(out)
    y = PAD
    for row, height in zip(cells, heights, strict=True):
        for c, pair in enumerate(row):
            x = PAD + c * (cell_w + 3 * PAD)
            for i, (image, init) in enumerate(zip(pair, INITS, strict=True)):
                left = x + i * (TILE + PAD)
                draw.text((left + 2, y + 2), f"init={init}", fill="black")
                out.paste(image, (left, y + LABEL))
        y += height + LABEL + PAD
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.init_sheet", description=__doc__)
    parser.add_argument("--quality", choices=QUALITIES[1:], default="balanced")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "init-comparison.jpg")
    args = parser.parse_args(argv)
    cells = [[render_cell(p, s, args.quality) for s in STYLE_FILES] for p in PHOTOS[:3]]
    image = sheet(cells)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    image.save(args.output, "JPEG", quality=82, optimize=True)
    kb = args.output.stat().st_size // 1024
    print(f"Wrote {args.output} ({image.width}×{image.height}, {kb} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
