from __future__ import annotations

import pytest
import torch

from engine import devices
from engine.errors import EngineError


def test_cpu_runs_the_network_in_bf16_only_with_amx(
    precision_from_env: pytest.MonkeyPatch,
) -> None:
    monkeypatch = precision_from_env
    cpu = torch.device("cpu")
    monkeypatch.setattr(devices, "cpu_has_amx", lambda: True)
    assert devices.autocast_dtype(cpu) is torch.bfloat16
    with devices.autocast(cpu):
        assert torch.is_autocast_enabled("cpu")
        out = torch.nn.functional.conv2d(torch.ones(1, 3, 8, 8), torch.ones(4, 3, 3, 3))
    assert out.dtype is torch.bfloat16
    monkeypatch.setattr(devices, "cpu_has_amx", lambda: False)
    assert devices.autocast_dtype(cpu) is None
    with devices.autocast(cpu):
        assert not torch.is_autocast_enabled("cpu")


def test_amx_check_answers_a_bool() -> None:
    assert isinstance(devices.cpu_has_amx(), bool)


def test_configure_keeps_a_lower_thread_count() -> None:
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)  # as a worker with WORKER_THREADS=1 does
        devices.configure(torch.device("cpu"))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_precision_auto_keeps_bf16_where_amx_is(precision_from_env: pytest.MonkeyPatch) -> None:
    cpu = torch.device("cpu")
    precision_from_env.setattr(devices, "cpu_has_amx", lambda: True)
    assert devices.precision() == "auto"  # unset
    assert devices.autocast_dtype(cpu) is torch.bfloat16
    precision_from_env.setenv(devices.PRECISION_VARIABLE, "auto")
    assert devices.autocast_dtype(cpu) is torch.bfloat16


def test_precision_float32_forces_float32_even_with_amx(
    precision_from_env: pytest.MonkeyPatch,
) -> None:
    cpu = torch.device("cpu")
    precision_from_env.setattr(devices, "cpu_has_amx", lambda: True)
    precision_from_env.setenv(devices.PRECISION_VARIABLE, " Float32 ")
    assert devices.precision() == "float32"
    assert devices.autocast_dtype(cpu) is None
    with devices.autocast(cpu):
        assert not torch.is_autocast_enabled("cpu")
        out = torch.nn.functional.conv2d(torch.ones(1, 3, 8, 8), torch.ones(4, 3, 3, 3))
    assert out.dtype is torch.float32


def test_precision_set_by_the_host_wins_over_the_environment(
    precision_from_env: pytest.MonkeyPatch,
) -> None:
    precision_from_env.setattr(devices, "cpu_has_amx", lambda: True)
    precision_from_env.setenv(devices.PRECISION_VARIABLE, "auto")
    devices.use_precision("float32")
    assert devices.autocast_dtype(torch.device("cpu")) is None
    devices.use_precision(None)
    assert devices.autocast_dtype(torch.device("cpu")) is torch.bfloat16


def test_an_unknown_precision_is_refused(precision_from_env: pytest.MonkeyPatch) -> None:
    precision_from_env.setenv(devices.PRECISION_VARIABLE, "bf16")
    with pytest.raises(EngineError, match="ENGINE_PRECISION"):
        devices.precision()
    with pytest.raises(EngineError):
        devices.use_precision("half")  # type: ignore[arg-type]
