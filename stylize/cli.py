"""`stylize`: the command-line front end of the engine.

stylize CONTENT (--style STYLE [STYLE ...] | --artist NAME) -o OUT [options]
stylize CLIP.mp4 (--style STYLE | --artist NAME) -o OUT.mp4 [options]   (stylize/cli_video.py)
stylize --list-artists [--category NAME] [--sheet OUT]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import EngineError
from engine.params import INITS, QUALITIES, StyleParams
from jobs.defaults import with_defaults
from jobs.model import default_quality
from styles.catalog import Catalog, CatalogError, StyleEntry, default_catalog

if TYPE_CHECKING:
    from PIL import Image
    from tqdm import tqdm

    from engine.optimize import Progress


def build_parser() -> argparse.ArgumentParser:
    defaults = StyleParams()
    p = argparse.ArgumentParser(
        prog="stylize",
        description="Neural style transfer (Gatys et al.) on VGG19; `--quality instant` is a "
        "feed-forward network (Ghiasi et al.) alone.",
    )
    p.add_argument("content", nargs="?", type=Path,
                   help="the photo or clip (.mp4, .mov, .webm, .gif) to stylise")  # fmt: skip
    src = p.add_mutually_exclusive_group()
    src.add_argument("--style", nargs="+", type=Path, metavar="STYLE", help="style image(s)")
    src.add_argument("--artist", metavar="NAME", help="a painting from the gallery, by name")
    p.add_argument("-o", "--output", type=Path,
                   help="where to write the result (.jpg or .png; .mp4 for a clip)")  # fmt: skip
    p.add_argument("--size", type=int, metavar="PX", help="output long side (preset default)")
    p.add_argument("--quality", choices=QUALITIES,
                   help=f"default {defaults.quality} for a photo, instant for a clip")  # fmt: skip
    p.add_argument("--steps", type=int, metavar="N", help="iterations at every scale")
    p.add_argument(
        "--init",
        choices=INITS,
        default=defaults.init,
        help="start from the instant image (default) or from the photo (the classic look)",
    )
    # None: the painting's own default (catalog), else StyleParams' default
    p.add_argument("--strength", type=float, help=f"0..1 (default {defaults.strength})")
    p.add_argument("--preserve-colors", action="store_true", help="keep the photo's colours")
    p.add_argument("--color-mode", choices=("luminance", "match"), default=defaults.color_mode)
    p.add_argument("--style-weights", nargs="+", type=float, metavar="W", help="style blend")
    p.add_argument("--seed", type=int, default=defaults.seed)
    p.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default=defaults.device)
    p.add_argument("--optimizer", choices=("lbfgs", "adam"), default=defaults.optimizer)
    p.add_argument("--time-budget", type=float, metavar="S", help="stop after S seconds")
    p.add_argument("--list-artists", action="store_true", help="list the gallery and exit")
    p.add_argument("--sheet", type=Path, metavar="OUT", help="with --list-artists: contact sheet")
    p.add_argument("--category", metavar="NAME", help="with --list-artists: only this category")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--per-frame", action="store_true",
        help="clips: paint every frame on its own (no optical flow; flickers)",
    )  # fmt: skip
    return p


def params_from_args(args: argparse.Namespace) -> StyleParams:
    from stylize.cli_video import is_clip

    quality = args.quality
    if quality is None:  # the job service's rule: a clip is painted `instant` unless asked
        clip = args.content is not None and is_clip(args.content)
        quality = default_quality("video" if clip else "image")
    try:
        return StyleParams(
            quality=quality,
            size=args.size,
            steps=args.steps,
            init=args.init,
            strength=StyleParams().strength if args.strength is None else args.strength,
            preserve_colors=args.preserve_colors,
            color_mode=args.color_mode,
            style_blend=tuple(args.style_weights) if args.style_weights else None,
            seed=args.seed,
            device=args.device,
            optimizer=args.optimizer,
        )
    except ValueError as exc:
        raise EngineError(str(exc)) from exc


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.list_artists:
            return list_artists(args.sheet, args.category)
        if args.content is None or args.output is None or not (args.style or args.artist):
            parser.error("CONTENT, -o OUT and one of --style or --artist are required")
        return run(args)
    except EngineError as exc:
        print(f"stylize: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stylize: interrupted", file=sys.stderr)
        return 130


def run(args: argparse.Namespace) -> int:
    from engine.imageio import decode_image, save_image
    from engine.optimize import StyleTransfer
    from stylize.cli_video import is_clip, run_clip

    params = params_from_args(args)
    clip = is_clip(args.content)
    content = None if clip else decode_image(args.content)
    entry = _resolve_artist(args.artist) if args.artist else None
    styles, label = _load_styles(args, entry)
    if entry is not None:  # the painting's own defaults, unless given on the command line
        keep = () if args.strength is None else ("strength",)
        params = with_defaults(params, entry.defaults, keep=keep)
    if content is None:
        return run_clip(args, params, styles, label)
    transfer = StyleTransfer(content, styles, params, time_budget=args.time_budget)
    print(f"Style: {label}; {params.quality}, {params.output_size} px, on {transfer.device}")
    bar = None if args.quiet else _progress_bar(transfer.total_steps)
    for progress in transfer:
        if bar is not None:
            _advance(bar, progress)
    if bar is not None:
        bar.close()
    result = transfer.result()
    path = save_image(result.image, args.output)
    w, h = result.image.size
    note = "" if result.finished else " (time budget reached: best result so far)"
    print(f"Wrote {path} ({w}×{h}, {result.seconds:.1f} s){note}")
    return 0


def _load_styles(
    args: argparse.Namespace, entry: StyleEntry | None
) -> tuple[list[Image.Image], str]:
    from engine.imageio import decode_image

    if entry is None:
        return [decode_image(p) for p in args.style], ", ".join(p.name for p in args.style)
    return [decode_image(entry.path)], entry.label


def _resolve_artist(name: str) -> StyleEntry:
    found = _catalog().lookup(name)
    if found.entry is not None:
        return found.entry
    names = "; ".join(e.label for e in found.candidates)
    if found.ambiguous:
        raise EngineError(f"{name!r} could be several paintings: {names}. Please be more specific.")
    hint = f" Closest: {names}." if names else ""
    raise EngineError(f"No artist matches {name!r}.{hint} See `stylize --list-artists`.")


def _catalog() -> Catalog:
    try:
        return default_catalog()
    except CatalogError as exc:
        raise EngineError(f"The style gallery is broken: {exc}") from exc


def list_artists(sheet: Path | None, category: str | None = None) -> int:
    catalog = _catalog()
    slug = None if category is None else _category(category)
    entries = catalog.entries if slug is None else catalog.by_category(slug)
    for e in entries:
        print(f"{e.slug:<18} {e.label}  [{e.category}]")
    if sheet is not None:
        from engine.imageio import save_image
        from styles.sheet import contact_sheet

        path = save_image(contact_sheet(catalog, category=slug), sheet)
        print(f"Wrote the contact sheet to {path}")
    return 0


def _category(name: str) -> str:
    from styles.categories import CATEGORIES, find_category

    info = find_category(name)
    if info is None:
        known = ", ".join(c.slug for c in CATEGORIES)
        raise EngineError(f"No category matches {name!r}. Categories: {known}.")
    return info.slug


def _progress_bar(total: int) -> tqdm[Any]:
    from tqdm import tqdm

    # tqdm's own ETA assumes equal steps; ours are cheap at low resolution, so the
    # engine's pixel-weighted estimate goes in the postfix instead.
    fmt = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]"
    return tqdm(total=total, unit="step", dynamic_ncols=True, file=sys.stderr, bar_format=fmt)


def _advance(bar: tqdm[Any], progress: Progress) -> None:
    eta = "?" if progress.eta is None else f"{progress.eta:.0f}s"
    bar.set_postfix_str(
        f"ETA {eta}, scale {progress.scale + 1}/{progress.scales}"
        f" {progress.width}×{progress.height}, loss {progress.loss:.3g}",
        refresh=False,
    )
    bar.update(progress.step - bar.n)


if __name__ == "__main__":
    sys.exit(main())
