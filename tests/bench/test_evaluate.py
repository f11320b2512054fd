from __future__ import annotations

import pytest
import torch
from PIL import Image

from bench.evaluate import EVAL_SIDE, Quality, content_error, evaluate, style_error
from engine.imageio import resize_long_side
from engine.losses import gram, relative_error


def test_identical_images_score_zero(content) -> None:
    assert content_error(content, content) == 0.0
    assert style_error(content, content) == pytest.approx(0.0, abs=1e-9)


def test_known_inputs_give_known_figures() -> None:
    # A flat image's relu features are constant maps; the errors follow from the
    # definitions and must not depend on how we compute them.
    grey = Image.new("RGB", (64, 48), (120, 120, 120))
    black = Image.new("RGB", (64, 48), (0, 0, 0))
    quality = evaluate(grey, grey, black)
    assert quality.content_error == 0.0
    assert quality.style_error > 0.0


def test_gram_and_relative_error_definitions() -> None:
    f = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])  # 1 channel, 2x2
    assert gram(f).item() == pytest.approx((1 + 4 + 9 + 16) / 4)
    assert relative_error(torch.tensor([3.0, 4.0]), torch.tensor([0.0, 5.0])).item() == (
        pytest.approx((9 + 1) / 25)
    )


def test_resizes_to_512(content, style) -> None:
    small = resize_long_side(content, 200)
    # a resized copy of the content is close to it at the evaluation size
    assert content_error(small, content) < 0.3
    assert EVAL_SIDE == 512


def test_stylised_image_scores_worse_on_content_better_on_style(content, style) -> None:
    blend = Image.blend(
        content, resize_long_side(style, max(content.size)).resize(content.size), 0.5
    )
    plain = evaluate(content, content, style)
    mixed = evaluate(blend, content, style)
    assert mixed.content_error > plain.content_error
    assert mixed.style_error < plain.style_error


def test_at_least_as_good_as() -> None:
    assert Quality(0.05, 1.0).at_least_as_good_as(Quality(0.09, 1.3))
    assert not Quality(0.05, 1.4).at_least_as_good_as(Quality(0.09, 1.3))
