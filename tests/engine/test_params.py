from __future__ import annotations

import pytest

from engine.params import (
    BALANCE_RATIO_RANGE,
    HEAD_START_BALANCE,
    PRESETS,
    QUALITIES,
    StyleParams,
    strength_multiplier,
)


def test_presets_end_at_full_size() -> None:
    for quality, preset in PRESETS.items():
        schedule = StyleParams(quality=quality).schedule()
        assert schedule[-1][0] == preset.size
        sides = [side for side, _ in schedule]
        assert sides == sorted(sides)


def test_steps_override_applies_to_every_scale() -> None:
    assert [n for _, n in StyleParams(steps=3).schedule()] == [3] * len(PRESETS["balanced"].scales)


def test_small_outputs_skip_useless_coarse_scales() -> None:
    assert StyleParams(size=20).schedule() == [(20, PRESETS["balanced"].steps[-1])]
    assert [s for s, _ in StyleParams(size=180, init="content").schedule()] == [90, 180]


def test_strength_curve() -> None:
    assert strength_multiplier(0.5) == pytest.approx(1.0)
    values = [strength_multiplier(s / 10) for s in range(11)]
    assert values == sorted(values)
    assert values[-1] / values[0] == pytest.approx(256.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"size": 4},
        {"size": 100_000},
        {"steps": 0},
        {"strength": 1.5},
        {"quality": "ultra"},
        {"init": "noise"},
        {"style_blend": (0.0, 0.0)},
        {"style_layer_weights": (1.0,)},
    ],
)
def test_invalid_values_are_rejected(kwargs) -> None:
    with pytest.raises(ValueError):
        StyleParams(**kwargs)


def test_instant_quality_is_first_and_never_optimises() -> None:
    assert QUALITIES[0] == "instant"
    params = StyleParams(quality="instant", steps=5)
    assert params.schedule() == [(512, 0)] and not params.optimizes and params.uses_instant


def test_head_start_and_classic_schedules_differ() -> None:
    warm, classic = StyleParams(), StyleParams(init="content")
    assert warm.init == "instant"
    assert sum(n for _, n in warm.schedule()) < sum(n for _, n in classic.schedule())


def test_head_start_weighs_style_by_the_start_errors() -> None:
    params = StyleParams()
    weight = params.effective_style_weight((2.0, 0.25))
    assert weight * 0.25 == pytest.approx(HEAD_START_BALANCE * 2.0)  # 1.1x the content term
    assert params.effective_style_weight((0.5, 0.25)) < weight  # a close start needs less
    heavy = StyleParams(strength=1.0).effective_style_weight((2.0, 0.25))
    assert heavy == pytest.approx(16.0 * weight)
    low, high = BALANCE_RATIO_RANGE
    assert params.effective_style_weight((0.0, 0.3)) == pytest.approx(HEAD_START_BALANCE * low)
    assert params.effective_style_weight((5.0, 0.0)) == pytest.approx(HEAD_START_BALANCE * high)


def test_classic_start_ignores_the_start_errors() -> None:
    classic = StyleParams(init="content")
    assert classic.effective_style_weight((2.0, 0.25)) == classic.effective_style_weight()
    assert classic.effective_style_weight() == pytest.approx(classic.style_weight)
