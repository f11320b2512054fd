"""The instant (feed-forward) image and the head start it gives the optimisation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from engine import instant
from engine.color import rgb_to_ycbcr
from engine.errors import Cancelled, EngineError
from engine.imageio import resize_long_side
from engine.optimize import StyleTransfer, stylize
from engine.params import StyleParams
from engine.tensors import to_pil, to_tensor
from stylize.cli import main
from tests.helpers import SAMPLES, STARRY

from .test_optimize import style_error

INSTANT = StyleParams(quality="instant", size=128)


def spec(content: Image.Image, **kw: object) -> instant.InstantSpec:
    size = resize_long_side(content, 128).size
    return instant.InstantSpec(size=size, **kw)  # type: ignore[arg-type]


def test_network_output_shape_range_and_determinism(content, style) -> None:
    a = instant.render(content, [style], spec(content))
    b = instant.render(content, [style], spec(content))
    w, h = resize_long_side(content, 128).size
    assert a.shape == (1, 3, h, w) and a.dtype == torch.float32
    assert a.min().item() >= 0.0 and a.max().item() <= 1.0
    assert a.std().item() > 0.05  # a picture, not a flat fill
    assert torch.equal(a, b)


def test_strength_blends_towards_the_photos_own_style(content, style) -> None:
    photo = to_tensor(resize_long_side(content, 128))
    weak = instant.render(content, [style], spec(content, strength=0.0))
    strong = instant.render(content, [style], spec(content, strength=1.0))
    # Strength 0 paints the photo with its own style vector: close to the photo's colours.
    assert (weak - photo).abs().mean() < (strong - photo).abs().mean()
    assert instant.vector_weight(0.0) == 0.0 and instant.vector_weight(0.5) == 1.0
    assert style_error(to_pil(strong), style) < style_error(to_pil(weak), style)


def test_quality_instant_returns_the_network_image(content, style) -> None:
    seen = []
    result = stylize(content, [style], INSTANT, on_progress=seen.append)
    assert [p.step for p in seen] == [0] and result.total_steps == 0 and result.finished
    assert seen[0].preview is not None and seen[0].fraction == 1.0
    assert np.array_equal(np.asarray(seen[0].preview), np.asarray(result.image))
    assert max(result.image.size) == 128


def test_instant_preserve_colors_keeps_chroma(content, style) -> None:
    out = stylize(content, [style], INSTANT.with_(preserve_colors=True)).image
    got = rgb_to_ycbcr(to_tensor(out))
    want = rgb_to_ycbcr(to_tensor(resize_long_side(content, 128)))
    assert (got[:, 1:] - want[:, 1:]).abs().mean().item() < 0.01
    assert (got[:, :1] - want[:, :1]).abs().mean().item() > 0.02
    matched = stylize(content, [style], INSTANT.with_(preserve_colors=True, color_mode="match"))
    assert matched.image.size == out.size


def test_head_start_first_progress_carries_the_instant_image(content, style) -> None:
    params = StyleParams(quality="fast", size=96, steps=3)
    seen = []
    result = stylize(content, [style], params, on_progress=seen.append)
    assert [p.step for p in seen] == [0, 1, 2, 3]
    assert seen[0].preview is not None and seen[0].preview.size == result.image.size
    assert all(p.preview is None for p in seen[1:])
    start = style_error(seen[0].preview, style)
    assert style_error(result.image, style) < start  # the optimisation still does work


def test_content_init_has_no_instant_report(content, style) -> None:
    seen = []
    params = StyleParams(quality="fast", size=96, steps=2, init="content")
    stylize(content, [style], params, on_progress=seen.append)
    assert seen[0].step == 1 and all(p.preview is None for p in seen)


def test_cancel_right_after_the_instant_image(content, style) -> None:
    calls = []

    def cancel_after_first_report() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(Cancelled):
        stylize(content, [style], StyleParams(size=96), should_cancel=cancel_after_first_report)
    assert len(calls) == 2  # before the start, and after the instant report


def test_missing_network_is_a_clear_error(content, style, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(instant, "model_dir", lambda: tmp_path)
    instant._session.cache_clear()
    try:
        with pytest.raises(EngineError, match="instant style network"):
            StyleTransfer(content, [style], INSTANT).__iter__().__next__()
    finally:
        instant._session.cache_clear()


def test_cli_quality_instant(tmp_path, capsys) -> None:
    out = tmp_path / "out.jpg"
    args = [str(SAMPLES / "cat.jpg"), "--style", str(STARRY), "-o", str(out)]
    assert main([*args, "--quality", "instant", "--size", "96", "--quiet"]) == 0
    with Image.open(out) as img:
        assert max(img.size) == 96
    assert "instant" in capsys.readouterr().out


def test_cli_init_content(tmp_path) -> None:
    out = tmp_path / "out.png"
    args = [str(SAMPLES / "cat.jpg"), "--style", str(STARRY), "-o", str(out), "--quiet"]
    assert main([*args, "--size", "64", "--steps", "1", "--init", "content"]) == 0
    assert out.is_file()


def test_the_free_shape_graph_paints_a_frame_at_its_own_shape(content, style) -> None:
    frame = resize_long_side(content, instant.NETWORK_SIDE).resize((384, 216))
    spec = instant.InstantSpec((384, 216))
    vector = instant.vector_for(frame, [style], spec)
    pixels = np.asarray(frame, np.float32)[None] / 255.0
    free = instant.transform_array(pixels, vector, free=True)
    square = instant.transform_array(pixels, vector)
    assert free.shape == square.shape == (1, 216, 384, 3)
    assert np.abs(free - square).mean() < 0.1  # the same painting; normalisation differs a bit
    odd = instant.transform_array(pixels[:, :211, :301], vector, free=True)
    assert odd.shape == (1, 211, 301, 3)
