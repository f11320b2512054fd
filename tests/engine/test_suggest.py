"""Suggesting a style: tiles by the instant network, ranked by a fixed criterion."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from engine import Cancelled, instant
from engine import suggest as suggest_module
from engine.imageio import decode_image, resize_long_side
from engine.suggest import (
    Candidate,
    SuggestParams,
    chroma_histogram,
    load_facts,
    missing,
    save_facts,
    suggest,
)
from engine.tensors import to_tensor
from styles.catalog import default_catalog
from tests.helpers import SAMPLES

SMALL = SuggestParams(tile_side=96)
SLUGS = ("van-gogh", "hokusai", "kandinsky", "mondrian", "vermeer", "seurat")


@pytest.fixture(scope="module")
def candidates() -> list[Candidate]:
    catalog = default_catalog()
    return [Candidate(s, partial(decode_image, catalog.get(s).path)) for s in SLUGS]


def test_paint_at_the_network_size_matches_the_fixed_graph() -> None:
    photo = to_tensor(resize_long_side(decode_image(SAMPLES / "cat.jpg"), 384))
    vector = instant.style_vector(decode_image(SAMPLES / "rocket.jpg"))
    square = torch.nn.functional.interpolate(photo, size=(384, 384))
    fixed = instant._transform(square, vector, False)
    assert torch.allclose(instant.paint(square, vector), fixed.clamp(0, 1), atol=1e-5)


def test_paint_keeps_any_size() -> None:
    vector = instant.style_vector(decode_image(SAMPLES / "rocket.jpg"))
    for h, w in ((61, 97), (128, 128), (50, 203)):
        out = instant.paint(torch.rand(1, 3, h, w), vector)
        assert out.shape == (1, 3, h, w) and 0.0 <= float(out.min()) <= float(out.max()) <= 1.0


def test_ranks_every_candidate_best_first_and_is_deterministic(
    candidates: list[Candidate],
) -> None:
    photo = decode_image(SAMPLES / "cat.jpg")
    ticks: list[tuple[int, int]] = []
    first = suggest(photo, candidates, SMALL, on_tile=lambda d, t: ticks.append((d, t)))
    again = suggest(photo, candidates, SMALL)
    assert sorted(s.key for s in first) == sorted(SLUGS)
    assert [s.score for s in first] == sorted((s.score for s in first), reverse=True)
    assert [(s.key, s.score) for s in first] == [(s.key, s.score) for s in again]
    assert ticks == [(n, len(SLUGS)) for n in range(1, len(SLUGS) + 1)]
    for s in first:
        assert max(s.tile.size) == 96 and 0.0 <= s.structure <= 1.0 and 0.0 <= s.palette <= 1.0


def test_different_photos_give_different_orders(candidates: list[Candidate]) -> None:
    orders = {
        name: [s.key for s in suggest(decode_image(SAMPLES / name), candidates, SMALL)]
        for name in ("cat.jpg", "rocket.jpg", "coffee.jpg")
    }
    assert len({tuple(order) for order in orders.values()}) > 1


def test_a_style_in_the_photos_own_colours_scores_a_better_palette() -> None:
    photo = Image.new("RGB", (80, 60), (200, 60, 40))
    same = Candidate("red", lambda: Image.new("RGB", (300, 300), (200, 60, 40)))
    other = Candidate("blue", lambda: Image.new("RGB", (300, 300), (30, 60, 200)))
    by_key = {s.key: s for s in suggest(photo, [other, same], SMALL)}
    assert by_key["red"].palette > 0.9 > 0.1 > by_key["blue"].palette


def test_chroma_histogram_is_a_distribution() -> None:
    hist = chroma_histogram(torch.rand(1, 3, 40, 50))
    assert hist.shape == (64,) and np.isclose(hist.sum(), 1.0) and hist.min() >= 0


def test_cancel_stops_between_tiles(candidates: list[Candidate]) -> None:
    tiles: list[int] = []
    with pytest.raises(Cancelled):
        suggest(
            decode_image(SAMPLES / "cat.jpg"), candidates, SMALL,
            should_cancel=lambda: len(tiles) >= 2, on_tile=lambda d, t: tiles.append(d),
        )  # fmt: skip
    assert tiles == [1, 2]


def test_style_facts_survive_a_restart_through_their_file(
    candidates: list[Candidate], tmp_path: Path
) -> None:
    photo = decode_image(SAMPLES / "rocket.jpg")
    before = [(s.key, s.score) for s in suggest(photo, candidates, SMALL)]
    save_facts(tmp_path / "facts.json", candidates)
    suggest_module._facts.clear()  # a new process
    assert missing(candidates) == len(candidates)
    assert load_facts(tmp_path / "facts.json") == len(candidates)
    assert missing(candidates) == 0
    assert [(s.key, s.score) for s in suggest(photo, candidates, SMALL)] == before
    (tmp_path / "broken.json").write_text("{not json")
    assert load_facts(tmp_path / "broken.json") == 0 and load_facts(tmp_path / "none") == 0
