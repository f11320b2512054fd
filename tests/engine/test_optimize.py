from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from bench.evaluate import evaluate
from engine import devices
from engine.color import rgb_to_ycbcr
from engine.errors import Cancelled, EngineError
from engine.imageio import resize_long_side
from engine.losses import gram, relative_error
from engine.model import load_vgg19
from engine.optimize import StyleTransfer, stylize
from engine.params import STYLE_LAYERS, StyleParams
from engine.tensors import to_tensor

TINY = StyleParams(quality="fast", size=96, steps=4)


def style_error(image: Image.Image, style: Image.Image) -> float:
    """Mean relative Gram error over the style layers, both at the image's size."""
    model = load_vgg19("cpu")
    side = max(image.size)
    with torch.no_grad():
        a = model(model.preprocess(to_tensor(image)), STYLE_LAYERS)
        b = model(model.preprocess(to_tensor(resize_long_side(style, side))), STYLE_LAYERS)
    return float(np.mean([relative_error(gram(a[n]), gram(b[n])).item() for n in STYLE_LAYERS]))


def test_short_run_lowers_style_loss_and_keeps_aspect(content, style) -> None:
    params = StyleParams(quality="fast", size=96, steps=12, init="content")
    result = stylize(content, [style], params)
    before = style_error(resize_long_side(content, 96), style)
    after = style_error(result.image, style)
    assert after < 0.5 * before
    w, h = result.image.size
    assert max(w, h) == 96
    assert abs(w / h - content.width / content.height) < 0.02
    assert result.finished and result.steps == result.total_steps == 24


def test_progress_reports_every_step(content, style) -> None:
    seen = []
    params = TINY.with_(preview_every=2, init="content")
    stylize(content, [style], params, on_progress=seen.append)
    assert [p.step for p in seen] == list(range(1, 9))
    assert [p.scale for p in seen] == [0] * 4 + [1] * 4
    assert all(p.total_steps == 8 for p in seen)
    assert seen[-1].fraction == 1.0 and seen[-1].eta == 0.0
    assert all(p.eta is not None and p.eta >= 0 for p in seen)
    assert seen[1].preview is not None and seen[0].preview is None
    assert [p.elapsed for p in seen] == sorted(p.elapsed for p in seen)


def test_same_seed_same_image(content, style) -> None:
    a = stylize(content, [style], TINY).image
    b = stylize(content, [style], TINY).image
    assert np.array_equal(np.asarray(a), np.asarray(b))


def test_preserve_colors_keeps_content_chroma(content, style) -> None:
    params = TINY.with_(preserve_colors=True, color_mode="luminance")
    out = stylize(content, [style], params).image
    ref = to_tensor(resize_long_side(content, 96))
    got = rgb_to_ycbcr(to_tensor(out))
    want = rgb_to_ycbcr(ref)
    chroma_error = (got[:, 1:] - want[:, 1:]).abs().mean().item()
    plain = rgb_to_ycbcr(to_tensor(stylize(content, [style], TINY).image))
    plain_error = (plain[:, 1:] - want[:, 1:]).abs().mean().item()
    assert chroma_error < 0.01  # only rounding to 8 bits and gamut clipping
    assert plain_error > 3 * chroma_error
    luma_change = (got[:, :1] - want[:, :1]).abs().mean().item()
    assert luma_change > 0.02  # the texture did transfer


def test_color_matching_mode_runs(content, style) -> None:
    out = stylize(content, [style], TINY.with_(preserve_colors=True, color_mode="match")).image
    assert max(out.size) == 96


def test_style_blending(content, style) -> None:
    other = Image.new("RGB", (64, 64), (250, 240, 10))
    result = stylize(content, [style, other], TINY.with_(style_blend=(3.0, 1.0)))
    assert max(result.image.size) == 96
    with pytest.raises(EngineError, match="one blend weight per style"):
        StyleTransfer(content, [style, other], TINY.with_(style_blend=(1.0,)))


def test_cancel_raises_between_steps(content, style) -> None:
    calls = []

    def cancel_after_three() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        stylize(content, [style], TINY, should_cancel=cancel_after_three)
    assert len(calls) == 4  # checked before the first step and after each step


def test_time_budget_ends_early_with_best_image(content, style) -> None:
    # More steps than any machine runs in the budget, however fast its network is.
    params = StyleParams(quality="fast", size=96, steps=100_000)
    result = stylize(content, [style], params, time_budget=4.0)  # instant image included
    assert not result.finished
    assert 0 < result.steps < result.total_steps
    assert max(result.image.size) == 96
    assert result.seconds >= 4.0  # it stopped because the budget ran out, not before


def test_adam_optimizer_lowers_loss(content, style) -> None:
    run = StyleTransfer(content, [style], TINY.with_(optimizer="adam"))
    losses = [p.loss for p in run if p.step > 0]  # step 0 (the instant image) has no loss
    assert losses[3] < losses[0]


def test_thin_and_tiny_images_run(style) -> None:
    thin = Image.new("RGB", (400, 20), (90, 120, 200))
    result = stylize(thin, [style], StyleParams(quality="balanced", size=200, steps=1))
    assert result.image.size == (200, 10)


def test_no_style_is_an_error(content) -> None:
    with pytest.raises(EngineError, match="style image"):
        stylize(content, [], TINY)


def test_unavailable_device_is_a_clear_error(content, style) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(EngineError, match="CUDA"):
        stylize(content, [style], TINY.with_(device="cuda"))


def test_head_start_weighs_style_by_the_instant_images_errors(content, style, monkeypatch) -> None:
    monkeypatch.setattr(devices, "cpu_has_amx", lambda: False)  # float32, as the evaluator
    params = StyleParams(quality="fast", size=96, steps=1)
    run = StyleTransfer(content, [style], params)
    progress = list(run)
    assert progress[0].step == 0 and progress[0].preview is not None
    start = evaluate(progress[0].preview, content, style, side=96)
    expected = params.effective_style_weight((start.content_error, start.style_error))
    assert run.style_weight == pytest.approx(expected, rel=0.05)
    # A start that is loose on content gets a heavier style term than a close one.
    assert expected != pytest.approx(params.effective_style_weight((1.0, 1.0)))


def test_classic_start_keeps_the_fixed_weight(content, style) -> None:
    params = StyleParams(quality="fast", size=64, steps=1, init="content")
    run = StyleTransfer(content, [style], params)
    list(run)
    assert run.style_weight == pytest.approx(params.effective_style_weight())


def test_bf16_network_still_lowers_style_error(content, style, precision_from_env) -> None:
    # bf16 even under ENGINE_PRECISION=float32, emulated where there is no AMX
    precision_from_env.setattr(devices, "cpu_has_amx", lambda: True)
    run = StyleTransfer(content, [style], StyleParams(quality="fast", size=96, steps=5))
    progress = list(run)
    before = style_error(progress[0].preview, style)
    after = style_error(run.result().image, style)
    assert after < 0.7 * before
    assert run.result().image.size == progress[0].preview.size
